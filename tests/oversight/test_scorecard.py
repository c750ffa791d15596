"""Responsiveness scorecards through the API, the CLI and the page, on SQLite and PostgreSQL:
each figure of one body counted here from what the seeding did (not from the SQL behind the
scorecards), working days walked day by day with the calendar, Wilson intervals, and the
ranking against the country only where the intervals allow it."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from html import unescape
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from arna.appeals.actions import lifecycle
from arna.appeals.actions.submit import submit_appeal
from arna.appeals.actions.sweep import sweep
from arna.appeals.schemas import AppealCreate, Applicant
from arna.cli import app
from arna.core.actors import Actor
from arna.core.clock import load_calendar, now_utc, to_local_date
from arna.core.db import Database
from arna.core.intervals import quantile_interval, wilson
from arna.core.settings import Settings
from arna.geo.models import KatoUnit
from tests.conftest import BACKENDS
from tests.oversight.site import Site, serve

OFFICIAL = Actor("admin", name="system:test-official")
KURCHATOV, ALMALY = "101800000", "751110000"
BODY = f"akimat-{KURCHATOV}"
runner = CliRunner()
START = now_utc().replace(hour=5, minute=0, second=0, microsecond=0) - timedelta(days=70)
# What the seeding did to the body's appeals: (filed, first response, answered, solved) days
# after START for those it answered; the others are listed by what happened to them.
ANSWERED = [(0, 1, 5, True), (0, 2, 8, True), (1, 1, 13, True), (1, 3, 21, None), (2, 2, 27, False)]
EXTENDED = (2, 3, 40)  # filed, accepted (then extended to filed + 45 days), answered
FORWARDED = [(3, 1, True), (3, 2, False)]  # filed, forwarded on day, the receiver forwards again
NEVER = 4  # filed on this day and never touched: escalated by the sweep on day 40


def seed(db: Database, settings: Settings) -> None:
    def at(day: float) -> datetime:
        return START + timedelta(days=day)

    def filed(i: int, day: int, kato: str = KURCHATOV) -> tuple[str, str]:
        data = AppealCreate(
            text=f"Ауладағы жарық жанбайды, шам сынған ({i}).",
            kind="complaint",
            category="roads_local",
            kato=kato,
            public=True,
            applicant=Applicant(name="Айгерім Сапарова", email="aigerim@example.kz"),
        )
        created, _ = submit_appeal(db, settings, data, now=at(day + i / 100))
        return created.number, created.access_code

    def answer(number: str, day: float) -> None:
        lifecycle.answer_appeal(
            db, settings, OFFICIAL, number, outcome="resolved", text="Жөнделді.", now=at(day)
        )

    for i, (day, first, done, solved) in enumerate(ANSWERED):
        number, code = filed(i, day)
        lifecycle.accept_appeal(db, settings, OFFICIAL, number, now=at(day + first))
        answer(number, day + done)
        if solved is not None:
            lifecycle.give_feedback(
                db, settings, number, code, resolved=solved, rating=3, now=at(day + done + 0.5)
            )
    day, first, done = EXTENDED
    number, _ = filed(10, day)
    lifecycle.accept_appeal(db, settings, OFFICIAL, number, now=at(day + first))
    lifecycle.extend_appeal(
        db, settings, OFFICIAL, number, until=to_local_date(at(day + 45)), reason="Сараптама",
        now=at(day + first + 0.1),
    )  # fmt: skip
    answer(number, day + done)
    for i, (day, on, again) in enumerate(FORWARDED):
        number, _ = filed(20 + i, day)
        lifecycle.forward_appeal(
            db, settings, OFFICIAL, number, body_id=f"akimat-{ALMALY}", reason="Құзыреті емес",
            now=at(day + on),
        )  # fmt: skip
        if again:
            lifecycle.forward_appeal(
                db, settings, OFFICIAL, number, body_id="akimat-751210000", reason="Құзыреті емес",
                now=at(day + on + 1),
            )  # fmt: skip
        else:
            answer(number, day + on + 4)
    filed(30, NEVER)
    sweep(db, settings, at(40))
    for i in range(6):  # another body, answered the next day: the country's share rises
        number, _ = filed(40 + i, 5, ALMALY)
        answer(number, 6 + i / 10)


@pytest.fixture(scope="module", params=BACKENDS)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    yield from serve(request, tmp_path_factory, seed)


def _quantile(values: list[int], q: float) -> int:
    return sorted(values)[math.ceil(q * len(values)) - 1]


def _share(count: int, n: int) -> dict[str, Any]:
    low, high = wilson(count, n)
    return {
        "count": count,
        "share": round(count / n, 4),
        "low": round(low, 4),
        "high": round(high, 4),
    }


def expected() -> dict[str, Any]:
    """The body's scorecard from what the seeding did, working days walked with the calendar."""
    calendar = load_calendar()

    def local(day: float) -> date:
        return to_local_date(START + timedelta(days=day))

    def working(a: float, b: float) -> int:
        return calendar.working_days_between(local(a), local(b))

    def due(day: float) -> date:
        return calendar.add_working_days(START + timedelta(days=day), 15)

    answered = [(day, day + done) for day, _, done, _ in ANSWERED]
    answered.append((EXTENDED[0], EXTENDED[0] + EXTENDED[2]))
    on_time = sum(local(end) <= due(day) for day, end in answered[:-1])
    on_time += local(answered[-1][1]) <= local(EXTENDED[0] + 45)
    first = [working(d, d + f) for d, f, _, _ in ANSWERED] + [
        working(EXTENDED[0], sum(EXTENDED[:2]))
    ]
    first += [working(d, d + on) for d, on, _ in FORWARDED]
    to_answer = [working(day, end) for day, end in answered]
    judged = [s for *_, s in ANSWERED if s is not None]
    received = len(ANSWERED) + 1 + len(FORWARDED) + 1
    return {
        "received": received,
        "on_time": _share(on_time, len(answered) + 1),  # the answers and the one escalated
        "extended": _share(1, received),
        "forwarded": _share(len(FORWARDED), received),
        "sent_wrongly": _share(sum(again for *_, again in FORWARDED), len(FORWARDED)),
        "escalated": _share(1, received),
        "disputed": _share(sum(s is False for s in judged), len(answered)),
        "solved": _share(sum(s is True for s in judged), len(judged)),
        "first_response": first,
        "answer": to_answer,
    }


def test_a_body_s_scorecard_counts_what_happened_to_its_appeals(site: Site) -> None:
    got = site.client.get("/api/v1/oversight/scorecards?by=body").json()
    card = next(r for r in got["rows"] if r["key"] == BODY)
    want = expected()
    for name in ("received", "on_time", "extended", "forwarded", "sent_wrongly", "escalated"):
        assert card[name] == want[name], name
    assert card["disputed"] == want["disputed"] and card["solved"] == want["solved"]
    for name in ("first_response", "answer"):
        values = want[name]
        median, p90 = quantile_interval(sorted(values), 0.5), quantile_interval(sorted(values), 0.9)
        assert card[name] == {
            "n": len(values),
            "median": _quantile(values, 0.5),
            "median_low": median[1],
            "median_high": median[2],
            "p90": _quantile(values, 0.9),
            "p90_low": p90[1],
            "p90_high": p90[2],
        }, name
    with site.db.read() as session:
        people = session.scalar(select(KatoUnit.population).where(KatoUnit.kato == KURCHATOV))
    assert people and card["per_100k"] == round(want["received"] * 100_000 / people, 2)
    assert card["name"] == "Akimat of Kurchatov city" and card["too_few"] is False


def test_a_body_is_ranked_only_where_the_intervals_allow(site: Site) -> None:
    got = site.client.get("/api/v1/oversight/scorecards?by=body").json()
    country = got["country"]["on_time"]
    assert got["country"]["received"] == sum(r["received"] for r in got["rows"])
    for row in got["rows"]:
        mine = row["on_time"]
        if row["too_few"]:
            assert row["standing"] == "unranked"
        elif mine["low"] > country["share"]:
            assert row["standing"] == "above"
        elif mine["high"] < country["share"]:
            assert row["standing"] == "below"
        else:
            assert row["standing"] == "level"
    assert {r["standing"] for r in got["rows"]} & {"level", "above", "below"}


def test_other_groupings(site: Site) -> None:
    by_region = site.client.get("/api/v1/oversight/scorecards?by=region&lang=ru").json()
    names = {r["key"]: r["name"] for r in by_region["rows"]}
    assert names == {"100000000": "область Абай", "750000000": "город Алматы"}
    by_month = site.client.get("/api/v1/oversight/scorecards?by=month").json()
    assert sum(r["received"] for r in by_month["rows"]) == by_month["country"]["received"]
    assert all(re.fullmatch(r"\d{4}-\d\d", r["key"]) for r in by_month["rows"])


@pytest.mark.parametrize("query", ["?by=party", "?by=body&lang=de", "?by=" + "x" * 50])
def test_input_that_is_refused_says_what_to_fix(site: Site, query: str) -> None:
    answer = site.client.get(f"/api/v1/oversight/scorecards{query}")
    assert 400 <= answer.status_code < 500, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_the_command_line_and_the_page_give_what_the_api_gives(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARNA_DATABASE_URL", site.db.url)
    result = runner.invoke(app, ["oversight", "scorecard", "--by", "body", "--json"])
    assert result.exit_code == 0, result.output
    api = site.client.get("/api/v1/oversight/scorecards?by=body").json()
    assert json.loads(result.stdout) == api
    table = runner.invoke(app, ["oversight", "scorecard", "--by", "region"])
    assert table.exit_code == 0 and "Abai" in table.stdout and "Kazakhstan" in table.stdout
    wrong = runner.invoke(app, ["oversight", "scorecard", "--by", "party"])
    assert wrong.exit_code == 2 and "choose from" in wrong.output

    page = site.client.get("/scorecards?by=body&lang=en").text
    row = re.search(rf'<tr data-key="{BODY}".*?</tr>', page, re.S)
    assert row, "no row for the body"
    cells = [
        unescape(re.sub(r"<[^>]+>", "", c)).split()
        for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    ]
    card = next(r for r in api["rows"] if r["key"] == BODY)
    assert cells[0][0] == str(card["received"])
    assert cells[2][0] == f"{round(card['on_time']['share'] * 100)}%"
    came_back = card["came_back"]["share"]
    assert cells[10][0] == ("—" if came_back is None else f"{round(came_back * 100)}%")
    assert cells[12][0] == str(card["answer"]["median"])
    assert 'href="/api/v1/oversight/scorecards?by=body' in page
    home = site.client.get("/?lang=en").text
    assert 'href="/scorecards"' in home
