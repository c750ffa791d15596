"""A petition's whole way through the API: draft, co-signers, moderation, open, threshold,
response due, escalation, answer; the audit log and the state check agree at every step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from arna.app import create_app
from arna.core import audit
from arna.core.clock import load_calendar
from arna.core.settings import Settings
from arna.petitions.actions import lifecycle
from arna.petitions.actions.lifecycle import person_key
from arna.petitions.actions.signing import Signing, sign_batch
from arna.petitions.actions.sweep import sweep_petitions
from arna.petitions.confirmation import Pending
from arna.petitions.schemas import PetitionCreate
from tests.appeals.conftest import Env
from tests.conftest import DatabaseFactory
from tests.petitions.conftest import ALMATY, CITY, PETITION, ROOMY, iins, sign


def _file(env: Env) -> tuple[str, str]:
    made = env.client.post("/api/v1/petitions", json=PETITION)
    assert made.status_code == 201, made.text
    return made.json()["number"], made.json()["code"]


def _bulk(env: Env, number: str, how_many: int, start: int) -> None:
    """Signatures as the queue writes them (the HTTP path is tested on its own below)."""
    far = datetime.now(UTC) + timedelta(hours=1)
    batch = [
        Signing(Pending(number, person_key(env.settings, iin), "Test S.", ALMATY, far), "net")
        for iin in iins(how_many, start)
    ]
    for i in range(0, len(batch), 500):
        for outcome in sign_batch(env.db, batch[i : i + 500]):
            assert not isinstance(outcome, Exception), outcome


def _state(env: Env, number: str) -> dict:
    got = env.client.get(f"/api/v1/petitions/{number}")
    assert got.status_code == 200, got.text
    return got.json()


def test_draft_to_answer(env: Env) -> None:
    number, code = _file(env)
    assert env.client.get(f"/api/v1/petitions/{number}").status_code == 404  # a draft is private
    draft = env.client.get(f"/api/v1/petitions/{number}", headers={"X-Access-Code": code})
    assert draft.json()["status"] == "draft" and draft.json()["threshold"] == 2500
    assert draft.json()["author"] == "Сәуле Н."
    assert sign(env.client, number, iins(1)[0])["http"] == 404  # nobody signs a draft

    wrong = env.client.post(
        f"/api/v1/petitions/{number}/cosigning", headers={"X-Access-Code": "AAAAA-AAAAA"}
    )
    assert wrong.status_code == 404
    out = env.client.post(f"/api/v1/petitions/{number}/cosigning", headers={"X-Access-Code": code})
    assert out.status_code == 200 and out.json()["status"] == "cosigning"
    assert out.json()["cosign_due"]

    signers = iins(50)
    first = sign(env.client, number, signers[0])
    assert first["http"] == 201 and first["signatures"] == 1
    # the same person, written with spaces, dashes and dots, counts once
    spaced = f"{signers[0][:6]} {signers[0][6:9]}-{signers[0][9:]}."
    again = sign(env.client, number, spaced)
    assert again["http"] == 200 and again["counted"] is False and again["signatures"] == 1
    for iin in signers[1:]:
        sign(env.client, number, iin)
    assert _state(env, number)["status"] == "moderation"

    admin = env.auth(env.token("admin", None, "admin@example.kz"))
    official = env.auth(env.token("official", CITY, "akimat@example.kz"))
    refused = env.client.post(
        f"/api/v1/petitions/{number}/moderation", json={"decision": "approve"}, headers=official
    )
    assert refused.status_code == 403
    opened = env.client.post(
        f"/api/v1/petitions/{number}/moderation", json={"decision": "approve"}, headers=admin
    )
    assert opened.status_code == 200 and opened.json()["status"] == "open", opened.text
    assert opened.json()["closes_on"]

    _bulk(env, number, 2449, start=50)
    assert _state(env, number)["signatures"] == 2499
    assert sign(env.client, number, iins(1, start=5000)[0])["status"] == "response_due"
    now = _state(env, number)
    assert now["status"] == "response_due" and now["body_id"] == CITY and now["response_due"]
    assert now["regions"][0]["kato"] == ALMATY and now["regions"][0]["signatures"] == 2500
    assert now["progress"][-1]["signatures"] == 2500

    # not answered in time: up to the oblast's akimat, with a new term
    later = datetime.fromisoformat(now["response_due"] + "T12:00:00+05:00") + timedelta(days=3)
    report = sweep_petitions(env.db, env.settings, later)
    assert report.escalated == 1
    escalated = _state(env, number)
    assert escalated["body_id"] == "akimat-100000000" and escalated["escalation_depth"] == 1
    late = env.client.post(
        f"/api/v1/petitions/{number}/answer", json={"text": "x" * 30}, headers=official
    )
    assert late.status_code == 403  # the city's akimat no longer holds it
    oblast = env.auth(env.token("official", "akimat-100000000", "oblast@example.kz"))
    text = "Өткел 2027 жылдың көктемінде салынады, жоба қаржыландырылды."
    done = env.client.post(
        f"/api/v1/petitions/{number}/answer", json={"text": text}, headers=oblast
    )
    assert done.status_code == 200 and done.json()["status"] == "answered"
    assert _state(env, number)["answer_text"] == text

    with env.db.read() as session:
        report = audit.verify(session, env.settings)
        assert report.ok, report.as_dict()
        actions = session.scalars(
            select(audit.AuditEvent.action).where(audit.AuditEvent.entity_id == number)
        ).all()
    assert actions[:3] == ["petition.created", "petition.cosigning", "petition.signed"]
    assert "petition.moderation" in actions and "petition.reached" in actions
    assert actions[-2:] == ["petition.escalated", "petition.answered"]


def test_rejected_with_a_public_reason(env: Env) -> None:
    number, code = _file(env)
    env.client.post(f"/api/v1/petitions/{number}/cosigning", headers={"X-Access-Code": code})
    _bulk(env, number, 50, start=0)
    admin = env.auth(env.token("admin", None, "admin@example.kz"))
    no_reason = env.client.post(
        f"/api/v1/petitions/{number}/moderation", json={"decision": "reject"}, headers=admin
    )
    assert no_reason.status_code == 422
    unknown = env.client.post(
        f"/api/v1/petitions/{number}/moderation",
        json={"decision": "reject", "reason": "boring"},
        headers=admin,
    )
    assert unknown.status_code == 422 and "banned_topic" in unknown.text
    done = env.client.post(
        f"/api/v1/petitions/{number}/moderation",
        json={"decision": "reject", "reason": "duplicate", "note": "See P-2026-000001."},
        headers=admin,
    )
    assert done.json()["status"] == "rejected" and done.json()["reason_code"] == "duplicate"
    assert sign(env.client, number, iins(1, start=900)[0])["http"] == 409
    listed = env.client.get("/api/v1/petitions", params={"status": "rejected"}).json()
    assert [p["number"] for p in listed["items"]] == [number]


def test_co_signers_that_do_not_come_lapse(env: Env) -> None:
    number, code = _file(env)
    env.client.post(f"/api/v1/petitions/{number}/cosigning", headers={"X-Access-Code": code})
    _bulk(env, number, 10, start=0)
    report = sweep_petitions(env.db, env.settings, datetime.now(UTC) + timedelta(days=20))
    assert report.lapsed == 1
    assert _state(env, number)["status"] == "lapsed"
    again = sweep_petitions(env.db, env.settings, datetime.now(UTC) + timedelta(days=20))
    assert again.lapsed == 0


def test_addressees_and_thresholds_are_reference_data(env: Env) -> None:
    listed = env.client.get("/api/v1/petitions/addressees", params={"lang": "ru"}).json()
    by_id = {a["id"]: a for a in listed}
    assert by_id["government"]["threshold"] == 50_000
    assert by_id[CITY]["threshold"] == 2500
    assert by_id["maslikhat-101000000"]["threshold"] == 5000
    assert by_id["akimat-100000000"]["threshold"] > 5000  # 1 % of Abai Region
    oblast = by_id["akimat-100000000"]["threshold"]
    assert abs(by_id["maslikhat-100000000"]["threshold"] - 2 * oblast) <= 1  # 2 %, rounded up
    assert "akimat-101010000" not in by_id  # a rural district is no addressee
    rules = env.client.get("/api/v1/petitions/thresholds").json()
    assert all(r["basis"] and r["valid_from"] for r in rules)
    bad = dict(PETITION, addressee_id="akimat-101010000")
    refused = env.client.post("/api/v1/petitions", json=bad)
    assert refused.status_code == 422 and "addressee" in refused.text


def test_the_installations_calendar_sets_the_terms(
    databases: DatabaseFactory, tmp_path: Path
) -> None:
    """ARNA_CALENDAR_FILE (the Government moves days off by decree every year) counts in every
    petition term: co-signers, moderation (started by a signature through the server's queue)."""
    from importlib import resources

    bundled = resources.files("arna.core").joinpath("data/kz_calendar.toml").read_text("utf-8")
    now = datetime.now(UTC)
    days = [f"{now + timedelta(days=d):%m-%d}" for d in (1, 2, 3, 4, 5)]  # the decree's week
    extra = f'\n[[holiday]]\nid = "decree_days"\nmonth_days = {days!r}\n'.replace("'", '"')
    extra += 'name_kk = "Демалыс"\nname_ru = "Выходной"\nname_en = "Day off"\nmoves = false\n'
    (tmp_path / "calendar.toml").write_text(bundled + extra, encoding="utf-8")
    db = databases.ready()
    settings = Settings(database_url=db.url, calendar_file=tmp_path / "calendar.toml", **ROOMY)
    custom, usual = load_calendar(settings.calendar_file), load_calendar()
    made = lifecycle.create_petition(db, settings, PetitionCreate.model_validate(PETITION), now)
    lifecycle.send_for_cosigning(db, settings, made.number, made.code, now=now)
    with TestClient(create_app(settings, db=db)) as client:
        for iin in iins(50):
            assert sign(client, made.number, iin)["http"] == 201
        state = client.get(f"/api/v1/petitions/{made.number}").json()
    assert state["status"] == "moderation"
    assert state["cosign_due"] == custom.add_working_days(now, 10).isoformat()
    assert custom.add_working_days(now, 10) > usual.add_working_days(now, 10)
    assert state["moderation_due"] == custom.add_working_days(now, 20).isoformat()
