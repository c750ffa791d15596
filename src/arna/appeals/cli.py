"""`arna worker`: the sweeps that keep the legal clock running; `arna support`: "me too"."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Annotated

import typer

from arna.core.console import JsonOpt, database, out, print_json, settings


def register(app: typer.Typer) -> None:
    app.command()(worker)
    app.command()(support)


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
    from arna.appeals.actions.sweep import sweep
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
        with sole_worker(db):
            while True:
                at = instant or datetime.now(UTC)
                report = {**sweep(db, config, at).as_dict(), **run_sweeps(db, config, at)}
                if as_json:
                    print_json(report)
                else:
                    out.print(", ".join(f"{k} {v}" for k, v in report.items()))
                if once or instant is not None:
                    return
                time.sleep(config.worker_interval)
    except AnotherWorker as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        return
    finally:
        db.dispose()


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
