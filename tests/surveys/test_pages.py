"""Surveys' pages through HTTP against a real database: the list, a survey's weighted figures (the
shares and margins of error the API gives, a chart drawn on the server, the method beside every
figure, suppressed cells with the reason, the trust index by month), an unweighted survey that
says so, the respondent's form (errors, kept answers, CSRF, one response per form, a closed
survey), and the analyst's workbench (load an XLSForm, import a CSV, weigh, close; refusals)."""

from __future__ import annotations

import html
import re

from sqlalchemy import func, select

from arna.surveys import demo
from arna.surveys.models import SurveyResponse
from tests.appeals.conftest import Env
from tests.surveys.making import csv_of, generated, load_survey
from tests.surveys.xlsforms import xlsx

ADMIN = "admin@example.kz"


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no hidden {name}"
    return html.unescape(found.group(1))


def _stored(env: Env) -> int:
    with env.db.read() as session:
        return session.scalar(select(func.count()).select_from(SurveyResponse)) or 0


def _login(env: Env, email: str) -> None:
    csrf = _hidden(env.client.get("/official/login").text, "csrf")
    done = env.client.post(
        "/official/login",
        data={"email": email, "password": "password-123", "csrf": csrf},
        follow_redirects=False,
    )
    assert done.status_code == 303


def _weighted_survey(env: Env, n: int = 1500) -> str:
    token = env.token("admin", None, ADMIN)
    number = load_survey(env, token)
    files = {"file": ("kobo.csv", csv_of(generated(n)), "text/csv")}
    imported = env.client.post(
        f"/api/v1/surveys/{number}/imports", files=files, headers=env.auth(token)
    )
    assert imported.status_code == 200, imported.text
    weighed = env.client.post(
        f"/api/v1/surveys/{number}/weighting", json={}, headers=env.auth(token)
    )
    assert weighed.status_code == 200, weighed.text
    return number


def test_the_list_and_a_weighted_survey(env: Env) -> None:
    number = _weighted_survey(env)
    listed = env.client.get("/surveys?lang=en")
    assert listed.status_code == 200
    text = _text(listed.text)
    assert "Open surveys (1)" in text and "Responses 1,500" in text
    assert f'href="/surveys/{number}"' in listed.text
    assert "Открытые" not in text and "Опросы" in _text(env.client.get("/surveys?lang=ru").text)

    page = env.client.get(f"/surveys/{number}?lang=en")
    assert page.status_code == 200
    text = _text(page.text)
    report = env.client.get(f"/api/v1/surveys/{number}/weighting").json()
    assert f"Effective n {report['effective_n']:,.0f}" in text
    assert f"Design effect (Kish) {report['deff']:.2f}" in text
    assert "Weighted to region, sex, urban or rural" in text and "not weighted" not in text
    # every share and margin of the API is on the page, in a table beside its chart
    results = env.client.get(f"/api/v1/surveys/{number}/results?language=en").json()
    police = next(q for q in results["questions"] if q["key"] == "trust_police")
    for s in police["cells"][0]["shares"]:
        row = f"{s['label']} {s['share'] * 100:.1f}% {s['moe'] * 100:.1f}"
        assert row in text, row
    assert page.text.count('<svg class="survey-chart"') == len(results["questions"])
    assert page.text.count("1.96·√(deff·p(1−p)/n)") >= len(results["questions"])
    assert "docs/methodology.md#surveys" in text and "fewer than 30 respondents" in text
    # the trust index by institution and month, each with its interval
    assert page.text.count('<svg class="survey-trend"') == 7
    trust = env.client.get(f"/api/v1/surveys/{number}/trust").json()
    courts = next(c for c in trust["cells"] if c["institution"] == "courts" and not c["region"])
    assert f"The courts {courts['share'] * 100:.1f}% ± {courts['moe'] * 100:.1f}" in text
    # broken down by region: the small regions suppressed, with n and why
    by = _text(env.client.get(f"/surveys/{number}?lang=en&by=region").text)
    assert "By region: shares with their 95 % margins of error" in by
    assert re.search(r"Suppressed: \d+ respondents answered, fewer than the 30", by)
    assert env.client.get(f"/surveys/{number}?by=nonsense").status_code == 200
    assert env.client.get("/surveys/S-1999-000001").status_code == 404
    assert env.client.get("/surveys/nonsense?lang=en").status_code == 404
    assert env.client.get("/surveys?page=x&closed_page=99999").status_code == 200


def test_an_unweighted_survey_says_so(env: Env) -> None:
    token = env.token("admin", None, ADMIN)
    number = load_survey(env, token)
    empty = _text(env.client.get(f"/surveys/{number}?lang=en").text)
    assert "These figures are not weighted" in empty and "No answers yet" in empty
    env.client.post(
        f"/api/v1/surveys/{number}/imports",
        content=csv_of(generated(20)),
        headers={**env.auth(token), "content-type": "text/csv"},
    )
    text = _text(env.client.get(f"/surveys/{number}?lang=en").text)
    assert "These figures are not weighted" in text and "Unweighted" in text
    assert "Unweighted: the shares of the respondents as they answered" in text
    assert "1.96·√(p(1−p)/n)" in text
    # 20 respondents: every figure suppressed, with the reason
    assert "Suppressed: 20 respondents answered, fewer than the 30 a figure needs." in text
    assert '<svg class="survey-chart"' not in env.client.get(f"/surveys/{number}").text


def test_a_respondent_fills_the_web_form(env: Env) -> None:
    number = load_survey(env, env.token("admin", None, ADMIN))
    url = f"/surveys/{number}/respond"
    page = env.client.get(f"{url}?lang=kk")
    assert page.status_code == 200 and "no-store" in page.headers["cache-control"]
    assert 'type="radio" name="trust_police" value="3"' in page.text
    assert 'type="checkbox" name="issues" value="roads"' in page.text
    assert 'name="age" type="number"' in page.text and "Полиция: сенім" in page.text
    csrf, key = _hidden(page.text, "csrf"), _hidden(page.text, "key")

    # nothing answered, an age out of range: the errors at the top and by the questions, kept
    wrong = env.client.post(f"{url}?lang=en", data={"csrf": csrf, "key": key, "age": "12"})
    assert wrong.status_code == 422
    assert 'role="alert"' in wrong.text and "Answer this question: it is required." in wrong.text
    assert "Enter an age from 16 to 120." in wrong.text
    assert 'value="12"' in wrong.text and 'aria-invalid="true"' in wrong.text
    assert _stored(env) == 0

    answers = {
        "csrf": csrf, "key": key, "region": "750000000", "sex": "female", "age": "34",
        "settlement": "urban", "issues": ["roads", "prices"],
        **{f"trust_{i}": "3" for i in ("akimat", "police", "courts", "parliament", "parties",
                                       "ministries", "presidential_administration")},
    }  # fmt: skip
    done = env.client.post(url, data=answers, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/surveys/{number}/thanks"
    assert _stored(env) == 1
    thanks = env.client.get(done.headers["location"] + "?lang=en")
    assert thanks.status_code == 200 and "Your answers are saved." in thanks.text
    again = env.client.post(url, data=answers, follow_redirects=False)  # sent twice: one stored
    assert again.status_code == 303 and _stored(env) == 1
    other = env.client.post(url, data={**answers, "sex": "male"})
    assert other.status_code == 409 and _stored(env) == 1
    with env.db.read() as session:
        row = session.scalars(select(SurveyResponse)).one()
        assert (row.region, row.sex, row.age_group) == ("750000000", "female", "30-44")

    # a form not from this browser
    foreign = env.client.post(url, data={**answers, "csrf": "x" * 43, "key": "a" * 32})
    assert foreign.status_code == 403 and _stored(env) == 1
    # a closed survey refuses, with a message
    closing = env.client.post(
        f"/api/v1/surveys/{number}/closing", headers=env.auth(env.token("admin", None, "b@x.kz"))
    )
    assert closing.status_code == 200 and closing.json()["status"] == "closed"
    shut = env.client.get(f"{url}?lang=en")
    assert shut.status_code == 409 and "This survey is closed" in shut.text
    late = env.client.post(url, data={**answers, "key": "b" * 32})
    assert late.status_code == 409 and _stored(env) == 1
    assert env.client.post("/surveys/S-1999-000001/respond", data=answers).status_code == 404


def test_the_analyst_loads_imports_weighs_and_closes(env: Env) -> None:
    env.token("official", "akimat-790000000", "analyst@akimat.kz")
    env.token("official", "akimat-750000000", "other@akimat.kz")
    _login(env, "analyst@akimat.kz")
    page = env.client.get("/official/surveys?lang=en")
    assert page.status_code == 200 and "no-store" in page.headers["cache-control"]
    assert "No survey yet" in page.text
    csrf = _hidden(page.text, "csrf")

    form = {"file": ("living.xlsx", xlsx(), "application/octet-stream")}
    made = env.client.post(
        "/official/surveys", data={"csrf": csrf, "title": "Тұрмыс"}, files=form,
        follow_redirects=False,
    )  # fmt: skip
    assert made.status_code == 303, made.text
    trust = {"file": ("trust.xlsx", demo.form_xlsx(), "application/octet-stream")}
    made = env.client.post(
        "/official/surveys", data={"csrf": csrf}, files=trust, follow_redirects=False
    )
    number = re.search(r"number=(S-\d{4}-\d{6})", made.headers["location"])
    assert number, made.headers["location"]
    number_ = number.group(1)
    listed = env.client.get(made.headers["location"] + "&lang=en").text
    assert f"survey {number_}: it takes responses now" in _text(listed)

    # a CSV with bad lines: each named, nothing imported
    rows = generated(1500)
    bad = [dict(r) for r in rows]
    bad[4]["trust_courts"] = "9x"
    bad[10]["region"] = "KZ-00"
    files = {"file": ("bad.csv", csv_of(bad), "text/csv")}
    url = f"/official/surveys/{number_}"
    refused = env.client.post(f"{url}/responses?lang=en", data={"csrf": csrf}, files=files)
    assert refused.status_code == 422 and _stored(env) == 0
    assert "Nothing was imported: 2 lines are wrong." in refused.text
    assert "Line 6: trust_courts" in refused.text and "Line 12: region" in refused.text
    files = {"file": ("good.csv", csv_of(rows), "text/csv")}
    done = env.client.post(f"{url}/responses", data={"csrf": csrf}, files=files)
    assert done.status_code == 200 and _stored(env) == 1500
    assert "Imported: 1,500 new responses, 0 already there." in _text(
        env.client.get(str(done.url) + "&lang=en").text
    )
    again = env.client.post(f"{url}/responses?lang=en", data={"csrf": csrf}, files=files)
    assert "Imported: 0 new responses, 1,500 already there." in _text(again.text)
    assert _stored(env) == 1500

    weighed = env.client.post(f"{url}/weighting?lang=en", data={"csrf": csrf})
    assert weighed.status_code == 200 and "Weighted: the public figures" in weighed.text
    public = _text(env.client.get(f"/surveys/{number_}?lang=en").text)
    assert "Weighted to region, sex, urban or rural" in public

    unconfirmed = env.client.post(f"{url}/closing?lang=en", data={"csrf": csrf})
    assert unconfirmed.status_code == 422 and "Tick the box to confirm" in unconfirmed.text
    closed = env.client.post(f"{url}/closing", data={"csrf": csrf, "confirm": "yes"})
    assert closed.status_code == 200
    assert env.client.get(f"/api/v1/surveys/{number_}").json()["survey"]["status"] == "closed"

    # refusals: no CSRF, not an XLSForm, nothing chosen, a file over the request limit
    assert env.client.post(f"{url}/weighting", data={"csrf": "x"}).status_code == 403
    odd = {"file": ("form.pdf", b"%PDF", "application/pdf")}
    not_form = env.client.post("/official/surveys?lang=en", data={"csrf": csrf}, files=odd)
    assert not_form.status_code == 422 and "An XLSForm is a file ending in" in not_form.text
    broken = {"file": ("form.xlsx", b"not a workbook", "application/octet-stream")}
    unread = env.client.post("/official/surveys?lang=en", data={"csrf": csrf}, files=broken)
    assert unread.status_code == 422 and "The form cannot be read" in unread.text
    nothing = env.client.post("/official/surveys?lang=en", data={"csrf": csrf})
    assert nothing.status_code == 422 and "Choose the file to upload." in nothing.text
    huge = {"file": ("big.csv", b"x" * (env.settings.max_request_bytes + 10), "text/csv")}
    large = env.client.post(f"{url}/responses", data={"csrf": csrf}, files=huge)
    assert large.status_code == 413 and large.headers["content-type"].startswith("text/html")

    # another official neither sees nor manages this survey
    env.client.post("/official/logout", data={"csrf": csrf})
    _login(env, "other@akimat.kz")
    theirs = env.client.get("/official/surveys")
    assert number_ not in theirs.text
    other = _hidden(theirs.text, "csrf")
    assert env.client.post(f"{url}/weighting", data={"csrf": other}).status_code == 403
    env.client.cookies.clear()
    anonymous = env.client.post(f"{url}/weighting", data={"csrf": other}, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/official/login"


def test_the_api_imports_a_csv_and_closes(env: Env) -> None:
    token = env.token("admin", None, ADMIN)
    number = load_survey(env, token)
    url = f"/api/v1/surveys/{number}/imports"
    rows = generated(40)
    body = csv_of(rows)
    assert (
        env.client.post(url, content=body, headers={"content-type": "text/csv"}).status_code == 401
    )
    bad = [dict(r) for r in rows]
    bad[2]["trust_police"] = "7"
    refused = env.client.post(
        url, content=csv_of(bad), headers={**env.auth(token), "content-type": "text/csv"}
    )
    assert refused.status_code == 422 and refused.json()["rows"][0]["line"] == 4
    as_text = env.client.post(
        url, content=body, headers={**env.auth(token), "content-type": "text/csv"}
    )
    assert as_text.status_code == 200 and as_text.json()["added"] == 40
    as_file = env.client.post(
        url, files={"file": ("r.csv", body, "text/csv")}, headers=env.auth(token)
    )
    assert as_file.status_code == 200 and as_file.json()["already_there"] == 40
    odd = env.client.post(
        url, content=b"{}", headers={**env.auth(token), "content-type": "application/json"}
    )
    assert odd.status_code == 422
    no_file = env.client.post(
        url, data={"x": "1"}, files={"y": ("a", b"b")}, headers=env.auth(token)
    )
    assert no_file.status_code == 422
    official = env.token("official", "akimat-790000000", "o@akimat.kz")
    assert (
        env.client.post(f"/api/v1/surveys/{number}/closing", headers=env.auth(official)).status_code
        == 403
    )
    closing = env.client.post(f"/api/v1/surveys/{number}/closing", headers=env.auth(token))
    assert closing.status_code == 200 and closing.json()["status"] == "closed"
    assert (
        env.client.post(f"/api/v1/surveys/{number}/closing", headers=env.auth(token)).status_code
        == 409
    )
    late = env.client.post(
        url, content=body, headers={**env.auth(token), "content-type": "text/csv"}
    )
    assert late.status_code == 409
    assert (
        env.client.post(
            "/api/v1/surveys/S-1999-000001/closing", headers=env.auth(token)
        ).status_code
        == 404
    )
