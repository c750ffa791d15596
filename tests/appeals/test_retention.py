"""Retention and a person's own data: the personal data of appeals ended long ago is erased
(counts, figures and the audit chain kept), and a person gets everything Arna holds about them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import String, Text, func, inspect, select, text
from typer.testing import CliRunner

from arna.appeals.actions.lifecycle import answer_appeal, give_feedback
from arna.appeals.actions.retention import count_due, erase_personal_data, scrub
from arna.appeals.actions.submit import submit_appeal
from arna.appeals.models import Appeal, Assignment, OutboxMessage
from arna.appeals.schemas import AppealCreate
from arna.cli import app
from arna.core.actors import Actor
from arna.core.audit import AuditEvent, verify, verify_chain
from arna.core.clock import KZ_TZ, now_utc
from arna.core.db import Database
from arna.core.settings import Settings
from arna.petitions.actions import lifecycle as petitions
from arna.petitions.schemas import PetitionCreate
from tests.appeals.conftest import ROAD_IN_KURCHATOV
from tests.conftest import DatabaseFactory
from tests.petitions.conftest import PETITION

runner = CliRunner()
ADMIN = Actor("admin", name="system:test")
OLD = datetime(2020, 3, 2, 10, tzinfo=KZ_TZ)


@dataclass(frozen=True)
class Who:
    name: str
    email: str
    phone: str  # as written
    stored_phone: str
    iin: str


ZHANAR = Who(
    "Жанар Тасқынова",
    "zhanar.t@example.kz",
    "8 701 555 44 33",
    "+77015554433",
    PETITION["author_iin"],
)
ERLAN = Who(
    "Ерлан Сұлтанбеков", "erlan.s@example.kz", "+7 702 111 22 99", "+77021112299", "880202300129"
)


@dataclass
class World:
    db: Database
    settings: Settings
    old_closed: str
    old_answered: str
    old_open: str
    recent_closed: str  # Zhanar's too, but recent
    other_old: str  # Erlan's, old and closed


def _appeal(db: Database, settings: Settings, who: Who, when: datetime) -> tuple[str, str]:
    data = AppealCreate.model_validate(
        {
            **ROAD_IN_KURCHATOV,
            "text": f"{ROAD_IN_KURCHATOV['text']} Мен {who.name}, телефон {who.phone}, "
            f"пошта {who.email}.",
            "applicant": {"name": who.name, "email": who.email, "phone": who.phone, "iin": who.iin},
        }
    )
    created, _ = submit_appeal(db, settings, data, now=when)
    return created.number, created.access_code


def _answer(db: Database, settings: Settings, number: str, who: Who, when: datetime) -> None:
    answer_appeal(
        db,
        settings,
        ADMIN,
        number,
        outcome="resolved",
        text=f"Құрметті {who.name}, жол жөнделді.",
        now=when,
    )


def _world(db: Database, settings: Settings) -> World:
    recent = now_utc() - timedelta(days=60)
    old_closed, code = _appeal(db, settings, ZHANAR, OLD)
    _answer(db, settings, old_closed, ZHANAR, OLD + timedelta(days=3))
    give_feedback(
        db, settings, old_closed, code, resolved=True, rating=5, now=OLD + timedelta(days=5)
    )
    old_answered, _ = _appeal(db, settings, ZHANAR, OLD + timedelta(days=1))
    _answer(db, settings, old_answered, ZHANAR, OLD + timedelta(days=4))
    old_open, _ = _appeal(db, settings, ZHANAR, OLD + timedelta(days=2))
    recent_closed, code = _appeal(db, settings, ZHANAR, recent)
    _answer(db, settings, recent_closed, ZHANAR, recent + timedelta(days=1))
    give_feedback(
        db, settings, recent_closed, code, resolved=True, rating=4, now=recent + timedelta(days=2)
    )
    other_old, _ = _appeal(db, settings, ERLAN, OLD)
    _answer(db, settings, other_old, ERLAN, OLD + timedelta(days=2))
    return World(db, settings, old_closed, old_answered, old_open, recent_closed, other_old)


@pytest.fixture
def world(databases: DatabaseFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    db = databases.ready()
    monkeypatch.setenv("ARNA_DATABASE_URL", db.url)
    monkeypatch.setenv("ARNA_DATA_DIR", str(tmp_path / "var"))
    return _world(db, Settings())


def _rows(db: Database, *numbers: str) -> dict[str, Appeal]:
    with db.read() as session:
        found = session.scalars(select(Appeal).where(Appeal.number.in_(numbers))).all()
        session.expunge_all()
        return {a.number: a for a in found}


def _figures(db: Database) -> dict[str, Any]:
    """What statistics and oversight read: counts by status, outcome, body, place, the holds."""
    with db.read() as session:
        appeals = session.execute(
            select(
                Appeal.number,
                Appeal.status,
                Appeal.outcome,
                Appeal.body_id,
                Appeal.kato,
                Appeal.category_id,
                Appeal.registered_at,
                Appeal.escalation_depth,
                Appeal.feedback_rating,
                Appeal.updated_at,
            ).order_by(Appeal.id)
        ).all()
        holds = session.execute(
            select(
                Assignment.appeal_id,
                Assignment.body_id,
                Assignment.failed,
                Assignment.result,
                Assignment.answer_days,
            ).order_by(Assignment.id)
        ).all()
        return {"appeals": [tuple(r) for r in appeals], "holds": [tuple(r) for r in holds]}


def _retention(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["appeals", "retention", "--json", *args])
    assert result.exit_code == 0, result.output
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def _audit_ok() -> None:
    result = runner.invoke(app, ["audit", "verify", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ok"] is True


def test_old_ended_appeals_lose_their_personal_data_and_nothing_else(world: World) -> None:
    figures = _figures(world.db)
    with world.db.read() as session:
        events = session.scalar(select(func.count(AuditEvent.id)))
    dry = _retention("--dry-run")
    assert (dry["due"], dry["erased"], dry["dry_run"], dry["retention_years"]) == (3, 0, True, 5)
    assert _figures(world.db) == figures  # a dry run changes nothing

    report = _retention()
    assert report["erased"] == 3 and report["erased_messages"] >= 3

    rows = _rows(world.db, world.old_closed, world.old_answered, world.other_old)
    for appeal in rows.values():
        assert appeal.applicant_name == ""
        assert appeal.applicant_email is appeal.applicant_phone is appeal.applicant_iin is None
        assert appeal.lat is None and appeal.access_code_hash == ""
        for value in ("Жанар", "Тасқынова", "Ерлан", "555 44 33", "@example.kz"):
            assert value not in appeal.text and value not in (appeal.answer_text or "")
        assert "Курчатов қаласында жолда үлкен шұңқыр бар" in appeal.text  # the problem stays
    kept = _rows(world.db, world.old_open, world.recent_closed)
    for appeal in kept.values():
        assert appeal.applicant_name == ZHANAR.name and appeal.applicant_iin == ZHANAR.iin
        assert ZHANAR.name in appeal.text
    with world.db.read() as session:
        ids = [a.id for a in rows.values()]
        left = select(func.count(OutboxMessage.id)).where(OutboxMessage.appeal_id.in_(ids))
        assert session.scalar(left) == 0
        assert session.scalar(select(func.count(AuditEvent.id))) == (events or 0) + 3
        erased = session.scalars(
            select(AuditEvent.entity_id).where(AuditEvent.action == "appeal.personal_data_erased")
        ).all()
        assert sorted(erased) == sorted(rows)
        assert verify_chain(session).ok
        assert verify(session, world.settings).ok
    assert _figures(world.db) == figures  # counts, outcomes, places, holds: all kept
    _audit_ok()

    # twice: nothing more to do, nothing changes
    again = _retention()
    assert (again["due"], again["erased"], again["erased_messages"]) == (0, 0, 0)
    assert _figures(world.db) == figures
    _audit_ok()


def test_the_state_check_still_sees_an_erased_appeal_edited(world: World) -> None:
    erase_personal_data(world.db, world.settings, now_utc())
    with world.db.engine.begin() as conn:
        conn.execute(
            text("UPDATE appeals SET applicant_name = 'Someone' WHERE number = :n"),
            {"n": world.old_closed},
        )
    result = runner.invoke(app, ["audit", "verify", "--json"])
    assert result.exit_code == 1
    problems = [m["problem"] for m in json.loads(result.stdout)["mismatches"]]
    assert any("personal data" in p for p in problems)


def test_no_personal_value_is_left_anywhere_in_the_database(world: World) -> None:
    """Every text column of every table, after erasing every appeal (all ended ones are old
    a century on): none holds the name, e-mail, phone or IIN of either applicant."""
    later = now_utc() + timedelta(days=366 * 100)
    assert count_due(world.db, world.settings, later) == 4
    erase_personal_data(world.db, world.settings, later)
    values = [
        v
        for who in (ZHANAR, ERLAN)
        for v in (who.name, who.name.split()[1], who.email, who.stored_phone, who.phone, who.iin)
    ]
    found = []
    with world.db.read() as session:
        inspector = inspect(session.get_bind())
        for table in inspector.get_table_names():
            columns = [
                c["name"]
                for c in inspector.get_columns(table)
                if isinstance(c["type"], String | Text)
            ]
            for column in columns:
                rows = session.execute(text(f'SELECT "{column}" FROM "{table}"')).scalars()
                for value in rows:
                    found += [(table, column, v) for v in values if value and v in value]
    open_ones = _rows(world.db, world.old_open)  # still in work: still known, in its row only
    assert open_ones[world.old_open].applicant_name == ZHANAR.name
    assert {(t, c) for t, c, _ in found} <= {
        ("appeals", "applicant_name"),
        ("appeals", "applicant_email"),
        ("appeals", "applicant_phone"),
        ("appeals", "applicant_iin"),
        ("appeals", "text"),
        ("outbox", "recipient"),
    }
    with world.db.read() as session:
        holders = session.scalars(select(Appeal.number).where(Appeal.applicant_name != "")).all()
    assert holders == [world.old_open]


def test_scrub_takes_out_the_name_and_contacts_in_any_spelling() -> None:
    said = "Мен Жанар Тасқынова, тел. +7 (701) 555-44-33, zhanar@mail.kz; ЖАНАР жазды."
    clean = scrub(said, ["Жанар Тасқынова", None, "+77015554433", None])
    assert "Жанар" not in clean and "ЖАНАР" not in clean and "555" not in clean
    assert "mail.kz" not in clean and clean.startswith("Мен [name]")


def test_the_export_holds_the_persons_data_and_nobody_elses(world: World, tmp_path: Path) -> None:
    data = PetitionCreate.model_validate(PETITION)  # written by Zhanar (her IIN)
    written = petitions.create_petition(world.db, world.settings, data)
    out = tmp_path / "zhanar.json"
    result = runner.invoke(
        app, ["appeals", "export-person", "--phone", ZHANAR.phone, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o077 == 0
    by_phone = json.loads(out.read_text(encoding="utf-8"))
    numbers = {a["number"] for a in by_phone["appeals"]["appeals"]}
    assert numbers == {world.old_closed, world.old_answered, world.old_open, world.recent_closed}
    first = next(a for a in by_phone["appeals"]["appeals"] if a["number"] == world.old_closed)
    assert first["applicant"]["iin"] == ZHANAR.iin and ZHANAR.name in first["text"]
    assert [e["type"] for e in first["events"]][-1] == "appeal.closed"
    assert by_phone["petitions"] == {"written": [], "signed": []}  # asked by phone only

    result = runner.invoke(app, ["appeals", "export-person", "--iin", ZHANAR.iin])
    assert result.exit_code == 0, result.output
    by_iin = json.loads(result.stdout)
    assert by_iin["person"] == {"iin": ZHANAR.iin}
    assert [p["number"] for p in by_iin["petitions"]["written"]] == [written.number]
    assert by_iin["accounts"] is None
    result = runner.invoke(app, ["appeals", "export-person", "--email", ZHANAR.email.upper()])
    by_email = json.loads(result.stdout)
    assert {m["appeal"] for m in by_email["appeals"]["messages"]} >= {world.old_closed}
    for document in (by_phone, by_iin, by_email):
        dumped = json.dumps(document, ensure_ascii=False)
        for value in (ERLAN.name, ERLAN.email, ERLAN.stored_phone, ERLAN.iin, world.other_old):
            assert value not in dumped

    with world.db.read() as session:
        exports = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "person.exported")
        ).all()
        assert len(exports) == 3
        for event in exports:
            logged = f"{event.entity_id} {event.new} {event.reason}"
            for value in (ZHANAR.email, ZHANAR.stored_phone, ZHANAR.iin, "7015554433"):
                assert value not in logged
        assert exports[0].entity_type == "person" and len(exports[0].entity_id) == 64
    _audit_ok()


def test_the_export_needs_a_valid_identifier(world: World) -> None:
    result = runner.invoke(app, ["appeals", "export-person"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["appeals", "export-person", "--iin", "123456789012"])
    assert result.exit_code == 2 and "--iin" in result.stderr


def test_the_worker_erases_too(world: World) -> None:
    result = runner.invoke(app, ["worker", "--once", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["erased"] == 3
    _audit_ok()
