"""The request size limit counts streamed bytes: a chunked body (no Content-Length) larger than
max_request_bytes is a 413 with a clear message, not a 400 about JSON."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi.testclient import TestClient

from arna.app import create_app
from arna.core.db import Database
from arna.core.settings import Settings

LIMIT = 4096


@pytest.fixture
def app_settings(shared_db: Database) -> Settings:
    return Settings(database_url=shared_db.url, max_request_bytes=LIMIT)


def chunks(total: int, size: int = 1000) -> Iterator[bytes]:
    yield b'{"text": "'
    for _ in range(total // size):
        yield b"a" * size
    yield b'"}'


def test_a_chunked_body_over_the_limit_is_413(shared_db: Database, app_settings: Settings) -> None:
    with TestClient(create_app(app_settings, db=shared_db)) as client:
        r = client.post(
            "/api/v1/appeals",
            content=chunks(3 * LIMIT),
            headers={"Content-Type": "application/json"},
        )
        assert "content-length" not in {k.lower() for k in r.request.headers}
        assert r.status_code == 413, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert f"larger than {LIMIT} bytes" in r.json()["detail"]
        # a page gets the page
        page = client.post(
            "/appeals/new",
            content=chunks(3 * LIMIT),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert page.status_code == 413
        assert page.headers["content-type"].startswith("text/html")
        # under the limit, streamed, the body is read as usual (a 422 about the appeal)
        small = client.post(
            "/api/v1/appeals",
            content=chunks(LIMIT // 2),
            headers={"Content-Type": "application/json"},
        )
        assert small.status_code == 422 and "too large" not in small.text


def test_a_real_server_answers_413_to_a_chunked_body(
    shared_db: Database, app_settings: Settings
) -> None:
    config = uvicorn.Config(
        create_app(app_settings, db=shared_db), host="127.0.0.1", port=0, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive()
            time.sleep(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(
                b"POST /api/v1/appeals HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            )
            try:
                for chunk in chunks(3 * LIMIT):
                    s.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                s.sendall(b"0\r\n\r\n")
            except OSError:
                pass  # the server may answer and close before the body ends
            answer = b""
            while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
                data = s.recv(65536)
                if not data:
                    break
                answer += data
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 413"), answer
        assert f"larger than {LIMIT} bytes" in json.loads(body)["detail"]
    finally:
        server.should_exit = True
        thread.join(timeout=10)
