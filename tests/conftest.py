"""A real database per backend: SQLite always, PostgreSQL when ARNA_TEST_DATABASE_URL is set.

Each PostgreSQL database used by the tests lives in a schema of its own (so parallel workers and
runs never meet) and is dropped at the end.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from arna.core.db import Database
from arna.maintenance.upgrade import migrate, upgrade
from tests import write_guard

# Tests read texts in-process unless they test the reader processes (tests/text/test_readers.py,
# the 1,000-submission test): a reader per test app would cost each test a second of start-up.
os.environ.setdefault("ARNA_TEXT_READERS", "0")
# The home page's figures are read on every request, so a test sees what it has just done
# (tests/oversight/test_home_recent.py tests keeping them).
os.environ.setdefault("ARNA_PUBLIC_FIGURES_SECONDS", "0")

PG_URL = os.environ.get("ARNA_TEST_DATABASE_URL")
REQUIRE_PG = os.environ.get("ARNA_TEST_REQUIRE_POSTGRES") == "1"
PG_SKIP_REASON = "PostgreSQL tests skipped: ARNA_TEST_DATABASE_URL is not set"

# Locally hypothesis explores new examples each run; in CI (CI=true) the same ones every time,
# so a submission's result does not depend on luck. Beside them, tests/web/test_openapi_fuzz.py
# makes a bounded random run from a new seed every time (its failures name the seed).
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

write_guard.install()


@pytest.fixture(autouse=True)
def _writes_come_from_actions() -> Iterator[None]:
    """Fails the test when code outside the actions wrote to the database while it ran."""
    write_guard.violations.clear()
    yield
    assert write_guard.violations == [], "writes outside the actions"


BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


def pytest_report_header() -> str:
    return f"postgresql: {PG_URL or PG_SKIP_REASON}"


def _pg_admin_url() -> str:
    assert PG_URL is not None
    url = make_url(PG_URL)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


class DatabaseFactory:
    """Makes empty databases on one backend and cleans them up."""

    def __init__(self, backend: str, tmp: Path) -> None:
        self.backend = backend
        self.tmp = tmp
        self.cleanups: list[Callable[[], None]] = []

    def url(self) -> str:
        if self.backend == "sqlite":
            return f"sqlite:///{self.tmp / f'arna-{uuid.uuid4().hex[:8]}.db'}"
        schema = f"arna_test_{uuid.uuid4().hex[:12]}"
        admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        except Exception as exc:  # pragma: no cover - depends on the machine
            if REQUIRE_PG:
                raise
            pytest.skip(f"PostgreSQL at {PG_URL} is not reachable: {exc}")

        def drop() -> None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()

        self.cleanups.append(drop)
        url = make_url(_pg_admin_url()).update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    def empty(self) -> Database:
        db = Database(self.url())
        self.cleanups.insert(0, db.dispose)
        return db

    def migrated(self) -> Database:
        """The schema without reference data."""
        db = self.empty()
        migrate(db)
        return db

    def ready(self) -> Database:
        db = self.empty()
        upgrade(db)
        return db

    def close(self) -> None:
        for cleanup in self.cleanups:
            cleanup()


def _factory(backend: str, tmp: Path) -> DatabaseFactory:
    if backend == "postgresql" and not PG_URL:
        if REQUIRE_PG:
            pytest.fail("ARNA_TEST_REQUIRE_POSTGRES=1 but ARNA_TEST_DATABASE_URL is not set")
        pytest.skip(PG_SKIP_REASON)
    return DatabaseFactory(backend, tmp)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def databases(backend: str, tmp_path: Path) -> Iterator[DatabaseFactory]:
    """Fresh databases on the backend of the test, for tests that change or break things."""
    factory = _factory(backend, tmp_path)
    yield factory
    factory.close()


@pytest.fixture(scope="session", params=BACKENDS)
def shared_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """One upgraded database per backend for read-only tests."""
    factory = _factory(str(request.param), tmp_path_factory.mktemp("shared"))
    db = factory.ready()
    yield db
    factory.close()
