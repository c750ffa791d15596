"""The authorisation matrix: every route the application registers, what the test sends it, and
what each role gets back (tests/web/test_authorisation_matrix.py asks them all).

A row's expectations are one token per role, in the order of `ROLES`: a status code, or `login`
for the workbench's redirect to its login page. Refusals are 401 (the API without a bearer
token), 403 (an account that may not do this, on a thing it may see), 404 (a thing it may not
see: the same answer as for a thing that does not exist) and `login`. A 409 or 422 to a role
means it got past the access check to a rule of the thing's state or of the request: the writes
are sent to things in a state where the allowed roles meet such a rule, so that the matrix
changes little, and a valid request, so that a refused role is refused for who it is, not for
what it sent.

The things (see `authorisation_world.seed`), all of the district (the city of Semey):
`appeal` is a private appeal it answered (`feedback_appeal` and `track_feedback_appeal` too, for
the applicant's feedback through the API and the tracking page); `public_appeal` a public one;
`problem` the shared problem public appeals report; `draft`, `cosigning_draft` and `send_draft`
petitions' drafts (the applicant holds their author's code), `petition` an open petition;
`consultation` open and `closed_consultation` closed; `survey` loaded by the district's official.

Refusals that are not 401/403/404, as the application makes them today: without an access code
an appeal's feedback and a draft's sending out answer 422 (the X-Access-Code header is missing;
nothing is looked up, so a missing number gets the same); representatives' imports answer 403
to anybody but administrators, token or not; the public forms with a CSRF double submit
(logging in, voting, a survey's form) answer 403 to a request without the form's cookie.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from tests.web.authorisation_world import ABAI, ROAD, ROLES, SEMEY

A, O3 = "/api/v1", "/open311/v2"
UNTIL = (date.today() + timedelta(days=30)).isoformat()
APPEAL = {
    "text": ROAD,
    "kind": "complaint",
    "kato": "101000000",
    "applicant": {"name": "Айгерім Сапарова", "email": "aigerim@example.kz"},
}
ANSWER = {"outcome": "resolved", "text": "Жол жөнделді, рахмет."}
FORWARD = {"body_id": ABAI, "reason": "Облыс жолы."}
EXTEND = {"until": UNTIL, "reason": "Тексеру керек."}

# Placeholders other than {number}: one value each.
VALUES = {
    "body_id": SEMEY,
    "kato": "100000000",
    "name": "scorecards_by_body",
    "kind": "national",
    "month": date.today().isoformat()[:7],
    "fmt": "html",
    "deputy_id": "no-such-deputy",
    "format": "json",
    "service_code": "roads_local",
    "token": "no-such-token",
    "statement": "0",
}


@dataclass(frozen=True)
class Row:
    """What a route gets (`send`: json, data for a form, files, content, params, headers) about
    which thing (`thing` fills `{number}` and `{service_request_id}`), and what each role gets
    back (`expect`: a token per role)."""

    expect: str
    thing: str | None = None
    send: dict[str, Any] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)  # placeholders other than VALUES'
    # Roles let in that must still not tell the thing from a missing one (a form without code).
    alike: tuple[str, ...] = ()

    def tokens(self) -> dict[str, str]:
        tokens = self.expect.split()
        assert len(tokens) == len(ROLES), f"{self.expect!r}: one token per role"
        return dict(zip(ROLES, tokens, strict=True))


def form(**values: str) -> dict[str, Any]:
    return {"data": values}


# The tokens a row may hold, and the things nobody may see but the roles the rows let in: a
# refusal about one of them must look the same as about a number that names nothing.
TOKENS = {"200", "201", "303", "400", "401", "403", "404", "409", "422", "login"}
PRIVATE = {"appeal", "feedback_appeal", "track_feedback_appeal"}
PRIVATE |= {"draft", "cosigning_draft", "send_draft"}
NO_CODE = tuple(r for r in ROLES if r not in ("wrong_code", "applicant"))

# The roles' order:   anonymous, wrong_code, applicant, official, other_official,
#                     supervisor_above, supervisor_beside, admin
EVERYONE = "200 200 200 200 200 200 200 200"
CREATED = "201 201 201 201 201 201 201 201"
INVALID = "422 422 422 422 422 422 422 422"  # open to all: the request is wrong for everybody
NOTHING = "404 404 404 404 404 404 404 404"  # open to all: nothing there for anybody
# An appeal held by the district, answered: its officials and the supervisor above get past the
# access check to the rule that an answered appeal is not acted on again; who may not see it
# gets "not found", whoever may not act gets 401 without a token.
ACT_ON_APPEAL = "401 401 401 409 404 409 404 409"
ACT_ON_APPEAL_PAGE = "login login login 409 404 409 404 409"
WORKBENCH = "login login login 200 200 200 200 200"
# What administrators alone do (petitions' moderation, answers, surges, invalidations).
ADMINS = "401 401 401 403 403 403 403 {}"

TABLE: dict[tuple[str, str], Row] = {
    # --- the ground floor ---------------------------------------------------------------
    ("GET", f"{A}/openapi.json"): Row(EVERYONE),
    ("GET", f"{A}/docs"): Row(EVERYONE),
    ("GET", "/favicon.ico"): Row(EVERYONE),
    ("GET", f"{A}/clock/working-day"): Row(EVERYONE, send={"params": {"date": "2026-03-02"}}),
    ("GET", f"{A}/clock/add"): Row(EVERYONE, send={"params": {"date": "2026-03-02", "days": "15"}}),
    ("GET", f"{A}/audit/verify"): Row(EVERYONE),
    ("GET", f"{A}/health"): Row(EVERYONE),
    # the operators' addresses (web/observability.py): open, as a reverse proxy may close them
    ("GET", "/healthz"): Row(EVERYONE),
    ("GET", "/readyz"): Row(EVERYONE),
    ("GET", "/metrics"): Row(EVERYONE),
    # --- appeals ------------------------------------------------------------------------
    ("POST", f"{A}/appeals"): Row(CREATED, send={"json": APPEAL}),
    ("GET", f"{A}/appeals/{{number}}"): Row("404 404 200 200 404 200 404 200", "appeal"),
    ("GET", f"{A}/appeals"): Row(EVERYONE),
    ("POST", f"{A}/appeals/{{number}}/accept"): Row(ACT_ON_APPEAL, "appeal"),
    ("POST", f"{A}/appeals/{{number}}/answer"): Row(ACT_ON_APPEAL, "appeal", {"json": ANSWER}),
    ("POST", f"{A}/appeals/{{number}}/forward"): Row(ACT_ON_APPEAL, "appeal", {"json": FORWARD}),
    ("POST", f"{A}/appeals/{{number}}/extend"): Row(ACT_ON_APPEAL, "appeal", {"json": EXTEND}),
    ("POST", f"{A}/appeals/{{number}}/reclassify"): Row(
        ACT_ON_APPEAL, "appeal", {"json": {"category": "roads_local"}}
    ),
    ("POST", f"{A}/appeals/{{number}}/feedback"): Row(
        "422 404 200 422 422 422 422 422",
        "feedback_appeal",
        {"json": {"resolved": True, "rating": 5}},
    ),
    ("POST", f"{A}/appeals/{{number}}/supporters"): Row(
        "422 422 422 422 422 422 422 422", "public_appeal", {"json": {"iin": "123"}}
    ),
    # --- petitions ----------------------------------------------------------------------
    ("POST", f"{A}/petitions/{{number}}/signatures"): Row(
        "422 422 422 422 422 422 422 422", "petition", {"json": {"confirmation": "x" * 20}}
    ),
    ("GET", f"{A}/petitions"): Row(EVERYONE),
    ("GET", f"{A}/petitions/addressees"): Row(EVERYONE),
    ("GET", f"{A}/petitions/thresholds"): Row(EVERYONE),
    ("GET", f"{A}/petitions/reasons"): Row(EVERYONE),
    ("POST", f"{A}/petitions"): Row(INVALID, send={"json": {}}),
    ("GET", f"{A}/petitions/{{number}}"): Row("404 404 200 404 404 404 404 404", "draft"),
    ("POST", f"{A}/petitions/{{number}}/cosigning"): Row(
        "422 404 200 422 422 422 422 422", "cosigning_draft"
    ),
    ("POST", f"{A}/petitions/{{number}}/signing"): Row(
        "422 422 422 422 422 422 422 422", "petition", {"json": {}}
    ),
    ("POST", f"{A}/petitions/{{number}}/moderation"): Row(
        ADMINS.format(409), "petition", {"json": {"decision": "approve"}}
    ),
    ("POST", f"{A}/petitions/{{number}}/answer"): Row(
        ADMINS.format(409),
        "petition",
        {"json": {"text": "Жол 2027 жылы салынады: жоба қаржыландырылды."}},
    ),
    ("POST", f"{A}/petitions/{{number}}/invalidations"): Row(
        ADMINS.format(200),
        "petition",
        {"json": {"reason": "Бір желіден жасалған қолдар.", "source": "0" * 64}},
    ),
    ("GET", f"{A}/petitions/{{number}}/surges"): Row(ADMINS.format(200), "petition"),
    # --- consultations ------------------------------------------------------------------
    ("GET", f"{A}/consultations"): Row(EVERYONE),
    ("POST", f"{A}/consultations"): Row(
        "401 401 401 201 201 201 201 201",
        send={"json": {"title": "Саябақтар", "question": "Саябақтарды қалай?"}},
    ),
    ("GET", f"{A}/consultations/{{number}}"): Row(EVERYONE, "consultation"),
    ("GET", f"{A}/consultations/{{number}}/statements"): Row(EVERYONE, "consultation"),
    ("POST", f"{A}/consultations/{{number}}/participants"): Row(
        "201 201 201 201 201 201 201 201", "consultation"
    ),
    ("GET", f"{A}/consultations/{{number}}/next"): Row(
        EVERYONE, "consultation", {"params": {"token": "no-such-token"}}
    ),
    ("POST", f"{A}/consultations/{{number}}/votes"): Row(
        "404 404 404 404 404 404 404 404",
        "consultation",
        {"json": {"token": "x" * 20, "statement": 0, "vote": "agree"}},
    ),
    ("POST", f"{A}/consultations/{{number}}/statements"): Row(
        "403 403 403 201 403 403 403 422",
        "consultation",
        {"json": {"text": "Жолдарды түнде жөндеу керек."}},
    ),
    ("POST", f"{A}/consultations/{{number}}/statements/{{statement}}/moderation"): Row(
        "401 401 401 200 403 403 403 200", "consultation", {"json": {"decision": "accepted"}}
    ),
    ("POST", f"{A}/consultations/{{number}}/closing"): Row(
        "401 401 401 409 403 403 403 409", "closed_consultation"
    ),
    ("GET", f"{A}/consultations/{{number}}/groups"): Row(EVERYONE, "consultation"),
    ("GET", f"{A}/consultations/{{number}}/map"): Row(EVERYONE, "consultation"),
    # --- reference data, text, listening, oversight, representatives --------------------
    ("GET", f"{A}/regions"): Row(EVERYONE),
    ("GET", f"{A}/geo/units/{{kato}}"): Row(EVERYONE),
    ("GET", f"{A}/geo/find"): Row(EVERYONE, send={"params": {"q": "Семей"}}),
    ("GET", f"{A}/geo/at"): Row(EVERYONE, send={"params": {"lat": "50.75", "lon": "78.54"}}),
    ("GET", f"{A}/categories"): Row(EVERYONE),
    ("GET", f"{A}/bodies"): Row(EVERYONE),
    ("GET", f"{A}/bodies/{{body_id}}"): Row(EVERYONE),
    ("GET", f"{A}/route"): Row(
        EVERYONE, send={"params": {"category": "roads_local", "kato": "101000000"}}
    ),
    ("POST", f"{A}/text/analyze"): Row(EVERYONE, send={"json": {"text": ROAD}}),
    ("POST", f"{A}/text/shares"): Row(
        "422 422 422 422 422 422 422 422", send={"json": {"texts": [ROAD]}}
    ),
    ("GET", f"{A}/listening/stats"): Row(EVERYONE),
    ("GET", f"{A}/listening/aggregates"): Row(EVERYONE),
    ("GET", f"{A}/listening/topics"): Row(EVERYONE),
    ("GET", f"{A}/oversight/scorecards"): Row(EVERYONE),
    ("GET", f"{A}/oversight/escalation-depth"): Row(EVERYONE),
    ("GET", f"{A}/oversight/escalation-depth/appeals"): Row(
        EVERYONE, send={"params": {"key": SEMEY}}
    ),
    ("GET", f"{A}/oversight/open-data"): Row(EVERYONE),
    ("GET", f"{A}/oversight/open-data/{{name}}.csv"): Row(EVERYONE),
    ("GET", f"{A}/oversight/reports/{{kind}}/{{month}}.{{fmt}}"): Row(EVERYONE),
    ("GET", f"{A}/oversight/problems"): Row(EVERYONE),
    ("GET", f"{A}/oversight/problems/{{number}}"): Row(EVERYONE, "problem"),
    ("GET", f"{A}/representatives/deputies"): Row(EVERYONE),
    ("GET", f"{A}/representatives/deputies/{{deputy_id}}"): Row(NOTHING),
    ("GET", f"{A}/representatives/factions"): Row(EVERYONE),
    ("GET", f"{A}/representatives/costs"): Row(EVERYONE),
    ("POST", f"{A}/representatives/imports/{{kind}}"): Row(
        "403 403 403 403 403 403 403 422",
        send={"content": b"id\n", "headers": {"Content-Type": "text/csv"}},
        values={"kind": "deputies"},
    ),
    # --- surveys ------------------------------------------------------------------------
    ("GET", f"{A}/surveys"): Row(EVERYONE),
    ("POST", f"{A}/surveys"): Row(
        "401 401 401 422 422 422 422 422",
        send={"files": {"file": ("empty.xlsx", b"", "application/octet-stream")}},
    ),
    ("GET", f"{A}/surveys/{{number}}"): Row(EVERYONE, "survey"),
    ("POST", f"{A}/surveys/{{number}}/responses"): Row(
        "422 422 422 422 422 422 422 422", "survey", {"json": {"answers": {}}}
    ),
    ("POST", f"{A}/surveys/{{number}}/imports"): Row(
        "401 401 401 422 403 403 403 422",
        "survey",
        {"content": b"a,b\n", "headers": {"Content-Type": "text/csv"}},
    ),
    ("POST", f"{A}/surveys/{{number}}/weighting"): Row(
        "401 401 401 422 403 403 403 422", "survey", {"json": {"trim_low": 0.2, "trim_high": 5.0}}
    ),
    ("GET", f"{A}/surveys/{{number}}/weighting"): Row(EVERYONE, "survey"),
    ("GET", f"{A}/surveys/{{number}}/results"): Row(EVERYONE, "survey"),
    ("GET", f"{A}/surveys/{{number}}/trust"): Row(EVERYONE, "survey"),
    # --- Open311 ------------------------------------------------------------------------
    ("GET", f"{O3}/discovery.{{format}}"): Row(EVERYONE),
    ("GET", f"{O3}/services.{{format}}"): Row(EVERYONE),
    ("GET", f"{O3}/services/{{service_code}}.{{format}}"): Row(EVERYONE),
    ("POST", f"{O3}/requests.{{format}}"): Row(
        "400 400 400 400 400 400 400 400",
        send=form(service_code="roads_local", description="Жолда шұңқыр бар."),
    ),
    ("GET", f"{O3}/tokens/{{token}}.{{format}}"): Row(NOTHING),
    ("GET", f"{O3}/requests.{{format}}"): Row(EVERYONE),
    ("GET", f"{O3}/requests/{{service_request_id}}.{{format}}"): Row(
        "404 404 404 404 404 404 404 404", "appeal"
    ),
    ("GET", f"{O3}/servicerequestupdates.{{format}}"): Row(EVERYONE),
    # --- public pages -------------------------------------------------------------------
    ("GET", "/"): Row(EVERYONE),
    ("GET", "/bodies/{body_id}"): Row(EVERYONE),
    ("GET", "/regions/map.json"): Row(EVERYONE),
    ("GET", "/regions/{kato}"): Row(EVERYONE),
    ("GET", "/regions/{kato}/map.json"): Row(EVERYONE),
    ("GET", "/scorecards"): Row(EVERYONE),
    ("GET", "/reports"): Row(EVERYONE),
    ("GET", "/escalation"): Row(EVERYONE),
    ("GET", "/escalation/appeals"): Row(EVERYONE, send={"params": {"key": SEMEY}}),
    ("GET", "/problems"): Row(EVERYONE),
    ("GET", "/problems/{number}"): Row(EVERYONE, "problem"),
    ("GET", "/listening"): Row(EVERYONE),
    ("GET", "/listening/regions"): Row(EVERYONE),
    ("GET", "/listening/regions/map.json"): Row(EVERYONE),
    ("GET", "/listening/topics"): Row(EVERYONE),
    ("GET", "/listening/alerts"): Row(EVERYONE),
    ("GET", "/listening/series"): Row(NOTHING),
    ("GET", "/deputies"): Row(EVERYONE),
    ("GET", "/deputies/{deputy_id}"): Row(NOTHING),
    # --- the citizen's appeal pages -----------------------------------------------------
    ("GET", "/appeals/new"): Row(EVERYONE),
    ("POST", "/appeals/new"): Row(INVALID, send=form(text="")),
    ("POST", "/appeals/suggest"): Row(EVERYONE, send=form(text=ROAD)),
    ("GET", "/appeals"): Row(EVERYONE),
    ("GET", "/appeals/{number}"): Row(NOTHING, "appeal"),
    ("POST", "/appeals/{number}/supporters"): Row(
        "422 422 422 422 422 422 422 422", "public_appeal", form(iin="123")
    ),
    ("GET", "/appeals/{number}/verify"): Row(NOTHING, "appeal"),
    ("POST", "/appeals/{number}/verify"): Row(
        "404 404 200 404 404 404 404 404", "appeal", form(code="")
    ),
    ("GET", "/track"): Row(EVERYONE),
    ("POST", "/track"): Row(
        "200 404 200 200 200 200 200 200",
        "appeal",
        form(number="{number}", code=""),
        alike=NO_CODE,
    ),
    ("POST", "/track/feedback"): Row(
        "200 404 200 200 200 200 200 200",
        "track_feedback_appeal",
        form(number="{number}", code="", resolved="yes", rating="5"),
        alike=NO_CODE,
    ),
    # --- the workbench: appeals ---------------------------------------------------------
    ("GET", "/official/"): Row(WORKBENCH),
    ("GET", "/official/overview"): Row(WORKBENCH),
    ("GET", "/official/appeals/{number}"): Row("login login login 200 404 200 404 200", "appeal"),
    ("POST", "/official/appeals/{number}/accept"): Row(ACT_ON_APPEAL_PAGE, "appeal", form()),
    ("POST", "/official/appeals/{number}/answer"): Row(
        ACT_ON_APPEAL_PAGE, "appeal", form(**ANSWER)
    ),
    ("POST", "/official/appeals/{number}/forward"): Row(
        ACT_ON_APPEAL_PAGE, "appeal", form(**FORWARD)
    ),
    ("POST", "/official/appeals/{number}/extend"): Row(
        ACT_ON_APPEAL_PAGE, "appeal", form(**EXTEND)
    ),
    ("POST", "/official/appeals/{number}/reclassify"): Row(
        ACT_ON_APPEAL_PAGE, "appeal", form(category="roads_local")
    ),
    ("GET", "/official/login"): Row(EVERYONE),
    ("POST", "/official/login"): Row(
        "403 403 403 403 403 403 403 403", send=form(email="", password="")
    ),
    # --- petitions' pages ---------------------------------------------------------------
    ("GET", "/petitions/new"): Row(EVERYONE),
    ("POST", "/petitions/new"): Row(INVALID, send=form(title="")),
    ("GET", "/petitions/{number}/manage"): Row(EVERYONE, "draft", alike=ROLES),
    ("POST", "/petitions/{number}/manage"): Row(
        "422 404 200 422 422 422 422 422", "draft", form(code="")
    ),
    ("POST", "/petitions/{number}/manage/send"): Row(
        "404 404 200 404 404 404 404 404", "send_draft", form(code="")
    ),
    ("GET", "/petitions"): Row(EVERYONE),
    ("GET", "/petitions/{number}"): Row(EVERYONE, "petition"),
    ("GET", "/petitions/{number}/regions.json"): Row(EVERYONE, "petition"),
    ("POST", "/petitions/{number}/sign"): Row(
        "422 422 422 422 422 422 422 422", "petition", form(iin="123")
    ),
    ("POST", "/petitions/{number}/sign/confirm"): Row(
        "422 422 422 422 422 422 422 422", "petition", form()
    ),
    ("GET", "/official/petitions"): Row(WORKBENCH),
    ("POST", "/official/petitions/{number}/moderation"): Row(
        "login login login 403 403 403 403 409", "petition", form(decision="approve")
    ),
    ("POST", "/official/petitions/{number}/answer"): Row(
        "login login login 403 403 403 403 409",
        "petition",
        form(text="Жол 2027 жылы салынады: жоба қаржыландырылды."),
    ),
    ("POST", "/official/petitions/{number}/invalidations"): Row(
        "login login login 403 403 403 403 303",
        "petition",
        form(source="0" * 64, reason="Бір желіден жасалған қолдар."),
    ),
    # --- consultations' pages -----------------------------------------------------------
    ("GET", "/consultations"): Row(EVERYONE),
    ("GET", "/consultations/{number}"): Row(EVERYONE, "consultation"),
    ("GET", "/consultations/{number}/groups"): Row(EVERYONE, "consultation"),
    ("POST", "/consultations/{number}/vote"): Row(
        "403 403 403 403 403 403 403 403", "consultation", form()
    ),
    ("POST", "/consultations/{number}/statements"): Row(
        "403 403 403 403 403 403 403 403", "consultation", form()
    ),
    ("GET", "/official/consultations"): Row(WORKBENCH),
    ("POST", "/official/consultations"): Row(
        "login login login 422 422 422 422 422", send=form(title="")
    ),
    ("POST", "/official/consultations/{number}/statements/{statement}/moderation"): Row(
        "login login login 409 403 403 403 409", "consultation", form(decision="accepted")
    ),
    ("POST", "/official/consultations/{number}/closing"): Row(
        "login login login 409 403 403 403 409", "closed_consultation", form(confirm="yes")
    ),
    # --- surveys' pages -----------------------------------------------------------------
    ("GET", "/surveys"): Row(EVERYONE),
    ("GET", "/surveys/{number}"): Row(EVERYONE, "survey"),
    ("GET", "/surveys/{number}/respond"): Row(EVERYONE, "survey"),
    ("POST", "/surveys/{number}/respond"): Row("403 403 403 403 403 403 403 403", "survey", form()),
    ("GET", "/surveys/{number}/thanks"): Row(EVERYONE, "survey"),
    ("GET", "/official/surveys"): Row(WORKBENCH),
    ("POST", "/official/surveys"): Row(
        "login login login 422 422 422 422 422",
        send={"data": {}, "files": {"file": ("empty.xlsx", b"", "application/zip")}},
    ),
    ("POST", "/official/surveys/{number}/responses"): Row(
        "login login login 422 403 403 403 422",
        "survey",
        {"data": {}, "files": {"file": ("r.csv", b"a,b\n", "text/csv")}},
    ),
    ("POST", "/official/surveys/{number}/weighting"): Row(
        "login login login 422 403 403 403 422", "survey", form()
    ),
    # Last: these change what the rows above ask about (the survey closes, the sessions end).
    ("POST", f"{A}/surveys/{{number}}/closing"): Row("401 401 401 200 403 403 403 409", "survey"),
    ("POST", "/official/surveys/{number}/closing"): Row(
        "login login login 409 403 403 403 409", "survey", form(confirm="yes")
    ),
    ("POST", "/official/logout"): Row(
        "login login login login login login login login", send=form()
    ),
}

__all__ = ["PRIVATE", "TABLE", "TOKENS", "VALUES", "Row"]
