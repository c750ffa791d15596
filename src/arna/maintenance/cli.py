"""`arna db …`: the schema, the reference data and the demo data set; `arna backup` and
`arna restore`: the whole database into one file and back."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Annotated, Any

import typer
from rich.progress import Progress, TaskID
from rich.table import Table

from arna.core.cli import print_audit_report
from arna.core.console import JsonOpt, database, err, fail, out, print_json, progress_bar, settings

db_app = typer.Typer(help="Database schema, reference data and demo data.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)


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


KEY_NOTE = (
    "The secret key (ARNA_SECRET_KEY, or secret.key in ARNA_DATA_DIR) is not in the database "
    "and not in the backup: keep it apart, as carefully; a restored database needs the same key."
)


class _Bars:
    """A Rich progress bar on stderr for each step of a backup or a restore."""

    def __init__(self) -> None:
        self.progress: Progress | None = None
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, title: str, done: int, total: int) -> None:
        if self.progress is None:
            self.progress, self.tasks[title] = progress_bar(title, total)
            self.progress.start()
        elif title not in self.tasks:
            self.tasks[title] = self.progress.add_task(title, total=total)
        self.progress.update(self.tasks[title], completed=done, total=total)

    def __enter__(self) -> _Bars:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.progress is not None:
            self.progress.stop()


def backup_command(
    file: Annotated[Path, typer.Argument(help="The backup file to write (replaced if there).")],
    as_json: JsonOpt = False,
) -> None:
    """Copy the whole database into FILE while Arna runs: SQLite through its online backup API
    (the app and the worker keep writing), PostgreSQL with pg_dump --format=custom of Arna's
    schema. The secret key (ARNA_SECRET_KEY, or secret.key in ARNA_DATA_DIR) is not in the
    database and not in the backup: keep it apart, as carefully. Exit 1 when the backup cannot
    be made (FILE is left as it was)."""
    from arna.maintenance.backup import backup, shown
    from arna.maintenance.errors import BackupError

    url = settings().effective_database_url
    try:
        with _Bars() as bars:
            report = backup(url, file, bars)
    except BackupError as exc:
        fail(f"backup failed: {exc}")
    if as_json:
        print_json({**report.as_dict(), "secret_key_included": False})
        return
    kind = "SQLite" if report.kind == "sqlite" else f"PostgreSQL (schema {report.schema})"
    out.print(
        f"{kind} backup of {shown(url)} at schema revision {report.revision}: {report.tables} "
        f"tables, {report.bytes:,} bytes, written to {file}",
        soft_wrap=True,
        markup=False,
        highlight=False,
    )
    err.print(KEY_NOTE, style="yellow", soft_wrap=True)


def restore_command(
    file: Annotated[Path, typer.Argument(help="A file written by arna backup.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace a database that holds data.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Replace the database with the backup in FILE, then verify the audit chain and the
    stored state as `arna audit verify` does. Refused when the database holds any row, unless
    --force; a SQLite backup restores only into SQLite and a PostgreSQL one only into
    PostgreSQL. The secret key is not in the backup: run with the key of the installation
    that made it. Exit 1 when the restore is refused or fails, or the chain does not verify."""
    from arna.maintenance.backup import restore, shown
    from arna.maintenance.errors import BackupError

    config = settings()
    url = config.effective_database_url
    try:
        with _Bars() as bars:
            report = restore(url, file, config, force=force, progress=bars)
    except BackupError as exc:
        fail(f"restore failed: {exc}")
    assert report.audit is not None
    if as_json:
        print_json(report.as_dict())
    else:
        replaced = (
            f", replacing the rows of {len(report.replaced)} tables" if report.replaced else ""
        )
        out.print(
            f"restored {file} into {shown(url)} (schema revision {report.revision}{replaced})",
            soft_wrap=True,
            markup=False,
            highlight=False,
        )
        print_audit_report(report.audit)
    if report.revision != report.head:
        err.print(
            f"the backup is at schema revision {report.revision} and this Arna at "
            f"{report.head}: run arna db upgrade before serving",
            style="yellow",
        )
    if not report.ok:
        fail(
            "the restored database's audit chain or stored state does NOT verify (see above): "
            "do not serve it; check the backup, and that ARNA_SECRET_KEY is the key of the "
            "installation that made it"
        )
