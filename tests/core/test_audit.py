from __future__ import annotations

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from arna.cli import app
from arna.core import audit
from arna.core.db import Database
from tests.conftest import DatabaseFactory

runner = CliRunner()


def _write_events(db: Database, n: int) -> None:
    for i in range(n):
        with db.write() as session:
            audit.record(
                session,
                actor=f"official:{i}",
                action="appeal.answered",
                entity_type="appeal",
                entity_id=f"A-2026-{i:06d}",
                old={"status": "in_progress"},
                new={"status": "answered", "text": "Жол жөнделді / дорога отремонтирована"},
                reason=None if i % 2 else "answered in time",
            )


@pytest.fixture
def chained(databases: DatabaseFactory) -> Database:
    db = databases.migrated()
    _write_events(db, 7)
    return db


def _verify(db: Database) -> audit.ChainReport:
    with db.read() as session:
        return audit.verify_chain(session)


def test_intact_chain_verifies(chained: Database) -> None:
    report = _verify(chained)
    assert report.ok, report
    assert report.events == 7
    with chained.read() as session:
        rows = session.execute(text("SELECT id, prev_hash, hash FROM audit_events ORDER BY id"))
        previous = audit.GENESIS_HASH
        for _, prev_hash, hash_ in rows:
            assert prev_hash == previous
            previous = hash_


def test_a_rolled_back_transaction_leaves_no_event(chained: Database) -> None:
    def crash_after_recording() -> None:
        with chained.write() as session:
            audit.record(session, actor="x", action="y", entity_type="z", entity_id="1")
            raise RuntimeError("crash before commit")

    with pytest.raises(RuntimeError, match="crash before commit"):
        crash_after_recording()
    assert _verify(chained).events == 7
    assert _verify(chained).ok


_OTHER_START = "CASE WHEN substr({0}, 1, 2) = 'ab' THEN 'cd' ELSE 'ab' END || substr({0}, 3)"


@pytest.mark.parametrize(
    ("sql", "broken"),
    [
        ("UPDATE audit_events SET reason = 'rewritten' WHERE id = 4", 4),
        ("UPDATE audit_events SET actor = 'someone else' WHERE id = 2", 2),
        ('UPDATE audit_events SET new = \'{"status":"resolved"}\' WHERE id = 6', 6),
        ("UPDATE audit_events SET at = '2020-01-01T00:00:00.000000+00:00' WHERE id = 3", 3),
        # (a hash may already start with "ab": the change must change something)
        (f"UPDATE audit_events SET hash = {_OTHER_START.format('hash')} WHERE id = 5", 5),
        (f"UPDATE audit_events SET prev_hash = {_OTHER_START.format('prev_hash')} WHERE id = 3", 3),
        ("DELETE FROM audit_events WHERE id = 3", 4),
    ],
)
def test_tampering_is_detected_and_named(chained: Database, sql: str, broken: int) -> None:
    with chained.engine.begin() as conn:
        conn.execute(text(sql))
    report = _verify(chained)
    assert not report.ok
    assert report.broken_event_id == broken


def test_recomputed_hashes_still_break_at_the_next_event(chained: Database) -> None:
    """A forger who edits event 3 and recomputes its hash still breaks event 4's prev_hash."""
    with chained.write() as session:
        event = session.get(audit.AuditEvent, 3)
        assert event is not None
        event.reason = "forged"
        event.hash = audit.event_hash(event)
    report = _verify(chained)
    assert report.broken_event_id == 4


def test_deleting_the_tail_is_caught_by_a_published_anchor(chained: Database) -> None:
    published = _verify(chained).head_hash
    with chained.engine.begin() as conn:
        sixth = conn.execute(text("SELECT hash FROM audit_events WHERE id = 6")).scalar_one()
        conn.execute(text("UPDATE audit_head SET last_event_id = 6, last_hash = :h"), {"h": sixth})
        conn.execute(text("DELETE FROM audit_events WHERE id = 7"))
    assert _verify(chained).ok  # a consistent rewind cannot be seen from inside the database
    report = _verify_with(chained, published)
    assert not report.ok
    assert published in (report.problem or "")


def test_an_edited_head_is_detected(chained: Database) -> None:
    with chained.engine.begin() as conn:
        conn.execute(text("UPDATE audit_head SET last_hash = :h"), {"h": "f" * 64})
    report = _verify(chained)
    assert not report.ok
    assert "head" in (report.problem or "")


def _verify_with(db: Database, anchor: str) -> audit.ChainReport:
    with db.read() as session:
        return audit.verify_chain(session, [anchor])


def test_cli_verify_names_the_broken_row(
    chained: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARNA_DATABASE_URL", chained.url)
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "intact: 7 events" in ok.stdout
    with chained.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET entity_id = 'A-2026-999999' WHERE id = 5"))
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "event 5" in broken.stderr
    as_json = runner.invoke(app, ["audit", "verify", "--json"])
    assert as_json.exit_code == 1
    assert '"broken_event_id": 5' in as_json.stdout


def test_concurrent_writers_keep_one_chain(databases: DatabaseFactory) -> None:
    from concurrent.futures import ThreadPoolExecutor

    db = databases.migrated()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda i: _write_events(db, 5), range(8)))
    report = _verify(db)
    assert report.ok, report
    assert report.events == 40
