"""Observability through HTTP: request ids and JSON log lines without personal data, /healthz,
/readyz and /metrics (docs/observability.md), on a real database; and `arna serve`'s own logs."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from typer.testing import CliRunner

from arna.app import create_app
from arna.appeals.models import Appeal
from arna.cli import app as arna_cli
from arna.core.db import Database
from arna.core.logs import JsonFormatter
from arna.core.settings import Settings
from arna.maintenance.upgrade import head_revision
from tests.appeals.conftest import Env, free_port
from tests.conftest import DatabaseFactory

IIN = "900101300126"
PHONE = "+7 701 234 56 78"
EMAIL = "aigerim.saparova@example.kz"
NAME = "Айгерім Сапарова"
PASSWORD = "password-123"
APPEAL = {
    "text": "Курчатов қаласында жолда үлкен шұңқыр бар, көліктер бұзылады.",
    "kind": "complaint",
    "kato": "101800000",
    "applicant": {"name": NAME, "email": EMAIL, "phone": PHONE, "iin": IIN},
}
GENERATED_ID = re.compile(r"[0-9a-f]{32}")


class Logs:
    """Every record written while the test runs, as the JSON lines `arna serve` would write."""

    def __init__(self) -> None:
        self.stream = io.StringIO()

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stream.getvalue().splitlines()]

    def text(self) -> str:
        return self.stream.getvalue()


@pytest.fixture
def logs() -> Iterator[Logs]:
    captured = Logs()
    handler = logging.StreamHandler(captured.stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level, client_level = root.level, logging.getLogger("httpx2").level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)  # everything Arna and its libraries say, not only info
    logging.getLogger("httpx2").setLevel(logging.WARNING)  # the test's client, not the server
    yield captured
    root.removeHandler(handler)
    root.setLevel(level)
    logging.getLogger("httpx2").setLevel(client_level)


@pytest.fixture
def env(databases: DatabaseFactory) -> Iterator[Env]:
    db = databases.ready()
    settings = Settings(database_url=db.url)
    app = create_app(settings, db=db)

    def inside() -> dict[str, str]:  # a sync route, run in a thread, that logs
        logging.getLogger("arna.test").warning("inside a request")
        return {}

    app.add_api_route("/test/log", inside)
    with TestClient(app) as client:
        yield Env(db, settings, client)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


def test_log_lines_carry_request_ids_and_no_personal_data(env: Env, logs: Logs) -> None:
    token = env.token("official", "akimat-101800000", "official.one@akimat.kz")
    client, responses = env.client, []

    created = client.post(
        "/api/v1/appeals", json=APPEAL, headers={"X-Request-ID": "client-chosen_1.a"}
    )
    assert created.status_code == 201, created.text
    assert created.headers["X-Request-ID"] == "client-chosen_1.a"
    number, code = created.json()["number"], created.json()["access_code"]
    responses.append(created)
    # tracking: the API with the code in its header, the form, and a code put in a query
    responses.append(client.get(f"/api/v1/appeals/{number}", headers={"X-Access-Code": code}))
    assert responses[-1].json()["applicant"]["iin"] == IIN
    responses.append(client.get("/track", params={"number": number, "code": code}))
    responses.append(client.post("/track", data={"number": number, "code": code}))
    assert responses[-1].status_code == 200 and number in responses[-1].text
    # an official: the login form, then the workbench and the API with a bearer token
    form = client.get("/official/login")
    csrf = _csrf(form.text)
    login = client.post(
        "/official/login",
        data={"email": "official.one@akimat.kz", "password": PASSWORD, "csrf": csrf},
        follow_redirects=False,
    )
    assert login.status_code == 303
    responses += [form, login, client.get(f"/official/appeals/{number}")]
    assert responses[-1].status_code == 200 and NAME in responses[-1].text
    responses.append(
        client.get(f"/api/v1/appeals/{number}", headers={"Authorization": f"Bearer {token}"})
    )
    responses.append(client.get("/api/v1/appeals", params={"q": IIN, "per_page": 5}))
    nowhere = client.get(f"/nowhere/{IIN}", params={"email": EMAIL})
    assert nowhere.status_code == 404
    responses.append(nowhere)
    # ids that are not plain tokens are replaced
    for hostile in (b"a b", b"x" * 65, "ид".encode(), b"<script>"):
        r = client.get("/healthz", headers={b"X-Request-ID": hostile})
        assert GENERATED_ID.fullmatch(r.headers["X-Request-ID"]), hostile
        responses.append(r)
    inside = client.get("/test/log", headers={"X-Request-ID": "inside-1"})
    responses.append(inside)

    lines = logs.lines()
    secrets = {
        NAME, EMAIL, IIN, PHONE, "77012345678", "7012345678", code, PASSWORD, token,
        csrf, number, "official.one@akimat.kz",
    }  # fmt: skip
    text = logs.text()
    assert [s for s in secrets if s in text or json.dumps(s)[1:-1] in text] == []
    access = {line["request_id"]: line for line in lines if line["logger"] == "arna.access"}
    for response in responses:
        rid = response.headers["X-Request-ID"]
        line = access[rid]  # one access line per request, under the id the client was sent
        assert line["status"] == response.status_code
        assert set(line) == {
            "time", "level", "logger", "message", "request_id", "method", "route", "status",
            "duration_ms",
        }  # fmt: skip
        assert line["duration_ms"] >= 0
    assert access["client-chosen_1.a"]["route"] == "/api/v1/appeals"
    assert access[responses[1].headers["X-Request-ID"]]["route"] == "/api/v1/appeals/{number}"
    assert access[nowhere.headers["X-Request-ID"]]["route"] == "<unmatched>"
    assert sum(1 for line in lines if line["logger"] == "arna.access") == len(responses)
    assert len({r.headers["X-Request-ID"] for r in responses}) == len(responses)
    said = [line for line in lines if line["message"] == "inside a request"]
    assert [line.get("request_id") for line in said] == ["inside-1"]


def _metric(text: str, name: str, **labels: str) -> float | None:
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        key, _, value = line.rpartition(" ")
        metric, _, rest = key.partition("{")
        found = dict(re.findall(r'(\w+)="([^"]*)"', rest))
        if metric == name and found == labels:
            return float(value)
    return None


def test_health_readiness_and_metrics(
    env: Env, monkeypatch: pytest.MonkeyPatch, logs: Logs
) -> None:
    client = env.client
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "revision": head_revision()}

    first = client.get("/metrics").text
    assert _metric(first, "arna_database_up") == 1
    assert _metric(first, "arna_outbox_pending") == 0
    assert _metric(first, "arna_appeals_overdue_open") == 0
    assert _metric(first, "arna_worker_lag_seconds") is None  # no sweep yet

    numbers = []
    for _ in range(3):
        created = client.post("/api/v1/appeals", json=APPEAL)
        assert created.status_code == 201
        numbers.append(created.json()["number"])
        assert client.get(f"/api/v1/appeals/{numbers[-1]}").status_code == 200
    with env.db.write() as session:  # the test's own setup: one appeal is overdue
        session.execute(
            update(Appeal).where(Appeal.number == numbers[0]).values(due_date=date(2020, 1, 6))
        )
    monkeypatch.setenv("ARNA_DATABASE_URL", env.db.url)

    scraped = client.get("/metrics")
    assert scraped.status_code == 200
    assert scraped.headers["Content-Type"].startswith("text/plain")
    text = scraped.text
    route = "/api/v1/appeals/{number}"
    assert _metric(text, "arna_http_requests_total", method="GET", route=route, status="200") == 3
    assert _metric(text, "arna_http_requests_total", method="POST", route="/api/v1/appeals",
                   status="201") == 3  # fmt: skip
    assert _metric(text, "arna_http_request_duration_seconds_count", method="GET",
                   route=route) == 3  # fmt: skip
    assert _metric(text, "arna_http_request_duration_seconds_bucket", method="GET", route=route,
                   le="+Inf") == 3  # fmt: skip
    batches = _metric(text, "arna_intake_batch_size_count")
    assert batches is not None and 1 <= batches <= 3
    assert _metric(text, "arna_intake_batch_size_sum") == 3
    assert _metric(text, "arna_outbox_pending") == 3  # each applicant's confirmation e-mail
    assert _metric(text, "arna_appeals_overdue_open") == 1
    assert not any(n in text for n in numbers)

    swept = CliRunner().invoke(arna_cli, ["worker", "--once", "--json"])
    assert swept.exit_code == 0, swept.output
    after = client.get("/metrics").text
    lag = _metric(after, "arna_worker_lag_seconds")
    assert lag is not None and 0 <= lag < 60
    assert _metric(after, "arna_appeals_overdue_open") == 0  # escalated, with a new term
    assert "arna_http_request_duration_seconds" in after

    schema = client.get("/api/v1/openapi.json").json()
    assert not {"/healthz", "/readyz", "/metrics"} & set(schema["paths"])


def test_readiness_wants_migrations_at_head(databases: DatabaseFactory) -> None:
    db = databases.empty()
    with TestClient(create_app(Settings(database_url=db.url), db=db)) as client:
        assert client.get("/healthz").status_code == 200
        r = client.get("/readyz")
        assert r.status_code == 503
        assert r.json()["current"] is None and r.json()["head"] == head_revision()
        assert "arna db upgrade" in r.json()["reason"]
        assert _metric(client.get("/metrics").text, "arna_database_up") == 1


def test_a_database_that_is_down_fails_readiness_not_liveness_nor_metrics(
    logs: Logs,
) -> None:
    db = Database("postgresql+psycopg://arna@127.0.0.1:9/nothing?connect_timeout=2")
    settings = Settings(database_url=db.url)
    try:
        with TestClient(create_app(settings, db=db)) as client:
            assert client.get("/healthz").json() == {"status": "ok"}
            r = client.get("/readyz")
            assert r.status_code == 503
            assert r.json() == {"status": "unavailable", "reason": "the database does not answer"}
            metrics = client.get("/metrics")
            assert metrics.status_code == 200
            assert _metric(metrics.text, "arna_database_up") == 0
            assert _metric(metrics.text, "arna_outbox_pending") is None
            assert _metric(metrics.text, "arna_http_requests_total", method="GET",
                           route="/readyz", status="503") == 1  # fmt: skip
    finally:
        db.dispose()
    assert "arna@127.0.0.1" not in logs.text()


MULTIPROCESS = """
import sys
from arna.core.db import Database
from arna.web.metrics import Metrics
metrics = Metrics(Database(sys.argv[1]))
metrics.observe("GET", "/healthz", 200, 0.002)
metrics.observe_batch(7)
if sys.argv[2] == "scrape":
    sys.stdout.write(metrics.exposition().decode())
"""


def test_several_processes_add_up_in_multiprocess_mode(tmp_path: Path) -> None:
    folder = tmp_path / "prometheus"
    folder.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder)}
    url = f"sqlite:///{tmp_path / 'm.db'}"
    for mode in ("count", "count", "scrape"):
        run = subprocess.run(
            [sys.executable, "-c", MULTIPROCESS, url, mode],
            env=env, capture_output=True, text=True, check=True, timeout=60,
        )  # fmt: skip
    text = run.stdout
    assert _metric(text, "arna_http_requests_total", method="GET", route="/healthz",
                   status="200") == 3  # fmt: skip
    assert _metric(text, "arna_intake_batch_size_sum") == 21
    assert _metric(text, "arna_database_up") == 1


def test_arna_serve_writes_json_lines_with_route_templates(tmp_path: Path) -> None:
    from arna.maintenance.upgrade import upgrade

    url = f"sqlite:///{tmp_path / 'serve.db'}"
    db = Database(url)
    upgrade(db)
    db.dispose()
    port = free_port()
    env = {**os.environ, "ARNA_DATABASE_URL": url, "ARNA_DATA_DIR": str(tmp_path)}
    arna = Path(sys.executable).with_name("arna")
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        proc = subprocess.Popen(
            [str(arna), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError(log.read_text()) from None
                time.sleep(0.2)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/appeals/A-2026-000001?code={IIN}",
            headers={"X-Request-ID": "serve-1"},
        )
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(request, timeout=10)
        assert missing.value.headers["X-Request-ID"] == "serve-1"
        missing.value.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    text = log.read_text()
    lines = [json.loads(line) for line in text.splitlines()]  # every line is JSON
    assert IIN not in text and "A-2026-000001" not in text
    served = [line for line in lines if line.get("request_id") == "serve-1"]
    assert served == [
        {
            "time": served[0]["time"],
            "level": "INFO",
            "logger": "arna.access",
            "message": "request",
            "request_id": "serve-1",
            "method": "GET",
            "route": "/api/v1/appeals/{number}",
            "status": 404,
            "duration_ms": served[0]["duration_ms"],
        }
    ]
    assert any(line["logger"].startswith("uvicorn") for line in lines)  # uvicorn's lines too
