"""Does another writer stall the server? /api/v1/health latency while a second process holds
SQLite's write lock.

    .venv/bin/python benchmarks/write_lock_stall.py [--hold 1.0]

Starts `arna serve` on a loopback port over a fresh SQLite database; 2 threads submit appeals
one after another while GET /api/v1/health is sampled one request after another, first for
`--hold` seconds alone, then while this process holds the database's write lock
(`Database.write()`, as a login, the worker's sweep or a command does) for `--hold` seconds.
Prints one JSON object: health p50/p99/max in ms for both phases, and the appeals' answers by
status. With the intake's batch write on the event loop, the loop waited for the lock and every
request of the server stalled for as long as the other writer held it; in a thread, only the
appeals wait (docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.appeals_intake import DOCUMENT, free_port, stop, wait_up

from arna.core.db import Database

BIN = Path(sys.executable).parent


def figures(latencies: list[float]) -> dict[str, Any]:
    ordered = sorted(latencies)
    return {
        "samples": len(ordered),
        "p50_ms": round(ordered[len(ordered) // 2], 1),
        "p99_ms": round(ordered[int(len(ordered) * 0.99)], 1),
        "max_ms": round(ordered[-1], 1),
    }


def sample(base: str, seconds: float) -> list[float]:
    latencies: list[float] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        start = time.monotonic()
        urllib.request.urlopen(f"{base}/api/v1/health", timeout=30).close()
        latencies.append((time.monotonic() - start) * 1000)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hold", type=float, default=1.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'arna.db'}"
        env = {**os.environ, "ARNA_DATABASE_URL": url}
        subprocess.run(
            [str(BIN / "arna"), "db", "upgrade"], env=env, check=True, capture_output=True
        )
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = subprocess.Popen(
            [str(BIN / "arna"), "serve", "--port", str(port), "--no-access-log"],
            env=env,
            stdout=(Path(tmp) / "serve.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        answers: Counter[str] = Counter()
        done = threading.Event()

        def submit() -> None:
            body = json.dumps(DOCUMENT).encode()
            headers = {"Content-Type": "application/json"}
            while not done.is_set():
                request = urllib.request.Request(f"{base}/api/v1/appeals", body, headers)
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        answers[str(response.status)] += 1
                except urllib.error.HTTPError as exc:
                    answers[str(exc.code)] += 1

        try:
            wait_up(f"{base}/api/v1/health", proc)
            submitters = [threading.Thread(target=submit) for _ in range(2)]
            for thread in submitters:
                thread.start()
            time.sleep(0.5)
            alone = sample(base, args.hold)
            db = Database(url)

            def hold() -> None:
                with db.write():
                    time.sleep(args.hold)

            holder = threading.Thread(target=hold)
            holder.start()
            held = sample(base, args.hold)
            holder.join()
            done.set()
            for thread in submitters:
                thread.join()
            db.dispose()
        finally:
            done.set()
            stop(proc)
    report = {
        "hold_s": args.hold,
        "health_with_appeals": figures(alone),
        "health_while_another_process_writes": figures(held),
        "appeals_answered": dict(answers),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
