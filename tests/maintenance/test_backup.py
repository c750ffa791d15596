"""`arna backup` and `arna restore` on both databases: a restore gives back the same rows (every
table's count and a digest of its content in primary-key order) and a verifying audit chain;
a database with data is replaced only with --force; a damaged, truncated, foreign or missing
file, or a backup of the other kind of database, is refused with a message and exit 1."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from typer.testing import CliRunner, Result

from arna.appeals.actions import lifecycle
from arna.appeals.actions.submit import submit_appeal
from arna.appeals.actions.sweep import sweep
from arna.appeals.schemas import AppealCreate
from arna.cli import app
from arna.core.actors import Actor
from arna.core.clock import KZ_TZ
from arna.core.db import Database
from arna.core.settings import Settings
from arna.maintenance.pgdump import search_path
from tests.appeals.conftest import ROAD_IN_KURCHATOV
from tests.conftest import DatabaseFactory, _pg_admin_url
from tests.petitions.seeding import opened

runner = CliRunner()
OFFICIAL = Actor("admin", name="system:test-official")
START = datetime(2026, 11, 2, 9, tzinfo=KZ_TZ)


def ready(databases: DatabaseFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Database:
    """A ready database the `arna` command uses, with the secret key in the test's data dir."""
    monkeypatch.setenv("ARNA_DATA_DIR", str(tmp_path / "var"))
    made = databases.ready()
    monkeypatch.setenv("ARNA_DATABASE_URL", made.url)
    return made


@pytest.fixture
def db(databases: DatabaseFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Database:
    return ready(databases, monkeypatch, tmp_path)


def appeal(db: Database, settings: Settings, text_: str, now: datetime) -> str:
    data = AppealCreate.model_validate({**ROAD_IN_KURCHATOV, "text": text_})
    created, _ = submit_appeal(db, settings, data, now=now)
    return created.number


def seed(db: Database, settings: Settings) -> list[str]:
    """Appeals submitted, one answered, the unanswered escalated by the worker's sweep, and an
    open petition with its co-signers: all through the actions."""
    numbers = [
        appeal(db, settings, f"Курчатовта {i}-көшеде жол бұзылған, жөндеу керек.", START)
        for i in range(3)
    ]
    lifecycle.answer_appeal(
        db, settings, OFFICIAL, numbers[0], outcome="explained", text="Түсіндірілді.",
        now=START + timedelta(days=2),
    )  # fmt: skip
    assert sweep(db, settings, START + timedelta(days=40)).escalated == 2
    numbers.append(appeal(db, settings, "Аулада жарық жоқ.", START + timedelta(days=40)))
    opened(db, settings, "Қалада велосипед жолдарын салу", START)
    return numbers


def snapshot(url: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and SHA-256 of its rows in primary-key order."""
    engine = create_engine(url)
    try:
        found = {}
        with engine.connect() as conn:
            inspector = inspect(conn)
            for name in sorted(inspector.get_table_names()):
                key = inspector.get_pk_constraint(name)["constrained_columns"]
                order = ", ".join(f'"{c}"' for c in key) or "1"
                rows = conn.execute(text(f'SELECT * FROM "{name}" ORDER BY {order}')).all()
                digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
                found[name] = (len(rows), digest)
        return found
    finally:
        engine.dispose()


def cli(*args: str, url: str | None = None) -> Result:
    env = {"ARNA_DATABASE_URL": url} if url else None
    return runner.invoke(app, list(args), env=env)


def refused(result: Result, *words: str) -> None:
    """Exit 1 with a message naming the problem, and no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, result.output


def fresh_url(databases: DatabaseFactory, db: Database) -> str:
    """A new, empty database for the restore. PostgreSQL: the backup's own schema, dropped and
    made again (pg_restore keeps a schema's name); SQLite: a new file."""
    if databases.backend == "sqlite":
        return databases.url()
    db.dispose()
    schema = search_path(db.url)[0]
    admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    return db.url


def test_a_restore_gives_back_the_same_rows_and_a_verifying_chain(
    databases: DatabaseFactory, db: Database, tmp_path: Path
) -> None:
    settings = Settings(database_url=db.url)
    numbers = seed(db, settings)
    before = snapshot(db.url)
    assert before["appeals"][0] == 4 and before["petition_signatures"][0] == 50
    file = tmp_path / "arna.backup"
    made = cli("backup", str(file), "--json")
    assert made.exit_code == 0, made.output
    report = json.loads(made.stdout)
    assert report["kind"] == databases.backend and report["secret_key_included"] is False
    assert report["bytes"] == file.stat().st_size and report["tables"] >= len(before) - 1

    # the data changes after the backup: another answer, another appeal
    lifecycle.answer_appeal(
        db, settings, OFFICIAL, numbers[3], outcome="resolved", text="Жарық қойылды.",
        now=START + timedelta(days=41),
    )  # fmt: skip
    appeal(db, settings, "Мектеп жанында бағдаршам жоқ.", START + timedelta(days=41))
    changed = snapshot(db.url)
    assert changed != before

    # a database with data is not replaced without --force
    refused(cli("restore", str(file)), "already holds data", "--force")
    assert snapshot(db.url) == changed

    forced = cli("restore", str(file), "--force", "--json")
    assert forced.exit_code == 0, forced.output
    restored = json.loads(forced.stdout)
    assert restored["ok"] and restored["audit"]["chain_ok"] and restored["audit"]["events"] > 10
    assert "appeals" in restored["replaced_tables_with_rows"]
    assert snapshot(db.url) == before

    # into a fresh, empty database: no --force needed
    url = fresh_url(databases, db)
    into_fresh = cli("restore", str(file), url=url)
    assert into_fresh.exit_code == 0, into_fresh.output
    assert "audit chain intact" in into_fresh.stdout
    assert snapshot(url) == before
    verified = cli("audit", "verify", "--json", url=url)
    assert verified.exit_code == 0 and json.loads(verified.stdout)["ok"], verified.output


def test_a_damaged_or_foreign_file_is_refused_and_the_database_kept(
    databases: DatabaseFactory, db: Database, tmp_path: Path
) -> None:
    settings = Settings(database_url=db.url)
    appeal(db, settings, "Курчатовта жол бұзылған.", START)
    file = tmp_path / "arna.backup"
    assert cli("backup", str(file)).exit_code == 0
    kept = snapshot(db.url)
    whole = file.read_bytes()

    truncated = tmp_path / "truncated.backup"
    truncated.write_bytes(whole[: len(whole) * 2 // 3])
    refused(cli("restore", str(truncated), "--force"), "damaged or truncated")
    head_only = tmp_path / "head-only.backup"
    head_only.write_bytes(whole[:2000])
    refused(cli("restore", str(head_only), "--force"), "damaged or truncated")
    assert snapshot(db.url) == kept

    stranger = tmp_path / "notes.txt"
    stranger.write_text("not a backup\n")
    refused(cli("restore", str(stranger), "--force"), "not an Arna backup")
    empty = tmp_path / "empty.backup"
    empty.touch()
    refused(cli("restore", str(empty), "--force"), "is empty")
    refused(cli("restore", str(tmp_path / "missing.backup")), "no such file")

    # a backup of the other kind of database
    other = tmp_path / "other.backup"
    if databases.backend == "sqlite":
        other.write_bytes(b"PGDMP" + bytes(200))
        refused(cli("restore", str(other), "--force"), "PostgreSQL (pg_dump) backup", "SQLite")
    else:
        with sqlite3.connect(other) as conn:
            conn.execute("CREATE TABLE alembic_version (version_num TEXT PRIMARY KEY)")
        refused(cli("restore", str(other), "--force"), "SQLite backup", "PostgreSQL")
    assert snapshot(db.url) == kept

    # backups go to an existing directory; a failed backup leaves the old one as it was
    refused(cli("backup", str(tmp_path / "nowhere" / "a.backup")), "no such directory")
    assert file.read_bytes() == whole


def test_a_restored_chain_that_does_not_verify_fails_the_restore(
    databases: DatabaseFactory, db: Database, tmp_path: Path
) -> None:
    settings = Settings(database_url=db.url)
    appeal(db, settings, "Курчатовта жол бұзылған.", START)
    with db.engine.begin() as conn:  # someone edited the log before the backup was taken
        conn.execute(text("UPDATE audit_events SET actor = 'nobody' WHERE id = 2"))
    file = tmp_path / "arna.backup"
    assert cli("backup", str(file)).exit_code == 0
    url = fresh_url(databases, db)
    result = cli("restore", str(file), "--json", url=url)
    refused(result, "does NOT verify")
    said = json.loads(result.stdout)
    assert said["ok"] is False and said["audit"]["broken_event_id"] == 2


def test_postgresql_backups_keep_their_schema_and_need_pg_dump(
    databases: DatabaseFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if databases.backend != "postgresql":
        pytest.skip("PostgreSQL only")
    db = ready(databases, monkeypatch, tmp_path)
    file = tmp_path / "arna.backup"
    assert cli("backup", str(file)).exit_code == 0
    schema = search_path(db.url)[0]
    elsewhere = databases.url()  # another, empty schema
    assert search_path(elsewhere)[0] != schema
    refused(
        cli("restore", str(file), url=elsewhere),
        "restores a schema under its own name",
        f"-csearch_path={schema}",
    )

    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump, no pg_restore
    refused(cli("backup", str(tmp_path / "b.backup")), "pg_dump is not installed")
    refused(cli("restore", str(file), "--force"), "pg_restore is not installed")


def test_a_sqlite_backup_is_taken_while_appeals_are_written(
    databases: DatabaseFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The online backup reads one snapshot: writers go on meanwhile, and the copy verifies."""
    if databases.backend != "sqlite":
        pytest.skip("SQLite only: pg_dump reads one snapshot by itself")
    db = ready(databases, monkeypatch, tmp_path)
    settings = Settings(database_url=db.url)
    done = threading.Event()
    written: list[str] = []

    def writer() -> None:
        while not done.is_set():
            written.append(appeal(db, settings, "Курчатовта жол бұзылған.", START))

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 3:
            threading.Event().wait(0.01)
        made = cli("backup", str(tmp_path / "live.backup"), "--json")
    finally:
        done.set()
        thread.join()
    assert made.exit_code == 0, made.output
    url = databases.url()
    result = cli("restore", str(tmp_path / "live.backup"), "--json", url=url)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["audit"]["ok"]
    assert 3 <= snapshot(url)["appeals"][0] <= len(written)
