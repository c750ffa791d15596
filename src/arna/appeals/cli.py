"""`arna worker`: the sweeps that keep the legal clock running."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Annotated

import typer

from arna.core.console import JsonOpt, database, out, print_json, settings


def register(app: typer.Typer) -> None:
    app.command()(worker)


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
    """Escalate overdue appeals, remind bodies and deliver notifications (loop or --once)."""
    from arna.appeals.actions.sweep import sweep

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
        while True:
            report = sweep(db, config, instant or datetime.now(UTC))
            if as_json:
                print_json(report.as_dict())
            else:
                out.print(", ".join(f"{k} {v}" for k, v in report.as_dict().items()))
            if once or instant is not None:
                return
            time.sleep(config.worker_interval)
    except KeyboardInterrupt:
        return
    finally:
        db.dispose()
