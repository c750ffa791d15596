"""The figures behind the charts of the home, body and region pages, through HTTP on SQLite and
PostgreSQL: each chart's spec and its table against counts made here in Python from the rows
(not the SQL that made them); rates per 100,000 residents; the table a chart falls back to.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from arna.app import create_app
from arna.appeals.actions import lifecycle
from arna.appeals.actions.submit import submit_appeal
from arna.appeals.models import Appeal, Assignment
from arna.appeals.policy import ANSWERED_RESULTS
from arna.appeals.schemas import AppealCreate, Applicant
from arna.bodies.models import AppealCategory, Body
from arna.core.actors import Actor
from arna.core.clock import now_utc, to_local_date
from arna.core.db import Database
from arna.core.settings import Settings
from arna.oversight.queries import MIN_DUE
from tests.conftest import BACKENDS
from tests.oversight.site import Site, serve

OFFICIAL = Actor("admin", name="system:test-official")
KURCHATOV, AL_FARABI, ALMALY, EKIBASTUZ = "101800000", "791310000", "751110000", "552200000"
SHYMKENT, ABAI = "790000000", "100000000"


def _appeal(text: str, kato: str, category: str) -> AppealCreate:
    return AppealCreate(
        text=text,
        kind="complaint",
        category=category,
        kato=kato,
        public=True,
        applicant=Applicant(name="Айгерім Сапарова", email="aigerim@example.kz"),
    )


def seed(db: Database, settings: Settings) -> None:
    """Bodies that answer late, on time, or have too few answers due to be ranked; topics of
    several sizes; appeals spread over ten weeks."""
    now = now_utc()
    old = now - timedelta(days=40)

    def submit(text: str, kato: str, category: str, at: Any) -> str:
        created, _ = submit_appeal(db, settings, _appeal(text, kato, category), now=at)
        return created.number

    for i in range(MIN_DUE + 1):  # never answered: every answer due is late
        submit(f"Курчатовта {i}-көшеде шұңқыр бар.", KURCHATOV, "roads_local", old)
    for i in range(MIN_DUE):  # answered the next day: all on time
        number = submit(f"Әл-Фараби {i}: көше жарығы жанбайды.", AL_FARABI, "roads_local", old)
        lifecycle.answer_appeal(
            db, settings, OFFICIAL, number, outcome="resolved", text="Шам ауыстырылды.",
            now=old + timedelta(days=1),
        )  # fmt: skip
    for i in range(MIN_DUE - 2):  # late, but too few to rank
        submit(f"Алмалы {i}: жол бұзылған.", ALMALY, "roads_local", old)
    for week in range(10):
        submit(f"Екібастұз: мектепте орын жоқ {week}.", EKIBASTUZ, "schools_kindergartens",
               now - timedelta(days=7 * week))  # fmt: skip
    for i in range(2):
        submit(f"Екібастұз: қоқыс {i}.", EKIBASTUZ, "environment", now - timedelta(days=3))


@pytest.fixture(scope="module", params=BACKENDS)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    yield from serve(request, tmp_path_factory, seed)


# --- reading a chart off a page ---------------------------------------------------------------


@dataclass
class Shown:
    spec: dict[str, Any]
    caption: str
    columns: list[str]
    rows: list[list[str]]
    links: list[str]


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html)).strip()


def chart(html: str, chart_id: str) -> Shown:
    """The spec in a chart's JSON data island and the table it falls back to."""
    figure = re.search(rf'<figure class="chart" id="chart-{chart_id}".*?</figure>', html, re.S)
    assert figure, chart_id
    body = figure.group(0)
    island = re.search(r'<script type="application/json" class="chart-spec">(.*?)</script>', body)
    assert island, "no data island"
    table = re.search(r"<table.*?</table>", body, re.S)
    assert table, "no fallback table"
    columns = [_text(c) for c in re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", table.group(0))]
    rows = [
        [_text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", table.group(0).split("<tbody>")[1], re.S)
    ]
    caption = _text(re.search(r"<figcaption[^>]*>(.*?)</figcaption>", body, re.S).group(1))  # type: ignore[union-attr]
    links = re.findall(r'<th scope="row"><a href="([^"]+)"', table.group(0))
    return Shown(json.loads(island.group(1)), caption, columns, rows, [unescape(u) for u in links])


def _values(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return list(spec["data"]["values"])


# --- what the rows say ------------------------------------------------------------------------


def _rows(site: Site) -> tuple[list[Appeal], list[Assignment]]:
    with site.db.read() as session:
        appeals = list(session.scalars(select(Appeal)))
        assignments = list(session.scalars(select(Assignment)))
        session.expunge_all()
    return appeals, assignments


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _on_time(a: Assignment) -> bool:
    return a.result in ANSWERED_RESULTS and to_local_date(a.ended_at) <= a.due_date  # type: ignore[arg-type]


def _due(a: Assignment, today: date) -> bool:
    return (
        a.result in ANSWERED_RESULTS
        or a.result == "overdue"
        or (a.ended_at is None and a.due_date < today)
    )


def _weekly(received: list[date], assignments: list[Assignment]) -> dict[str, tuple[int, int, int]]:
    """Per week (ISO date of its Monday): appeals received, answers due in it, on time."""
    today = to_local_date(now_utc())
    weeks: dict[str, list[int]] = {}
    first, last = _monday(min(received)), _monday(today)
    while first <= last:
        weeks[first.isoformat()] = [0, 0, 0]
        first += timedelta(days=7)
    for day in received:
        weeks[_monday(day).isoformat()][0] += 1
    for a in assignments:
        week = _monday(a.due_date).isoformat()
        if week in weeks and a.due_date <= today and _due(a, today):
            weeks[week][1] += 1
            weeks[week][2] += _on_time(a)
    return {k: (v[0], v[1], v[2]) for k, v in weeks.items()}


def _share(on_time: int, due: int) -> float | None:
    return on_time / due if due else None


# --- the home page ----------------------------------------------------------------------------


def test_home_over_time_matches_the_rows(site: Site) -> None:
    appeals, assignments = _rows(site)
    expected = _weekly([to_local_date(a.registered_at) for a in appeals], assignments)
    shown = chart(site.get("/").text, "over-time")
    assert shown.caption == "Appeals received and the share answered on time, by week"
    values = _values(shown.spec)
    assert [v["period"] for v in values] == list(expected)  # every week, in order, none skipped
    assert [v["count"] for v in values] == [e[0] for e in expected.values()]
    assert sum(v["count"] for v in values) == len(appeals)
    for v, (_, due, on_time) in zip(values, expected.values(), strict=True):
        share = _share(on_time, due)
        assert v["share"] == pytest.approx(share) if share is not None else v["share"] is None
    # The table says the same, in words and numbers people read.
    assert shown.columns == ["Week starting", "Appeals received", "Answered on time"]
    assert [r[1] for r in shown.rows] == [str(e[0]) for e in expected.values()]
    assert any(r[2] == "0%" for r in shown.rows) and any(r[2] == "—" for r in shown.rows)
    # Two panels on one time axis; Vega gets the number format of the page's language.
    assert [p["mark"]["type"] for p in shown.spec["vconcat"]] == ["line", "bar"]
    assert shown.spec["usermeta"]["locale"]["decimal"] == "."


def test_home_top_categories_and_slowest_bodies(site: Site) -> None:
    appeals, assignments = _rows(site)
    page = site.get("/").text
    topics = chart(page, "top-categories")
    counts = Counter(a.category_id for a in appeals)
    with site.db.read() as session:
        names = {c.id: c.name_en for c in session.scalars(select(AppealCategory))}
        bodies = {b.id: b.name_en for b in session.scalars(select(Body))}
    expected = sorted(((str(c), n) for c, n in counts.items()), key=lambda kv: (-kv[1], kv[0]))
    assert [(v["label"], v["value"]) for v in _values(topics.spec)] == [
        (names[c], n) for c, n in expected
    ]
    assert topics.rows[0] == [names["roads_local"], str(counts["roads_local"])]
    assert topics.links[0] == "/appeals?category=roads_local"

    today = to_local_date(now_utc())
    per_body: dict[str, list[int]] = {}
    for a in assignments:
        due_on = per_body.setdefault(a.body_id, [0, 0])
        if _due(a, today):
            due_on[0] += 1
            due_on[1] += _on_time(a)
    ranked = sorted(
        ((b, 1 - on / due, due) for b, (due, on) in per_body.items() if due >= MIN_DUE),
        key=lambda r: (-r[1], -r[2], r[0]),
    )
    slowest = chart(page, "slowest-bodies")
    shown = [(v["label"], v["value"]) for v in _values(slowest.spec)]
    assert shown == [(bodies[b], pytest.approx(late)) for b, late, _ in ranked]
    assert len(shown) >= 2 and shown[0][1] == 1.0 and shown[-1][1] == 0.0
    late_body = ranked[0][0]
    assert slowest.rows[0][:3] == [bodies[late_body], "100%", str(ranked[0][2])]
    assert slowest.links[0] == f"/bodies/{late_body}"
    assert slowest.columns == [
        "State body", "Not answered on time", "Answers due", "Mean days to answer"
    ]  # fmt: skip
    # The answered body: answers after one day (a calendar day, as the table says).
    assert slowest.rows[-1][3] == "1"
    # A body with fewer answers due than MIN_DUE is not ranked, however late it is.
    few = {b for b, (due, _) in per_body.items() if 0 < due < MIN_DUE}
    ranked_ids = {v["url"].removeprefix("/bodies/") for v in _values(slowest.spec)}
    assert few and not few & ranked_ids


def test_home_regions_table_rates_per_100000(site: Site) -> None:
    appeals, _ = _rows(site)
    page = site.get("/", "ru").text
    row = re.search(rf'<tr data-kato="{SHYMKENT}">(.*?)</tr>', page, re.S)
    assert row
    cells = [_text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row.group(1), re.S)]
    in_shymkent = [a for a in appeals if a.region_kato == SHYMKENT]
    with site.db.read() as session:
        from arna.geo.models import KatoUnit

        unit = session.get(KatoUnit, SHYMKENT)
        population = unit.population if unit else None
    assert population
    rate = len(in_shymkent) * 100_000 / population
    assert cells[1] == str(len(in_shymkent))
    assert cells[2] == f"{rate:.1f}".replace(".", ",")  # one decimal, the Russian comma
    assert "Обращений на 100\u00a0000 жителей" in page  # the map's legend title
    assert "<code>" not in page  # no KATO codes for people to read


def test_home_title_favicon_and_footer(site: Site) -> None:
    page = site.get("/").text
    assert "<title>Arna: appeals to the state, answered in public</title>" in page
    assert '<link rel="icon" href="/favicon.ico"' in page
    assert '<a href="/api/v1/docs">API documentation</a>' in page
    icon = site.client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    svg = site.client.get("/static/favicon.svg")
    assert svg.status_code == 200 and "<svg" in svg.text
    assert "<title>Ақмола облысы — Arna</title>" in site.get("/regions/110000000", "kk").text


# --- a body and a region ----------------------------------------------------------------------


def test_body_page_charts(site: Site) -> None:
    appeals, assignments = _rows(site)
    body_id = next(a.body_id for a in assignments if a.appeal_id in {
        x.id for x in appeals if x.kato == EKIBASTUZ and x.category_id == "schools_kindergartens"
    })  # fmt: skip
    held = [a for a in assignments if a.body_id == body_id]
    page = site.get(f"/bodies/{body_id}", "kk").text
    over_time = chart(page, "over-time")
    expected = _weekly([to_local_date(a.started_at) for a in held], held)
    assert [v["count"] for v in _values(over_time.spec)] == [e[0] for e in expected.values()]
    assert over_time.caption.startswith("Түскен өтініштер және мерзімінде жауап берілген үлесі")
    assert over_time.spec["usermeta"]["locale"]["decimal"] == ","
    topics = chart(page, "top-categories")
    mine = Counter(a.category_id for a in appeals if a.id in {h.appeal_id for h in held})
    assert {v["value"] for v in _values(topics.spec)} == set(mine.values())
    assert all(f"body={body_id}" in link for link in topics.links)


def test_region_page_charts(site: Site) -> None:
    appeals, assignments = _rows(site)
    mine = [a for a in appeals if a.region_kato == ABAI]
    page = site.get(f"/regions/{ABAI}", "ru").text
    over_time = chart(page, "over-time")
    assert sum(v["count"] for v in _values(over_time.spec)) == len(mine) == MIN_DUE + 1
    ids = {a.id for a in mine}
    expected = _weekly(
        [to_local_date(a.registered_at) for a in mine],
        [a for a in assignments if a.appeal_id in ids],
    )
    assert [v["share"] for v in _values(over_time.spec)] == [
        _share(e[2], e[1]) for e in expected.values()
    ]
    topics = chart(page, "top-categories")
    assert [r[1] for r in topics.rows] == [str(len(mine))]
    assert topics.links == [f"/appeals?region={ABAI}&category=roads_local"]
    assert "На 100\u00a0000 жителей" in page


def test_charts_of_an_empty_database(shared_db: Database) -> None:
    with TestClient(create_app(Settings(database_url=shared_db.url), db=shared_db)) as client:
        page = client.get("/?lang=en").text
        region = client.get(f"/regions/{SHYMKENT}?lang=en").text
    for html in (page, region):
        assert html.count('<p class="hint chart-none">No appeals yet: nothing to show.</p>') >= 2
        assert 'class="chart-spec"' not in html


def test_the_data_island_cannot_be_escaped() -> None:
    """A label with `</script>` stays data: tojson escapes < > & in the island."""
    from arna.core import i18n
    from arna.web import charts
    from arna.web.templating import make_templates

    i18n.use("en")
    hostile = '</script><script>alert(1)</script>"&'
    made = charts.ranking(
        "x", "Hostile", [charts.Bar(hostile, 3, url="/appeals")], label_title="L", value_title="V"
    )
    env = make_templates("arna.web").env
    html = env.from_string('{% import "charts.html" as c %}{{ c.show(chart) }}').render(chart=made)
    assert "<script>alert" not in html and html.count("</script>") == 1
    shown = chart(html, "x")
    assert shown.spec["data"]["values"][0]["label"] == hostile
    assert shown.rows == [[hostile, "3"]]


def test_over_time_by_month_once_the_data_is_older_than_half_a_year(
    databases: Any,
) -> None:
    db = databases.ready()
    settings = Settings(database_url=db.url)
    now = now_utc()
    days = (400, 200, 200, 40, 10)
    for i, ago in enumerate(days):
        submit_appeal(
            db, settings, _appeal(f"Курчатовта {i}-көшеде шұңқыр бар.", KURCHATOV, "roads_local"),
            now=now - timedelta(days=ago),
        )  # fmt: skip
    with TestClient(create_app(settings, db=db)) as client:
        page = client.get("/?lang=ru").text
    shown = chart(page, "over-time")
    assert shown.caption == "Поступившие обращения и доля ответов в срок, по месяцам"
    today = to_local_date(now)
    months = [today.replace(day=1)]
    while len(months) < 12:
        last = months[-1] - timedelta(days=1)
        months.append(last.replace(day=1))
    months.reverse()
    values = _values(shown.spec)
    assert [v["period"] for v in values] == [m.isoformat() for m in months]  # the last 12
    month_of = Counter(to_local_date(now - timedelta(days=d)).replace(day=1) for d in days)
    assert [v["count"] for v in values] == [month_of.get(m, 0) for m in months]
    assert sum(v["count"] for v in values) == 4  # the appeal of 400 days ago is off the chart
    assert shown.columns[0] == "Месяц"


def test_the_map_labels_and_marks_the_three_cities(site: Site) -> None:
    from shapely.geometry import Point, shape

    data = site.get("/regions/map.json", "kk").json()
    props = {f["properties"]["kato"]: f for f in data["features"]}
    points = {k for k, f in props.items() if f["properties"]["point"]}
    assert points == {"710000000", "750000000", SHYMKENT}  # Astana, Almaty, Shymkent
    assert props["710000000"]["properties"]["label"] == "Астана"
    assert props["110000000"]["properties"]["label"] == "Ақмола"
    for feature in data["features"]:
        lat, lon = feature["properties"]["label_at"]
        assert shape(feature["geometry"]).buffer(1e-6).contains(Point(lon, lat)), feature[
            "properties"
        ]["kato"]
    ru = site.get(f"/regions/{SHYMKENT}/map.json", "ru").json()
    labels = {f["properties"]["label"] for f in ru["features"]}
    assert all("район" not in label for label in labels)
    assert not any(f["properties"]["point"] for f in ru["features"])
    en = site.get("/regions/map.json", "en").json()
    assert {f["properties"]["label"] for f in en["features"]} >= {"Astana", "West Kazakhstan"}


@pytest.mark.parametrize(
    ("lang", "expected", "locale"),
    [
        ("kk", ["0,0", "0,4", "12,3", "12\u00a0345,7", "—"], (",", "\u00a0", "%")),
        ("ru", ["0,0", "0,4", "12,3", "12\u00a0345,7", "—"], (",", "\u00a0", "\u00a0%")),
        ("en", ["0.0", "0.4", "12.3", "12,345.7", "—"], (".", ",", "%")),
    ],
)
def test_rates_and_the_number_locale_of_each_language(
    lang: str, expected: list[str], locale: tuple[str, str, str]
) -> None:
    from arna.core import i18n
    from arna.web.charts import number_locale

    i18n.use(lang)
    assert [i18n.fmt_rate(r) for r in (0, 0.44, 12.345, 12345.67, None)] == expected
    made = number_locale()
    assert (made["decimal"], made["thousands"], made["percent"]) == locale
