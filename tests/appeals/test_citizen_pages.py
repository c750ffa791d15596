"""The citizen's feedback form through HTTP: validated by the API's schema, nothing written
unless it is valid."""

from __future__ import annotations

import pytest

from tests.appeals.conftest import ROAD_IN_KURCHATOV, Env


def _answered(env: Env) -> tuple[str, str]:
    token = env.token("official", "akimat-101800000", "o@akimat.kz")
    created = env.client.post("/api/v1/appeals", json=ROAD_IN_KURCHATOV).json()
    answer = {"outcome": "resolved", "text": "Жол жөнделді."}
    r = env.client.post(
        f"/api/v1/appeals/{created['number']}/answer", json=answer, headers=env.auth(token)
    )
    assert r.status_code == 200
    return created["number"], created["access_code"]


@pytest.mark.parametrize(
    ("resolved", "rating"),
    [
        ("", "4"),
        ("maybe", "4"),
        ("1", "4"),  # the schema alone would read these as yes and no
        ("on", "4"),
        ("0", "4"),
        ("yes", ""),
        ("yes", "6"),
        ("no", "0"),
        ("yes", "03"),
        ("yes", "+4"),
    ],
)
def test_feedback_that_the_schema_rejects_is_a_422_and_changes_nothing(
    env: Env, resolved: str, rating: str
) -> None:
    number, code = _answered(env)
    form = {"number": number, "code": code, "resolved": resolved, "rating": rating}
    page = env.client.post("/track/feedback?lang=en", data=form)
    assert page.status_code == 422
    assert "rate it from 1 to 5" in page.text
    appeal = env.client.get(f"/api/v1/appeals/{number}", headers={"X-Access-Code": code}).json()
    assert appeal["status"] == "answered" and appeal["feedback_rating"] is None


def test_feedback_yes_closes_and_no_escalates(env: Env) -> None:
    number, code = _answered(env)
    form = {"number": number, "code": code, "resolved": "no", "rating": "2"}
    page = env.client.post("/track/feedback?lang=en", data=form)
    assert page.status_code == 200
    assert "goes up to the body above" in page.text
    appeal = env.client.get(f"/api/v1/appeals/{number}", headers={"X-Access-Code": code}).json()
    assert appeal["escalation_depth"] == 1 and appeal["feedback_rating"] == 2
    again = env.client.post("/track/feedback?lang=en", data={**form, "resolved": "yes"})
    assert again.status_code == 409
