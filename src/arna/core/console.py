"""What every slice's commands share: the consoles, settings and database of a command, JSON
output and failing with a message. Exit status: 0 success, 1 not found or check failed, 2 bad
input."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from arna.core.db import Database
from arna.core.settings import Settings

out = Console()
err = Console(stderr=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def settings() -> Settings:
    try:
        return Settings()
    except ValueError as exc:
        err.print(f"[red]Bad configuration:[/red] {exc}")
        raise typer.Exit(2) from exc


def database() -> Database:
    return Database(settings().effective_database_url)


@contextmanager
def opened_database() -> Iterator[Database]:
    """The database for one command, its connections closed when the command ends."""
    db = database()
    try:
        yield db
    finally:
        db.dispose()


def progress_bar(title: str, total: int) -> tuple[Progress, TaskID]:
    """A progress bar on stderr (stdout stays clean for --json): use `with progress:`."""
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
    )
    return progress, progress.add_task(title, total=total)


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def fail(message: str, code: int = 1) -> NoReturn:
    # Not wrapped (a path or a line number must stay whole for whoever greps the output), and
    # not read as markup: a file name may hold brackets.
    err.print(message, style="red", soft_wrap=True, markup=False, highlight=False)
    raise typer.Exit(code)


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None
