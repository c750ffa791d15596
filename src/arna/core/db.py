"""Engine and sessions for SQLite (embedded default) and PostgreSQL (production).

SQLite runs in WAL mode with synchronous=FULL (an acknowledged write survives a power cut) and
foreign keys on. Write transactions on SQLite start with BEGIN IMMEDIATE so that two writers
never deadlock on a lock upgrade; readers use plain BEGIN and never block on writers.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Column, DateTime, Dialect, Engine, Table, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.sql import sqltypes
from sqlalchemy.types import TypeDecorator

WRITE_OPTION = "arna_write"


class Base(DeclarativeBase):
    pass


def make_engine(url: str, **kwargs: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"isolation_level": None, "check_same_thread": False, "timeout": 30},
            **kwargs,
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


class SqliteWriteLock:
    """A thread lock plus an flock on `<database>.lock`, so worker processes queue too."""

    def __init__(self, database: str | None) -> None:
        self._thread = threading.Lock()
        self._fd: int | None = None
        if database and database != ":memory:":
            self._fd = os.open(f"{database}.lock", os.O_RDWR | os.O_CREAT, 0o600)

    def __enter__(self) -> SqliteWriteLock:
        self._thread.acquire()
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._thread.release()

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class Database:
    """The engine plus the two ways in: `read()` and `write()` sessions."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        # SQLite has one writer: queue writers (threads and processes) on a lock instead of
        # letting them spin in SQLite's busy handler, which sleeps and wrecks latency.
        self._write_lock: AbstractContextManager[object] = (
            SqliteWriteLock(self.engine.url.database) if is_sqlite(self.engine) else nullcontext()
        )

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose transaction commits when the block ends and rolls back on error.

        Service functions own this: routes, CLI commands and jobs never commit on their own.
        """
        with self._write_lock, self._write() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
        if isinstance(self._write_lock, SqliteWriteLock):
            self._write_lock.close()


def ping(session: Session) -> None:
    """Fails unless the database answers."""
    session.execute(text("SELECT 1"))


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class, for multi-row inserts without ORM bookkeeping."""
    return cast(Table, model.__table__)


def _pg_array_type(column: Column[Any]) -> str:
    kind = column.type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    for sa_type, name in (
        (sqltypes.String, "text[]"),
        (sqltypes.Boolean, "bool[]"),
        (sqltypes.Integer, "int8[]"),
        (sqltypes.Float, "float8[]"),
        (sqltypes.DateTime, "timestamptz[]"),
        (sqltypes.Date, "date[]"),
    ):
        if isinstance(kind, sa_type):
            return name
    raise TypeError(f"no PostgreSQL array type for column {column.name} ({kind})")


def bulk_insert(
    session: Session, table: Table, rows: list[dict[str, Any]], returning: tuple[str, ...] = ()
) -> list[tuple[Any, ...]]:
    """Insert many rows with one statement; returns the `returning` columns of each row.

    PostgreSQL: one `INSERT ... SELECT * FROM unnest(arrays)` of a fixed text (parsed once,
    executed once, whatever the number of rows); an executemany would send and execute one
    INSERT per row. SQLite runs in-process, where executemany is cheap.
    """
    if not rows:
        return []
    columns = list(rows[0])
    if session.get_bind().dialect.name == "postgresql":
        casts = ", ".join(f"%s::{_pg_array_type(table.c[c])}" for c in columns)
        sql = f"INSERT INTO {table.name} ({', '.join(columns)}) SELECT * FROM unnest({casts})"
        if returning:
            sql += f" RETURNING {', '.join(returning)}"
        params = tuple([row[c] for row in rows] for c in columns)
        driver = session.connection().connection.driver_connection
        with driver.cursor() as cursor:  # type: ignore[union-attr]
            cursor.execute(sql, params, binary=True)  # arrays dumped in C, sent in binary
            return [tuple(r) for r in cursor.fetchall()] if returning else []
    stmt = table.insert()
    if returning:
        stmt = stmt.returning(*(table.c[c] for c in returning), sort_by_parameter_order=True)
        return [tuple(r) for r in session.execute(stmt, rows).all()]
    session.execute(stmt, rows)
    return []


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both databases (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
