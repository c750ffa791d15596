"""Monthly reports on the demo season: `arna report … --format pdf` in each language, every page
turned into an image and checked not blank, the charts inside; the HTML report's figures equal
to the scorecards'; region and body reports from the API; refused input; the reports page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from arna.cli import app
from arna.core.db import Database
from arna.core.settings import Settings
from arna.maintenance.upgrade import seed_demo
from tests.oversight.site import Site, serve

runner = CliRunner()
TITLES = {"kk": "Айлық есеп", "ru": "Ежемесячный отчёт", "en": "Monthly report"}


def seed(db: Database, settings: Settings) -> None:
    seed_demo(db, 2026)


@pytest.fixture(scope="module", params=["sqlite"])
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    yield from serve(request, tmp_path_factory, seed)


def busiest_month(site: Site) -> str:
    months = site.client.get("/api/v1/oversight/scorecards?by=month").json()["rows"]
    return str(max(months, key=lambda r: r["received"])["key"])


def ink(image: object) -> float:
    """The share of a page's pixels that are not near white."""
    grey = np.asarray(image.convert("L"))  # type: ignore[attr-defined]
    return float((grey < 200).mean())


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_national_pdf_renders_in_each_language_with_charts(
    site: Site, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str
) -> None:
    monkeypatch.setenv("ARNA_DATABASE_URL", site.db.url)
    month = busiest_month(site)
    path = tmp_path / f"national-{lang}.pdf"
    result = runner.invoke(
        app,
        ["report", "national", "--month", month, "--format", "pdf", "--lang", lang,
         "--output", str(path)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = pdfium.PdfDocument(path)
    assert len(doc) >= 2
    text = ""
    images = 0
    for page in doc:
        assert ink(page.render(scale=1).to_pil()) > 0.01, "a blank page"
        text += page.get_textpage().get_text_range()
        for found in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE]):
            picture = found.get_bitmap().to_pil()
            assert picture.width > 300 and ink(picture) > 0.02, "a blank chart"
            images += 1
    assert images >= 2  # the twelve months, and the parts
    assert TITLES[lang] in text
    region = {"kk": "Алматы қаласы", "ru": "город Алматы", "en": "Almaty"}[lang]
    assert region in text


def test_the_html_report_gives_the_scorecards_figures_with_its_charts(site: Site) -> None:
    month = busiest_month(site)
    page = site.client.get(f"/api/v1/oversight/reports/national/{month}.html?lang=en")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert html.count("<svg") >= 2 and "<script" not in html and "http" not in html.split("<svg")[0]
    card = next(
        r
        for r in site.client.get("/api/v1/oversight/scorecards?by=month").json()["rows"]
        if r["key"] == month
    )
    received = re.search(r"<th scope=\"row\">Received</th><td class=\"num\">([\d,]+)</td>", html)
    assert received and int(received.group(1).replace(",", "")) == card["received"]
    regions = site.client.get("/api/v1/oversight/scorecards?by=region").json()["rows"]
    assert any(f'data-key="{r["key"]}"' in html for r in regions)


def test_a_region_s_and_a_body_s_reports_and_refused_input(site: Site) -> None:
    month = busiest_month(site)
    body = site.client.get("/api/v1/oversight/scorecards?by=body").json()["rows"][0]["key"]
    for url in (
        f"/api/v1/oversight/reports/region/{month}.pdf?key=750000000&lang=ru",
        f"/api/v1/oversight/reports/body/{month}.pdf?key={body}&lang=kk",
    ):
        answer = site.client.get(url)
        assert answer.status_code == 200, url
        assert answer.headers["content-type"] == "application/pdf"
        assert answer.content.startswith(b"%PDF-")
    for url, status in (
        (f"/api/v1/oversight/reports/region/{month}.pdf?key=999999999", 404),
        ("/api/v1/oversight/reports/national/2026-13.pdf", 422),
        ("/api/v1/oversight/reports/national/october.html", 422),
        (f"/api/v1/oversight/reports/party/{month}.pdf", 422),
        (f"/api/v1/oversight/reports/national/{month}.docx", 422),
    ):
        answer = site.client.get(url)
        assert answer.status_code == status, (url, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")


def test_the_reports_page_links_each_month_s_reports(site: Site) -> None:
    page = site.client.get("/reports?kind=region&key=750000000&lang=kk").text
    assert "Алматы қаласы" in page
    link = r'href="(/api/v1/oversight/reports/region/\d{4}-\d\d\.(?:pdf|html)[^"]*)"'
    links = re.findall(link, page)
    assert len(links) == 24
    first = site.client.get(links[1].replace("&amp;", "&"))
    assert first.status_code == 200
    assert site.client.get("/reports?kind=body&key=nobody").status_code == 404
    assert 'id="reports-link"' in site.client.get("/regions/750000000?lang=en").text
