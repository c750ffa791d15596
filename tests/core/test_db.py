from __future__ import annotations

from sqlalchemy import text

from tests.conftest import DatabaseFactory


def test_sqlite_is_durable_and_checks_foreign_keys(tmp_path: object) -> None:
    from pathlib import Path

    from arna.core.db import Database

    db = Database(f"sqlite:///{Path(str(tmp_path)) / 'x.db'}")
    with db.read() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    db.dispose()


def test_write_rolls_back_on_error(databases: DatabaseFactory) -> None:
    import pytest

    from arna.bodies.models import Body

    db = databases.ready()

    def rename_then_fail() -> None:
        with db.write() as session:
            body = session.get(Body, "government")
            assert body is not None
            body.name_en = "changed"
            session.flush()
            raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        rename_then_fail()
    with db.read() as session:
        body = session.get(Body, "government")
        assert body is not None
        assert body.name_en == "Government of the Republic of Kazakhstan"
