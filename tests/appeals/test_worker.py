"""The worker: reminders, idempotent sweeps, several workers at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from arna.accounts.actions import create_user
from arna.appeals.actions.submit import write_batch
from arna.appeals.actions.sweep import sweep
from arna.appeals.models import Appeal, OutboxMessage
from arna.appeals.placement import prepare
from arna.appeals.schemas import AppealCreate
from arna.cli import app
from arna.core.actors import system
from arna.core.audit import verify_chain
from arna.core.clock import KZ_TZ
from arna.core.settings import Settings
from tests.appeals.conftest import ROAD_IN_KURCHATOV
from tests.conftest import DatabaseFactory

runner = CliRunner()


def _many(db: object, settings: Settings, n: int, now: datetime) -> None:
    data = AppealCreate.model_validate(ROAD_IN_KURCHATOV)
    subs = [prepare(data, None, now) for _ in range(n)]
    write_batch(db, settings, subs)  # type: ignore[arg-type]


def test_concurrent_sweeps_escalate_each_appeal_once(databases: DatabaseFactory) -> None:
    db = databases.ready()
    settings = Settings(database_url=db.url)
    start = datetime(2026, 11, 2, 9, tzinfo=KZ_TZ)
    _many(db, settings, 60, start)
    later = start + timedelta(days=40)
    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = list(pool.map(lambda _: sweep(db, settings, later), range(4)))
    assert sum(r.escalated for r in reports) == 60
    with db.read() as session:
        depths = session.scalars(select(Appeal.escalation_depth)).all()
        assert set(depths) == {1}
        assert verify_chain(session).ok


def test_reminders_go_to_the_bodys_officials_once(databases: DatabaseFactory) -> None:
    db = databases.ready()
    settings = Settings(database_url=db.url)
    create_user(
        db,
        email="k@akimat.kz",
        password="password-1",
        role="official",
        body_id="akimat-101800000",
        actor=system("test"),
    )
    start = datetime(2026, 11, 2, 9, tzinfo=KZ_TZ)
    _many(db, settings, 3, start)
    with db.read() as session:
        due = session.scalars(select(Appeal.due_date)).first()
    assert due is not None
    eve = datetime.combine(due - timedelta(days=1), datetime.min.time(), KZ_TZ).replace(hour=9)
    assert sweep(db, settings, eve).reminded == 3
    assert sweep(db, settings, eve).reminded == 0
    with db.read() as session:
        reminders = session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.event == "reminder", OutboxMessage.recipient == "k@akimat.kz")
        )
        assert reminders == 3


def test_cli_worker_rejects_a_bad_instant(
    databases: DatabaseFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = databases.ready()
    monkeypatch.setenv("ARNA_DATABASE_URL", db.url)
    result = runner.invoke(app, ["worker", "--once", "--now", "yesterday"])
    assert result.exit_code == 2
    assert "ISO" in result.output
    ok = runner.invoke(app, ["worker", "--once", "--now", datetime.now(UTC).isoformat(), "--json"])
    assert ok.exit_code == 0 and '"escalated": 0' in ok.stdout


def test_cli_users_and_tokens(databases: DatabaseFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    db = databases.ready()
    monkeypatch.setenv("ARNA_DATABASE_URL", db.url)
    made = runner.invoke(
        app,
        [
            "users",
            "create",
            "--role",
            "official",
            "--body",
            "akimat-750000000",
            "--email",
            "Aidos@Example.KZ",
            "--password",
            "long-password",
        ],
    )
    assert made.exit_code == 0, made.output
    twice = runner.invoke(
        app,
        [
            "users",
            "create",
            "--role",
            "official",
            "--body",
            "akimat-750000000",
            "--email",
            "aidos@example.kz",
            "--password",
            "long-password",
        ],
    )
    assert twice.exit_code == 2 and "exists" in twice.stderr
    bad_body = runner.invoke(
        app,
        [
            "users",
            "create",
            "--role",
            "official",
            "--body",
            "nope",
            "--email",
            "x@example.kz",
            "--password",
            "long-password",
        ],
    )
    assert bad_body.exit_code == 2 and "no body" in bad_body.stderr
    short = runner.invoke(
        app,
        ["users", "create", "--role", "admin", "--email", "y@example.kz", "--password", "short"],
    )
    assert short.exit_code == 2 and "8 characters" in short.stderr
    token = runner.invoke(app, ["tokens", "create", "--email", "aidos@example.kz"])
    assert token.exit_code == 0 and token.stdout.startswith("arna_")
    unknown = runner.invoke(app, ["tokens", "create", "--email", "who@example.kz"])
    assert unknown.exit_code == 2
