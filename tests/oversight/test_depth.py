"""The escalation depth index through the API and the CLI, on SQLite and PostgreSQL: shares
counted here from the appeals' assignments and bodies (not the SQL behind the index), Wilson
intervals, the public appeals behind a share, and input that is refused."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from arna.appeals.actions import lifecycle
from arna.appeals.actions.submit import submit_appeal
from arna.appeals.models import Appeal, Assignment
from arna.appeals.schemas import AppealCreate, Applicant
from arna.bodies.models import Body, BodyType
from arna.cli import app
from arna.core.actors import Actor
from arna.core.clock import now_utc
from arna.core.db import Database
from arna.core.intervals import wilson
from arna.core.settings import Settings
from tests.conftest import BACKENDS
from tests.oversight.site import Site, serve

OFFICIAL = Actor("admin", name="system:test-official")
KURCHATOV, ALMALY = "101800000", "751110000"
runner = CliRunner()


def seed(db: Database, settings: Settings) -> None:
    """Problems solved where they were filed, after one climb, after two (by the Government),
    and some not solved at all; one that climbed is private."""
    start = now_utc() - timedelta(days=30)

    def filed(i: int, kato: str, public: bool = True) -> tuple[str, str]:
        data = AppealCreate(
            text=f"Көшеде шұңқыр бар, жол бұзылған ({i}).",
            kind="complaint",
            category="roads_local",
            kato=kato,
            public=public,
            applicant=Applicant(name="Айгерім Сапарова", email="aigerim@example.kz"),
        )
        created, _ = submit_appeal(db, settings, data, now=start + timedelta(hours=i))
        return created.number, created.access_code

    def answered(number: str, code: str, solved: bool, day: int) -> None:
        at = start + timedelta(days=day)
        lifecycle.answer_appeal(
            db, settings, OFFICIAL, number, outcome="resolved", text="Жөнделді.", now=at
        )
        lifecycle.give_feedback(db, settings, number, code, resolved=solved, rating=5, now=at)

    for i in range(6):
        answered(*filed(i, KURCHATOV), solved=True, day=1)
    for i in range(3):
        number, code = filed(10 + i, KURCHATOV, public=i != 0)
        answered(number, code, solved=False, day=1)
        answered(number, code, solved=True, day=3)
    for i in range(2):
        number, code = filed(20 + i, KURCHATOV)
        for day in (1, 3):
            answered(number, code, solved=False, day=day)
        answered(number, code, solved=True, day=5)
    number, code = filed(30, KURCHATOV)
    answered(number, code, solved=False, day=1)  # disputed, not solved since
    number, code = filed(31, KURCHATOV)
    lifecycle.answer_appeal(
        db, settings, OFFICIAL, number, outcome="resolved", text="Жөнделді.", now=start
    )  # answered, the applicant has not said
    answered(*filed(40, ALMALY), solved=True, day=2)


@pytest.fixture(scope="module", params=BACKENDS)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    yield from serve(request, tmp_path_factory, seed)


def expected(db: Database) -> dict[str, dict[str, Any]]:
    """Per body filed with: solved problems, how many climbed 0, 1, 2+ times, and how many a
    national body solved; counted from the assignments in Python."""
    with db.read() as session:
        level = dict(session.execute(select(Body.id, BodyType.level).join(BodyType)).all())
        held: dict[int, list[Assignment]] = {}
        for a in session.scalars(select(Assignment).order_by(Assignment.id)):
            held.setdefault(a.appeal_id, []).append(a)
        appeals = session.scalars(select(Appeal)).all()
        found: dict[str, dict[str, Any]] = {}
        for appeal in appeals:
            if appeal.status != "closed" or appeal.feedback_resolved is not True:
                continue
            chain = held[appeal.id]
            climbs = sum(a.reason in ("escalated", "disputed") for a in chain)
            row = found.setdefault(chain[0].body_id, {"solved": 0, "climbed": Counter(), "nat": 0})
            row["solved"] += 1
            row["climbed"][min(climbs, 2)] += 1
            last = level[chain[-1].body_id]
            row["nat"] += last == "republican" and level[chain[0].body_id] != "republican"
        return found


def check_share(got: dict[str, Any], count: int, n: int) -> None:
    low, high = wilson(count, n)
    assert got == {
        "count": count,
        "share": round(count / n, 4),
        "low": round(low, 4),
        "high": round(high, 4),
    }


def test_the_index_counts_what_the_assignments_say(site: Site) -> None:
    got = site.client.get("/api/v1/oversight/escalation-depth?by=body").json()
    want = expected(site.db)
    assert got["by"] == "body" and {r["key"] for r in got["rows"]} == set(want)
    for row in got["rows"]:
        w = want[row["key"]]
        assert row["solved"] == w["solved"]
        for name, climbs in (
            ("climbed_none", 0),
            ("climbed_once", 1),
            ("climbed_twice_or_more", 2),
        ):
            check_share(row[name], w["climbed"][climbs], w["solved"])
        check_share(row["to_national"], w["nat"], w["solved"])
        assert row["too_few"] == (w["solved"] < got["min_solved"])
    kurchatov = next(r for r in got["rows"] if r["key"] == "akimat-101800000")
    assert kurchatov["solved"] == 11 and kurchatov["name"] == "Akimat of Kurchatov city"
    assert [kurchatov[k]["count"] for k in ("climbed_none", "climbed_once")] == [6, 3]
    assert kurchatov["climbed_twice_or_more"]["count"] == kurchatov["to_national"]["count"] == 2
    assert next(r for r in got["rows"] if r["key"] != kurchatov["key"])["too_few"] is True


def test_other_groupings_and_the_names_in_each_language(site: Site) -> None:
    by_region = site.client.get("/api/v1/oversight/escalation-depth?by=region&lang=ru").json()
    solved = {r["key"]: r["solved"] for r in by_region["rows"]}
    assert solved == {"100000000": 11, "750000000": 1}
    assert {r["name"] for r in by_region["rows"]} == {"область Абай", "город Алматы"}
    by_category = site.client.get("/api/v1/oversight/escalation-depth?by=category").json()
    assert [(r["key"], r["solved"]) for r in by_category["rows"]] == [("roads_local", 12)]
    by_month = site.client.get("/api/v1/oversight/escalation-depth?by=month").json()
    assert sum(r["solved"] for r in by_month["rows"]) == 12
    assert all(len(r["key"]) == 7 and r["key"][4] == "-" for r in by_month["rows"])


def test_the_public_appeals_behind_a_share(site: Site) -> None:
    url = "/api/v1/oversight/escalation-depth/appeals?by=body&key=akimat-101800000"
    once = site.client.get(f"{url}&climbed=1").json()["appeals"]
    twice = site.client.get(f"{url}&climbed=2").json()["appeals"]
    with site.db.read() as session:
        public = {
            a.number: a.escalation_depth
            for a in session.scalars(select(Appeal).where(Appeal.public.is_(True)))
            if a.status == "closed" and a.feedback_resolved
        }
    assert sorted(once) == sorted(n for n, d in public.items() if d == 1) and len(once) == 2
    assert sorted(twice) == sorted(n for n, d in public.items() if d >= 2) and len(twice) == 2


@pytest.mark.parametrize(
    "query",
    ["?by=party", "?by=body&lang=de", "/appeals?by=body&key=x&climbed=3", "/appeals?by=x&key=y"],
)
def test_input_that_is_refused_says_what_to_fix(site: Site, query: str) -> None:
    answer = site.client.get(f"/api/v1/oversight/escalation-depth{query}")
    assert 400 <= answer.status_code < 500, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_the_command_line_gives_what_the_api_gives(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARNA_DATABASE_URL", site.db.url)
    result = runner.invoke(app, ["oversight", "depth", "--by", "body", "--json"])
    assert result.exit_code == 0, result.output
    api = site.client.get("/api/v1/oversight/escalation-depth?by=body").json()
    assert json.loads(result.stdout) == api
    table = runner.invoke(app, ["oversight", "depth", "--by", "region"])
    assert table.exit_code == 0 and "Abai" in table.stdout
    wrong = runner.invoke(app, ["oversight", "depth", "--by", "party"])
    assert wrong.exit_code == 2 and "choose from" in wrong.output


def test_the_page_shows_the_shares_and_the_appeals_behind_them(site: Site) -> None:
    page = site.client.get("/escalation?by=body&lang=en").text
    row = re.search(r'<tr data-key="akimat-101800000".*?</tr>', page, re.S)
    assert row, "no row for Kurchatov"
    cells = [
        unescape(re.sub(r"<[^>]+>", "", c)).strip()
        for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    ]
    assert cells[0] == "11"
    assert cells[1].startswith("55%") and cells[2].startswith("27%")  # 6 and 3 of 11
    links = [unescape(h) for h in re.findall(r'href="(/escalation/appeals[^"]+)"', row.group(0))]
    assert len(links) == 3
    behind = site.client.get(links[1] + "&lang=ru")
    assert behind.status_code == 200 and "3 из 11 решённых проблем" in behind.text
    api = site.client.get(
        "/api/v1/oversight/escalation-depth/appeals?by=body&key=akimat-101800000&climbed=1"
    ).json()["appeals"]
    assert sorted(re.findall(r'href="/appeals/(A-\d{4}-\d+)"', behind.text)) == sorted(api)
    assert site.client.get("/escalation/appeals?by=body&key=nobody&climbed=1").status_code == 404
    assert "/escalation" in site.client.get("/?lang=kk").text
    # The trend: each month's problems solved and the share that climbed, as the index says.
    months = site.client.get("/api/v1/oversight/escalation-depth?by=month").json()["rows"]
    trend = re.search(r'id="chart-depth-trend".*?</table>', page, re.S)
    assert trend, "no trend chart"
    for month in months:
        climbed = 1 - month["climbed_none"]["share"]
        assert f'<td class="num">{month["solved"]}</td>' in trend.group(0)
        assert f"{round(climbed * 100)}%" in trend.group(0)
