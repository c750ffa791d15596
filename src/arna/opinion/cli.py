"""`arna opinion …`: consultations from the console: list them, import and export Pol.is
conversations, compute and print the opinion groups."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from arna.core.actors import Actor
from arna.core.console import JsonOpt, fail, opened_database, out, print_json, progress_bar

opinion_app = typer.Typer(
    help="Consultations: list; import/export Pol.is conversations; opinion groups.",
    no_args_is_help=True,
)
OPERATOR = Actor("admin", name="system:cli")


def register(app: typer.Typer) -> None:
    app.add_typer(opinion_app, name="opinion")


@opinion_app.command("list")
def list_cmd(as_json: JsonOpt = False) -> None:
    """Consultations, the newest first."""
    from arna.opinion.queries import list_consultations

    with opened_database() as db, db.read() as session:
        page = list_consultations(session, per_page=100)
    if as_json:
        print_json(page.model_dump(mode="json"))
        return
    table = Table(
        "number", "status", "origin", "statements", "participants", "votes", "groups", "title"
    )
    for c in page.items:
        table.add_row(
            c.number,
            c.status,
            c.origin,
            str(c.statements),
            str(c.participants),
            str(c.votes),
            "" if c.groups is None else str(c.groups),
            c.title[:50],
        )
    out.print(table)


@opinion_app.command("import")
def import_cmd(
    folder: Annotated[Path, typer.Argument(help="A folder with the export's CSV files")],
    fmt: Annotated[
        str, typer.Option("--format", help="polis: the Pol.is open-data export")
    ] = "polis",
    window_minutes: Annotated[
        float, typer.Option(help="Replay the votes one run per this many minutes")
    ] = 60,
) -> None:
    """Import a conversation; prints the new consultation's number."""
    from datetime import timedelta

    from arna.opinion.actions.polis_import import import_polis
    from arna.opinion.polis_format import PolisFormatError, read_conversation

    if fmt != "polis":
        fail("only --format polis is known")
    if not folder.is_dir():
        fail(f"{folder} is not a folder")
    if not 0 < window_minutes <= 7 * 24 * 60:
        fail("--window-minutes is more than 0 and at most a week (10080)")
    try:
        conversation = read_conversation(folder)
    except PolisFormatError as exc:
        fail(str(exc))
    progress, task = progress_bar("replaying the votes", 1)
    with progress, opened_database() as db:
        number = import_polis(
            db,
            OPERATOR,
            conversation,
            timedelta(minutes=window_minutes),
            lambda done, total: progress.update(task, completed=done, total=total),
        )
    print(number)


@opinion_app.command("compute")
def compute(
    number: Annotated[
        str | None, typer.Argument(help="A consultation; all with new votes if none")
    ] = None,
) -> None:
    """Compute the groups of a consultation (or of every open one with new votes)."""
    from arna.core.errors import NotFound
    from arna.opinion.actions.groups import compute_groups
    from arna.opinion.queries import pending_consultations

    with opened_database() as db:
        if number is None:
            with db.read() as session:
                numbers = pending_consultations(session)
        else:
            numbers = [number]
        for one in numbers:
            try:
                k = compute_groups(db, one)
            except NotFound as exc:
                fail(exc.message)
            out.print(f"{one}: {k if k is not None else 'no'} groups")


@opinion_app.command("groups")
def groups_cmd(number: str, as_json: JsonOpt = False) -> None:
    """The groups: every participant (numbered as in the export) with their group or null, each
    group's representative statements, the consensus and the group-aware consensus."""
    from arna.core.errors import NotFound
    from arna.opinion.queries import get_consultation, groups_of, participant_numbers

    with opened_database() as db, db.read() as session:
        try:
            consultation = get_consultation(session, number)
        except NotFound as exc:
            fail(exc.message)
        found = groups_of(session, consultation)
        people = participant_numbers(session, consultation)
    data = found.model_dump(mode="json") | {
        "participants": [{"participant": p, "group": g} for p, g in people],
        "placed": found.placed,
    }
    if as_json:
        print_json(data)
        return
    out.print(f"{number}: {found.k or 'no'} groups, {found.placed} of {found.participants} placed")
    for group in found.groups:
        out.print(f"[bold]Group {group.label}[/bold] ({group.size})")
        for r in group.representative:
            out.print(f"  {r.stance:8} {r.share:.0%}  #{r.statement} {r.text[:80]}", markup=False)
    out.print("[bold]Consensus[/bold]")
    for c in found.consensus:
        out.print(f"  {c.stance:8} {c.share:.0%}  #{c.statement} {c.text[:80]}", markup=False)


@opinion_app.command("export")
def export_cmd(
    number: str,
    folder: Annotated[Path, typer.Argument(help="Where to write the CSV files")],
    fmt: Annotated[str, typer.Option("--format", help="polis")] = "polis",
) -> None:
    """Write a consultation as a Pol.is open-data export (comments, votes, participants-votes,
    summary)."""
    from arna.core.errors import NotFound
    from arna.opinion.polis_format import write_conversation
    from arna.opinion.queries import get_consultation, polis_export

    if fmt != "polis":
        fail("only --format polis is known")
    with opened_database() as db, db.read() as session:
        try:
            consultation = get_consultation(session, number)
        except NotFound as exc:
            fail(exc.message)
        statements, votes, people = polis_export(session, consultation)
        title, question = consultation.title, consultation.question
    write_conversation(folder, title, question, statements, votes, people)
    out.print(f"{number}: {len(statements)} statements, {len(votes)} votes → {folder}")
