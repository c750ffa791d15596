"""Shared and repeated problems: appeals linked across languages, "me too", problems that come
back after a body marked them resolved (counted against that body)."""

from __future__ import annotations

import json
import random
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from arna.app import create_app
from arna.appeals.actions import lifecycle, triage
from arna.appeals.actions.submit import submit_appeal
from arna.appeals.actions.support import support_appeal
from arna.appeals.actions.sweep import sweep
from arna.appeals.demo import demo_iin
from arna.appeals.models import Appeal, Assignment, Supporter
from arna.appeals.schemas import AppealCreate
from arna.cli import app as cli
from arna.core.actors import Actor
from arna.core.audit import AuditEvent, verify_chain
from arna.core.clock import KZ_TZ
from arna.core.db import Database
from arna.core.settings import Settings
from tests.appeals.conftest import Env
from tests.conftest import DatabaseFactory

runner = CliRunner()
OFFICIAL = Actor("admin", name="system:test-official")
KURCHATOV = "101800000"
START = datetime(2026, 9, 1, 10, tzinfo=KZ_TZ).astimezone(UTC)
POTHOLE_KK = "Курчатов, Абай көшесі 12: жолдың ортасында терең шұңқыр, көліктің дөңгелегі жарылды."
POTHOLE_RU = "Курчатов, улица Абая 14: посреди дороги глубокая яма, машины пробивают колёса."
LIGHTS_RU = "Курчатов, улица Абая: третью неделю не горят фонари, вечером на улице темно."
PENSION = "Прошу пересчитать мою пенсию по возрасту, документы сданы в ЦОН в августе."
IIN = "900101300126"  # a valid IIN (check digit 6)


def _file(db: Database, settings: Settings, text: str, when: datetime, **extra: object) -> str:
    data = AppealCreate.model_validate(
        {
            "text": text,
            "kind": "complaint",
            "category": extra.pop("category", "roads_local"),
            "kato": extra.pop("kato", KURCHATOV),
            "public": extra.pop("public", True),
            "applicant": {"name": "Сәуле Нұрланқызы", "email": "saule@example.kz", **extra},
        }
    )
    return submit_appeal(db, settings, data, now=when)[0].number


def _problem_ids(db: Database) -> dict[str, int | None]:
    with db.read() as session:
        return dict(session.execute(select(Appeal.number, Appeal.problem_id)).all())


def test_appeals_about_one_problem_in_kazakh_and_russian_are_shown_once(env: Env) -> None:
    db, settings = env.db, env.settings
    kk = _file(db, settings, POTHOLE_KK, START)
    ru = _file(db, settings, POTHOLE_RU, START + timedelta(days=3))
    lights = _file(db, settings, LIGHTS_RU, START + timedelta(days=4))
    private = _file(db, settings, POTHOLE_RU, START + timedelta(days=5), public=False)
    elsewhere = _file(db, settings, POTHOLE_RU, START + timedelta(days=6), kato="751110000")
    report = sweep(db, settings, START + timedelta(days=6, hours=1))
    assert report.linked == 5
    ids = _problem_ids(db)
    assert ids[kk] == ids[ru] == ids[private]  # across languages, public or not
    assert len({ids[kk], ids[lights], ids[elsewhere]}) == 3  # another problem, another place
    assert sweep(db, settings, START + timedelta(days=7)).linked == 0  # each linked once

    listed = env.client.get("/api/v1/oversight/problems").json()["problems"]
    assert [(p["number"], p["appeals"], p["public"], p["people"]) for p in listed] == [
        (kk, 3, 2, 3)
    ]
    assert listed[0]["listed"] == [kk, ru]  # the private appeal counts but is never listed
    one = env.client.get(f"/api/v1/oversight/problems/{ru}").json()
    assert one["number"] == kk and one["appeals_public"] == [kk, ru]
    assert env.client.get(f"/api/v1/oversight/problems/{private}").status_code == 404
    assert env.client.get(f"/api/v1/oversight/problems/{lights}").status_code == 404

    page = env.client.get("/problems?lang=ru").text
    assert f'data-problem="{kk}"' in page and "Курчатов" in page
    detail = env.client.get(f"/problems/{kk}?lang=kk").text
    assert ru in detail and kk in detail and private not in detail
    appeal_page = env.client.get(f"/appeals/{ru}?lang=en").text
    assert f'href="/problems/{kk}"' in appeal_page

    shown = runner.invoke(cli, ["oversight", "problems", "--json"], env=_cli_env(settings))
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["problems"][0]["number"] == kk


def _cli_env(settings: Settings) -> dict[str, str]:
    return {"ARNA_DATABASE_URL": settings.database_url, "ARNA_DATA_DIR": str(settings.data_dir)}


def test_an_appeal_closed_as_a_duplicate_joins_its_originals_problem(env: Env) -> None:
    db, settings = env.db, env.settings
    original = _file(db, settings, POTHOLE_KK, START)
    copy = _file(db, settings, LIGHTS_RU, START + timedelta(days=1))
    lifecycle.answer_appeal(
        db, settings, OFFICIAL, copy, outcome="duplicate", text="См. обращение.",
        duplicate_of=original, now=START + timedelta(days=2),
    )  # fmt: skip
    sweep(db, settings, START + timedelta(days=2, hours=1))
    ids = _problem_ids(db)
    assert ids[copy] == ids[original] is not None


def test_a_problem_reported_again_after_it_was_marked_resolved_counts_against_that_body(
    env: Env,
) -> None:
    db, settings = env.db, env.settings
    first = _file(db, settings, POTHOLE_KK, START)
    answered_at = START + timedelta(days=5)
    lifecycle.answer_appeal(
        db, settings, OFFICIAL, first, outcome="resolved", text="Шұңқыр жөнделді.",
        now=answered_at,
    )  # fmt: skip
    explained = _file(db, settings, LIGHTS_RU, START)
    lifecycle.answer_appeal(
        db, settings, OFFICIAL, explained, outcome="explained", text="Работы запланированы.",
        now=answered_at,
    )  # fmt: skip
    # Within 90 days: the pothole is back (in Russian); the lights, never marked resolved, too.
    again = _file(db, settings, POTHOLE_RU, answered_at + timedelta(days=40))
    _file(db, settings, LIGHTS_RU, answered_at + timedelta(days=41))
    # After 90 days: a new pothole is not the same repair failing.
    _file(db, settings, POTHOLE_RU, answered_at + timedelta(days=120))
    report = sweep(db, settings, answered_at + timedelta(days=121))
    assert report.came_back == 1
    with db.read() as session:
        flagged = session.execute(
            select(Appeal.number, Assignment.body_id)
            .join(Assignment, Assignment.appeal_id == Appeal.id)
            .where(Assignment.came_back.is_(True))
        ).all()
        repeated = session.scalar(select(Appeal.recurrence_of).where(Appeal.number == again))
        first_id = session.scalar(select(Appeal.id).where(Appeal.number == first))
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "appeal.came_back")
        ).all()
        assert verify_chain(session).ok
    body = flagged[0][1]
    assert [n for n, _ in flagged] == [first] and repeated == first_id
    assert [e.entity_id for e in events] == [first] and again in (events[0].reason or "")

    cards = env.client.get("/api/v1/oversight/scorecards?by=body").json()
    card = next(r for r in cards["rows"] if r["key"] == body)
    assert card["came_back"]["count"] == 1 and card["came_back"]["share"] == 1.0
    listed = env.client.get("/api/v1/oversight/problems").json()["problems"]
    assert [p["came_back"] for p in listed if p["number"] == first] == [1]
    history = env.client.get(f"/appeals/{first}?lang=en").text
    assert "reported again after it was marked resolved" in history and again in history


def test_me_too_counts_each_person_once_whatever_the_formatting(env: Env) -> None:
    db, settings = env.db, env.settings
    number = _file(db, settings, POTHOLE_KK, START, iin="910815400354")
    url = f"/api/v1/appeals/{number}/supporters"
    first = env.client.post(url, json={"iin": IIN})
    assert first.status_code == 201 and first.json() == {
        "number": number, "supporters": 1, "counted": True,
    }  # fmt: skip
    for spelled in ("900101 300126", "9001-0130-0126", " 900101300126 "):
        again = env.client.post(url, json={"iin": spelled})
        assert again.status_code == 200 and again.json()["counted"] is False
        assert again.json()["supporters"] == 1
    assert env.client.post(url, json={"iin": demo_iin(random.Random(1))}).json()["supporters"] == 2

    bad = env.client.post(url, json={"iin": "900101300127"})
    assert bad.status_code == 422 and "check digit" in bad.text
    own = env.client.post(url, json={"iin": "910815400354"})
    assert own.status_code == 409 and "you filed" in own.json()["detail"]
    assert env.client.post(url, json={"iin": IIN, "name": "x"}).status_code == 422
    assert env.client.post(url, content=b"\xff\xfe", headers={"content-type": "application/json"}
                           ).status_code in (400, 422)  # fmt: skip

    private = _file(db, settings, PENSION, START, category="pensions_payment", public=False)
    assert (
        env.client.post(f"/api/v1/appeals/{private}/supporters", json={"iin": IIN}).status_code
        == 404
    )
    assert env.client.get(f"/api/v1/appeals/{number}").json()["supporters"] == 2
    shown = env.client.get(f"/appeals/{number}?lang=ru").text
    assert "appeal.supported" not in shown and "supported" not in shown.split('id="history"')[1]

    with db.read() as session:
        stored = session.scalars(select(Supporter.person)).all()
        supported = session.scalars(
            select(AuditEvent.new).where(AuditEvent.action == "appeal.supported")
        ).all()
    assert len(stored) == 2 and all(len(p) == 64 and IIN not in p for p in stored)
    assert all(IIN not in e and not any(p in e for p in stored) for e in supported)

    lifecycle.answer_appeal(
        db, settings, OFFICIAL, number, outcome="resolved", text="Жөнделді.",
        now=START + timedelta(days=3),
    )  # fmt: skip
    closed = env.client.post(url, json={"iin": "850505350018"})
    assert closed.status_code == 409 and "file a new appeal" in closed.json()["detail"]


def test_a_flood_of_me_too_from_one_address_gets_429_and_others_are_not_touched(
    env: Env,
) -> None:
    number = _file(env.db, env.settings, POTHOLE_KK, START)
    url = f"/api/v1/appeals/{number}/supporters"
    rng = random.Random(7)
    answers = [env.client.post(url, json={"iin": demo_iin(rng)}) for _ in range(12)]
    assert [a.status_code for a in answers[:10]] == [201] * 10
    refused = answers[10]
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    other = TestClient(env.client.app, client=("10.1.2.3", 5000))
    assert other.post(url, json={"iin": demo_iin(rng)}).status_code == 201
    assert env.client.get(f"/api/v1/appeals/{number}").json()["supporters"] == 11


def test_me_too_from_the_page_and_from_the_command_line(env: Env) -> None:
    db, settings = env.db, env.settings
    number = _file(db, settings, POTHOLE_KK, START)
    form = env.client.get(f"/appeals/{number}?lang=kk").text
    assert f'action="/appeals/{number}/supporters"' in form
    sent = env.client.post(
        f"/appeals/{number}/supporters?lang=ru", data={"iin": "900101 300126"},
        follow_redirects=False,
    )  # fmt: skip
    assert sent.status_code == 303 and "supported=yes" in sent.headers["location"]
    shown = env.client.get(sent.headers["location"] + "&lang=ru").text
    assert 'id="support-done"' in shown and 'id="supporters"' in shown
    wrong = env.client.post(f"/appeals/{number}/supporters?lang=kk", data={"iin": "12345"})
    assert wrong.status_code == 422 and 'id="support-error"' in wrong.text

    said = runner.invoke(cli, ["support", number, "--iin", IIN, "--json"], env=_cli_env(settings))
    assert said.exit_code == 0 and json.loads(said.stdout)["counted"] is False
    other = runner.invoke(cli, ["support", number, "--iin", "850505350018"], env=_cli_env(settings))
    assert other.exit_code == 0 and "2 supporters" in other.stdout
    bad = runner.invoke(cli, ["support", number, "--iin", "850505350017"], env=_cli_env(settings))
    assert bad.exit_code == 2 and "check digit" in bad.output


def test_concurrent_me_too_counts_exactly(databases: DatabaseFactory) -> None:
    db = databases.ready()
    settings = Settings(database_url=db.url)
    with TestClient(create_app(settings, db=db)):
        number = _file(db, settings, POTHOLE_KK, START)
    rng = random.Random(3)
    people = [demo_iin(rng) for _ in range(40)]
    people = list(dict.fromkeys(people))

    def join(iin: str) -> bool:
        return support_appeal(db, settings, number, iin=iin).counted

    with ThreadPoolExecutor(max_workers=8) as pool:
        counted = list(pool.map(join, people + people))
    assert sum(counted) == len(people)
    with db.read() as session:
        appeal = session.scalars(select(Appeal).where(Appeal.number == number)).one()
        assert appeal.supporters == len(people)
        assert len(session.scalars(select(Supporter.id)).all()) == len(people)


def test_workers_sweeping_at_once_link_each_appeal_once_into_one_problem(
    databases: DatabaseFactory,
) -> None:
    db = databases.ready()
    settings = Settings(database_url=db.url)
    texts = [POTHOLE_KK, POTHOLE_RU] * 15
    numbers = [_file(db, settings, t, START + timedelta(hours=i)) for i, t in enumerate(texts)]
    later = START + timedelta(days=3)
    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = list(pool.map(lambda _: sweep(db, settings, later), range(4)))
    reports.append(sweep(db, settings, later))  # whatever a skipped sweep left
    assert sum(r.linked for r in reports) == len(numbers)
    ids = _problem_ids(db)
    assert {ids[n] for n in numbers} == {ids[numbers[0]]}


def test_a_corrected_topic_or_place_is_compared_again(env: Env) -> None:
    db, settings = env.db, env.settings
    kk = _file(db, settings, POTHOLE_KK, START)
    ru = _file(db, settings, POTHOLE_RU, START + timedelta(days=1), kato="751110000")
    sweep(db, settings, START + timedelta(days=1, hours=1))
    assert len(set(_problem_ids(db).values())) == 2  # another place: another problem
    triage.reclassify_appeal(
        db, settings, OFFICIAL, ru, kato=KURCHATOV, now=START + timedelta(days=2)
    )
    assert _problem_ids(db)[ru] is None
    sweep(db, settings, START + timedelta(days=2, hours=1))
    ids = _problem_ids(db)
    assert ids[ru] == ids[kk]


def test_the_official_sees_how_many_said_me_too_beside_the_appeals_history(env: Env) -> None:
    from tests.appeals.test_official_pages import _login

    number = _file(env.db, env.settings, POTHOLE_KK, START)
    env.client.post(f"/api/v1/appeals/{number}/supporters", json={"iin": IIN})
    lifecycle.accept_appeal(env.db, env.settings, OFFICIAL, number, now=START + timedelta(hours=2))
    env.token("official", "akimat-101800000", "o@akimat.kz")
    assert _login(env, "o@akimat.kz") == 303
    page = env.client.get(f"/official/appeals/{number}?lang=ru")
    assert page.status_code == 200 and 'id="supporters"' in page.text
