"""What an official writes (the reason to forward or extend, the answer) is redacted before it is
stored and hashed into the audit log, and no public page, API answer or export shows an IIN, a
phone or an e-mail from an appeal or from an official's text, however the numbers are written."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import product

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from arna.app import API_PREFIX, create_app
from arna.appeals.actions import lifecycle
from arna.appeals.actions.problems import link_problems
from arna.appeals.actions.submit import submit_appeal
from arna.appeals.pages import citizen, public
from arna.appeals.schemas import AppealCreate, Applicant
from arna.core.actors import Actor
from arna.core.audit import AuditEvent
from arna.core.clock import now_utc, to_local_date
from arna.core.db import Database
from arna.core.settings import Settings
from arna.open311.api import PREFIX as OPEN311_PREFIX
from arna.opinion.pages import router as opinion_pages
from arna.oversight.pages import router as oversight_pages
from arna.oversight.pages.problems import router as problem_pages
from arna.petitions.pages import router as petitions_pages
from arna.representatives.pages import router as representatives_pages
from arna.surveys import demo as surveys_demo
from arna.surveys.pages import router as surveys_pages
from arna.surveys.queries import list_surveys
from arna.text.redact import redact
from tests.appeals.conftest import ROAD_IN_KURCHATOV, Env
from tests.conftest import DatabaseFactory
from tests.opinion import seeding as opinion
from tests.petitions.seeding import seed_site

KURCHATOV, ABAI = "akimat-101800000", "akimat-100000000"

# Each text holds numbers the redactor of issue 12 let through: city numbers with area codes,
# dashes other than "-", other groupings, IINs with " - " or "/".
EXTEND_REASON = "Тексеру керек: ЖСН 850502 - 400120, тел. +7 (7172) 74-30-00, aigerim.s@mail.kz"
FORWARD_REASON = "Облыс жолы. ИИН 620815/450337, моб. +7–701–234–56–78, ivan.petrov@inbox.ru"
ANSWER = (
    "Жол жөнделді. Сұрақтар: 8 (7252) 53-12-34, +7 705 98 76 543, БСН 140540001231 (ЖШС), "
    "help@akimat.kz"
)
NOT_COMPETENT = "Республикалық жол: 8\u00a0777\u00a0123\u00a045\u00a067, ЖСН 050211.500782"
TEXT = "Курчатовта жолда шұңқыр. Тел. 8\u2011701\u2011555\u201112\u201134, ЖСН 971122 600452."
# What must never be public: the digits of every number (however written), every e-mail. The
# officials' texts are stored redacted, so even officials never see these again; the applicant's
# text is kept as written for the applicant and the officials.
OFFICIALS = ["850502400120", "7172743000", "620815450337", "7012345678", "7252531234"]
OFFICIALS += ["7059876543", "140540001231", "7771234567", "050211500782"]
OFFICIALS += ["aigerim.s@mail.kz", "ivan.petrov@inbox.ru", "help@akimat.kz"]
APPLICANTS = ["7015551234", "971122600452"]


def leaks(shown: str, personal: tuple[str, ...] = (*OFFICIALS, *APPLICANTS)) -> list[str]:
    digits = re.sub(r"\D", "", shown)
    return [p for p in personal if (p in digits if p.isdigit() else p in shown)]


@pytest.mark.parametrize(
    ("written", "masked"),
    [
        ("+7 (7172) 74-30-00", "[phone]"),
        ("8 (7252) 53-12-34", "[phone]"),
        ("8 (72131) 2-12-34", "[phone]"),
        ("+7–701–234–56–78", "[phone]"),
        ("+7\u2014701\u2014234\u201456\u201478", "[phone]"),
        ("+7\u2212701\u2212234\u221256\u221278", "[phone]"),
        ("+7\u2011701\u2011234\u201156\u201178", "[phone]"),
        ("+7\u2012701\u2012234\u201256\u201278", "[phone]"),
        ("+7 701 23 45 678", "[phone]"),
        ("8\u00a0701\u00a0234\u00a056\u00a078", "[phone]"),
        ("701.234.56.78", "[phone]"),
        ("(7172) 74-30-00", "[phone]"),
        ("850502 - 400120", "[IIN]"),
        ("850502/400120", "[IIN]"),
        ("850502 – 400120", "[IIN]"),
        ("85.05.02.40.01.20", "[IIN]"),
        ("850 502 400 120", "[IIN]"),
    ],
)
def test_the_spellings_issue_12_found_are_masked(written: str, masked: str) -> None:
    assert redact(f"тел. {written}, рахмет") == f"тел. {masked}, рахмет"


@pytest.mark.parametrize(
    "readable",
    [
        "12.05.2024",
        "2024 жылы",
        "12.05.2024–15.06.2024",
        "үй 15, пәтер 7",
        "15 000 тенге",
        "7 500 000 000 тенге",
        "100 000 000 000 теңге",
        "КАТО 751110000",
        "A-2026-000123",
        "2019 2020 2021 жылдары",
        "12.05.2024 15 000 тенге",
        "1414",
    ],
)
def test_ordinary_numbers_stay(readable: str) -> None:
    assert redact(readable) == readable


def test_a_date_next_to_a_phone_stays_and_the_phone_goes() -> None:
    assert redact("12.05.2024 8 701 234 56 78") == "12.05.2024 [phone]"


def test_officials_reasons_are_redacted_before_they_are_stored(env: Env) -> None:
    """Forward, extend and answer through the API with personal data in the official's text: the
    anonymous API, the public page and the stored audit events hold none of it."""
    kurchatov = env.auth(env.token("official", KURCHATOV, "o1@akimat.kz"))
    abai = env.auth(env.token("official", ABAI, "o2@akimat.kz"))
    appeal = {**ROAD_IN_KURCHATOV, "text": TEXT, "public": True}
    first = env.client.post("/api/v1/appeals", json=appeal).json()["number"]
    second = env.client.post("/api/v1/appeals", json=appeal).json()["number"]
    until = (to_local_date(now_utc()) + timedelta(days=40)).isoformat()

    acts = [
        (first, "extend", {"until": until, "reason": EXTEND_REASON}, kurchatov),
        (first, "forward", {"body_id": ABAI, "reason": FORWARD_REASON}, kurchatov),
        (first, "answer", {"outcome": "resolved", "text": ANSWER}, abai),
        (second, "answer", {"outcome": "not_competent", "text": NOT_COMPETENT, "body_id": ABAI},
         kurchatov),
    ]  # fmt: skip
    for number, action, body, who in acts:
        done = env.client.post(f"/api/v1/appeals/{number}/{action}", json=body, headers=who)
        assert done.status_code == 200, done.text
        # stored redacted: the official's own answer shows the text as stored
        assert leaks(done.text, tuple(OFFICIALS)) == [], done.text

    for number in (first, second):
        api = env.client.get(f"/api/v1/appeals/{number}")
        assert api.status_code == 200 and leaks(api.text) == [], api.text
        reasons = [e["reason"] or "" for e in api.json()["events"]]
        assert any("[phone]" in r and "[IIN]" in r for r in reasons), reasons
        for lang in ("en", "kk", "ru"):
            page = env.client.get(f"/appeals/{number}?lang={lang}")
            assert page.status_code == 200 and leaks(page.text) == [], page.text
    assert "[phone]" in env.client.get(f"/api/v1/appeals/{first}").json()["answer_text"]

    with env.db.read() as session:
        ours = select(AuditEvent).where(AuditEvent.entity_id.in_([first, second]))
        logged = " ".join(f"{e.reason} {e.old} {e.new}" for e in session.scalars(ours))
    assert "[e-mail]" in logged and leaks(logged) == []
    assert env.client.get("/api/v1/audit/verify").json()["ok"] is True


# --- every public output ----------------------------------------------------------------------

OFFICIAL = Actor("admin", name="system:test-official")


def _seed(db: Database, settings: Settings) -> list[str]:
    """Four public appeals with numbers in their text, 50 days old: extended, forwarded,
    forwarded and answered, answered as not competent (three are overdue now)."""
    past = now_utc() - timedelta(days=50)
    data = AppealCreate(
        text=TEXT,
        kind="complaint",
        category="roads_local",
        kato="101800000",
        public=True,
        applicant=Applicant(name="Айгерім Сапарова", email="aigerim@example.kz"),
    )
    numbers = [submit_appeal(db, settings, data, now=past)[0].number for _ in range(4)]
    extended, forwarded, answered, not_competent = numbers
    day = past + timedelta(days=1)
    until = to_local_date(past) + timedelta(days=40)
    lifecycle.extend_appeal(
        db, settings, OFFICIAL, extended, until=until, reason=EXTEND_REASON, now=day
    )
    for number in (forwarded, answered):
        lifecycle.forward_appeal(
            db, settings, OFFICIAL, number, body_id=ABAI, reason=FORWARD_REASON, now=day
        )
    lifecycle.answer_appeal(
        db, settings, OFFICIAL, answered, outcome="resolved", text=ANSWER,
        now=day + timedelta(days=1),
    )  # fmt: skip
    lifecycle.answer_appeal(
        db, settings, OFFICIAL, not_competent, outcome="not_competent", text=NOT_COMPETENT,
        body_id=ABAI, now=day,
    )  # fmt: skip
    link_problems(db, settings, day)  # the four report one problem: its pages are checked too
    return numbers


# Official-only reads (401 without a token) among the GETs of the API.
NOT_PUBLIC = {f"{API_PREFIX}/petitions/{{number}}/surges"}


def _public_urls(
    app: FastAPI,
    numbers: list[str],
    petitions: list[str],
    consultations: list[str],
    surveys: list[str],
) -> Iterator[str]:
    """Every GET of the API and of the public pages, with the appeals, bodies, places,
    petitions, consultations and surveys of the seed filled in: a new public route is checked
    without being added here."""
    values = {
        "number": numbers,
        "body_id": [KURCHATOV, ABAI],
        "kato": ["100000000", "101800000"],
        "name": ["scorecards_by_body", "working_days_by_region", "escalation_depth_by_body"],
        "kind": ["national"],
        "month": [date.today().isoformat()[:7]],
        "fmt": ["html", "pdf"],
        "deputy_id": ["no-such-deputy"],
        "format": ["json", "xml"],  # Open311's
        "service_code": ["roads_local"],
        "service_request_id": numbers,
        "token": ["no-such-token"],
    }
    api = [p for p, ops in app.openapi()["paths"].items() if "get" in ops]
    assert all(p.startswith((API_PREFIX, OPEN311_PREFIX)) for p in api)
    pages = [
        str(getattr(r, "path", ""))
        for router in (
            public.router,
            citizen.router,
            oversight_pages,
            problem_pages,
            representatives_pages,
            petitions_pages,
            opinion_pages,
            surveys_pages,
        )
        for r in router.routes
        if "GET" in getattr(r, "methods", ())
    ]
    for path in api + pages:
        if path in NOT_PUBLIC:
            continue
        names = re.findall(r"\{(\w+)\}", path)
        assert all(n in values for n in names), f"fill {path} in this test"
        own = values
        if path.startswith(("/petitions/", f"{API_PREFIX}/petitions/")):
            own = {**values, "number": petitions}
        elif path.startswith(("/consultations/", f"{API_PREFIX}/consultations/")):
            own = {**values, "number": consultations}
        elif path.startswith(("/surveys/", f"{API_PREFIX}/surveys/")):
            own = {**values, "number": surveys}
        for filled in product(*(own[n] for n in names)):
            url = path
            for name, value in zip(names, filled, strict=True):
                url = url.replace(f"{{{name}}}", value)
            yield url
    yield from ("/api/v1/appeals?per_page=100", "/api/v1/appeals?overdue=true&per_page=100")
    yield from (
        f"{OPEN311_PREFIX}/requests.{f}?service_request_id={','.join(numbers)}"
        for f in ("json", "xml")
    )
    yield from (f"/appeals?lang={lang}" for lang in ("kk", "ru"))
    yield from (f"/appeals/{n}?lang={lang}" for n in numbers for lang in ("kk", "ru"))
    yield from (f"/bodies/{b}?lang=ru" for b in (KURCHATOV, ABAI))
    yield from (f"/petitions/{n}?lang={lang}" for n in petitions for lang in ("kk", "ru"))
    yield from ("/petitions?lang=kk", "/official/petitions")


def test_no_public_page_api_answer_or_export_shows_the_numbers(
    databases: DatabaseFactory,
) -> None:
    db = databases.ready()
    settings = Settings(database_url=db.url)
    app = create_app(settings, db=db)
    with TestClient(app) as client:
        numbers = _seed(db, settings)
        petitions = seed_site(db, settings, threshold_reached=False).public
        consultations = [opinion.consultation(db), opinion.closed(db)]
        opinion.two_camps(db, consultations[0])
        surveys_demo.seed(db)
        with db.read() as session:
            surveys = [s.number for s in list_surveys(session).items]
        seen = 0
        for url in _public_urls(app, numbers, petitions, consultations, surveys):
            shown = client.get(url)
            assert shown.status_code < 500, (url, shown.text)
            if any(n in url for n in numbers + petitions + consultations + surveys):
                assert shown.status_code == 200, (url, shown.text)
            assert leaks(shown.text) == [], (url, leaks(shown.text))
            seen += shown.text.count("[phone]")
    assert seen > 20  # the appeals, their reasons and answers were on the pages checked
