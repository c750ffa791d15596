"""`arna serve` as `make demo` runs it: a real server process on a loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from arna.core.db import Database
from arna.maintenance.upgrade import upgrade


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_brings_up_the_front_page(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    db = Database(url)
    upgrade(db)
    db.dispose()
    port = _free_port()
    env = {**os.environ, "ARNA_DATABASE_URL": url}
    arna = Path(sys.executable).with_name("arna")
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        [str(arna), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/?lang=en", timeout=2) as r:
                    status, text = r.status, r.read().decode("utf-8")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError((tmp_path / "serve.log").read_text()) from None
                time.sleep(0.2)
        assert status == 200
        assert "Akimat of Shymkent city" in text
        assert text.count("Akimat of") == 20
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
