"""`arna db …`: the schema, the reference data and the demo data set."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from arna.core.console import JsonOpt, database, err, out, print_json, settings

db_app = typer.Typer(help="Database schema, reference data and demo data.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")


def _report_table(tables: list[dict[str, Any]]) -> Table:
    table = Table("table", "inserted", "updated", "unchanged", "stale")
    for t in tables:
        table.add_row(
            t["table"], *(str(t[k]) for k in ("inserted", "updated", "unchanged", "stale"))
        )
    return table


@db_app.command("upgrade")
def db_upgrade(as_json: JsonOpt = False) -> None:
    """Create or migrate the schema and load the reference data (idempotent)."""
    from arna.maintenance.upgrade import upgrade

    db = database()
    with err.status("Migrating the schema and loading reference data…"):
        report = upgrade(db)
    db.dispose()
    if as_json:
        print_json(report.as_dict())
        return
    out.print(_report_table(report.as_dict()["tables"]))
    out.print(
        f"schema at revision {report.revision}: {report.inserted} inserted, "
        f"{report.updated} updated"
    )


@db_app.command("seed-demo")
def db_seed_demo(
    seed: Annotated[int, typer.Option(help="Seed of the deterministic generator.")] = 2026,
    as_json: JsonOpt = False,
) -> None:
    """Fill the database with the demo data set (reference data first), then list the demo
    logins: the one list of them (`make demo` prints nothing else about logins)."""
    from arna.appeals.demo import DEMO_PASSWORD, demo_logins
    from arna.maintenance.upgrade import seed_demo

    config = settings()
    db = database()
    err.print("Preparing the demo data set…")
    result = seed_demo(db, seed, config)
    db.dispose()
    logins = [{"role": r, "email": e, "body": b} for r, e, b in demo_logins()]
    if as_json:
        print_json({**result, "logins": {"password": DEMO_PASSWORD, "accounts": logins}})
        return
    for name, counts in result.items():
        out.print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    out.print(
        f"Demo logins at http://{config.host}:{config.port}/official/login, "
        f"password {DEMO_PASSWORD}:",
        soft_wrap=True,
    )
    width = max(len(login["email"]) for login in logins)
    for login in logins:  # one line each, never cut: people copy the address from here
        line = f"  {login['role']:<11}{login['email']:<{width}}  {login['body']}"
        out.print(line, soft_wrap=True, highlight=False, markup=False)


@db_app.command("status")
def db_status() -> None:
    """Show the database URL and the schema revision."""
    from arna.maintenance.upgrade import current_revision, head_revision

    db = database()
    current = current_revision(db)
    db.dispose()
    out.print(f"database: {db.engine.url.render_as_string(hide_password=True)}")
    out.print(f"revision: {current or 'none (run arna db upgrade)'} (head {head_revision()})")
    if current != head_revision():
        raise typer.Exit(1)
