"""An acknowledged appeal survives a crash: `arna serve` killed with SIGKILL in the middle of a
load of submissions, a few rounds on each database; every appeal a client got a 201 for is
stored with its text, and the audit log and the stored appeals still agree."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select

from arna.appeals.integrity import check_appeals
from arna.appeals.models import Appeal
from arna.core.audit import verify_chain
from arna.core.settings import Settings
from tests.appeals.conftest import ROAD_IN_KURCHATOV, free_port
from tests.conftest import DatabaseFactory

ROUNDS = 2
CLIENTS = 4
LOAD_SECONDS = 1.5


def _start(url: str, data_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ARNA_DATABASE_URL": url,
        "ARNA_DATA_DIR": str(data_dir),
        "ARNA_TEXT_READERS": "0",
    }
    arna = Path(sys.executable).with_name("arna")
    with log.open("ab") as output:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen(
            [str(arna), "serve", "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the kill takes all of it
        )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2):
                return proc
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise AssertionError(log.read_text()) from None
            time.sleep(0.2)


def _client(port: int, tag: str, stop: threading.Event, acked: dict[str, str]) -> None:
    n = 0
    while not stop.is_set():
        n += 1
        text = f"{ROAD_IN_KURCHATOV['text']} ({tag}-{n})"
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/appeals",
            data=json.dumps({**ROAD_IN_KURCHATOV, "text": text}).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                if response.status == 201:
                    acked[json.load(response)["number"]] = text
        # cut off mid-answer: not acknowledged
        except (OSError, http.client.HTTPException, ValueError):
            if stop.is_set():
                return
            time.sleep(0.01)  # the server is gone: the round is over


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_acknowledged_appeals_survive_kill_9(databases: DatabaseFactory, tmp_path: Path) -> None:
    db = databases.ready()
    data_dir = tmp_path / "var"
    acked: dict[str, str] = {}
    for round_ in range(ROUNDS):
        port = free_port()
        proc = _start(db.url, data_dir, port, tmp_path / "serve.log")
        stop = threading.Event()
        clients = [
            threading.Thread(target=_client, args=(port, f"r{round_}c{i}", stop, acked))
            for i in range(CLIENTS)
        ]
        for client in clients:
            client.start()
        time.sleep(LOAD_SECONDS)
        os.killpg(proc.pid, signal.SIGKILL)  # mid-load, no shutdown of any kind
        proc.wait(timeout=10)
        stop.set()
        for client in clients:
            client.join(timeout=15)
    print(f"{len(acked)} appeals acknowledged over {ROUNDS} kill -9 rounds")
    assert len(acked) > 20, "too little load to tell anything"
    with db.read() as session:
        stored = {n: t for n, t in session.execute(select(Appeal.number, Appeal.text))}
        lost = {n for n in acked if stored.get(n) != acked[n]}
        assert lost == set(), f"{len(lost)} of {len(acked)} acknowledged appeals lost"
        assert verify_chain(session).ok
        settings = Settings(database_url=db.url, data_dir=data_dir)
        assert check_appeals(session, settings) == []
