"""Surveys through the HTTP API against a real database: a questionnaire loaded from an XLSForm,
responses submitted (idempotent by key) and imported (idempotent, all or nothing), weighted to
the population, and the weighted results, their margins of error, suppression and the trust
index; and the refusals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sqlalchemy import select

from arna.core.actors import Actor
from arna.core.errors import ValidationFailed
from arna.surveys.actions.responses import import_responses
from arna.surveys.margins import reference_margins
from arna.surveys.models import SurveyResponse
from tests.appeals.conftest import Env
from tests.surveys.making import csv_of, generated, load_survey

ADMIN = Actor("admin", name="system:test")
ANSWERS = {
    "region": "750000000",
    "sex": "female",
    "age": 34,
    "settlement": "urban",
    **{f"trust_{name}": "2" for name in ("akimat", "courts", "parliament", "parties")},
    "trust_ministries": "dk",
    "trust_presidential_administration": "4",
    "trust_police": "3",
    "issues": ["roads", "prices"],
}


def _stored(env: Env) -> int:
    with env.db.read() as session:
        return len(session.scalars(select(SurveyResponse.id)).all())


def test_a_questionnaire_is_loaded_from_an_xlsform(env: Env) -> None:
    admin = env.token("admin", None, "admin@example.kz")
    number = load_survey(env, admin)
    assert number.startswith("S-") and len(number) == len("S-2026-000001")
    shown = env.client.get(f"/api/v1/surveys/{number}", params={"language": "kk"}).json()
    assert shown["survey"]["languages"] == ["kk", "ru", "en"]
    assert shown["survey"]["status"] == "open" and shown["survey"]["responses"] == 0
    police = next(q for q in shown["questions"] if q["key"] == "trust_police")
    assert police["label"].startswith("Полиция") and len(police["choices"]) == 5
    listed = env.client.get("/api/v1/surveys").json()
    assert [s["number"] for s in listed["items"]] == [number]

    # refusals: no token, not an XLSForm, a file type that is none, too large
    files = {"file": ("form.xlsx", b"not a workbook", "application/octet-stream")}
    assert env.client.post("/api/v1/surveys", files=files).status_code == 401
    bad = env.client.post("/api/v1/surveys", files=files, headers=env.auth(admin))
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
    odd = {"file": ("form.pdf", b"%PDF", "application/pdf")}
    assert env.client.post("/api/v1/surveys", files=odd, headers=env.auth(admin)).status_code == 422
    huge = {"file": ("form.xlsx", b"x" * 3_000_000, "application/octet-stream")}
    too_large = env.client.post("/api/v1/surveys", files=huge, headers=env.auth(admin))
    assert too_large.status_code == 413
    md = "| survey |\n| | type | name | label |\n| | integer | age | Age |\n"
    plain = {"file": ("short.md", md.encode(), "text/markdown")}
    made = env.client.post("/api/v1/surveys", files=plain, headers=env.auth(admin))
    assert made.status_code == 201, made.text
    assert env.client.get("/api/v1/surveys/S-2026-999999").status_code == 404


def test_a_response_is_stored_once_under_its_key(env: Env) -> None:
    number = load_survey(env, env.token("admin", None, "admin@example.kz"))
    url = f"/api/v1/surveys/{number}/responses"
    key = {"Idempotency-Key": "r-0001"}
    first = env.client.post(url, json={"answers": ANSWERS}, headers=key)
    assert first.status_code == 201 and first.json() == {
        "survey": number,
        "key": "r-0001",
        "stored": True,
    }
    again = env.client.post(url, json={"answers": ANSWERS}, headers=key)
    assert again.status_code == 200 and again.json()["stored"] is False
    other = env.client.post(url, json={"answers": {**ANSWERS, "trust_police": "1"}}, headers=key)
    assert other.status_code == 409
    assert _stored(env) == 1
    # the respondent's raking variables come from the answers (or the `respondent` object)
    with env.db.read() as session:
        row = session.scalars(select(SurveyResponse)).one()
        assert (row.region, row.sex, row.settlement, row.age_group) == (
            "750000000",
            "female",
            "urban",
            "30-44",
        )
    for wrong in (
        {"answers": {**ANSWERS, "trust_police": "7"}},
        {"answers": {**ANSWERS, "no_such_question": "1"}},
        {"answers": ANSWERS, "respondent": {"region": "123"}},
        {"answers": ANSWERS, "extra": 1},
        {"answers": "not a mapping"},
    ):
        refused = env.client.post(url, json=wrong)
        assert refused.status_code == 422, (wrong, refused.text)
    assert env.client.post(
        url, content=b"{", headers={"content-type": "application/json"}
    ).status_code in (400, 422)
    assert _stored(env) == 1
    assert (
        env.client.post("/api/v1/surveys/S-1/responses", json={"answers": ANSWERS}).status_code
        == 404
    )


def test_an_import_is_idempotent_and_all_or_nothing(env: Env) -> None:
    number = load_survey(env, env.token("admin", None, "admin@example.kz"))
    rows = generated(60)
    bad = [dict(r) for r in rows]
    bad[4]["trust_courts"] = "9x"
    bad[10]["region"] = "KZ-00"
    bad[20]["_uuid"] = bad[19]["_uuid"]  # the same key with other answers
    with pytest.raises(ValidationFailed) as refused:
        import_responses(env.db, ADMIN, number, csv_of(bad))
    lines = [r["line"] for r in refused.value.details["rows"]]
    assert lines == [6, 12, 22]  # the header is line 1
    assert _stored(env) == 0

    first = import_responses(env.db, ADMIN, number, csv_of(rows))
    assert (first.added, first.already_there) == (60, 0)
    again = import_responses(env.db, ADMIN, number, csv_of(rows + generated(5, seed=8)))
    assert (again.added, again.already_there) == (5, 60)
    assert _stored(env) == 65
    changed = [dict(r) for r in rows]
    changed[0]["trust_police"] = "1" if changed[0]["trust_police"] != "1" else "2"
    with pytest.raises(ValidationFailed):
        import_responses(env.db, ADMIN, number, csv_of(changed))
    assert _stored(env) == 65
    shown = env.client.get(f"/api/v1/surveys/{number}").json()["survey"]
    assert shown["responses"] == 65 and shown["fielded_from"] is not None


def test_weighted_results_margins_of_error_and_suppression(env: Env) -> None:
    admin = env.token("admin", None, "admin@example.kz")
    number = load_survey(env, admin)
    import_responses(env.db, ADMIN, number, csv_of(generated(1500)))
    unweighted = env.client.get(f"/api/v1/surveys/{number}/results").json()
    assert unweighted["weighted"] is False

    weighed = env.client.post(
        f"/api/v1/surveys/{number}/weighting", json={}, headers=env.auth(admin)
    )
    assert weighed.status_code == 200, weighed.text
    report = weighed.json()
    assert report["converged"] and report["n"] == 1500 and report["left_out"] == 0
    assert report["variables"] == ["region", "sex", "settlement"]
    assert report["deff"] > 1 and math.isclose(report["effective_n"], 1500 / report["deff"])
    assert env.client.get(f"/api/v1/surveys/{number}/weighting").json()["stale"] is False

    found = env.client.get(f"/api/v1/surveys/{number}/results").json()
    assert found["weighted"] is True
    questions = {q["key"]: q for q in found["questions"]}
    # the weighted regions are the population's
    (everyone,) = questions["region"]["cells"]
    population = reference_margins()["region"]
    for share in everyone["shares"]:
        assert share["share"] == pytest.approx(population[share["choice"]], abs=1e-6)
    # every margin of error is 1.96·√(deff·p(1−p)/n)
    for question in found["questions"]:
        for cell in question["cells"]:
            for s in cell["shares"]:
                expected = 1.96 * math.sqrt(
                    cell["deff"] * s["share"] * (1 - s["share"]) / cell["n"]
                )
                assert s["moe"] == pytest.approx(expected, rel=1e-12)
    # and the share is the weighted share, recomputed from the stored weights
    with env.db.read() as session:
        stored = session.execute(select(SurveyResponse.answers, SurveyResponse.weight)).all()
    import json

    police = [(json.loads(a).get("trust_police"), w) for a, w in stored]
    answered = [(a, w) for a, w in police if a]
    w = np.array([w for _, w in answered])
    yes = np.array([a == "3" for a, _ in answered])
    (cell,) = questions["trust_police"]["cells"]
    three = next(s for s in cell["shares"] if s["choice"] == "3")
    assert three["share"] == pytest.approx(float((w * yes).sum() / w.sum()), rel=1e-9)
    assert cell["deff"] == pytest.approx(len(w) * float((w * w).sum()) / float(w.sum()) ** 2)

    # by region: the small regions are suppressed, with n and no figure
    by = env.client.get(
        f"/api/v1/surveys/{number}/results", params={"by": "region", "minimum_n": 50}
    ).json()
    cells = by["questions"][1]["cells"]
    assert len(cells) == 20
    small = [c for c in cells if c["n"] < 50]
    assert small and all(c["suppressed"] and c["deff"] is None for c in small)
    assert all(s["share"] is None and s["moe"] is None for c in small for s in c["shares"])
    assert all(
        not c["suppressed"] and c["shares"][0]["share"] is not None for c in cells if c["n"] >= 50
    )
    assert sum(c["n"] for c in cells) == 1500
    bad = env.client.get(f"/api/v1/surveys/{number}/results", params={"by": "name"})
    assert bad.status_code == 422


def test_the_trust_index(env: Env) -> None:
    admin = env.token("admin", None, "admin@example.kz")
    number = load_survey(env, admin)
    import_responses(env.db, ADMIN, number, csv_of(generated(1500)))
    env.client.post(f"/api/v1/surveys/{number}/weighting", json={}, headers=env.auth(admin))
    found = env.client.get(f"/api/v1/surveys/{number}/trust").json()
    assert found["weighted"] and len(found["institutions"]) == 7
    country = {c["institution"]: c for c in found["cells"] if c["level"] == "country"}
    assert country["presidential_administration"]["share"] > country["parties"]["share"]
    for cell in found["cells"] + found["over_time"]:
        if not cell["suppressed"]:
            expected = 1.96 * math.sqrt(
                cell["deff"] * cell["share"] * (1 - cell["share"]) / cell["n"]
            )
            assert cell["moe"] == pytest.approx(expected, rel=1e-12)
    regions = [c for c in found["cells"] if c["level"] == "region" and c["institution"] == "police"]
    assert len(regions) == 20
    months = [c["month"] for c in found["over_time"] if c["institution"] == "police"]
    assert months == sorted(months) and len(months) >= 3
    # the share trusting: the scale's two highest points among those on the scale
    with env.db.read() as session:
        import json

        stored = session.execute(select(SurveyResponse.answers, SurveyResponse.weight)).all()
    courts = [(json.loads(a)["trust_courts"], w) for a, w in stored]
    on_scale = [(a, w) for a, w in courts if a != "dk"]
    total = sum(w for _, w in on_scale)
    trusting = sum(w for a, w in on_scale if a in ("3", "4")) / total
    assert country["courts"]["share"] == pytest.approx(trusting, rel=1e-9)
    assert country["courts"]["n"] == len(on_scale)


def test_the_demo_survey(env: Env) -> None:
    from arna.surveys import demo

    assert demo.seed(env.db, 2026) == {"surveys": 1, "responses": 1500}
    (survey,) = env.client.get("/api/v1/surveys").json()["items"]
    report = env.client.get(f"/api/v1/surveys/{survey['number']}/weighting").json()
    assert report["converged"] and report["n"] == 1500 and report["deff"] > 1
    trust = env.client.get(f"/api/v1/surveys/{survey['number']}/trust").json()
    assert len(trust["institutions"]) == 7
