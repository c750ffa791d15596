"""One appeal on the official's desk, through HTTP against a real database: nothing preselected
that decides the outcome, accepting, correcting the topic or place (audited, refused to other
bodies), and what the page tells (topic, place, language, the true state, the history)."""

from __future__ import annotations

import pytest

from arna.appeals.schemas import AppealCreated
from tests.appeals.conftest import Env
from tests.appeals.test_workbench import KURCHATOV, SEMEY, Selects, csrf_of, log_in, register


@pytest.fixture
def desk(env: Env) -> tuple[Env, AppealCreated]:
    """The Kurchatov akimat's official, logged in, with a pothole appeal that Arna placed."""
    env.token("official", "akimat-101800000", "o@akimat.kz")
    env.token("official", "akimat-101000000", "semey@akimat.kz")
    appeal = register(
        env, "Курчатов қаласында жолда үлкен шұңқыр бар.", category="roads_local", kato=KURCHATOV
    )
    log_in(env, "o@akimat.kz")
    return env, appeal


def _events(env: Env, number: str) -> list[dict[str, object]]:
    events: list[dict[str, object]] = env.client.get(f"/api/v1/appeals/{number}").json()["events"]
    return events


def test_the_page_says_what_where_in_which_language_and_the_true_state(
    desk: tuple[Env, AppealCreated],
) -> None:
    env, appeal = desk
    page = env.client.get(f"/official/appeals/{appeal.number}?lang=en").text
    assert 'id="topic">Oblast and district roads' in page
    assert "(chosen by the applicant)" in page
    assert 'id="place">Kurchatov, Abai Region' in page
    assert 'id="language" lang="kk">Қазақша' in page
    assert 'id="kind">Complaint' in page and 'id="visibility">Public' in page
    assert (
        'data-stage="handling"' in page and 'id="situation">Handled by Akimat of Kurchatov' in page
    )
    assert '<ol class="timeline">' in page and "Registered and sent to the responsible body" in page
    assert "Arna reads this as:" in page  # the topics the text suggests, to correct a wrong one
    ru = env.client.get(f"/official/appeals/{appeal.number}?lang=ru").text
    assert "Курчатов" in ru and "Тема" in ru


def test_nothing_that_decides_the_outcome_is_preselected(desk: tuple[Env, AppealCreated]) -> None:
    env, appeal = desk
    page = env.client.get(f"/official/appeals/{appeal.number}?lang=en").text
    selects = Selects(page).selects
    for form_field in ("outcome", "forward-body", "answer-body", "category", "kato"):
        options = selects[form_field]
        assert options[0][0] == "", form_field  # the "Choose…" / "keep" option comes first
        assert [o for o in options if o[1]] == [], f"{form_field} has a preselected option"
    assert 'id="outcome" name="outcome" required' in page
    assert 'id="forward-body" name="body_id" required' in page
    assert "Choose the outcome…" in page and "Choose the body…" in page
    # the body competent for the topic, the bodies above and the others: Abai's, not elsewhere
    bodies = [value for value, _, _ in selects["forward-body"][1:]]
    assert "akimat-100000000" in bodies and "government" in bodies
    assert "akimat-101800000" not in bodies  # not the body holding it

    csrf = csrf_of(page)
    unanswered = env.client.post(
        f"/official/appeals/{appeal.number}/answer?lang=en",
        data={"csrf": csrf, "text": "Жол жөнделді."},  # no outcome chosen
    )
    assert unanswered.status_code == 422
    assert "Choose the outcome of the answer." in unanswered.text
    unforwarded = env.client.post(
        f"/official/appeals/{appeal.number}/forward?lang=ru",
        data={"csrf": csrf, "body_id": "", "reason": "Не наша дорога"},
    )
    assert unforwarded.status_code == 422
    assert "Выберите орган, которому передаётся обращение." in unforwarded.text
    assert [e["type"] for e in _events(env, appeal.number)] == ["appeal.submitted"]


def test_accepting_takes_it_into_work_once(desk: tuple[Env, AppealCreated]) -> None:
    env, appeal = desk
    page = env.client.get(f"/official/appeals/{appeal.number}?lang=en").text
    assert "Accept (take into work)" in page
    accepted = env.client.post(
        f"/official/appeals/{appeal.number}/accept", data={"csrf": csrf_of(page)},
        follow_redirects=False,
    )  # fmt: skip
    assert accepted.status_code == 303
    assert accepted.headers["location"].endswith("?done=accepted")
    assert env.client.get(f"/api/v1/appeals/{appeal.number}").json()["status"] == "in_progress"
    assert [e["type"] for e in _events(env, appeal.number)][-1] == "appeal.accepted"
    after = env.client.get(f"/official/appeals/{appeal.number}?done=accepted&lang=en").text
    assert "The appeal is taken into work." in after and "Accept (take into work)" not in after
    assert 'id="status">Taken into work' in after
    again = env.client.post(
        f"/official/appeals/{appeal.number}/accept?lang=en", data={"csrf": csrf_of(page)}
    )
    assert again.status_code == 409 and "present state" in again.text
    forged = env.client.post(f"/official/appeals/{appeal.number}/accept", data={"csrf": "x"})
    assert forged.status_code == 403


def test_correcting_topic_and_place_is_audited_and_does_not_reroute(
    desk: tuple[Env, AppealCreated],
) -> None:
    env, appeal = desk
    csrf = csrf_of(env.client.get(f"/official/appeals/{appeal.number}").text)
    corrected = env.client.post(
        f"/official/appeals/{appeal.number}/reclassify",
        data={"csrf": csrf, "category": "public_transport", "kato": SEMEY},
        follow_redirects=False,
    )
    assert corrected.status_code == 303
    now = env.client.get(f"/api/v1/appeals/{appeal.number}").json()
    assert (now["category"], now["kato"], now["region_kato"]) == (
        "public_transport",
        SEMEY,
        "100000000",
    )
    assert now["body"]["id"] == "akimat-101800000"  # not re-routed: forwarding is a decision
    event = now["events"][-1]
    assert event["type"] == "appeal.reclassified"
    assert event["actor"].startswith("user:")
    assert (event["old"]["category"], event["old"]["kato"]) == ("roads_local", KURCHATOV)
    assert (event["new"]["category"], event["new"]["kato"]) == ("public_transport", SEMEY)
    page = env.client.get(f"/official/appeals/{appeal.number}?done=reclassified&lang=en").text
    assert "(corrected by an official)" in page and 'id="place">Semey, Abai Region' in page
    assert "Topic or place corrected by an official" in page and "topic: Urban and suburban" in page
    # the same choice again is refused with a reason, and nothing is written
    same = env.client.post(
        f"/official/appeals/{appeal.number}/reclassify?lang=en",
        data={"csrf": csrf, "category": "public_transport"},
    )
    assert same.status_code == 422 and "these are the appeal&#39;s already" in same.text
    unknown = env.client.post(
        f"/official/appeals/{appeal.number}/reclassify?lang=en",
        data={"csrf": csrf, "kato": "000000000"},
    )
    assert unknown.status_code == 422 and "Choose a place from the list." in unknown.text
    assert [e["type"] for e in _events(env, appeal.number)].count("appeal.reclassified") == 1


def test_another_bodys_official_cannot_correct_it(desk: tuple[Env, AppealCreated]) -> None:
    env, appeal = desk
    log_in(env, "semey@akimat.kz")
    csrf = csrf_of(env.client.get("/official/").text)
    refused = env.client.post(
        f"/official/appeals/{appeal.number}/reclassify",
        data={"csrf": csrf, "category": "public_transport"},
    )
    assert refused.status_code == 404
    token = env.token("official", "akimat-101000000", "semey-api@akimat.kz")
    by_api = env.client.post(
        f"/api/v1/appeals/{appeal.number}/reclassify",
        json={"category": "public_transport"},
        headers=env.auth(token),
    )
    assert by_api.status_code == 404
    own = env.token("official", "akimat-101800000", "kurchatov-api@akimat.kz")
    empty = env.client.post(
        f"/api/v1/appeals/{appeal.number}/reclassify", json={}, headers=env.auth(own)
    )
    assert empty.status_code == 422
    ok = env.client.post(
        f"/api/v1/appeals/{appeal.number}/reclassify",
        json={"category": "housing_utilities"},
        headers=env.auth(own),
    )
    assert ok.status_code == 200 and ok.json()["category"] == "housing_utilities"
    assert [e["type"] for e in ok.json()["events"]] == ["appeal.submitted", "appeal.reclassified"]


def test_an_appeal_without_a_place_is_offered_country_wide_bodies(env: Env) -> None:
    """Not those of Abai Region, as if every unplaced appeal were there."""
    appeal = register(
        env, "Менің зейнетақы жинағым дұрыс есептелмеген.", category="pension_savings", kato=None
    )
    assert appeal.kato is None and appeal.body.id == "enpf"
    env.token("official", "enpf", "enpf@example.kz")
    log_in(env, "enpf@example.kz")
    page = env.client.get(f"/official/appeals/{appeal.number}?lang=en").text
    bodies = [value for value, _, _ in Selects(page).selects["forward-body"][1:]]
    assert bodies and not [b for b in bodies if b.endswith("-100000000")]
    assert "transport_roads" in bodies  # a national body for another topic
    assert 'id="forward-hint"' in page and "Set the place below" in page
    assert 'id="place">Place not known' in page
