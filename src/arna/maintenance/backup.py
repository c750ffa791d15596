"""`arna backup` and `arna restore`: the whole database into one file and back.

A backup file says what it is by its first bytes: a SQLite database (`SQLite format 3`), made
with SQLite's online backup API from one read transaction, so the app and a worker keep writing
while it is taken; or a PostgreSQL custom-format archive (`PGDMP`) of Arna's schema, made by
`pg_dump` (see `pgdump.py`). A backup restores only into the kind of database it came from.

Restoring replaces everything in the target database, so it is refused when the target holds
any row unless the operator forces it; afterwards the audit chain and the stored state are
verified as `arna audit verify` does. The secret key (`ARNA_SECRET_KEY` or data_dir/secret.key)
is not in the database and so not in a backup: it must be kept, apart, with the same care.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import inspect, literal, select, table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from arna.core import audit
from arna.core.db import Database, SqliteWriteLock
from arna.core.settings import Settings
from arna.maintenance import pgdump
from arna.maintenance.errors import BackupError
from arna.maintenance.upgrade import alembic_config, head_revision

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
KINDS = {"sqlite": "a SQLite backup", "postgresql": "a PostgreSQL (pg_dump) backup"}
SQLITE_STEP = 1024  # pages copied per step of the online backup (4 MiB at the default size)

# What a long step reports: its title, the units done and the units in all.
Progress = Callable[[str, int, int], None]


def _quiet(_title: str, _done: int, _total: int) -> None:
    return None


@dataclass(frozen=True)
class BackupReport:
    kind: str
    file: str
    bytes: int
    tables: int
    revision: str | None
    schema: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.file,
            "bytes": self.bytes,
            "tables": self.tables,
            "revision": self.revision,
            "schema": self.schema,
        }


@dataclass
class RestoreReport:
    kind: str
    file: str
    revision: str | None
    head: str | None
    replaced: list[str] = field(default_factory=list)  # tables that held rows before
    schema: str | None = None
    audit: audit.AuditReport | None = None

    @property
    def ok(self) -> bool:
        return self.audit is not None and self.audit.ok

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.file,
            "revision": self.revision,
            "head": self.head,
            "needs_upgrade": self.revision != self.head,
            "replaced_tables_with_rows": self.replaced,
            "schema": self.schema,
            "ok": self.ok,
            "audit": self.audit.as_dict() if self.audit else None,
        }


def backend_of(url: str) -> str:
    return "sqlite" if make_url(url).get_backend_name() == "sqlite" else "postgresql"


def shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def backup_kind(file: Path) -> str:
    """What a backup file holds, from its first bytes: "sqlite" or "postgresql"."""
    try:
        with file.open("rb") as stream:
            head = stream.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise BackupError(f"{file} is a directory, not a backup file") from None
    except OSError as exc:
        raise BackupError(f"cannot read {file}: {exc.strerror or exc}") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    if not head:
        raise BackupError(f"{file} is empty: not a backup")
    raise BackupError(
        f"{file} is not an Arna backup: neither a SQLite database nor a PostgreSQL "
        "custom-format archive (pg_dump --format=custom)"
    )


def known_revision(revision: str | None) -> bool:
    if revision is None:
        return False
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


def tables_with_rows(db: Database, schema: str | None = None) -> list[str]:
    """The target's tables that hold at least one row (the schema's own bookkeeping aside)."""
    names = inspect(db.engine).get_table_names(schema=schema)
    found = []
    with db.read() as session:
        for name in sorted(names):
            if name == "alembic_version":
                continue
            query = select(literal(1)).select_from(table(name, schema=schema)).limit(1)
            if session.scalar(query) is not None:
                found.append(name)
    return found


# --- backup ---------------------------------------------------------------------------------


def backup(url: str, file: Path, progress: Progress = _quiet) -> BackupReport:
    """Write the database at `url` into `file` (replaced only once the new backup is whole)."""
    if file.is_dir():
        raise BackupError(f"{file} is a directory: give the backup file's name")
    if not file.parent.is_dir():
        raise BackupError(f"{file.parent}: no such directory")
    partial = file.with_name(f".{file.name}.partial")
    try:
        if backend_of(url) == "sqlite":
            report = _backup_sqlite(url, file, partial, progress)
        else:
            archive = pgdump.dump(url, partial, progress)
            report = BackupReport(
                "postgresql", str(file), 0, archive.tables, archive.revision, archive.schema
            )
        _sync(partial)
        os.replace(partial, file)
    except OSError as exc:
        raise BackupError(f"cannot write {file}: {exc.strerror or exc}") from None
    finally:
        partial.unlink(missing_ok=True)
    return replace(report, bytes=file.stat().st_size)


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError(f"{shown(url)} is not a database file")
    return Path(database)


def _revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


def _backup_sqlite(url: str, file: Path, partial: Path, progress: Progress) -> BackupReport:
    source_path = _sqlite_path(url)
    if not source_path.is_file():
        raise BackupError(f"the database file {source_path} does not exist")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(source_path, isolation_level=None, timeout=30)
    target = sqlite3.connect(partial, isolation_level=None)
    try:
        # One read transaction for the whole copy: one consistent snapshot, which the app's and
        # the worker's writes (to the WAL) neither block nor restart.
        source.execute("BEGIN")
        tables = source.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        count = int(tables.fetchone()[0])
        revision = _revision(source)
        if revision is None:
            raise BackupError(f"{shown(url)} holds no Arna schema (run arna db upgrade first)")

        def step(_status: int, remaining: int, total: int) -> None:
            progress("Copying the database", total - remaining, total)

        source.backup(target, pages=SQLITE_STEP, progress=step)
        source.execute("COMMIT")
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not copy {source_path}: {exc}") from None
    finally:
        source.close()
        target.close()
    return BackupReport("sqlite", str(file), 0, count, revision)


# --- restore --------------------------------------------------------------------------------


def restore(
    url: str, file: Path, settings: Settings, force: bool = False, progress: Progress = _quiet
) -> RestoreReport:
    """Replace the database at `url` with the backup in `file`, then verify the audit chain."""
    kind = backup_kind(file)
    target = backend_of(url)
    if kind != target:
        raise BackupError(
            f"{file} is {KINDS[kind]} and the database {shown(url)} is "
            f"{'SQLite' if target == 'sqlite' else 'PostgreSQL'}: a backup restores only into "
            "the kind of database it was taken from"
        )
    if kind == "sqlite":
        report = _restore_sqlite(url, file, force, progress)
    else:
        report = _restore_postgresql(url, file, force, progress)
    progress("Verifying the audit chain", 0, 1)
    db = Database(url)
    try:
        with db.read() as session:
            report.audit = audit.verify(session, settings)
    except SQLAlchemyError as exc:
        raise BackupError(f"the restored database cannot be read: {exc}") from None
    finally:
        db.dispose()
    progress("Verifying the audit chain", 1, 1)
    return report


def _refuse_unless_forced(url: str, force: bool, schema: str | None = None) -> list[str]:
    db = Database(url)
    try:
        held = tables_with_rows(db, schema)
    except SQLAlchemyError as exc:
        raise BackupError(f"cannot read the database {shown(url)}: {exc}") from None
    finally:
        db.dispose()
    if held and not force:
        listed = ", ".join(held[:5]) + (f" and {len(held) - 5} more" if len(held) > 5 else "")
        raise BackupError(
            f"the database {shown(url)} already holds data (rows in {listed}); restoring "
            "replaces all of it: give --force to do so"
        )
    return held


def _check_revision(file: Path, revision: str | None) -> None:
    if revision is None:
        raise BackupError(f"{file} holds no Arna schema (no alembic_version): not an Arna backup")
    if not known_revision(revision):
        raise BackupError(
            f"{file} is at schema revision {revision}, which this Arna does not know (a newer "
            f"Arna made it; this one is at {head_revision()}): restore it with that version"
        )


def _restore_sqlite(url: str, file: Path, force: bool, progress: Progress) -> RestoreReport:
    target_path = _sqlite_path(url)
    progress("Checking the backup", 0, 1)
    source = sqlite3.connect(f"file:{quote(str(file.resolve()))}?mode=ro", uri=True)
    try:
        try:
            checked = [str(row[0]) for row in source.execute("PRAGMA integrity_check")]
            revision = _revision(source)
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{file} is damaged or truncated (SQLite: {exc})") from None
        if checked != ["ok"]:
            raise BackupError(f"{file} is damaged (SQLite: {'; '.join(checked[:3])})")
        _check_revision(file, revision)
        progress("Checking the backup", 1, 1)
        replaced = _refuse_unless_forced(url, force) if target_path.exists() else []
        target_path.parent.mkdir(parents=True, exist_ok=True)
        lock = SqliteWriteLock(str(target_path))  # Arna's writers in other processes queue
        try:
            with lock:
                target = sqlite3.connect(target_path, isolation_level=None, timeout=30)
                try:

                    def step(_status: int, remaining: int, total: int) -> None:
                        progress("Restoring the database", total - remaining, total)

                    source.backup(target, pages=SQLITE_STEP, progress=step)
                    target.execute("PRAGMA journal_mode=WAL")
                finally:
                    target.close()
        finally:
            lock.close()
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not restore {file} into {target_path}: {exc}") from None
    finally:
        source.close()
    return RestoreReport("sqlite", str(file), revision, head_revision(), replaced)


def _restore_postgresql(url: str, file: Path, force: bool, progress: Progress) -> RestoreReport:
    progress("Checking the backup", 0, 1)
    archive = pgdump.read_archive(file)
    _check_revision(file, archive.revision)
    schema = pgdump.target_schema(url)
    if archive.schema != schema:
        raise BackupError(
            f"{file} holds the schema {archive.schema!r} and the database URL's search path "
            f"names {schema!r}: pg_restore restores a schema under its own name; point "
            f"ARNA_DATABASE_URL at that schema (?options=-csearch_path={archive.schema})"
        )
    progress("Checking the backup", 1, 1)
    replaced = _refuse_unless_forced(url, force, schema)
    pgdump.restore(url, file, archive, progress)
    return RestoreReport(
        "postgresql", str(file), archive.revision, head_revision(), replaced, schema
    )
