"""`servicerequestupdates`: a client follows a request through the appeal's public history:
taken into work, forwarded, escalated when no answer came in time, answered; each step with its
extended status, in order, and only public steps of public requests."""

from __future__ import annotations

from datetime import datetime, timedelta

from arna.appeals.actions import lifecycle
from arna.appeals.actions.submit import submit_appeal
from arna.appeals.actions.sweep import sweep
from arna.appeals.schemas import AppealCreate, Applicant
from arna.core.actors import Actor
from arna.core.clock import now_utc
from tests.open311.conftest import POTHOLE, ROOT, GeoEnv

ADMIN = Actor("admin", name="system:test-official")
ABAI = "akimat-100000000"  # the region above Kurchatov
SEMEY = "akimat-101000000"


def _updates(geo: GeoEnv, query: str = "") -> list[dict[str, str]]:
    answer = geo.client.get(f"{ROOT}/servicerequestupdates.json?{query}")
    assert answer.status_code == 200, answer.text
    return list(answer.json())


def test_updates_follow_forwarding_escalation_and_answers(geo: GeoEnv) -> None:
    number = geo.post(**POTHOLE).json()[0]["service_request_id"]
    private = submit_appeal(
        geo.db,
        geo.settings,
        AppealCreate(
            text="Зейнетақым есептелмеді",
            kind="complaint",
            category="roads_local",
            kato="101800000",
            public=False,
            applicant=Applicant(name="Иван Петров"),
        ),
    )[0].number
    now = now_utc()
    lifecycle.accept_appeal(geo.db, geo.settings, ADMIN, number, now=now)
    lifecycle.accept_appeal(geo.db, geo.settings, ADMIN, private, now=now)
    lifecycle.forward_appeal(
        geo.db, geo.settings, ADMIN, number, body_id=SEMEY,
        reason="Көше Семей қаласының балансында, тел. 8 701 234 56 78", now=now,
    )  # fmt: skip
    # nobody answers in time: the sweep escalates it to the body above Semey's akimat
    later = now + timedelta(days=40)
    assert sweep(geo.db, geo.settings, later).escalated == 2
    held = geo.client.get(f"{ROOT}/requests/{number}.json").json()[0]
    assert held["status"] == "open" and held["agency_responsible"] == "Akimat of Abai Region"
    lifecycle.answer_appeal(
        geo.db, geo.settings, ADMIN, number, outcome="resolved",
        text="Жол жөнделді.", now=later + timedelta(days=1),
    )  # fmt: skip

    since, until = (now - timedelta(days=1)).date(), (later + timedelta(days=2)).date()
    window = f"start_date={since}&end_date={until}"
    updates = _updates(geo, window)
    assert {u["service_request_id"] for u in updates} == {number}  # the private one: not shown
    assert [u["status"] for u in updates] == [
        "OPEN", "IN_PROGRESS", "INTERNAL_REFERRAL", "INTERNAL_REFERRAL", "FIXED"
    ]  # fmt: skip
    submitted, accepted, forwarded, escalated, answered = (u["description"] for u in updates)
    assert submitted.startswith("Registered and sent to the responsible body: Akimat of Kurchatov")
    assert accepted == "Taken into work: Akimat of Kurchatov city"
    assert "Akimat of Semey" in forwarded and "[phone]" in forwarded  # the reason, redacted
    assert "Akimat of Abai Region" in escalated and "no answer came by the due date" in escalated
    assert answered.endswith("Жол жөнделді.")
    ids = [int(u["update_id"]) for u in updates]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    instants = [datetime.fromisoformat(u["updated_datetime"]) for u in updates]
    assert instants == sorted(instants) and instants[-1] > instants[0] + timedelta(days=40)

    # by default the last 90 days up to now: these are in the future of the clock
    assert [u["status"] for u in _updates(geo)] == ["OPEN", "IN_PROGRESS", "INTERNAL_REFERRAL"]
    # a window after the escalation holds only the answer; a jurisdiction narrows by place
    after = f"start_date={(later + timedelta(hours=1)).isoformat()}"
    assert [u["status"] for u in _updates(geo, after)] == ["FIXED"]
    assert _updates(geo, f"{window}&jurisdiction_id=750000000") == []
    assert len(_updates(geo, f"{window}&jurisdiction_id=100000000")) == 5
    as_xml = geo.client.get(f"{ROOT}/servicerequestupdates.xml?{window}")
    assert as_xml.text.count("<request_update>") == 5
