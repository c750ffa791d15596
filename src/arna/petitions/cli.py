"""`arna petitions …`: browse and read petitions, the reference thresholds, and the operator's
acts (moderate, answer on a body's behalf, invalidate signatures, look for surges)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table

from arna.core.actors import Actor
from arna.core.console import JsonOpt, fail, opened_database, out, print_json, settings

petitions_app = typer.Typer(
    help="Petitions: list, show, thresholds; moderate, invalidate, surges.",
    no_args_is_help=True,
)
Lang = Annotated[str, typer.Option(help="kk, ru or en")]


def register(app: typer.Typer) -> None:
    app.add_typer(petitions_app, name="petitions")


def _operator() -> Actor:
    """The operator at the server's console acts as an administrator of the platform."""
    return Actor("admin", name="system:cli")


@petitions_app.command("list")
def list_cmd(
    status: Annotated[str | None, typer.Option(help="open, response_due, answered, …")] = None,
    lang: Lang = "en",
    as_json: JsonOpt = False,
) -> None:
    """Published petitions (and those that ended), the most signed first."""
    from arna.petitions.queries import list_petitions

    with opened_database() as db, db.read() as session:
        page = list_petitions(session, lang, status=status, per_page=100)
    if as_json:
        print_json(page.model_dump(mode="json"))
        return
    table = Table("number", "status", "signatures", "threshold", "addressee", "title")
    for p in page.items:
        table.add_row(
            p.number, p.status, str(p.signatures), str(p.threshold), p.addressee, p.title[:60]
        )
    out.print(table)


@petitions_app.command("show")
def show(number: str, lang: Lang = "en", as_json: JsonOpt = False) -> None:
    """One published petition: its state, progress and signers by region."""
    from arna.core.errors import NotFound
    from arna.petitions.queries import detail, petition_for

    config = settings()
    with opened_database() as db, db.read() as session:
        try:
            found = detail(session, petition_for(session, number), lang, config.min_cell)
        except NotFound as exc:
            fail(str(exc))
    if as_json:
        print_json(found.model_dump(mode="json"))
        return
    out.print(f"[bold]{found.number}[/bold] {found.title}")
    out.print(f"{found.status} · {found.signatures} of {found.threshold} · to {found.addressee}")
    for label, value in (
        ("closes on", found.closes_on),
        ("response due", found.response_due),
        ("answered", found.answered_at),
        ("reason", found.reason_code),
    ):
        if value:
            out.print(f"{label}: {value}")
    for region in found.regions:
        out.print(f"  {region.name}: {region.signatures if region.signatures is not None else '<'}")


@petitions_app.command("thresholds")
def thresholds_cmd(as_json: JsonOpt = False) -> None:
    """The thresholds by addressee, with their legal basis and validity dates."""
    from arna.petitions.rules import terms, thresholds

    rows = [
        {
            "id": t.id,
            "addressee": t.addressee_kind,
            "units": sorted(t.unit_types),
            "min_population": t.min_population,
            "rule": t.rule,
            "value": t.value,
            "valid_from": str(t.valid_from or ""),
            "valid_to": str(t.valid_to or ""),
            "basis": t.basis,
        }
        for t in thresholds()
    ]
    if as_json:
        print_json({"thresholds": rows, "terms": [vars(t) for t in terms()]})
        return
    table = Table("id", "addressee", "rule", "value", "valid from", "basis")
    for r in rows:
        table.add_row(
            str(r["id"]),
            str(r["addressee"]),
            str(r["rule"]),
            str(r["value"]),
            str(r["valid_from"]),
            str(r["basis"])[:70],
        )
    out.print(table)


@petitions_app.command("moderate")
def moderate(
    number: str,
    reject: Annotated[str | None, typer.Option(help="Reject with this reason code.")] = None,
    note: Annotated[str | None, typer.Option(help="A public note.")] = None,
) -> None:
    """Publish a petition that gathered its co-signers, or --reject it with a reason code."""
    from arna.core.errors import ArnaError
    from arna.petitions.actions.lifecycle import moderate_petition

    try:
        with opened_database() as db:
            status = moderate_petition(
                db,
                settings(),
                _operator(),
                number,
                approve=reject is None,
                reason=reject,
                note=note,
            )
    except ArnaError as exc:
        fail(str(exc))
    out.print(f"{number}: {status}")


@petitions_app.command("invalidate")
def invalidate(
    number: str,
    reason: Annotated[str, typer.Option(help="The public reason.")],
    source: Annotated[str | None, typer.Option(help="A source named by `surges`.")] = None,
    since: Annotated[
        str | None, typer.Option(help="ISO instant, e.g. 2026-12-01T10:00+05:00")
    ] = None,
    until: Annotated[str | None, typer.Option(help="ISO instant (exclusive)")] = None,
    region: Annotated[str | None, typer.Option(help="The signers' region (KATO)")] = None,
) -> None:
    """Set aside the valid signatures meeting every stated condition; the count and reason are
    shown on the petition, the condition is in the audit log."""
    from arna.core.errors import ArnaError
    from arna.petitions.actions.signing import invalidate_signatures

    first, last = _instant(since), _instant(until)
    try:
        with opened_database() as db:
            count, petition = invalidate_signatures(
                db,
                _operator(),
                number,
                reason=reason,
                source=source,
                since=first,
                until=last,
                region=region,
            )
            left, status = petition.signatures, petition.status
    except ArnaError as exc:
        fail(str(exc))
    out.print(f"{number}: {count} invalidated, {left} valid, {status}")


@petitions_app.command("surges")
def surges_cmd(number: str, as_json: JsonOpt = False) -> None:
    """Sources (networks, by keyed digest) that sent a sudden share of the signatures."""
    from arna.core.clock import now_utc
    from arna.core.errors import NotFound
    from arna.petitions.queries import petition_for, surges

    with opened_database() as db, db.read() as session:
        try:
            found = surges(session, petition_for(session, number), now_utc())
        except NotFound as exc:
            fail(str(exc))
    rows = [
        {
            "source": s.source,
            "start": s.start.isoformat(),
            "end": s.end.isoformat(),
            "count": s.count,
            "share": round(s.share, 3),
        }
        for s in found
    ]
    if as_json:
        print_json(rows)
        return
    if not rows:
        out.print("no surge")
    for r in rows:
        out.print(f"{r['source']}  {r['count']} ({r['share']:.0%}) {r['start']} – {r['end']}")


def _instant(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not an ISO instant") from None
    if instant.tzinfo is None:
        raise typer.BadParameter(f"{value!r} needs its time zone, e.g. +05:00")
    return instant
