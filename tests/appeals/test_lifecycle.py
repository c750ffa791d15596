"""The whole loop through the HTTP API: submit, route, answer, dispute, escalate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from arna.cli import app
from arna.core.clock import KZ_TZ, load_calendar
from tests.appeals.conftest import ROAD_IN_KURCHATOV, Env

runner = CliRunner()
calendar = load_calendar()


def _due_from_today(days: int = 15) -> str:
    return calendar.add_working_days(datetime.now(UTC), days).isoformat()


def test_submit_answer_dispute_escalates_to_the_parent(env: Env) -> None:
    created = env.client.post("/api/v1/appeals", json=ROAD_IN_KURCHATOV)
    assert created.status_code == 201, created.text
    appeal = created.json()
    assert appeal["number"].startswith(f"A-{datetime.now(KZ_TZ).year}-")
    assert appeal["body"]["id"] == "akimat-101800000"
    assert appeal["category"] == "roads_local"  # suggested from the text
    assert appeal["due_date"] == _due_from_today()
    assert appeal["status"] == "registered" and appeal["escalation_depth"] == 0
    number, code = appeal["number"], appeal["access_code"]

    official = env.token("official", "akimat-101800000", "kurchatov@akimat.kz")
    answered = env.client.post(
        f"/api/v1/appeals/{number}/answer",
        json={"outcome": "resolved", "text": "Жол жөнделді."},
        headers=env.auth(official),
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["status"] == "answered"

    disputed = env.client.post(
        f"/api/v1/appeals/{number}/feedback",
        json={"resolved": False, "rating": 1, "comment": "Жол әлі бұзық, тел. +7 701 234 56 78"},
        headers={"X-Access-Code": code},
    )
    assert disputed.status_code == 200, disputed.text
    after = disputed.json()
    # The applicant's reason is kept in the history, with their phone number masked.
    reason = next(e["reason"] for e in after["events"] if e["type"] == "appeal.disputed")
    assert reason.startswith("Жол әлі бұзық") and "234 56 78" not in reason
    assert after["body"]["id"] == "akimat-100000000"  # Abai Region akimat
    assert after["status"] == "registered"
    assert after["escalation_depth"] == 1
    assert [a["failed"] for a in after["assignments"]] == [True, False]
    assert [e["type"] for e in after["events"]] == [
        "appeal.submitted",
        "appeal.answered",
        "appeal.disputed",
        "appeal.escalated",
    ]

    # the original body lost it: its official no longer acts on it
    again = env.client.post(
        f"/api/v1/appeals/{number}/answer",
        json={"outcome": "resolved", "text": "x"},
        headers=env.auth(official),
    )
    assert again.status_code == 404


def test_unanswered_appeal_escalates_level_by_level(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = env.client.post("/api/v1/appeals", json=ROAD_IN_KURCHATOV).json()["number"]
    monkeypatch.setenv("ARNA_DATABASE_URL", env.db.url)

    def sweep(at: datetime) -> None:
        result = runner.invoke(app, ["worker", "--once", "--now", at.isoformat(), "--json"])
        assert result.exit_code == 0, result.output

    due = datetime.fromisoformat(env.client.get(f"/api/v1/appeals/{number}").json()["due_date"])
    first = datetime.combine(due.date() + timedelta(days=1), datetime.min.time(), KZ_TZ)
    sweep(first.replace(hour=9))
    view = env.client.get(f"/api/v1/appeals/{number}").json()
    assert view["body"]["id"] == "akimat-100000000"
    assert view["escalation_depth"] == 1
    sweep(first.replace(hour=10))  # same day again: nothing more happens
    assert env.client.get(f"/api/v1/appeals/{number}").json()["escalation_depth"] == 1

    due2 = datetime.fromisoformat(view["due_date"])
    sweep(datetime.combine(due2.date() + timedelta(days=1), datetime.min.time(), KZ_TZ))
    view = env.client.get(f"/api/v1/appeals/{number}").json()
    assert view["body"]["id"] == "government"
    assert view["escalation_depth"] == 2
    assert [a["body"]["id"] for a in view["assignments"]] == [
        "akimat-101800000",
        "akimat-100000000",
        "government",
    ]
    assert [a["failed"] for a in view["assignments"]] == [True, True, False]
    listed = env.client.get("/api/v1/appeals", params={"escalated": True}).json()
    assert number in [i["number"] for i in listed["items"]]


def test_invalid_transitions_get_409_with_the_allowed_ones(env: Env) -> None:
    created = env.client.post("/api/v1/appeals", json=ROAD_IN_KURCHATOV).json()
    number, code = created["number"], created["access_code"]
    r = env.client.post(
        f"/api/v1/appeals/{number}/feedback",
        json={"resolved": True, "rating": 5},
        headers={"X-Access-Code": code},
    )
    assert r.status_code == 409
    problem = r.json()
    assert problem["allowed"] == ["accept", "answer", "forward", "extend", "escalate"]
    assert "registered" in problem["detail"]


def test_forward_extend_accept_and_duplicate(env: Env) -> None:
    official = env.token("official", "akimat-101800000", "o1@akimat.kz")
    region = env.token("official", "akimat-100000000", "o2@akimat.kz")
    first = env.client.post("/api/v1/appeals", json=ROAD_IN_KURCHATOV).json()["number"]
    second = env.client.post("/api/v1/appeals", json=ROAD_IN_KURCHATOV).json()["number"]

    accepted = env.client.post(f"/api/v1/appeals/{first}/accept", headers=env.auth(official))
    assert accepted.json()["status"] == "in_progress"
    registered = datetime.now(KZ_TZ).date()
    too_late = (registered + timedelta(days=70)).isoformat()
    r = env.client.post(
        f"/api/v1/appeals/{first}/extend",
        json={"until": too_late, "reason": "site visit"},
        headers=env.auth(official),
    )
    assert r.status_code == 422 and "2 months" in r.json()["detail"]
    until = (registered + timedelta(days=40)).isoformat()
    r = env.client.post(
        f"/api/v1/appeals/{first}/extend",
        json={"until": until, "reason": "site visit"},
        headers=env.auth(official),
    )
    assert r.status_code == 200 and r.json()["due_date"] == until
    r = env.client.post(
        f"/api/v1/appeals/{first}/extend",
        json={"until": until, "reason": "again"},
        headers=env.auth(official),
    )
    assert r.status_code == 409 and "once" in r.json()["detail"]

    fwd = env.client.post(
        f"/api/v1/appeals/{second}/forward",
        json={"body_id": "akimat-100000000", "reason": "oblast road"},
        headers=env.auth(official),
    )
    assert fwd.status_code == 200, fwd.text
    assert fwd.json()["body"]["id"] == "akimat-100000000"
    assert fwd.json()["escalation_depth"] == 0  # forwarding is not escalation
    assert fwd.json()["due_date"] == _due_from_today()

    dup = env.client.post(
        f"/api/v1/appeals/{second}/answer",
        json={"outcome": "duplicate", "text": "same road", "duplicate_of": first},
        headers=env.auth(region),
    )
    assert dup.status_code == 200, dup.text
    assert dup.json()["status"] == "closed" and dup.json()["duplicate_of"] == first


def test_not_competent_answer_forwards(env: Env) -> None:
    official = env.token("official", "akimat-101800000", "o3@akimat.kz")
    number = env.client.post("/api/v1/appeals", json=ROAD_IN_KURCHATOV).json()["number"]
    r = env.client.post(
        f"/api/v1/appeals/{number}/answer",
        json={"outcome": "not_competent", "text": "republican road"},
        headers=env.auth(official),
    )
    assert r.status_code == 422 and "body_id" in r.json()["detail"]
    r = env.client.post(
        f"/api/v1/appeals/{number}/answer",
        json={"outcome": "not_competent", "text": "republican road", "body_id": "transport_roads"},
        headers=env.auth(official),
    )
    assert r.status_code == 200
    assert r.json()["body"]["id"] == "transport_roads"


def test_republican_highway_goes_to_the_committee_for_roads(env: Env) -> None:
    body = {
        **ROAD_IN_KURCHATOV,
        "category": "roads_republican",
        "text": "Трасса Семей — Курчатов разбита, ямы на каждом километре.",
    }
    r = env.client.post("/api/v1/appeals", json=body)
    assert r.status_code == 201
    assert r.json()["body"]["id"] == "transport_roads"


def test_unknown_category_goes_to_the_akimat_for_triage(env: Env) -> None:
    body = {
        "text": "Сәлеметсіз бе, маған көмек керек.",
        "kind": "request",
        "kato": "101800000",
        "applicant": {"name": "Н. Н."},
    }
    r = env.client.post("/api/v1/appeals", json=body)
    assert r.status_code == 201
    assert r.json()["needs_triage"] is True
    assert r.json()["body"]["id"] == "akimat-101800000"
    assert r.json()["public"] is False


def test_place_from_a_point_and_from_the_text(env: Env) -> None:
    by_point = {
        **ROAD_IN_KURCHATOV,
        "kato": None,
        "lat": 43.238,
        "lon": 76.889,
        "text": "Pothole on our street",
    }
    r = env.client.post("/api/v1/appeals", json=by_point)
    assert r.status_code == 201 and r.json()["kato"] == "751110000"
    assert r.json()["body"]["id"] == "akimat-750000000"
    by_text = {**ROAD_IN_KURCHATOV, "kato": None, "text": "Шымкентте жолда шұңқыр көп"}
    r = env.client.post("/api/v1/appeals", json=by_text)
    assert r.status_code == 201 and r.json()["kato"] == "790000000"
    nowhere = {**ROAD_IN_KURCHATOV, "kato": None, "text": "Жолда шұңқыр көп"}
    r = env.client.post("/api/v1/appeals", json=nowhere)
    assert r.status_code == 422 and "say where" in r.json()["detail"]


def test_access_rules(env: Env) -> None:
    private = {**ROAD_IN_KURCHATOV, "public": False}
    created = env.client.post("/api/v1/appeals", json=private).json()
    number, code = created["number"], created["access_code"]
    assert env.client.get(f"/api/v1/appeals/{number}").status_code == 404
    own = env.client.get(f"/api/v1/appeals/{number}", headers={"X-Access-Code": code})
    assert own.status_code == 200 and own.json()["applicant"]["email"] == "aigerim@example.kz"
    wrong = env.client.get(f"/api/v1/appeals/{number}", headers={"X-Access-Code": "AAAAA-AAAAA"})
    assert wrong.status_code == 404
    stranger = env.token("official", "akimat-750000000", "almaty@akimat.kz")
    assert (
        env.client.get(f"/api/v1/appeals/{number}", headers=env.auth(stranger)).status_code == 404
    )
    supervisor = env.token("supervisor", "akimat-100000000", "abai@akimat.kz")
    seen = env.client.get(f"/api/v1/appeals/{number}", headers=env.auth(supervisor))
    assert seen.status_code == 200 and "applicant" in seen.json()
    inbox = env.client.get("/api/v1/appeals", headers=env.auth(supervisor)).json()
    assert number in [i["number"] for i in inbox["items"]]
    assert env.client.post(f"/api/v1/appeals/{number}/accept").status_code == 401
    bad = env.client.post(
        f"/api/v1/appeals/{number}/accept", headers={"Authorization": "Bearer nope"}
    )
    assert bad.status_code == 401


def test_public_history_verifies(env: Env) -> None:
    import hashlib
    import json

    number = env.client.post("/api/v1/appeals", json=ROAD_IN_KURCHATOV).json()["number"]
    event = env.client.get(f"/api/v1/appeals/{number}").json()["events"][0]
    payload = {
        "id": event["id"],
        "at": event["at"],
        "actor": event["actor"],
        "action": event["type"],
        "entity_type": "appeal",
        "entity_id": number,
        "old": None,
        "new": json.dumps(event["new"], ensure_ascii=False, sort_keys=True, separators=(",", ":")),
        "reason": event["reason"],
        "prev_hash": event["prev_hash"],
    }
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert hashlib.sha256(canonical.encode()).hexdigest() == event["hash"]
