"""`arna listen …`: bring public comments in, and see what is stored."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from arna.core.console import JsonOpt, fail, out, print_json, progress_bar, settings

listen_app = typer.Typer(
    help="Listening: public comments (JSONL, CSV, Telegram exports, RSS) turned into aggregates.",
    no_args_is_help=True,
)

_SHOWN_ERRORS = 20


class Format(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    telegram = "telegram"
    rss = "rss"


def register(app: typer.Typer) -> None:
    app.add_typer(listen_app, name="listen")


@listen_app.command("import")
def import_command(
    path: Annotated[Path, typer.Argument(help="The file: JSONL, CSV, result.json or a feed.")],
    format: Annotated[Format, typer.Option("--format", help="What the file is.")],
    source: Annotated[
        str | None,
        typer.Option(help="Where the posts were published, for rows that do not say."),
    ] = None,
    mapping: Annotated[
        str | None,
        typer.Option("--map", help="CSV: which column holds each field, e.g. text=body,id=post."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Store the posts of a file once each; print inserted, duplicate and unchanged counts and
    every row that could not be read, with its line."""
    from arna.listening import actions, sources

    config = settings()
    try:
        data = path.read_bytes()
    except OSError as exc:
        fail(f"{path}: {exc.strerror or exc}", 2)
    key = actions.author_key(config)
    try:
        if format is Format.csv:
            parsed = sources.read_csv(data, key, source, sources.parse_mapping(mapping))
        else:
            if mapping:
                fail("--map is for CSV files only", 2)
            reader = {"jsonl": sources.read_jsonl, "telegram": sources.read_telegram}.get(
                format.value, sources.read_feed
            )
            parsed = reader(data, key, source)
    except sources.SourceError as exc:
        fail(f"{path}: {exc}", 2)
    progress, task = progress_bar("reading posts", len(parsed.posts))
    with progress:
        done = actions.import_posts(
            actions.store_of(config),
            parsed.posts,
            parsed.errors,
            lambda n: progress.update(task, advance=n),
        )
        progress.update(task, completed=len(parsed.posts))  # posts stored before are not read
    counts = {
        "inserted": done.inserted,
        "duplicate": done.duplicate,
        "unchanged": done.unchanged,
        "bad_rows": len(done.errors),
    }
    if as_json:
        print_json(
            counts | {"errors": [{"line": e.line, "message": e.message} for e in done.errors]}
        )
        return
    out.print(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in counts.items()))
    for e in done.errors[:_SHOWN_ERRORS]:
        out.print(f"{path}, line {e.line}: {e.message}", markup=False, soft_wrap=True)
    if len(done.errors) > _SHOWN_ERRORS:
        out.print(f"… and {len(done.errors) - _SHOWN_ERRORS} more (--json lists them all)")


@listen_app.command("stats")
def stats_command(as_json: JsonOpt = False) -> None:
    """Posts stored, distinct texts, copies and authors, overall and per source."""
    from arna.listening import actions, queries

    figures = queries.stats(actions.store_of(settings()))
    if as_json:
        print_json(figures)
        return
    table = Table("source", "posts", "distinct texts", "copies", "authors", "days")
    for s in figures["by_source"]:
        table.add_row(
            s["source"], str(s["posts"]), str(s["distinct_texts"]), str(s["copies"]),
            str(s["authors"]), f"{s['first_day']} … {s['last_day']}",
        )  # fmt: skip
    out.print(table)
    out.print(f"posts: {figures['posts']}, distinct texts: {figures['distinct_texts']}")
