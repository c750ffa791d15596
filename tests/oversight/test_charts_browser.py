"""The charts and maps of the home, body and region pages in Debian's Chromium.

Each chart is drawn from the vendored Vega files (SVG with marks in it), its table stays for
screen readers behind a button; without JavaScript the table is shown. The maps label the
regions in Noto Sans, mark Astana, Almaty and Shymkent as points, and credit their data without
Leaflet's prefix. No request leaves the server, no console error, no CSP violation, nothing
scrolls sideways at 390 px.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.browser import skip_without_browser

skip_without_browser()

from playwright.sync_api import Browser, Page  # noqa: E402

from arna.core.db import Database  # noqa: E402
from arna.core.settings import Settings  # noqa: E402
from tests.oversight.test_figures import seed  # noqa: E402
from tests.web.browser import browser, server, shot  # noqa: E402

__all__ = ["browser", "server"]  # fixtures used by name

SHYMKENT, ASTANA = "790000000", "710000000"
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""
PAGES = {
    "home": ("/?lang=en", ["over-time", "top-categories", "slowest-bodies"]),
    "body": (f"/bodies/akimat-{SHYMKENT}?lang=kk", ["over-time", "top-categories"]),
    "region": (f"/regions/{SHYMKENT}?lang=ru", ["over-time", "top-categories"]),
}


class Watched:
    """A page with what it asked for, said on the console, and what the policy refused."""

    def __init__(self, browser: Browser, base: str, width: int, javascript: bool = True) -> None:
        self.base = base
        self.context = browser.new_context(
            viewport={"width": width, "height": 900}, java_script_enabled=javascript
        )
        self.context.add_init_script(WATCH)
        self.page: Page = self.context.new_page()
        self.requests: list[str] = []
        self.console: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.console.append(f"error: {e}"))

    def visit(self, url: str) -> Page:
        self.page.goto(f"{self.base}{url}")
        self.page.wait_for_load_state("networkidle")
        return self.page

    def elsewhere(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(self.base + "/")]

    def errors(self) -> list[str]:
        refused = list(self.page.evaluate("window.__csp || []"))
        return [m for m in self.console if m.startswith("error")] + refused


@pytest.fixture(scope="module")
def site(server: tuple[str, Database]) -> str:
    base, db = server
    seed(db, Settings(database_url=db.url))
    return base


@pytest.fixture
def watched(site: str, browser: Browser) -> Iterator[Any]:
    opened: list[Watched] = []

    def make(width: int, javascript: bool = True) -> Watched:
        opened.append(Watched(browser, site, width, javascript))
        return opened[-1]

    yield make
    for w in opened:
        w.context.close()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", list(PAGES))
def test_charts_are_drawn_from_local_files(watched: Any, name: str, width: int) -> None:
    url, charts = PAGES[name]
    w = watched(width)
    page = w.visit(url)
    for chart_id in charts:
        figure = page.locator(f"#chart-{chart_id}")
        figure.and_(page.locator("[data-ready=true]")).wait_for(timeout=15_000)
        svg = figure.locator(".chart-view svg")
        assert svg.count() == 1
        box = svg.bounding_box()
        assert box and box["width"] > 150 and box["height"] > 40
        assert box["x"] + box["width"] <= width  # drawn as wide as its box, not wider
        # Marks drawn: bars (and the line of the on-time share over time).
        bars = figure.locator(".chart-view svg .mark-rect path")
        rows = figure.locator(".chart-table tbody tr")
        if chart_id == "over-time":
            assert figure.locator(".chart-view svg .mark-line path").count() == 1
            assert bars.count() == rows.count() > 1  # one bar per period
        else:
            assert bars.count() == rows.count() > 0  # one bar per topic or body
        # The table stays in the page for screen readers; a button shows it to everyone.
        table = figure.locator(".chart-table")
        assert "visually-hidden" in (table.get_attribute("class") or "")
        assert svg.get_attribute("aria-hidden") == "true"
        toggle = figure.locator("button.chart-toggle")
        assert toggle.get_attribute("aria-expanded") == "false"
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert table.is_visible() and rows.first.is_visible()
    scripts = [u for u in w.requests if "/static/vega/" in u]
    assert len(scripts) == 3
    assert w.elsewhere() == []
    assert w.errors() == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"charts-{name}-{width}")


def test_without_javascript_the_tables_are_the_charts(watched: Any) -> None:
    w = watched(390, javascript=False)
    for url, charts in PAGES.values():
        page = w.visit(url)
        for chart_id in charts:
            figure = page.locator(f"#chart-{chart_id}")
            assert figure.locator(".chart-table table").is_visible()
            assert figure.locator(".chart-table tbody tr").count() > 0
            assert figure.locator("svg").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert w.elsewhere() == []


@pytest.mark.parametrize("width", [390, 1280])
def test_the_map_of_the_country(watched: Any, width: int) -> None:
    w = watched(width)
    page = w.visit("/?lang=kk")
    page.wait_for_selector(".map[data-ready=true]", timeout=15_000)
    # Labels in the bundled font; most regions' names are readable at the country's scale.
    labels = page.locator(".map .map-label:not(.map-label-hidden)")
    assert labels.count() >= (8 if width < 600 else 15)
    font = page.evaluate(
        "getComputedStyle(document.querySelector('.map .map-label span')).fontFamily"
    )
    assert font.startswith('"Noto Sans"')
    # Astana, Almaty and Shymkent: marked points with their names, whatever the width.
    points = page.locator(".map path.map-point")
    assert points.count() == 3
    point_labels = page.locator(".map .map-label-point:not(.map-label-hidden)").all_inner_texts()
    assert sorted(point_labels) == ["Алматы", "Астана", "Шымкент"]
    # Shown labels never overlap each other.
    boxes = page.evaluate(
        """Array.from(document.querySelectorAll('.map .map-label:not(.map-label-hidden) span'))
             .map(s => { const r = s.getBoundingClientRect();
                         return [r.left, r.top, r.right, r.bottom]; })"""
    )
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    # The point opens a popup in Noto Sans that links to the city's page.
    astana = page.evaluate(
        """(() => { const m = Array.from(document.querySelectorAll('.map .map-label-point'))
             .find(n => n.textContent === 'Астана'); const r = m.getBoundingClientRect();
             return [r.left, r.top]; })()"""
    )
    assert astana
    points.nth(0).dispatch_event("click")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5000)
    href = popup.locator("a.map-link").get_attribute("href") or ""
    assert href.startswith("/regions/") and href.endswith("000000")
    popup_font = popup.evaluate("e => getComputedStyle(e).fontFamily")
    assert popup_font.startswith('"Noto Sans"')
    # Plain data credits: no "Leaflet" link, no flag.
    credits = page.locator(".leaflet-control-attribution")
    assert "geokz" in credits.inner_text() and "Leaflet" not in credits.inner_text()
    assert credits.locator("svg, img, a").count() == 0
    assert w.elsewhere() == [] and w.errors() == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"map-country-{width}")


def test_a_city_point_opens_its_page(watched: Any) -> None:
    w = watched(1280)
    page = w.visit("/?lang=en")
    page.wait_for_selector(".map[data-ready=true]", timeout=15_000)
    hrefs: list[str | None] = []
    link = page.locator(".leaflet-popup-content a.map-link")
    for i in range(3):
        page.locator(".map path.map-point").nth(i).dispatch_event("click")
        link.wait_for(timeout=5000)
        hrefs.append(link.get_attribute("href"))
        # A dispatched click, as on the points: a real one can land where the popup was before
        # its auto-pan moved it (seen on a loaded machine).
        page.locator(".leaflet-popup-close-button").dispatch_event("click")
        link.wait_for(state="detached", timeout=5000)
    assert sorted(hrefs) == sorted(f"/regions/{k}" for k in (ASTANA, "750000000", SHYMKENT))
    page.locator(".map path.map-point").nth(hrefs.index(f"/regions/{ASTANA}")).dispatch_event(
        "click"
    )
    link.click()
    page.wait_for_url(f"**/regions/{ASTANA}")
    assert page.locator("#region-name").inner_text() == "Astana (city)"
