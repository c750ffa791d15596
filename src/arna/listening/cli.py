"""`arna listen …`: bring public comments in, and see what is stored."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from arna.core.clock import now_utc, to_local_date
from arna.core.console import JsonOpt, err, fail, out, print_json, progress_bar, settings
from arna.listening.store import store_of

if TYPE_CHECKING:  # the commands import the slice's modules when they run
    from arna.core.settings import Settings
    from arna.listening.actions import Imported, Reader
    from arna.listening.sources import Parsed

listen_app = typer.Typer(
    help="Listening: public comments (JSONL, CSV, Telegram exports, RSS) turned into aggregates.",
    no_args_is_help=True,
)

_SHOWN_ERRORS = 20


class Engine(StrEnum):
    local = "local"
    dask = "dask"


class Format(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    telegram = "telegram"
    rss = "rss"


def _shown(
    figures: dict[str, Any], as_json: bool, header: tuple[str, ...], rows: list[list[str]]
) -> bool:
    """Print the figures as JSON (True: nothing more to say) or the rows as a table."""
    if as_json:
        print_json(figures)
        return True
    table = Table(*header)
    for row in rows:
        table.add_row(*row)
    out.print(table)
    return False


def register(app: typer.Typer) -> None:
    app.add_typer(listen_app, name="listen")


@listen_app.command("import")
def import_command(
    path: Annotated[
        Path, typer.Argument(help="The file: JSONL, CSV, Parquet, result.json or a feed.")
    ],
    format: Annotated[Format, typer.Option("--format", help="What the file is.")],
    source: Annotated[
        str | None,
        typer.Option(help="Where the posts were published, for rows that do not say."),
    ] = None,
    mapping: Annotated[
        str | None,
        typer.Option(
            "--map", help="CSV, Parquet: which column holds each field, e.g. text=body,id=post."
        ),
    ] = None,
    engine: Annotated[
        Engine, typer.Option(help="Where the posts are read: here, or on a Dask cluster.")
    ] = Engine.local,
    scheduler: Annotated[
        str | None,
        typer.Option(help="--engine dask: the scheduler's address, e.g. tcp://10.0.0.5:8786."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Store the posts of a file once each; print inserted, duplicate and unchanged counts and
    every row that could not be read, with its line."""
    from functools import partial

    from arna.listening import actions, reading, sources

    if (engine is Engine.dask) != (scheduler is not None):
        fail("--engine dask needs --scheduler ADDRESS (and --scheduler needs --engine dask)", 2)
    reader: actions.Reader = (
        partial(reading.read_on_cluster, scheduler) if scheduler else reading.read
    )

    config = settings()
    try:
        data = path.read_bytes()
    except OSError as exc:
        fail(f"{path}: {exc.strerror or exc}", 2)
    key = actions.author_key(config)
    try:
        if format is Format.csv:
            parsed = sources.read_csv(data, key, source, sources.parse_mapping(mapping))
        elif format is Format.parquet:
            parsed = sources.read_parquet(data, key, source, sources.parse_mapping(mapping))
        else:
            if mapping:
                fail("--map is for CSV and Parquet files only", 2)
            parse = {"jsonl": sources.read_jsonl, "telegram": sources.read_telegram}.get(
                format.value, sources.read_feed
            )
            parsed = parse(data, key, source)
    except sources.SourceError as exc:
        fail(f"{path}: {exc}", 2)
    try:
        done = _stored(config, parsed, reader)
    except (OSError, reading.OtherModels) as exc:  # nothing was stored
        fail(f"--scheduler {scheduler}: {exc}", 1)
    counts = _counts(done) | _placed(config)
    if as_json:
        print_json(counts | {"errors": _errors(done)})
        return
    _say(str(path), counts, done)


def _stored(config: Settings, parsed: Parsed, reader: Reader | None = None) -> Imported:
    """Store parsed posts with a progress bar (`actions.import_posts`)."""
    from arna.listening import actions, reading

    progress, task = progress_bar("reading posts", len(parsed.posts))
    with progress:
        done = actions.import_posts(
            store_of(config),
            parsed.posts,
            parsed.errors,
            lambda n: progress.update(task, advance=n),
            reader or reading.read,
        )
        progress.update(task, completed=len(parsed.posts))  # posts stored before are not read
    return done


def _placed(config: Settings) -> dict[str, int]:
    from arna.listening import actions, queries

    if stale := sum(queries.stale(store_of(config)).values()):
        err.print(f"{stale} stored posts were read by other text models: run arna listen reread")
    err.print("placing new posts in topics…")
    placed = actions.update_topics(store_of(config), config.min_cell, to_local_date(now_utc()))
    return {"placed_in_topics": placed.placed, "topics_proposed": len(placed.proposed)}


def _counts(done: Imported) -> dict[str, int]:
    return {
        "inserted": done.inserted,
        "duplicate": done.duplicate,
        "unchanged": done.unchanged,
        "bad_rows": len(done.errors),
    }


def _errors(done: Imported) -> list[dict[str, Any]]:
    return [{"line": e.line, "message": e.message} for e in done.errors]


def _say(where: str, counts: dict[str, int], done: Imported) -> None:
    out.print(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in counts.items()))
    for e in done.errors[:_SHOWN_ERRORS]:
        out.print(f"{where}, line {e.line}: {e.message}", markup=False, soft_wrap=True)
    if len(done.errors) > _SHOWN_ERRORS:
        out.print(f"… and {len(done.errors) - _SHOWN_ERRORS} more (--json lists them all)")


@listen_app.command("fetch")
def fetch_command(as_json: JsonOpt = False) -> None:
    """Read the feeds named in ARNA_LISTEN_FEEDS and store their posts once each (as
    `arna listen import --format rss`); a feed that cannot be had is reported, the others are
    stored, and the exit status is 1."""
    from arna.listening import actions, feeds, sources

    config = settings()
    try:
        urls = feeds.configured(config)
    except sources.SourceError as exc:
        fail(str(exc), 2)
    if not urls:
        fail("no feeds: name them in ARNA_LISTEN_FEEDS (comma-separated http or https URLs)", 2)
    key = actions.author_key(config)
    report: list[dict[str, Any]] = []
    for url in urls:
        try:
            parsed = sources.read_feed(feeds.fetch(url), key, f"feed:{url}")
        except sources.SourceError as exc:
            report.append({"feed": url, "error": str(exc)})
            continue
        done = _stored(config, parsed)
        report.append({"feed": url} | _counts(done) | {"errors": _errors(done)})
    placed = _placed(config)
    failed = [r for r in report if "error" in r]
    if as_json:
        print_json({"feeds": report} | placed)
    else:
        for r in report:
            line = (
                r["error"]
                if "error" in r
                else ", ".join(
                    f"{k.replace('_', ' ')}: {v}"
                    for k, v in r.items()
                    if k not in ("feed", "errors")
                )
            )
            out.print(f"{r['feed']}: {line}", markup=False, soft_wrap=True)
    if failed:
        raise typer.Exit(1)


@listen_app.command("stats")
def stats_command(as_json: JsonOpt = False) -> None:
    """Posts stored, distinct texts, copies and authors, overall and per source."""
    from arna.listening import queries

    figures = queries.stats(store_of(settings()))
    rows = [
        [s["source"], str(s["posts"]), str(s["distinct_texts"]), str(s["copies"]),
         str(s["authors"]), f"{s['first_day']} … {s['last_day']}"]
        for s in figures["by_source"]
    ]  # fmt: skip
    if _shown(
        figures, as_json, ("source", "posts", "distinct texts", "copies", "authors", "days"), rows
    ):
        return
    out.print(f"posts: {figures['posts']}, distinct texts: {figures['distinct_texts']}")
    if stale := figures["read_by_other_models"]:
        out.print(f"read by other text models: {stale} (run arna listen reread)")


@listen_app.command("reread")
def reread_command(as_json: JsonOpt = False) -> None:
    """Read again, with this Arna's text models, the stored posts that other models read (after
    an upgrade or `arna text train`), so that every figure corrects one model's errors."""
    from arna.listening import actions, queries

    store = store_of(settings())
    progress, task = progress_bar("reading posts again", sum(queries.stale(store).values()))
    with progress:
        done = actions.reread(store, lambda n: progress.update(task, advance=n))
    figures = {"files": done.files, "posts": done.posts}
    if as_json:
        print_json(figures)
    else:
        out.print(f"posts read again: {done.posts} (files: {done.files})")


class ExportFormat(StrEnum):
    csv = "csv"
    parquet = "parquet"


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = dict(row["keys"])
    flat |= {k: row[k] for k in ("mentions", "copies", "authors", "reference", "status")}
    for tone, figures in row["shares"].items():
        flat |= {
            f"{tone}_cc": figures["cc"],
            tone: figures["corrected"],
            f"{tone}_low": figures["low"],
            f"{tone}_high": figures["high"],
        }
    return flat


@listen_app.command("export")
def export_command(
    format: Annotated[ExportFormat, typer.Option("--format", help="csv or parquet.")],
    by: Annotated[
        str, typer.Option(help="Cells: period, region, target, topic, lang (comma-separated).")
    ] = "period,region,target",
    period: Annotated[str, typer.Option(help="day or week.")] = "week",
    output: Annotated[
        Path | None, typer.Option(help="The file to write (CSV: standard output if not given).")
    ] = None,
) -> None:
    """Public aggregates only: per cell, mentions (copies apart), distinct authors and the
    corrected shares of negative, neutral and positive mentions with their 95 % intervals.
    Cells with fewer than ARNA_MIN_CELL distinct authors are left out."""
    import csv
    import io
    import sys

    from arna.listening import queries

    config = settings()
    try:
        cells = queries.aggregates(store_of(config), by, period, config.min_cell)
    except ValueError as exc:
        fail(str(exc), 2)
    rows = [_flat(r) for r in cells.rows]
    if format is ExportFormat.parquet and output is None:
        fail("--output is required for parquet", 2)
    # Written aside and renamed into place: a crash leaves the old file or none, never half.
    draft = output.with_name(f".{output.name}.{os.getpid()}.tmp") if output else None
    try:
        if format is ExportFormat.parquet:
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.Table.from_pylist(rows), draft)
        else:
            text = io.StringIO()
            if rows:
                writer = csv.DictWriter(text, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
            if draft:
                draft.write_text(text.getvalue(), encoding="utf-8")
            else:
                sys.stdout.write(text.getvalue())
        if draft and output:
            os.replace(draft, output)
    except OSError as exc:
        if draft:
            draft.unlink(missing_ok=True)
        fail(f"{output}: {exc.strerror or exc}", 1)
    err.print(
        f"{len(rows)} cells; {cells.suppressed} left out (fewer than {config.min_cell} authors)"
    )


@listen_app.command("alerts")
def alerts_command(
    false_alarms_per_year: Annotated[
        float,
        typer.Option(help="False alarms a year allowed across every series watched."),
    ] = 12.0,
    as_json: JsonOpt = False,
) -> None:
    """Rises of the corrected negative share per institution × region: each series' first 56
    days set its baseline, the days after are watched (binomial CUSUM; docs/methodology.md)."""
    from arna.listening import queries

    found = queries.alerts(store_of(settings()), false_alarms_per_year)
    rows = [
        [a["day"], a["target"], a["region"], f"{a['negative_share']:.2f}",
         f"{a['baseline']:.2f}", str(a["mentions"])]
        for a in found["alerts"]
    ]  # fmt: skip
    header = ("day", "target", "region", "negative share", "baseline", "mentions")
    if _shown(found, as_json, header, rows):
        return
    out.print(f"{found['series_watched']} series watched, {found['too_short']} with under 57 days")


@listen_app.command("topics")
def topics_command(
    update: Annotated[
        bool, typer.Option(help="Place posts not placed yet first (import does it too).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Topics with enough distinct authors: ids that stay put, labels per language, posts,
    authors, corrected tone shares and quotes (one sentence each, naming nobody)."""
    from arna.listening import actions, queries

    config = settings()
    store = store_of(config)
    if update:
        actions.update_topics(store, config.min_cell, to_local_date(now_utc()))
    found = queries.topics(store, config.min_cell)
    rows = [
        [t["id"], "; ".join(f"{lang}: {', '.join(ws)}" for lang, ws in t["labels"].items()),
         str(t["mentions"]), str(t["authors"]),
         f"{t['shares']['negative']['corrected']:.2f}" if t["shares"] else "–"]
        for t in found["topics"]
    ]  # fmt: skip
    if _shown(found, as_json, ("topic", "words", "posts", "authors", "negative"), rows):
        return
    out.print(
        f"{found['suppressed']} topics under {config.min_cell} authors not shown; "
        f"{found['unplaced']} posts in no topic"
    )
