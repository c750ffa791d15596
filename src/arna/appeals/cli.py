"""`arna worker`: the sweeps that keep the legal clock running; `arna support`: "me too";
`arna appeals retention` and `arna appeals export-person`: personal data kept no longer than
needed, and all of it shown to the person it is about."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from arna.core.console import JsonOpt, database, out, print_json, settings

appeals_app = typer.Typer(
    help="Appeals: retention of personal data, a person's own data.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.command()(worker)
    app.command()(support)
    app.add_typer(appeals_app, name="appeals")


def worker(
    once: Annotated[bool, typer.Option("--once", help="One sweep, then exit.")] = False,
    now: Annotated[
        str | None,
        typer.Option(
            help="Sweep as of this ISO instant (with --once), e.g. 2027-01-05T09:00+05:00."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Escalate overdue appeals, remind bodies, link new appeals to shared problems and deliver
    notifications (loop or --once)."""
    from arna.appeals.actions.sweep import record_sweep, sweep
    from arna.core.console import fail
    from arna.core.sole_worker import AnotherWorker, sole_worker
    from arna.core.sweeps import run_sweeps

    config = settings()
    instant = None
    if now is not None:
        try:
            instant = datetime.fromisoformat(now)
        except ValueError:
            raise typer.BadParameter(
                f"{now!r} is not an ISO instant, e.g. 2027-01-05T09:00+05:00"
            ) from None
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=UTC)
    db = database()
    try:
        with sole_worker(db), _stop_on_signals() as stopping:
            while True:
                at = instant or datetime.now(UTC)
                report = {**sweep(db, config, at).as_dict(), **run_sweeps(db, config, at)}
                record_sweep(db, datetime.now(UTC))  # the wall clock's, whatever `at` was
                if as_json:
                    print_json(report)
                else:
                    out.print(", ".join(f"{k} {v}" for k, v in report.items()))
                if once or instant is not None or stopping.wait(config.worker_interval):
                    return
    except AnotherWorker as exc:
        fail(str(exc))
    finally:
        db.dispose()


@contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    """SIGTERM (a service manager's stop) and SIGINT (Ctrl+C) end the worker after the sweep it
    is in, never inside one; set here even where the parent made SIGINT ignored (a shell's
    background job, a test runner's worker). The handlers before are put back afterwards."""
    stopping = threading.Event()
    if threading.current_thread() is not threading.main_thread():  # only there can it listen
        yield stopping
        return
    before = {n: signal.getsignal(n) for n in (signal.SIGTERM, signal.SIGINT)}
    for number in before:
        signal.signal(number, lambda *_: stopping.set())
    try:
        yield stopping
    finally:
        for number, handler in before.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)


def support(
    number: Annotated[str, typer.Argument(help="The public appeal, e.g. A-2026-000123.")],
    iin: Annotated[str, typer.Option(help="The supporter's IIN (12 digits).")],
    as_json: JsonOpt = False,
) -> None:
    """ "Me too": count a citizen who has the same problem as an open public appeal (a paper
    list of neighbours, entered at a reception desk); each IIN counts once."""
    from pydantic import ValidationError

    from arna.appeals.actions.support import support_appeal
    from arna.appeals.schemas import SupportIn
    from arna.core.console import fail
    from arna.core.errors import ArnaError

    try:
        given = SupportIn(iin=iin)
    except ValidationError as exc:
        fail(f"--iin: {exc.errors()[0]['msg'].removeprefix('Value error, ')}", 2)
    db = database()
    try:
        done = support_appeal(db, settings(), number, iin=given.iin)
    except ArnaError as exc:
        fail(exc.message, 1)
    finally:
        db.dispose()
    found = {"number": done.number, "supporters": done.supporters, "counted": done.counted}
    if as_json:
        print_json(found)
    else:
        said = "counted" if done.counted else "counted before"
        out.print(f"{number}: {said}; {done.supporters} supporters")


def _instant(now: str | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    try:
        instant = datetime.fromisoformat(now)
    except ValueError:
        raise typer.BadParameter(
            f"{now!r} is not an ISO instant, e.g. 2031-01-05T09:00+05:00", param_hint="--now"
        ) from None
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


@appeals_app.command()
def retention(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count the appeals due; change nothing.")
    ] = False,
    now: Annotated[
        str | None, typer.Option(help="As of this ISO instant (default: now).", show_default=False)
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Erase the personal data of appeals answered or closed and unchanged for
    ARNA_RETENTION_YEARS (also done by `arna worker`); counts and the audit chain stay."""
    from arna.appeals.actions.retention import BATCH, count_due, cutoff, erase_personal_data
    from arna.core.console import opened_database, progress_bar

    config = settings()
    at = _instant(now)
    found: dict[str, object] = {
        "cutoff": cutoff(config, at).isoformat(),
        "retention_years": config.retention_years,
        "dry_run": dry_run,
    }
    with opened_database() as db:
        due = count_due(db, config, at)
        if dry_run:
            found.update(due=due, erased=0, erased_messages=0)
        elif due > BATCH and not as_json:
            bar, task = progress_bar("Erasing personal data", due)
            with bar:
                report = erase_personal_data(
                    db, config, at, progress=lambda n: bar.advance(task, n)
                )
            found.update(due=due, **report.as_dict())
        else:
            found.update(due=due, **erase_personal_data(db, config, at).as_dict())
    if as_json:
        print_json(found)
    elif dry_run:
        out.print(f"{due} appeals unchanged since before {found['cutoff']} would be erased")
    else:
        out.print(
            f"erased the personal data of {found['erased']} appeals "
            f"and {found['erased_messages']} e-mails"
        )


@appeals_app.command("export-person")
def export_person(
    email: Annotated[str | None, typer.Option(help="The person's e-mail address.")] = None,
    phone: Annotated[str | None, typer.Option(help="The person's phone number.")] = None,
    iin: Annotated[str | None, typer.Option(help="The person's IIN (12 digits).")] = None,
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help="Write the JSON here instead of printing it.", dir_okay=False),
    ] = None,
) -> None:
    """Everything Arna holds about one person (appeals with their history, e-mails, "me too",
    petitions written and signed, an official's account) as JSON; the export is audited."""
    import json

    from pydantic import ValidationError

    from arna.appeals.actions.export import export_person as export
    from arna.appeals.schemas import PersonIn
    from arna.core.actors import system
    from arna.core.console import fail, opened_database

    try:
        wanted = PersonIn(email=email, phone=phone, iin=iin)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = f"--{error['loc'][0]}: " if error["loc"] else ""
        fail(where + str(error["msg"]).removeprefix("Value error, "), 2)
    with opened_database() as db:
        document = export(db, settings(), system("cli"), wanted)
    text = json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n"
    if out_file is None:
        sys.stdout.write(text)
        return
    # personal data: readable by the operator's account only
    fd = os.open(out_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(text)
    out.print(f"wrote {out_file}", highlight=False)
