from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from arna.bodies.models import Body
from arna.cli import app
from arna.core.audit import AuditEvent
from arna.geo.models import KatoUnit, PlaceAlias
from arna.maintenance.upgrade import head_revision, migrate, upgrade
from tests.conftest import DatabaseFactory

runner = CliRunner()


def test_reference_loading_is_idempotent(databases: DatabaseFactory) -> None:
    db = databases.empty()
    first = upgrade(db)
    assert first.revision == head_revision()
    assert first.inserted > 1000
    second = upgrade(db)
    assert (second.inserted, second.updated) == (0, 0)
    assert all(t.unchanged > 0 for t in second.tables)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(KatoUnit)) == 245
        assert session.scalar(select(func.count()).select_from(Body)) == len(
            {b for b in session.scalars(select(Body.id))}
        )
        # one audit event for the load that changed something, none for the no-op
        actions = session.scalars(select(AuditEvent.action)).all()
        assert actions == ["reference.load"]


def test_changed_reference_rows_are_updated_back(databases: DatabaseFactory) -> None:
    db = databases.ready()
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE geo_units SET name_en = 'Wrong' WHERE kato = '750000000'"))
        conn.execute(text("DELETE FROM geo_aliases WHERE kato = '750000000'"))
    report = upgrade(db)
    counts = {t.table: t for t in report.tables}
    assert counts["geo_units"].updated == 1
    assert counts["geo_aliases"].inserted > 3
    with db.read() as session:
        unit = session.get(KatoUnit, "750000000")
        assert unit is not None and unit.name_en == "Almaty (city)"
        assert session.scalar(
            select(func.count()).select_from(PlaceAlias).where(PlaceAlias.kato == "750000000")
        )


def test_cli_db_upgrade_twice(databases: DatabaseFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    db = databases.empty()
    monkeypatch.setenv("ARNA_DATABASE_URL", db.url)
    first = runner.invoke(app, ["db", "upgrade"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, ["db", "upgrade", "--json"])
    assert second.exit_code == 0, second.output
    assert '"inserted": 0' in second.stdout and '"updated": 0' in second.stdout
    status = runner.invoke(app, ["db", "status"])
    assert status.exit_code == 0
    assert head_revision() in status.stdout  # type: ignore[operator]


def test_upgrading_seals_the_codes_stored_in_clear_before(
    databases: DatabaseFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from alembic import command

    from arna.core import sealing
    from arna.core.settings import Settings
    from arna.maintenance.upgrade import alembic_config

    monkeypatch.setenv("ARNA_DATA_DIR", str(tmp_path / "var"))  # the key `arna db upgrade` uses
    db = databases.empty()
    config = alembic_config()
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0004")
    insert = text(
        "INSERT INTO outbox (created_at, event, recipient, language, subject, body, status, "
        "attempts, next_attempt_at) VALUES (:now, 'submitted', 'a@example.kz', 'en', 'Registered', "
        ":body, :status, 0, :now)"
    )
    body = "Your appeal is registered.\nAccess code: {code}\nTrack it: http://x/appeals/A-1"
    with db.engine.begin() as conn:
        for code, status in (("K7Q2M-X4PZA", "pending"), ("ABCDE-FGH23", "sent")):
            conn.execute(
                insert,
                {"now": "2026-12-01 10:00:00", "body": body.format(code=code), "status": status},
            )
    migrate(db)
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT status, body, sealed FROM outbox ORDER BY id")).all()
    assert all("K7Q2M-X4PZA" not in r.body and "ABCDE-FGH23" not in r.body for r in rows)
    pending, sent = rows
    opened = sealing.unseal(Settings(), pending.sealed)
    assert '"K7Q2M-X4PZA"' in opened and sent.sealed is None


def test_upgrading_fills_each_assignment_s_first_response_from_the_audit_log(
    databases: DatabaseFactory,
) -> None:
    """Migration 0007 fills what the scorecards count for the assignments stored before it
    (first response, working days, extension, forwards to the wrong body, verdicts) from the
    audit log and the assignments: taken down to 0006 and up again, every assignment gets back
    what the actions themselves recorded."""
    from datetime import timedelta

    from alembic import command

    from arna.appeals.actions import lifecycle
    from arna.appeals.actions.submit import submit_appeal
    from arna.appeals.schemas import AppealCreate, Applicant
    from arna.core.actors import Actor
    from arna.core.clock import now_utc
    from arna.core.settings import Settings
    from arna.maintenance.upgrade import alembic_config

    db = databases.ready()
    settings = Settings(database_url=db.url)
    official = Actor("admin", name="system:test-official")
    start = now_utc() - timedelta(days=20)
    numbers, codes = [], []
    for i in range(5):
        data = AppealCreate(
            text=f"Жол бұзылған, жөндеу керек ({i}).", kind="complaint", category="roads_local",
            kato="101800000", applicant=Applicant(name="Айгерім Сапарова"),
        )  # fmt: skip
        created, _ = submit_appeal(db, settings, data, now=start + timedelta(minutes=i))
        numbers.append(created.number)
        codes.append(created.access_code)
    at = start + timedelta(days=1)
    lifecycle.accept_appeal(db, settings, official, numbers[0], now=at)
    lifecycle.extend_appeal(
        db, settings, official, numbers[0], until=(start + timedelta(days=40)).date(),
        reason="Сараптама", now=at + timedelta(hours=1),
    )  # fmt: skip
    lifecycle.answer_appeal(
        db, settings, official, numbers[1], outcome="explained", text="Түсіндірілді.", now=at
    )
    lifecycle.forward_appeal(
        db, settings, official, numbers[2], body_id="akimat-751110000", reason="Құзыреті емес",
        now=at,
    )  # fmt: skip
    lifecycle.forward_appeal(
        db, settings, official, numbers[2], body_id="akimat-751210000", reason="Құзыреті емес",
        now=at + timedelta(days=1),
    )  # fmt: skip
    lifecycle.answer_appeal(
        db, settings, official, numbers[4], outcome="resolved", text="Жөнделді.", now=at
    )
    lifecycle.give_feedback(db, settings, numbers[4], codes[4], resolved=True, rating=5, now=at)
    query = text(
        "SELECT id, responded_at, response_days, answer_days, extended, misrouted, solved"
        " FROM appeal_assignments ORDER BY id"
    )  # numbers[3]: never touched
    with db.engine.connect() as conn:
        recorded = conn.execute(query).all()
    assert sum(r.responded_at is not None for r in recorded) == 5
    assert sum(r.answer_days is not None for r in recorded) == 2
    assert [bool(r.extended) for r in recorded].count(True) == 1
    assert [bool(r.misrouted) for r in recorded].count(True) == 1
    assert [r.solved for r in recorded].count(True) == 1
    config = alembic_config()
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0006")
    migrate(db)
    with db.engine.connect() as conn:
        assert conn.execute(query).all() == recorded


def test_the_migrations_build_the_tables_the_models_describe(databases: DatabaseFactory) -> None:
    """Alembic finds nothing to add: every table, column and index of the models is made by a
    migration (a model changed without its migration fails here)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import arna.models as registry

    db = databases.empty()
    migrate(db)
    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), registry.Base.metadata) == []
