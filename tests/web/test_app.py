from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from arna.app import create_app
from arna.core.db import Database
from arna.core.settings import Settings
from arna.geo.reference import units


@pytest.fixture
def client(shared_db: Database) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=shared_db.url, locale="kk"), db=shared_db)
    with TestClient(app) as c:
        yield c


def test_front_page_lists_every_region_with_its_akimat(client: TestClient) -> None:
    for lang in ("kk", "ru", "en"):
        page = client.get("/", params={"lang": lang})
        assert page.status_code == 200
        rows = re.findall(r'<tr data-kato="(\d{9})">', page.text)
        assert sorted(rows) == sorted(u.kato for u in units().values() if u.level == 1)
        assert len(re.findall(r'href="/bodies/akimat-\d{9}"', page.text)) == 20
    assert "Алматы қаласы әкімдігі" in client.get("/?lang=kk").text
    assert "Акимат города Алматы" in client.get("/?lang=ru").text
    assert "Akimat of Almaty city" in client.get("/?lang=en").text


def test_language_from_accept_language_then_default(client: TestClient) -> None:
    assert 'lang="ru"' in client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9"}).text
    assert 'lang="kk"' in client.get("/", headers={"Accept-Language": "de"}).text


def test_hostile_language_parameter_is_not_reflected(client: TestClient) -> None:
    page = client.get("/", params={"lang": "<script>x9q"})
    assert page.status_code == 200
    assert "x9q" not in page.text


def test_route_api(client: TestClient) -> None:
    r = client.get("/api/v1/route", params={"category": "roads_local", "kato": "103200000"})
    assert r.status_code == 200
    data = r.json()
    assert data["body"]["id"] == "akimat-103200000"
    assert [b["id"] for b in data["chain"]] == ["akimat-100000000", "government"]


def test_geo_apis(client: TestClient) -> None:
    found = client.get("/api/v1/geo/find", params={"q": "Шымкентте жол жөнделмейді"}).json()
    assert found["best"]["kato"] == "790000000"
    at = client.get("/api/v1/geo/at", params={"lat": 43.238, "lon": 76.889}).json()
    assert at["district"]["kato"] == "751110000"
    unit = client.get("/api/v1/geo/units/751110000").json()
    assert [p["kato"] for p in unit["parents"]] == ["750000000", "000000000"]
    assert len(client.get("/api/v1/regions").json()) == 20


def test_bodies_and_categories(client: TestClient) -> None:
    body = client.get("/api/v1/bodies/akimat-750000000").json()
    assert body["kind"] == "city_rs_akimat"
    assert {c["id"] for c in body["children"]} >= {"akimat-751110000", "akimat-751910000"}
    assert len(client.get("/api/v1/categories").json()) == 40
    listed = client.get("/api/v1/bodies", params={"kato": "750000000"}).json()
    assert {"akimat-750000000", "maslikhat-750000000", "mvd-750000000"} <= {b["id"] for b in listed}


def test_clock_and_audit_apis(client: TestClient) -> None:
    added = client.get("/api/v1/clock/add", params={"date": "2026-11-27", "days": 15}).json()
    assert added["result"] == "2026-12-21"
    day = client.get("/api/v1/clock/working-day", params={"date": "2026-12-16"}).json()
    assert day["working_day"] is False and day["reason"] == "Independence Day"
    assert client.get("/api/v1/audit/verify").json()["ok"] is True


@pytest.mark.parametrize(
    ("url", "status", "says"),
    [
        ("/api/v1/route?category=potholes&kato=103200000", 404, "unknown category"),
        ("/api/v1/route?category=roads_local&kato=12", 422, "kato"),
        ("/api/v1/route?category=roads_local&kato=999999999", 422, "unknown KATO"),
        ("/api/v1/route?category=roads_local&kato=' OR 1=1 --", 422, "kato"),
        ("/api/v1/geo/at?lat=55.75&lon=37.62", 404, "outside Kazakhstan"),
        ("/api/v1/geo/at?lat=north&lon=1", 422, "lat"),
        ("/api/v1/geo/find?q=", 422, "q"),
        ("/api/v1/geo/find?q=" + "а" * 10_001, 422, "q"),
        ("/api/v1/clock/add?date=2026-02-30&days=1", 422, "date"),
        ("/api/v1/clock/add?date=2026-02-01&days=99999", 422, "days"),
        ("/api/v1/bodies/<script>", 404, "no body"),
        ("/api/v1/geo/units/nope", 404, "no territorial unit"),
        ("/api/v1/nothing-here", 404, "Not Found"),
    ],
)
def test_bad_input_gets_a_clear_4xx(client: TestClient, url: str, status: int, says: str) -> None:
    r = client.get(url)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert says in r.json()["detail"]


def test_non_utf8_query_is_not_a_server_error(client: TestClient) -> None:
    r = client.get("/api/v1/geo/find?q=%FF%FE%80")
    assert r.status_code < 500


def test_html_errors_are_pages(client: TestClient) -> None:
    r = client.get("/no-such-page")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")


def test_openapi_documents_every_endpoint_with_examples(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/api/v1/route",
        "/api/v1/geo/find",
        "/api/v1/geo/at",
        "/api/v1/clock/add",
        "/api/v1/audit/verify",
        "/api/v1/bodies/{body_id}",
        "/api/v1/regions",
    ):
        assert path in paths
        assert paths[path]["get"].get("summary")


def test_dates_must_be_written_as_dates(client: TestClient) -> None:
    for bad in ("0", "1700000000", "27.11.2026"):
        r = client.get("/api/v1/clock/working-day", params={"date": bad})
        assert r.status_code == 422 and "YYYY-MM-DD" in r.text


def test_a_body_that_is_not_json_is_a_clear_4xx(client: TestClient) -> None:
    r = client.post(
        "/api/v1/appeals/A-2026-000001/answer",
        content=b"\xd6\xb9BJ\xff\xfeL",
        headers={"Content-Type": "application/json", "Authorization": "Bearer x"},
    )
    assert 400 <= r.status_code < 500
    assert r.headers["content-type"].startswith("application/problem+json")


def test_405_keeps_its_allow_header(client: TestClient) -> None:
    r = client.delete("/api/v1/regions")
    assert r.status_code == 405 and "GET" in r.headers["allow"]


def test_errors_on_pages_are_pages_in_the_visitors_language(client: TestClient) -> None:
    missing = client.get("/no/such/page?lang=ru")
    assert missing.status_code == 404
    assert "Страница не найдена" in missing.text
    too_big = client.post(
        "/appeals/new?lang=kk",
        content=b"text=" + b"x" * 300_000,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert too_big.status_code == 413
    assert too_big.headers["content-type"].startswith("text/html")
    assert "Жіберілген дерек тым үлкен" in too_big.text
