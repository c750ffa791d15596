"""Submissions: idempotency, concurrency, bad input (4xx, nothing half-written)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from arna.appeals.models import Appeal, Assignment, OutboxMessage
from arna.core.audit import AuditEvent, verify_chain
from tests.appeals.conftest import ROAD_IN_KURCHATOV, Env
from tests.conftest import DatabaseFactory


def test_retried_post_with_the_same_key_returns_the_same_appeal(env: Env) -> None:
    headers = {"Idempotency-Key": "retry-7f3a"}
    first = env.client.post("/api/v1/appeals", json=ROAD_IN_KURCHATOV, headers=headers)
    second = env.client.post("/api/v1/appeals", json=ROAD_IN_KURCHATOV, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()  # same number and access code
    assert second.headers["Idempotent-Replayed"] == "true"
    assert env.count() == 1
    other = {**ROAD_IN_KURCHATOV, "text": "another problem on the road"}
    reused = env.client.post("/api/v1/appeals", json=other, headers=headers)
    assert reused.status_code == 409 and "Idempotency-Key" in reused.json()["detail"]
    assert env.count() == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _post(url: str, body: bytes, key: str | None = None) -> dict[str, object]:
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def test_1000_concurrent_submissions(databases: DatabaseFactory, tmp_path: Path) -> None:
    db = databases.ready()
    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    # with a text reader process, as `arna serve` runs on a machine with 2 cores or more
    env = {**os.environ, "ARNA_DATABASE_URL": db.url, "ARNA_TEXT_READERS": "1"}
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("arna")), "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/api/v1/appeals"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).close()
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline and server.poll() is None, log.name
                time.sleep(0.2)
        bodies = [
            json.dumps({**ROAD_IN_KURCHATOV, "text": f"Жолда шұңқыр №{i}"}).encode()
            for i in range(1000)
        ]
        with ThreadPoolExecutor(max_workers=32) as pool:
            numbers = list(pool.map(lambda b: _post(url, b)["number"], bodies))
        # retries of the first 50 with keys: the same numbers come back
        keyed = [
            json.dumps({**ROAD_IN_KURCHATOV, "text": f"keyed {i}"}).encode() for i in range(50)
        ]
        with ThreadPoolExecutor(max_workers=32) as pool:
            once = list(pool.map(lambda i: _post(url, keyed[i], f"k-{i}")["number"], range(50)))
            twice = list(pool.map(lambda i: _post(url, keyed[i], f"k-{i}")["number"], range(50)))
        assert once == twice
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
    assert len(set(numbers)) == 1000
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Appeal)) == 1050
        stored = set(session.scalars(select(Appeal.number)))
        assert set(numbers) <= stored
        report = verify_chain(session)
        assert report.ok, report
        assert (
            session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "appeal.submitted")
            )
            == 1050
        )


HOSTILE = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>'; DROP TABLE appeals; --"


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({**ROAD_IN_KURCHATOV, "text": ""}, "text"),
        ({**ROAD_IN_KURCHATOV, "text": "   \n\t "}, "text"),
        ({**ROAD_IN_KURCHATOV, "text": "ы" * 10_001}, "10000"),
        ({**ROAD_IN_KURCHATOV, "text": 12345}, "text"),
        ({**ROAD_IN_KURCHATOV, "kind": "demand"}, "kind"),
        ({**ROAD_IN_KURCHATOV, "kato": "12"}, "kato"),
        ({**ROAD_IN_KURCHATOV, "kato": "999999999"}, "unknown KATO"),
        ({**ROAD_IN_KURCHATOV, "kato": "' OR 1=1 --"}, "kato"),
        ({**ROAD_IN_KURCHATOV, "kato": None, "lat": 43.2}, "lat and lon"),
        ({**ROAD_IN_KURCHATOV, "kato": None, "lat": 55.75, "lon": 37.6}, "outside Kazakhstan"),
        ({**ROAD_IN_KURCHATOV, "category": "potholes"}, "unknown category"),
        ({**ROAD_IN_KURCHATOV, "public": "maybe"}, "public"),
        ({**ROAD_IN_KURCHATOV, "applicant": {}}, "applicant.name"),
        ({**ROAD_IN_KURCHATOV, "applicant": {"name": "A", "iin": "900101300000"}}, "check digit"),
        ({**ROAD_IN_KURCHATOV, "applicant": {"name": "A", "iin": "12345"}}, "12 digits"),
        ({**ROAD_IN_KURCHATOV, "applicant": {"name": "A", "phone": "12345"}}, "+7"),
        ({**ROAD_IN_KURCHATOV, "applicant": {"name": "A", "email": "not-an-email"}}, "e-mail"),
        ({**ROAD_IN_KURCHATOV, "surprise": 1}, "surprise"),
        ([1, 2, 3], "body"),
    ],
)
def test_bad_submissions_get_a_clear_422_and_write_nothing(
    env: Env, body: object, says: str
) -> None:
    r = env.client.post("/api/v1/appeals", json=body)
    assert r.status_code == 422, r.text
    assert says in r.text
    assert env.count() == 0


@pytest.mark.parametrize(
    ("raw", "content_type", "status"),
    [
        (b'\xff\xfe{"text": "\xc0\xc1"}', "application/json", 422),  # not UTF-8
        (b'{"text": ', "application/json", 422),  # truncated JSON
        (b"text=hello", "application/x-www-form-urlencoded", 422),
        (b"{" + b" " * 300_000 + b"}", "application/json", 413),  # over the size limit
    ],
)
def test_malformed_bodies_are_4xx(env: Env, raw: bytes, content_type: str, status: int) -> None:
    r = env.client.post("/api/v1/appeals", content=raw, headers={"Content-Type": content_type})
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert env.count() == 0


def test_hostile_text_is_stored_as_text_and_never_breaks_anything(env: Env) -> None:
    body = {
        **ROAD_IN_KURCHATOV,
        "text": HOSTILE + " " + ROAD_IN_KURCHATOV["text"],
        "applicant": {"name": HOSTILE[:200]},
    }
    r = env.client.post("/api/v1/appeals", json=body)
    assert r.status_code == 201
    number = r.json()["number"]
    view = env.client.get(f"/api/v1/appeals/{number}")
    assert view.status_code == 200
    assert view.json()["text"].startswith("<script>")  # JSON carries it as data
    assert view.headers["content-type"].startswith("application/json")
    for path in (f"/api/v1/appeals/{HOSTILE}", "/api/v1/appeals/A-2026-000001' OR '1'='1"):
        assert env.client.get(path).status_code == 404
    assert env.count() == 1


def test_a_failure_inside_the_transaction_leaves_nothing(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    from arna.appeals import notices

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(notices, "message", broken)
    r = env.client.post("/api/v1/appeals", json=ROAD_IN_KURCHATOV)
    # rolled back, so the truth is "not stored, send it again", never a 500
    assert r.status_code == 503, r.text
    assert int(r.headers["Retry-After"]) > 0
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["retry_after"] == int(r.headers["Retry-After"])
    with env.db.read() as session:
        for model in (Appeal, Assignment, OutboxMessage):
            assert session.scalar(select(func.count()).select_from(model)) == 0
        assert (
            session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.entity_type == "appeal")
            )
            == 0
        )
