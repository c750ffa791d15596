"""The `arna` command: each slice's commands registered in one Typer app, and `serve`, the one
command about the whole application. Commands call actions and queries and print; they never
write SQL themselves."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from arna.accounts import cli as accounts
from arna.accounts.queries import person_account
from arna.appeals import cli as appeals
from arna.appeals.actions.retention import erase_personal_data
from arna.appeals.integrity import check_appeals
from arna.bodies import cli as bodies
from arna.core import audit, persons, sweeps
from arna.core import cli as core
from arna.core.console import settings
from arna.geo import cli as geo
from arna.listening import cli as listening
from arna.maintenance import cli as maintenance
from arna.opinion import cli as opinion
from arna.opinion.actions.groups import sweep_groups
from arna.oversight import cli as oversight
from arna.petitions import cli as petitions
from arna.petitions.actions.sweep import sweep_petitions
from arna.petitions.integrity import check_petitions
from arna.petitions.queries import person_petitions
from arna.representatives import cli as representatives
from arna.surveys import cli as surveys
from arna.text import cli as text

app = typer.Typer(
    pretty_exceptions_enable=False,
    help="Arna: a channel from the people of Kazakhstan to their state.",
    no_args_is_help=True,
    add_completion=False,
)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (ARNA_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (ARNA_PORT).")] = None,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (PostgreSQL; SQLite wants 1).")
    ] = 1,
    access_log: Annotated[bool, typer.Option(help="Log every request.")] = True,
    log_format: Annotated[
        str | None,
        typer.Option(
            help="json (one object a line) or plain (ARNA_LOG_FORMAT).", show_default=False
        ),
    ] = None,
) -> None:
    """Serve the web app and the API."""
    from arna.text.readers import default_processes
    from arna.web.serving import run

    config = settings()
    fmt = log_format or config.log_format
    if fmt not in ("json", "plain"):
        raise typer.BadParameter(f"{fmt!r}: json or plain", param_hint="--log-format")
    if config.text_readers is None:
        # Worker processes read their settings from the environment.
        os.environ["ARNA_TEXT_READERS"] = str(default_processes(workers))
    run(
        "arna.app:app_factory",
        host=host or config.host,
        port=port or config.port,
        workers=workers,
        access_log=access_log,
        log_format="plain" if fmt == "plain" else "json",
    )


# in `arna --help` order
for slice_cli in (
    bodies, appeals, maintenance, core, geo, accounts, text, listening, oversight,
    representatives, petitions, opinion, surveys,
):  # fmt: skip
    slice_cli.register(app)
# `arna audit verify` checks the stored appeals and petitions; `arna worker` runs their clocks
audit.add_state_check("appeals", check_appeals)
audit.add_state_check("petitions", check_petitions)
sweeps.add_sweep("petitions", lambda db, config, now: sweep_petitions(db, config, now).as_dict())
sweeps.add_sweep("opinion", lambda db, config, now: sweep_groups(db, now))
sweeps.add_sweep(
    "retention", lambda db, config, now: erase_personal_data(db, config, now).as_dict()
)
# `arna appeals export-person` gathers what the other slices hold about the person
persons.add_source("petitions", person_petitions)
persons.add_source("accounts", person_account)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
