"""The world the authorisation matrix asks about, made once per backend through the actions (the
test's own setup), and the callers: one per role, with what that role brings to a request (a
bearer token for the API, a session cookie and its CSRF token for the workbench, an access code
or a wrong one)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from httpx2 import Response

from arna.accounts.actions import create_token, create_user, log_in
from arna.accounts.deps import COOKIE
from arna.accounts.throttle import LoginGuard
from arna.app import API_PREFIX
from arna.appeals.actions import lifecycle as appeals
from arna.appeals.actions.problems import link_problems
from arna.appeals.actions.submit import submit_appeal
from arna.appeals.schemas import AppealCreate, Applicant
from arna.core.actors import Actor, system
from arna.core.clock import now_utc
from arna.core.db import Database
from arna.core.settings import Settings
from arna.open311.api import PREFIX as OPEN311_PREFIX
from arna.opinion.actions import consultations
from arna.opinion.schemas import ConsultationCreate
from arna.petitions.actions import lifecycle as petitions
from arna.surveys import demo as surveys_demo
from arna.surveys.actions.responses import import_responses
from arna.surveys.actions.surveys import create_survey
from tests.opinion.making import STATEMENTS
from tests.petitions import seeding as petition_seeding

# The district holding the things (the city of Semey, where petitions may be addressed too), the
# body above it (Abai Region), a body beside it under the same region (the city of Kurchatov)
# and one in another branch (the city of Almaty).
SEMEY, ABAI = "akimat-101000000", "akimat-100000000"
KURCHATOV, ALMATY = "akimat-101800000", "akimat-750000000"
PASSWORD = "password-123"

# In the order they ask: the applicant with the wrong code before the one with the right code,
# who may change the thing (send a draft out, give feedback).
ROLES = (
    "anonymous",
    "wrong_code",  # an applicant with a wrong access code
    "applicant",  # with the right access code (of the appeal, or of the petition's author)
    "official",  # an official of the body holding the thing
    "other_official",  # an official of another body
    "supervisor_above",  # a supervisor of the body above it
    "supervisor_beside",  # a supervisor of a body beside it (same region, another branch)
    "admin",
)
ACCOUNTS = {  # role: (account role, body)
    "official": ("official", SEMEY),
    "other_official": ("official", ALMATY),
    "supervisor_above": ("supervisor", ABAI),
    "supervisor_beside": ("supervisor", KURCHATOV),
    "admin": ("admin", None),
}
WRONG_CODE = "WRONG-CODE0"

ROAD = "Семей қаласында жолда үлкен шұңқыр бар, көліктер бұзылады."


@dataclass(frozen=True)
class Thing:
    """What fills a route's `{number}`: a real one, and the applicant's code for it if any."""

    number: str
    code: str = ""

    @property
    def missing(self) -> str:
        """A number of the same shape that names nothing: the last digits turned to 9s."""
        return re.sub(r"\d+$", lambda m: "9" * len(m.group()), self.number)


@dataclass
class Caller:
    role: str
    token: str = ""  # bearer token for the API
    cookie: str = ""  # workbench session
    csrf: str = ""


@dataclass
class World:
    client: TestClient
    db: Database
    settings: Settings
    things: dict[str, Thing]
    callers: dict[str, Caller] = field(default_factory=dict)

    def call(
        self,
        role: str,
        method: str,
        url: str,
        thing: Thing | None,
        send: dict[str, Any],
    ) -> Response:
        """`url` as `role`: what that role brings, on a cookie jar of its own."""
        caller = self.callers[role]
        api = url.startswith((API_PREFIX, OPEN311_PREFIX))
        headers: dict[str, str] = dict(send.get("headers", {}))
        data = dict(send["data"]) if "data" in send else None
        code = "" if thing is None else thing.code
        if role == "wrong_code" and code:
            code = WRONG_CODE
        if role in ("applicant", "wrong_code") and code:
            headers["X-Access-Code"] = code
            if data is not None and "code" in data:
                data["code"] = code
        if api and caller.token:
            headers["Authorization"] = f"Bearer {caller.token}"
        if not api and caller.cookie:
            headers["Cookie"] = f"{COOKIE}={caller.cookie}"
            if data is not None:
                data["csrf"] = caller.csrf
        self.client.cookies.clear()
        kwargs: dict[str, Any] = {"headers": headers}
        for key in ("json", "files", "content", "params"):
            if key in send:
                kwargs[key] = send[key]
        if data is not None:
            kwargs["data"] = data
        try:
            return self.client.request(method, url, follow_redirects=False, **kwargs)
        finally:
            self.client.cookies.clear()


def _appeal(db: Database, settings: Settings, *, public: bool) -> Thing:
    data = AppealCreate(
        text=ROAD,
        kind="complaint",
        category="roads_local",
        kato="101000000",
        public=public,
        applicant=Applicant(name="Айгерім Сапарова", email="aigerim@example.kz"),
    )
    created, _ = submit_appeal(db, settings, data, now=now_utc() - timedelta(days=3))
    return Thing(created.number, created.access_code)


def seed(client: TestClient, db: Database, settings: Settings) -> World:
    """The appeals (private and answered; public and open; private and open), the petitions (a
    draft, one in moderation, one open) addressed to the district, a consultation of the
    district, a survey loaded by the district's official, and a caller per role."""
    admin = Actor("admin", name="system:test-matrix")
    callers = {"anonymous": Caller("anonymous")}
    callers["applicant"], callers["wrong_code"] = Caller("applicant"), Caller("wrong_code")
    actors: dict[str, Actor] = {}
    guard = LoginGuard()
    for role, (kind, body) in ACCOUNTS.items():
        email = f"{role.replace('_', '.')}@matrix.kz"
        user = create_user(
            db, email=email, password=PASSWORD, role=kind, body_id=body, actor=system("test")
        )
        actors[role] = Actor(kind, user_id=user.id, body_id=body)  # type: ignore[arg-type]
        login = log_in(db, email, PASSWORD, client="matrix", guard=guard)
        token = create_token(db, email=email, actor=system("test"))
        callers[role] = Caller(role, token, login.token, login.csrf)

    things: dict[str, Thing] = {}
    for name in ("appeal", "feedback_appeal", "track_feedback_appeal"):
        things[name] = _appeal(db, settings, public=False)
        appeals.answer_appeal(
            db, settings, admin, things[name].number, outcome="resolved", text="Жөнделді."
        )
    things["public_appeal"] = _appeal(db, settings, public=True)
    for _ in range(2):
        _appeal(db, settings, public=True)
    link_problems(db, settings, now_utc())
    shared = client.get(f"{API_PREFIX}/oversight/problems").json()["problems"]
    things["problem"] = Thing(shared[0]["number"])

    for name, title in [
        ("draft", "Семейта саябақ салу"),
        ("cosigning_draft", "Семейта алаң салу"),
        ("send_draft", "Семейта көпір салу"),
    ]:
        things[name] = Thing(*petition_seeding.file(db, settings, title, addressee=SEMEY))
    number, code = petition_seeding.file(db, settings, "Семейта жол салу", addressee=SEMEY)
    petition_seeding.to_moderation(db, settings, number, code, now_utc() - timedelta(days=1))
    petitions.moderate_petition(db, settings, admin, number, approve=True)
    things["petition"] = Thing(number)

    made = ConsultationCreate(
        title="Семейтағы жолдар",
        question="Жолдарды қалай жөндейміз?",
        body_id=SEMEY,
        statements=STATEMENTS,
    )
    things["consultation"] = Thing(consultations.create_consultation(db, admin, made))
    closed = consultations.create_consultation(db, admin, made)
    consultations.close_consultation(db, admin, closed)
    things["closed_consultation"] = Thing(closed)

    survey = create_survey(db, actors["official"], surveys_demo.form_xlsx(), ".xlsx")
    rows = surveys_demo.responses(random.Random(7), 40, now_utc() - timedelta(days=10))
    import_responses(db, actors["official"], survey, surveys_demo.to_csv(rows))
    things["survey"] = Thing(survey)
    return World(client, db, settings, things, callers)
