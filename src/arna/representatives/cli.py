"""`arna deputies …`: import deputies, attendance and votes from CSV; list and show them."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from arna.core.console import JsonOpt, database, fail, out, print_json

if TYPE_CHECKING:
    from arna.representatives.queries import Rate

deputies_app = typer.Typer(
    help="Representatives: deputies, their attendance and votes (imported from CSV), factions.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(deputies_app, name="deputies")


@deputies_app.command("import")
def import_cmd(
    kind: Annotated[str, typer.Argument(help="deputies, attendance or votes")],
    path: Annotated[Path, typer.Argument(help="the CSV file (UTF-8; docs/representatives.md)")],
    as_json: JsonOpt = False,
) -> None:
    """Import one CSV file, all or nothing: the same file again changes nothing; a file with a
    bad row stores nothing and names every bad row with its line."""
    from arna.core.actors import system
    from arna.core.errors import ArnaError
    from arna.representatives.actions import import_records

    try:
        data = path.read_bytes()
    except OSError as exc:
        fail(f"{path}: {exc.strerror or exc}", 2)
    db = database()
    try:
        found = import_records(db, system("cli"), kind, data)
    except ArnaError as exc:
        for error in exc.details.get("errors", []):
            out.print(f"line {error['line']}: {error['message']}", markup=False)
        fail(exc.message, 2)
    finally:
        db.dispose()
    if as_json:
        print_json(found.as_dict())
        return
    table = Table("table", "inserted", "updated", "unchanged")
    for t in found.tables:
        table.add_row(t.table, str(t.inserted), str(t.updated), str(t.unchanged))
    out.print(table)


@deputies_app.command("list")
def list_cmd(
    party: Annotated[str | None, typer.Option(help="only this party's deputies")] = None,
    lang: Annotated[str, typer.Option(help="kk, ru or en")] = "en",
    as_json: JsonOpt = False,
) -> None:
    """The deputies with their attendance and the roll calls they took part in."""
    from arna.representatives import queries

    db = database()
    try:
        with db.read() as session:
            rows = queries.deputies(session, lang, party=party)
    finally:
        db.dispose()
    if as_json:
        print_json([asdict(r) for r in rows])
        return
    table = Table("id", "name", "party", "mandate", "attendance", "voted")
    for r in rows:
        table.add_row(
            r.id, r.name, r.party_name or "—", r.mandate, _rate(r.attendance), _rate(r.voted)
        )
    out.print(table)


@deputies_app.command("show")
def show_cmd(deputy_id: str, lang: str = "en", as_json: JsonOpt = False) -> None:
    """One deputy: mandate, attendance, votes and cost, each with its source."""
    from arna.representatives import queries

    db = database()
    try:
        with db.read() as session:
            page = queries.deputy_page(session, deputy_id, lang)
    finally:
        db.dispose()
    if page is None:
        fail(f"no deputy {deputy_id!r}", 2)
    if as_json:
        print_json(asdict(page))
        return
    d = page.deputy
    out.print(f"[bold]{d.name}[/bold] — {d.legislature_name}, {d.mandate} ({d.source})")
    out.print(f"attendance {_rate(d.attendance)}; voted {_rate(d.voted)}; {page.choices}")
    for cost in page.costs:
        out.print(f"{cost['year']}: {cost['figure']}: {cost['value_text']} {cost['unit']}")


def _rate(rate: Rate) -> str:
    if rate.share is None:
        return "—"
    return f"{rate.share:.0%} ({rate.low:.0%}–{rate.high:.0%}) of {rate.n}"
