"""`arna audit verify` sees appeals changed beside the log: each kind of tampering, one test."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from arna.appeals.actions.lifecycle import answer_appeal, extend_appeal, give_feedback
from arna.appeals.actions.submit import submit_appeal
from arna.appeals.schemas import AppealCreate
from arna.cli import app
from arna.core.actors import Actor
from arna.core.db import Database
from arna.core.settings import Settings
from tests.appeals.conftest import ROAD_IN_KURCHATOV
from tests.conftest import DatabaseFactory

runner = CliRunner()
OFFICIAL = Actor("admin", name="test:official")
WITH_IIN = {
    **ROAD_IN_KURCHATOV,
    "applicant": {**ROAD_IN_KURCHATOV["applicant"], "iin": "850502400120"},  # type: ignore[dict-item]
}


@dataclass
class Season:
    db: Database
    settings: Settings
    plain: str  # registered, untouched
    escalated: str  # answered, disputed, escalated to the oblast
    extended: str  # extended


def _season(db: Database, data_dir: Path) -> Season:
    settings = Settings(database_url=db.url, data_dir=data_dir)
    now = datetime.now(UTC) - timedelta(days=2)

    def submit() -> tuple[str, str]:
        created, _ = submit_appeal(db, settings, AppealCreate.model_validate(WITH_IIN), now=now)
        return created.number, created.access_code

    plain, _ = submit()
    escalated, code = submit()
    answer_appeal(db, settings, OFFICIAL, escalated, outcome="resolved", text="Done.", now=now)
    give_feedback(db, settings, escalated, code, resolved=False, rating=1, now=now)
    extended, _ = submit()
    due = datetime.now(UTC).date() + timedelta(days=40)
    extend_appeal(db, settings, OFFICIAL, extended, until=due, reason="site survey", now=now)
    return Season(db, settings, plain, escalated, extended)


@pytest.fixture
def season(databases: DatabaseFactory, tmp_path: Path) -> Season:
    return _season(databases.ready(), tmp_path / "var")


def _verify(season: Season, monkeypatch: pytest.MonkeyPatch) -> tuple[int, dict[str, object]]:
    monkeypatch.setenv("ARNA_DATABASE_URL", season.db.url)
    monkeypatch.setenv("ARNA_DATA_DIR", str(season.settings.data_dir))
    result = runner.invoke(app, ["audit", "verify", "--json"])
    return result.exit_code, json.loads(result.stdout)


def _tamper(db: Database, *statements: str) -> None:
    with db.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def _problems(report: dict[str, object], number: str) -> list[str]:
    mismatches = report["mismatches"]
    assert isinstance(mismatches, list)
    return [m["problem"] for m in mismatches if m["entity_id"] == number]


def test_an_untouched_season_verifies(season: Season, monkeypatch: pytest.MonkeyPatch) -> None:
    code, report = _verify(season, monkeypatch)
    assert code == 0, report
    assert report["ok"] is True and report["mismatches"] == []
    assert report["state_checks"] == ["appeals", "petitions"]


FIELD_CHANGES = {
    "status": ("plain", "status = 'closed'", "status differs"),
    "outcome": ("escalated", "outcome = 'resolved'", "outcome differs"),
    "body": ("plain", "body_id = 'akimat-100000000'", "body_id differs"),
    "text": ("plain", "text = text || ' (edited)'", "text differs"),
    "iin": ("plain", "applicant_iin = '850502400121'", "personal data"),
    "due date": ("extended", "due_date = '2030-01-01'", "due_date differs"),
    "depth": ("escalated", "escalation_depth = 0", "escalation_depth differs"),
}


@pytest.mark.parametrize("change", list(FIELD_CHANGES), ids=list(FIELD_CHANGES))
def test_a_changed_field_is_reported_with_the_number(
    season: Season, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    which, assignment, expected = FIELD_CHANGES[change]
    number = getattr(season, which)
    _tamper(season.db, f"UPDATE appeals SET {assignment} WHERE number = '{number}'")
    code, report = _verify(season, monkeypatch)
    assert code == 1
    problems = _problems(report, number)
    assert any(expected in p for p in problems), report["mismatches"]
    assert report["chain_ok"] is True  # the log itself is intact: only the check sees this
    assert "850502400121" not in json.dumps(report)


def test_a_deleted_appeal_with_its_assignments_is_reported(
    season: Season, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = f"(SELECT id FROM appeals WHERE number = '{season.escalated}')"
    _tamper(
        season.db,
        f"DELETE FROM outbox WHERE appeal_id = {gone}",
        f"DELETE FROM idempotency_keys WHERE appeal_id = {gone}",
        f"DELETE FROM appeal_assignments WHERE appeal_id = {gone}",
        f"DELETE FROM appeals WHERE number = '{season.escalated}'",
    )
    code, report = _verify(season, monkeypatch)
    assert code == 1
    assert _problems(report, season.escalated) == [
        "registered in the log, but deleted from the appeals"
    ]


def test_an_unfailed_assignment_is_reported(
    season: Season, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tamper(
        season.db,
        "UPDATE appeal_assignments SET failed = false WHERE appeal_id = "
        f"(SELECT id FROM appeals WHERE number = '{season.escalated}')",
    )
    code, report = _verify(season, monkeypatch)
    assert code == 1
    assert any("failed" in p for p in _problems(report, season.escalated))


def test_an_appeal_slipped_in_without_the_log_is_reported(
    season: Season, monkeypatch: pytest.MonkeyPatch
) -> None:
    columns = (
        "access_code_hash, kind, category_id, category_source, needs_triage, text, language, "
        "sentiment, kato, region_kato, lat, lon, place_source, applicant_name, applicant_email, "
        "applicant_phone, applicant_iin, public, status, body_id, registered_at, due_date, "
        "forward_due, extended, escalation_depth, outcome, stalled_at_top, updated_at"
    )
    _tamper(
        season.db,
        f"INSERT INTO appeals (number, {columns}) SELECT 'A-2026-999999', {columns} "
        f"FROM appeals WHERE number = '{season.plain}'",
    )
    code, report = _verify(season, monkeypatch)
    assert code == 1
    assert _problems(report, "A-2026-999999") == ["stored, but never registered in the log"]


def test_a_deleted_head_is_tampering_even_after_the_next_write(
    season: Season, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tamper(season.db, "DELETE FROM audit_head")
    code, report = _verify(season, monkeypatch)
    assert code == 1 and report["chain_ok"] is False
    assert "audit_head" in str(report["problem"])
    # Appeals go on being accepted, and the log keeps what happened.
    submit_appeal(season.db, season.settings, AppealCreate.model_validate(ROAD_IN_KURCHATOV))
    code, report = _verify(season, monkeypatch)
    assert code == 1 and "had been deleted" in str(report["problem"])


def test_the_cli_names_each_appeal_in_words(
    season: Season, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tamper(season.db, f"UPDATE appeals SET status = 'closed' WHERE number = '{season.plain}'")
    monkeypatch.setenv("ARNA_DATABASE_URL", season.db.url)
    monkeypatch.setenv("ARNA_DATA_DIR", str(season.settings.data_dir))
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert f"appeal {season.plain}: status differs from its last audit event" in result.stderr
