"""The public pages: the list of appeals with its filters, one appeal, a body, a region with its
map, and the live figures of the home page. Figures are checked against counts made here in
Python from the rows, not against the SQL that made them.

The last test drives Debian's Chromium (JavaScript on and off, phone width): the filters, the
region map and hostile text shown as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from arna.app import create_app
from arna.appeals.actions import lifecycle
from arna.appeals.actions.submit import submit_appeal
from arna.appeals.models import Appeal, Assignment
from arna.appeals.schemas import AppealCreate, Applicant
from arna.core.actors import Actor
from arna.core.clock import KZ_TZ, now_utc, to_local_date
from arna.core.db import Database
from arna.core.settings import Settings
from arna.geo.reference import units
from tests.conftest import BACKENDS, _factory
from tests.web.browser import HOSTILE, browser, server, shot, skip_without_browser

__all__ = ["browser", "server"]  # fixtures used by name

OFFICIAL = Actor("admin", name="system:test-official")
PERSONAL = "Звоните +7 701 234 56 78 или aigerim@example.kz, ИИН 900101300127."
SHYMKENT, TURAN, AL_FARABI = "790000000", "791910000", "791310000"
ALMATY, ALMALY = "750000000", "751110000"
ABAI, KURCHATOV = "100000000", "101800000"


@dataclass
class Site:
    db: Database
    settings: Settings
    client: TestClient
    numbers: dict[str, str] = field(default_factory=dict)

    def get(self, url: str, lang: str = "en") -> Any:
        sep = "&" if "?" in url else "?"
        return self.client.get(f"{url}{sep}lang={lang}")


def _appeal(text: str, kato: str, *, public: bool = True, **extra: Any) -> AppealCreate:
    return AppealCreate(
        text=text,
        kind="complaint",
        category=extra.pop("category", "roads_local"),
        kato=kato,
        public=public,
        applicant=Applicant(name="Айгерім Сапарова", email="aigerim@example.kz"),
        **extra,
    )


def seed(db: Database, settings: Settings) -> dict[str, str]:
    """Appeals in known states: overdue, answered on time, private, escalated, and a crowd."""
    now = now_utc()
    past = now - timedelta(days=50)
    numbers: dict[str, str] = {}

    def submit(key: str, data: AppealCreate, at: datetime) -> str:
        created, _ = submit_appeal(db, settings, data, now=at)
        numbers[key] = created.number
        return created.access_code

    text = "Шымкентте Тұран ауданында жолда үлкен шұңқыр бар. "
    submit("overdue", _appeal(text + PERSONAL + " " + HOSTILE, TURAN), past)
    submit("answered", _appeal("Әл-Фараби ауданында көше жарығы жанбайды.", AL_FARABI), past)
    lifecycle.answer_appeal(
        db, settings, OFFICIAL, numbers["answered"], outcome="resolved",
        text="Шам ауыстырылды. Сұрақтар болса: +7 702 111 22 33", now=past + timedelta(days=1),
    )  # fmt: skip
    submit("private", _appeal("Тұран ауданындағы жол бұзылған.", TURAN, public=False), past)
    code = submit(
        "escalated", _appeal("Әл-Фараби: жол жөнделмеді.", AL_FARABI), now - timedelta(days=10)
    )
    lifecycle.answer_appeal(
        db, settings, OFFICIAL, numbers["escalated"], outcome="explained",
        text="Көктемде жөнделеді.", now=now - timedelta(days=9),
    )  # fmt: skip
    lifecycle.give_feedback(
        db, settings, numbers["escalated"], code, resolved=False, rating=1,
        now=now - timedelta(days=8),
    )  # fmt: skip
    submit("almaty", _appeal("Алмалы ауданында жол бұзылған.", ALMALY), now - timedelta(days=2))
    for i in range(22):
        submit(f"crowd{i}", _appeal(f"Курчатовта {i}-көшеде шұңқыр бар.", KURCHATOV), now)
    return numbers


@pytest.fixture(scope="module", params=BACKENDS)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    factory = _factory(str(request.param), tmp_path_factory.mktemp("public"))
    db = factory.ready()
    settings = Settings(database_url=db.url)
    numbers = seed(db, settings)
    with TestClient(create_app(settings, db=db)) as client:
        yield Site(db, settings, client, numbers)
    factory.close()


def listed(html: str) -> list[str]:
    return re.findall(r'<td class="nowrap"><a href="/appeals/([A-Z0-9-]+)">', html)


def own_text(html: str) -> str:
    """The page without the layout's language links (they repeat the query, URL-encoded)."""
    return re.sub(r'<nav aria-label="[^"]*" class="languages">.*?</nav>', "", html, flags=re.S)


def by_id(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    assert found, element_id
    return unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


# --- the list ---------------------------------------------------------------------------------


def test_list_shows_public_appeals_redacted_and_escaped(site: Site) -> None:
    page = site.get("/appeals")
    assert page.status_code == 200
    numbers = listed(page.text)
    assert len(numbers) == 20  # a page
    assert site.numbers["private"] not in numbers
    assert "Public appeals, newest first" in page.text  # the table has a caption
    everything = "".join(site.get(f"/appeals?page={p}").text for p in (1, 2))
    assert site.numbers["overdue"] in everything
    assert site.numbers["private"] not in everything
    for secret in ("aigerim@example.kz", "234 56 78", "900101300127", "Сапарова"):
        assert secret not in everything
    assert "<script>window.pwned" not in everything
    assert "&lt;script&gt;" in everything or "&lt;script" in everything


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("overdue=yes", ["overdue"]),
        ("escalated=yes", ["escalated"]),
        ("status=answered", ["answered"]),
        # An escalated appeal is stored as "registered" again; for people it is still open.
        ("status=open&escalated=yes", ["escalated"]),
        (f"region={ALMATY}", ["almaty"]),
        ("body=government", ["escalated"]),
        (f"region={SHYMKENT}&overdue=no&escalated=no", ["answered"]),
        ("category=taxes", []),
    ],
)
def test_list_filters(site: Site, query: str, expected: list[str]) -> None:
    page = site.get(f"/appeals?{query}")
    assert page.status_code == 200
    assert sorted(listed(page.text)) == sorted(site.numbers[k] for k in expected)
    assert by_id(page.text, "found").endswith(str(len(expected)))
    if not expected:
        assert "No public appeal matches these filters." in page.text


def test_list_filters_are_a_get_form_that_keeps_its_values(site: Site) -> None:
    page = site.get(f"/appeals?region={ALMATY}&status=open")
    assert '<form method="get" action="/appeals"' in page.text
    assert f'<option value="{ALMATY}" selected>' in page.text
    assert '<option value="open" selected>' in page.text
    for name in ("region", "body", "category", "status", "overdue", "escalated"):
        assert f'<label for="f-{name}">' in page.text


def test_list_pages_keep_the_filters(site: Site) -> None:
    first = site.get(f"/appeals?region={ABAI}")
    assert len(listed(first.text)) == 20
    assert by_id(first.text, "found").endswith("22")
    assert f'href="/appeals?region={ABAI}&amp;page=2" rel="next"' in first.text
    assert 'rel="prev"' not in first.text
    second = site.get(f"/appeals?region={ABAI}&page=2")
    assert len(listed(second.text)) == 2
    assert f'href="/appeals?region={ABAI}" rel="prev"' in second.text
    assert 'rel="next"' not in second.text
    assert not set(listed(first.text)) & set(listed(second.text))
    beyond = site.get(f"/appeals?region={ABAI}&page=9")
    assert listed(beyond.text) == []
    assert f'href="/appeals?region={ABAI}&amp;page=2"' in beyond.text  # back to the last page


def test_list_ignores_values_not_on_offer_and_never_echoes_them(site: Site) -> None:
    page = site.client.get(
        "/appeals",
        params={"region": "<b>x9q", "status": "x9q", "body": "x9q'", "page": "x9q", "lang": "en"},
    )
    assert page.status_code == 200
    assert "x9q" not in own_text(page.text)
    assert len(listed(page.text)) == 20


def test_list_in_every_language(site: Site) -> None:
    for lang, title in (("kk", "Ашық өтініштер"), ("ru", "Публичные обращения")):
        page = site.get("/appeals", lang)
        assert f'lang="{lang}"' in page.text and title in page.text
    assert "Шымкент қаласы әкімдігі" in site.get(f"/appeals?region={SHYMKENT}", "kk").text
    assert "Акимат города Шымкент" in site.get(f"/appeals?region={SHYMKENT}", "ru").text


# --- one appeal -------------------------------------------------------------------------------


def test_appeal_page_shows_the_redacted_text_and_the_hash_chain(site: Site) -> None:
    """The appeal's page tells its history in words; the hashes are one link away, on the page
    that explains how to check them."""
    number = site.numbers["overdue"]
    page = site.get(f"/appeals/{number}")
    assert page.status_code == 200
    text = by_id(page.text, "text")
    assert "[phone]" in text and "[e-mail]" in text and "[IIN]" in text
    assert HOSTILE in text  # shown as text…
    assert "<script>window.pwned" not in page.text  # …never as markup
    assert "Сапарова" not in page.text
    assert "Akimat of Shymkent city" in by_id(page.text, "body")
    assert re.search(r'data-stage="overdue">Overdue by \d+ working days<', page.text)
    events = site.client.get(f"/api/v1/appeals/{number}").json()["events"]
    assert events
    assert all(event["hash"] not in page.text for event in events)
    assert f'href="/appeals/{number}/verify"' in page.text
    verify = site.get(f"/appeals/{number}/verify")
    assert verify.status_code == 200
    assert "arna audit verify" in verify.text and "/api/v1/audit/verify" in verify.text
    for event in events:
        assert f"<code>{event['hash']}</code>" in verify.text
        assert f"<code>{event['prev_hash']}</code>" in verify.text
    private = site.get(f"/appeals/{site.numbers['private']}/verify")
    assert private.status_code == 404


def test_answered_and_escalated_appeals(site: Site) -> None:
    answered = site.get(f"/appeals/{site.numbers['answered']}")
    assert "[phone]" in by_id(answered.text, "answer")
    assert "111 22 33" not in answered.text
    escalated = site.get(f"/appeals/{site.numbers['escalated']}", "ru")
    assert by_id(escalated.text, "depth") == "1"
    assert "Правительство Республики Казахстан" in by_id(escalated.text, "body")
    assert "Передано в вышестоящий орган" in escalated.text  # the event, in Russian


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("kk", "Бұл нөмірмен ашық өтініш жоқ."),
        ("ru", "Публичного обращения с таким номером нет."),
        ("en", "There is no public appeal with this number."),
    ],
)
def test_private_and_unknown_appeals_are_a_localised_404_page(
    site: Site, lang: str, message: str
) -> None:
    for number in (site.numbers["private"], "A-2026-999999", "<script>x9q"):
        page = site.get(f"/appeals/{number}", lang)
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")
        assert by_id(page.text, "not-found") == message
        assert f'lang="{lang}"' in page.text
        assert "x9q" not in own_text(page.text)


# --- a body -----------------------------------------------------------------------------------


def _expected(db: Database, body_id: str) -> dict[str, Any]:
    """The body's figures counted in Python from the rows."""
    with db.read() as session:
        held = list(session.scalars(select(Assignment).where(Assignment.body_id == body_id)))
        appeals = list(session.scalars(select(Appeal).where(Appeal.body_id == body_id)))
    today = to_local_date(now_utc())
    answered = [a for a in held if a.result in ("resolved", "explained", "refused", "disputed")]
    on_time = [a for a in answered if a.ended_at and to_local_date(a.ended_at) <= a.due_date]
    due = answered + [
        a for a in held if a.result == "overdue" or (a.ended_at is None and a.due_date < today)
    ]
    overdue = [
        a for a in appeals if a.status in ("registered", "in_progress") and a.due_date < today
    ]
    return {
        "received": len(held),
        "answered": len(answered),
        "on_time": f"{round(100 * len(on_time) / len(due))}%" if due else "—",
        "overdue": overdue,
        "escalated_away": len([a for a in held if a.result in ("overdue", "disputed")]),
    }


def test_body_page_figures_categories_and_overdue_appeals(site: Site) -> None:
    page = site.get(f"/bodies/akimat-{SHYMKENT}")
    assert page.status_code == 200
    assert by_id(page.text, "body-name") == "Akimat of Shymkent city"
    assert '<a href="/bodies/government">' in page.text
    expected = _expected(site.db, f"akimat-{SHYMKENT}")
    assert expected["received"] == 4 and expected["answered"] == 2  # the seed, as planned
    assert by_id(page.text, "received") == str(expected["received"])
    assert by_id(page.text, "answered") == str(expected["answered"])
    assert by_id(page.text, "on-time") == expected["on_time"] == "50%"
    assert by_id(page.text, "overdue-now") == str(len(expected["overdue"])) == "2"
    assert by_id(page.text, "escalated-away") == str(expected["escalated_away"]) == "1"
    # Only the public one of the two overdue appeals is listed.
    assert listed(page.text) == [site.numbers["overdue"]]
    found = re.search(r'<ul class="columns" id="categories">(.*?)</ul>', page.text, re.S)
    assert found
    categories = unescape(found.group(1))
    assert "Oblast and district roads; city streets; potholes; street lighting" in categories
    assert "Taxes" not in categories  # a state revenue department answers those


def test_body_page_in_kazakh_and_russian(site: Site) -> None:
    kk = site.get("/bodies/akimat-791910000", "kk")
    assert by_id(kk.text, "body-name") == "Шымкент қаласы Тұран ауданының әкімдігі"
    assert "Шымкент қаласы әкімдігі" in kk.text  # the body above
    ru = site.get("/bodies/mvd-750000000", "ru")
    assert by_id(ru.text, "body-name") == "Департамент полиции города Алматы"
    assert by_id(ru.text, "on-time") == "—"


def test_unknown_body_is_a_localised_404_page(site: Site) -> None:
    page = site.get("/bodies/<b>x9q", "ru")
    assert page.status_code == 404
    assert by_id(page.text, "not-found") == "Государственного органа с таким идентификатором нет."
    assert "x9q" not in own_text(page.text)


# --- a region and its map ---------------------------------------------------------------------


def test_region_page_table_of_districts(site: Site) -> None:
    page = site.get(f"/regions/{SHYMKENT}")
    assert page.status_code == 200
    assert by_id(page.text, "region-name") == "Shymkent (city)"
    assert "<caption" in page.text
    rows = dict(
        re.findall(r'<tr data-kato="(\d{9})">(.*?)</tr>', page.text, re.S),
    )
    assert set(rows) == {"791110000", "791310000", "791510000", "791710000", TURAN}
    cells = {k: [unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(
        r"<t[dh][^>]*>(.*?)</t[dh]>", v, re.S)] for k, v in rows.items()}  # fmt: skip
    # Al-Farabi: 201,573 residents, 2 appeals (answered on time; answered, then disputed).
    assert cells[AL_FARABI] == ["Al-Farabi", "201,573", "2", "1.0", "100%"]  # per 100,000
    # Turan has no population figure: its rate is a dash; one of its 2 appeals is private.
    assert cells[TURAN][1:] == ["—", "2", "—", "0%"]
    assert by_id(page.text, "appeals") == "4"
    assert 'data-src="/regions/790000000/map.json?lang=en"' in page.text
    assert "<noscript>" not in page.text and "hidden" in page.text  # the map waits for JS


def test_region_map_json(site: Site) -> None:
    data = site.get(f"/regions/{SHYMKENT}/map.json", "ru").json()
    assert data["type"] == "FeatureCollection"
    props = {f["properties"]["kato"]: f["properties"] for f in data["features"]}
    assert set(props) == {"791110000", "791310000", "791510000", "791710000", TURAN}
    assert props[AL_FARABI]["appeals"] == 2
    assert props[AL_FARABI]["name"] == units()[AL_FARABI].name_ru
    assert props[AL_FARABI]["rate_text"] == "1,0"  # per 100,000 residents, one decimal
    assert props[AL_FARABI]["url"] == f"/bodies/akimat-{AL_FARABI}"
    assert props[TURAN]["rate"] is None and props[TURAN]["fill"] == "#cccccc"
    assert props["791110000"]["fill"] == "#eff3ff"  # no appeals
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in data["features"])
    assert data["legend"][-1]["label"] == "Нет данных"
    regions = site.get("/regions/map.json").json()
    assert len(regions["features"]) == 20
    shymkent = next(f for f in regions["features"] if f["properties"]["kato"] == SHYMKENT)
    assert shymkent["properties"]["appeals"] == 4
    assert shymkent["properties"]["url"] == f"/regions/{SHYMKENT}"


@pytest.mark.parametrize("kato", [TURAN, "000000000", "123", "abc"])
def test_not_a_region_is_a_localised_404_page(site: Site, kato: str) -> None:
    page = site.get(f"/regions/{kato}", "kk")
    assert page.status_code == 404
    assert by_id(page.text, "not-found") == "Бұл ӘАОЖ кодымен өңір жоқ."
    assert site.get(f"/regions/{kato}/map.json").status_code == 404


# --- the home page ----------------------------------------------------------------------------


def test_home_page_live_figures_and_map(site: Site) -> None:
    with site.db.read() as session:
        appeals = list(session.scalars(select(Appeal)))
    today = to_local_date(now_utc())
    month = datetime.combine(today.replace(day=1), datetime.min.time(), tzinfo=KZ_TZ)
    page = site.get("/")
    assert by_id(page.text, "this-month") == str(
        len([a for a in appeals if a.registered_at >= month])
    )
    overdue = [
        a for a in appeals if a.status in ("registered", "in_progress") and a.due_date < today
    ]
    assert by_id(page.text, "overdue") == str(len(overdue)) == "2"
    assert by_id(page.text, "escalated") == "1"
    assert by_id(page.text, "on-time").endswith("%")
    assert 'data-src="/regions/map.json?lang=en"' in page.text
    assert f'<a href="/regions/{SHYMKENT}">' in page.text
    # The regions table: names people read, with the appeals of each region.
    row = re.search(rf'<tr data-kato="{SHYMKENT}">(.*?)</tr>', page.text, re.S)
    assert row and ">Shymkent (city)</a>" in row.group(1)
    assert '<td class="num" data-label="Appeals">4</td>' in row.group(1)
    assert "<code>" not in row.group(1)


def test_home_page_of_an_empty_database(shared_db: Database) -> None:
    with TestClient(create_app(Settings(database_url=shared_db.url), db=shared_db)) as client:
        page = client.get("/?lang=en")
    assert page.status_code == 200
    assert by_id(page.text, "this-month") == "0"
    assert by_id(page.text, "on-time") == "—"


# --- in a browser -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium(request: pytest.FixtureRequest) -> Any:
    """The shared browser fixture, or a skip (a failure in CI) when Chromium is missing."""
    skip_without_browser()
    return request.getfixturevalue("browser")


@pytest.fixture(scope="module")
def seeded(server: tuple[str, Database]) -> dict[str, str]:
    _base, db = server
    return seed(db, Settings(database_url=db.url))


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_public_pages_in_a_browser(
    server: tuple[str, Database], chromium: Any, seeded: dict[str, str], javascript: bool
) -> None:
    base, _db = server
    context = chromium.new_context(
        java_script_enabled=javascript, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tag = "js" if javascript else "nojs"

    # The filters are a plain GET form.
    page.goto(f"{base}/appeals?lang=ru")
    page.select_option("#f-region", SHYMKENT)
    page.select_option("#f-overdue", "yes")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"region=790000000"))
    assert "overdue=yes" in page.url
    rows = page.locator("table.appeals tbody tr")
    assert rows.count() == 1
    shot(page, f"public-list-{tag}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out

    # One appeal: hostile text is shown as text.
    page.locator(f"a[href='/appeals/{seeded['overdue']}']").click()
    assert HOSTILE in page.locator("#text").inner_text()
    assert "[phone]" in page.locator("#text").inner_text()
    assert page.locator(".timeline li").count() >= 1
    assert page.locator(".situation .badge").inner_text().startswith("Просрочено")
    shot(page, f"public-appeal-{tag}")

    # A region: the table always, the map with JavaScript.
    page.goto(f"{base}/regions/{SHYMKENT}?lang=kk")
    assert page.locator("#districts tbody tr").count() == 5
    district_map = page.locator(".map")
    if javascript:
        page.wait_for_selector(".map[data-ready=true]", timeout=10_000)
        shapes = page.locator(".map path.leaflet-interactive")
        assert shapes.count() == 5
        assert page.locator(".map-legend span").count() >= 2
        shapes.nth(2).click(force=True)
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for(timeout=5000)
        names = page.locator("#districts tbody th").all_inner_texts()
        assert any(name in popup.inner_text() for name in names)
        assert (
            popup.locator("a.map-link")
            .get_attribute("href", timeout=2000)
            .startswith("/bodies/akimat-79")
        )
    else:
        assert district_map.is_hidden()
    shot(page, f"public-region-{tag}")

    # The body page and the home page with its figures and map of the regions.
    page.goto(f"{base}/bodies/akimat-{SHYMKENT}?lang=en")
    assert page.locator("#overdue-now").inner_text() == "2"
    shot(page, f"public-body-{tag}")
    page.goto(f"{base}/?lang=en")
    assert page.locator("#overdue").inner_text() == "2"
    if javascript:
        page.wait_for_selector(".map[data-ready=true]", timeout=10_000)
        assert page.locator(".map path.leaflet-interactive:not(.map-point)").count() == 20
        assert page.locator(".map path.map-point").count() == 3  # Astana, Almaty, Shymkent
    else:
        assert page.locator(".map").is_hidden()
    shot(page, f"public-home-{tag}")

    assert dialogs == []
    if javascript:
        assert page.evaluate("window.pwned === undefined")
    context.close()
