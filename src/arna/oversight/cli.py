"""`arna oversight …`: the public figures about how bodies answer, from the command line."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from arna.core.console import JsonOpt, database, err, fail, out, print_json, settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

oversight_app = typer.Typer(
    help="Oversight: how bodies answer and how high solved problems had to climb, per body,"
    " region, category or month.",
    no_args_is_help=True,
)


report_app = typer.Typer(
    help="Monthly reports (HTML or PDF, kk/ru/en): the country, a region or a body.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(oversight_app, name="oversight")
    app.add_typer(report_app, name="report")


def _read(figures: Callable[[Session], dict[str, Any]]) -> dict[str, Any]:
    """`figures` of the database (a bad choice of grouping: exit status 2, saying so)."""
    db = database()
    try:
        with db.read() as session:
            return figures(session)
    except ValueError as exc:
        fail(str(exc), 2)
    finally:
        db.dispose()


@oversight_app.command("depth")
def depth_cmd(
    by: Annotated[str, typer.Option(help="body, region, category or month")] = "body",
    lang: Annotated[str, typer.Option(help="language of the names: kk, ru or en")] = "en",
    as_json: JsonOpt = False,
) -> None:
    """The escalation depth index: of the problems solved (in their applicant's words), the
    shares that climbed no level, one, two or more, and that a national body solved."""
    from arna.oversight.queries import depth

    found = _read(lambda session: depth.index(session, by, lang))
    if as_json:
        print_json(found)
        return
    table = Table(by, "solved", "no climb", "one", "two or more", "to national")
    columns = ("climbed_none", "climbed_once", "climbed_twice_or_more", "to_national")
    for r in found["rows"]:
        table.add_row(
            r["name"],
            f"{r['solved']}{' (too few)' if r['too_few'] else ''}",
            *(f"{s['share']:.0%} ({s['low']:.0%}–{s['high']:.0%})" for s in map(r.get, columns)),
        )
    out.print(table)


def _share(s: dict[str, Any]) -> str:
    return (
        f"{s['share']:.0%} ({s['low']:.0%}–{s['high']:.0%})" if s["count"] or s["high"] < 1 else "—"
    )


def _days(d: dict[str, Any]) -> str:
    if d["median"] is None:
        return "—"
    ends = [("?" if v is None else str(v)) for v in (d["median_low"], d["median_high"])]
    return f"{d['median']} ({ends[0]}–{ends[1]}); p90 {d['p90']}"


@oversight_app.command("scorecard")
def scorecard_cmd(
    by: Annotated[str, typer.Option(help="body, region, category or month")] = "body",
    lang: Annotated[str, typer.Option(help="language of the names: kk, ru or en")] = "en",
    as_json: JsonOpt = False,
) -> None:
    """Responsiveness: received, answered on time, extended, forwarded, sent wrongly,
    escalated, disputed, solved, working days to first response and to answer, each with its
    interval; above or below the country only where the intervals say so."""
    from arna.oversight.queries import scorecard

    found = _read(lambda session: scorecard.scorecard_index(session, by, lang))
    if as_json:
        print_json(found)
        return
    table = Table(by, "received", "on time", "solved", "days to answer", "standing")
    for r in [*found["rows"], found["country"] | {"name": "Kazakhstan"}]:
        table.add_row(
            r["name"],
            f"{r['received']}{' (too few)' if r['too_few'] else ''}",
            _share(r["on_time"]),
            _share(r["solved"]),
            _days(r["answer"]),
            r["standing"] if r["key"] != "all" else "",
        )
    out.print(table)


@oversight_app.command("problems")
def problems_cmd(
    region: Annotated[str | None, typer.Option(help="region KATO code")] = None,
    category: Annotated[str | None, typer.Option(help="category id")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Shared problems: appeals about one problem (same place and topic, alike text in any
    language) shown once, with the people it touches (appeals and "me too" supporters)."""
    from arna.oversight.queries import problems

    found = _read(
        lambda session: problems.as_json(
            problems.shared_problems(session, region=region, category=category, limit=limit)
        )
    )
    if as_json:
        print_json(found)
        return
    table = Table("problem", "topic", "people", "appeals", "me too", "open", "came back")
    for p in found["problems"]:
        table.add_row(
            p["number"], p["category"] or "", str(p["people"]), str(p["appeals"]),
            str(p["supporters"]), str(p["open"]), str(p["came_back"]),
        )  # fmt: skip
    out.print(table)


@oversight_app.command("export")
def export_cmd(
    output: Annotated[Path, typer.Option(help="The folder to write the tables into.")],
    format: Annotated[str, typer.Option("--format", help="csv or parquet")] = "csv",
    lang: Annotated[str, typer.Option(help="language of the names: kk, ru or en")] = "en",
) -> None:
    """Open data: every public figure (scorecards, working days, escalation depth; by body,
    region, category and month) as CSV or Parquet files, with data_dictionary. Groups with
    fewer than ARNA_MIN_CELL appeals (solved problems) are left out."""
    from arna.oversight.queries import opendata

    if format not in ("csv", "parquet"):
        fail(f"--format: csv or parquet (not {format!r})", 2)
    config = settings()
    db = database()
    try:
        with db.read() as session:
            tallies: dict[str, Any] = {}  # each grouping added up once for its two tables
            tables = {
                name: opendata.table(session, name, config.min_cell, lang, tallies)
                for name in opendata.TABLES
            }
    finally:
        db.dispose()
    try:
        output.mkdir(parents=True, exist_ok=True)
        for name, rows in tables.items():
            _write(output / f"{name}.{format}", name, rows)
    except OSError as exc:
        fail(f"{output}: {exc.strerror or exc}", 1)
    err.print(f"{len(tables)} tables in {output} (groups under {config.min_cell} left out)")


def _write(path: Path, name: str, rows: list[dict[str, Any]]) -> None:
    """One table, written aside and renamed into place (a crash leaves the old file or none)."""
    from arna.oversight.queries import opendata

    draft = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if path.suffix == ".parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            columns = opendata.columns(name)
            table = pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows])
            if not rows:
                table = pa.table({c: pa.array([], pa.string()) for c in columns})
            pq.write_table(table, draft)
        else:
            draft.write_text(opendata.as_csv(name, rows), encoding="utf-8")
        os.replace(draft, path)
    finally:
        draft.unlink(missing_ok=True)


Month = Annotated[str, typer.Option(help="the month, YYYY-MM (appeals received in it)")]
Format = Annotated[str, typer.Option("--format", help="pdf or html")]
Lang = Annotated[str, typer.Option(help="kk, ru or en")]
Output = Annotated[
    Path | None, typer.Option(help="the file to write (default: report-…-MONTH-LANG.FORMAT here)")
]


def _report(kind: str, key: str, month: str, fmt: str, lang: str, output: Path | None) -> None:
    from arna.oversight import reporting
    from arna.oversight.queries.report import UnknownScope, report

    if fmt not in ("pdf", "html"):
        fail(f"--format: pdf or html (not {fmt!r})", 2)
    if lang not in ("kk", "ru", "en"):
        fail(f"--lang: kk, ru or en (not {lang!r})", 2)
    db = database()
    try:
        with db.read() as session:
            found = report(session, kind, month, key, lang)
    except (ValueError, UnknownScope) as exc:
        fail(str(exc), 2)
    finally:
        db.dispose()
    data = reporting.pdf(found, lang) if fmt == "pdf" else reporting.html(found, lang).encode()
    name = "-".join(part for part in ("report", kind, key, month, lang) if part)
    path = output or Path(f"{name}.{fmt}")
    draft = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        draft.write_bytes(data)
        os.replace(draft, path)
    except OSError as exc:
        draft.unlink(missing_ok=True)
        fail(f"{path}: {exc.strerror or exc}", 1)
    err.print(f"{path}: {len(data):,} bytes")


@report_app.command("national")
def report_national(
    month: Month, format: Format = "pdf", lang: Lang = "en", output: Output = None
) -> None:
    """The country's month: key figures, twelve months, the regions, the escalation depth."""
    _report("national", "", month, format, lang, output)


@report_app.command("region")
def report_region(
    kato: Annotated[str, typer.Argument(help="the region's KATO code")],
    month: Month,
    format: Format = "pdf",
    lang: Lang = "en",
    output: Output = None,
) -> None:
    """A region's month: its appeals, the bodies that held them, the escalation depth."""
    _report("region", kato, month, format, lang, output)


@report_app.command("body")
def report_body(
    body_id: Annotated[str, typer.Argument(help="the body's id")],
    month: Month,
    format: Format = "pdf",
    lang: Lang = "en",
    output: Output = None,
) -> None:
    """A body's month: the appeals it received, by topic, and the escalation depth."""
    _report("body", body_id, month, format, lang, output)
