"""Durable petition signatures per second, Arna vs a bare one-insert endpoint, in one run.

    .venv/bin/python benchmarks/petition_signing.py [--seconds 10] [--clients 16]

For SQLite and (when reachable) PostgreSQL: an open petition, then `arna serve` loaded by wrk
(Debian package `wrk`, installed with apt-get when missing) confirming signatures, each request
a different signer (a confirmation as POST …/signing returns it, made beforehand with the
server's key) from its own address (X-Forwarded-For, as a reverse proxy on the same machine
tells it; 4 signers share an address, 160 a /24 network: the default rate limits hold), for a
fixed time with a fixed number of connections; then the bare endpoint of
benchmarks/bare_app.py (FastAPI, one Pydantic model, one durable insert per request) with the
same bodies. Prints one JSON object: requests per second, p50/p99, non-2xx, rows stored, and
Arna's throughput as a share of the bare endpoint's (the issue's goal: at least 0.7).

Every signature Arna answers 201 is committed first (group commit: the signatures that arrive
while one batch is written go into the next), with its petition's count and an audit event.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.appeals_intake import (
    BIN,
    CLOCK_TICKS,
    PG_URL,
    _latency,
    count_rows,
    cpu_ticks,
    ensure_wrk,
    free_port,
    pg_schema,
    postgres_reachable,
    serve,
    serve_bare,
    stop,
)

KEY = "benchmark-key-" + "k" * 40
SIGNERS_PER_RUN = 60_000
LUA = """
local bodies = {}
local i = 0
function init(args)
  local n = 0
  for line in io.lines(args[1]) do
    n = n + 1
    if n % tonumber(args[3]) == tonumber(args[2]) then bodies[#bodies + 1] = line end
  end
end
function request()
  i = i % #bodies + 1
  local tab = string.find(bodies[i], "\t")
  local headers = {["Content-Type"] = "application/json",
                   ["X-Forwarded-For"] = string.sub(bodies[i], 1, tab - 1)}
  return wrk.format("POST", nil, headers, string.sub(bodies[i], tab + 1))
end
"""


def iins(n: int) -> list[str]:
    from arna.core.iin import iin_check_digit

    found, i = [], 0
    while len(found) < n:
        first = f"{70 + i % 30:02d}{1 + i // 30 % 12:02d}{1 + i // 360 % 28:02d}3{i // 10080:04d}"
        check = iin_check_digit(first[:11])
        if check is not None and len(first) == 11:
            found.append(first + str(check))
        i += 1
    return found


def open_petition(url: str, signers: int = SIGNERS_PER_RUN) -> tuple[str, list[str]]:
    """An open petition to the Government, and the bodies of `signers` signatures."""
    from arna.core.actors import Actor
    from arna.core.db import Database
    from arna.core.settings import Settings
    from arna.petitions.actions import lifecycle
    from arna.petitions.actions.signing import Signing, sign_batch
    from arna.petitions.confirmation import Pending, seal_pending
    from arna.petitions.schemas import PetitionCreate

    settings = Settings(database_url=url, secret_key=KEY)
    db = Database(url)
    data = PetitionCreate(
        title="Мемлекеттік қызметтердің ашықтығы туралы петиция",
        text="Мемлекеттік органдардың шешімдерін ашық жариялауды және азаматтардың өтініштеріне "
        "уақтылы жауап беруді сұраймыз. " * 3,
        addressee_id="government",
        author_iin="900101300126",
        author_first_name="Айгерім",
        author_last_name="Сапарова",
    )
    made = lifecycle.create_petition(db, settings, data)
    lifecycle.send_for_cosigning(db, settings, made.number, made.code)
    people = iins(signers + 50)
    far = datetime.now(UTC) + timedelta(hours=2)

    def pending(iin: str) -> Pending:
        key = lifecycle.person_key(settings, iin)
        return Pending(made.number, key, "Test S.", "750000000", far)

    sign_batch(db, [Signing(pending(iin), f"co-{iin}") for iin in people[:50]])
    lifecycle.moderate_petition(
        db, settings, Actor("admin", name="system:bench"), made.number, approve=True
    )
    db.dispose()
    bodies = [
        f"{signer_address(n)}\t"
        + json.dumps({"confirmation": seal_pending(settings, pending(iin))})
        for n, iin in enumerate(people[50:])
    ]
    return made.number, bodies


def signer_address(n: int) -> str:
    """Where signer n signs from, as the reverse proxy in front of Arna tells it
    (X-Forwarded-For, trusted from 127.0.0.1): people at home on many networks, a few at once
    behind one address, as a household or an office."""
    return f"10.{n // 40_000 % 250}.{n // 160 % 250}.{n // 4 % 40 + 1}"


def run_wrk(url: str, bodies: Path, seconds: int, clients: int, workdir: Path) -> dict[str, Any]:
    """wrk with 2 threads, each sending its half of the bodies in turn (a body sent again is
    a signer signing again: answered 200, nothing inserted)."""
    script = workdir / "sign.lua"
    script.write_text(LUA, encoding="utf-8")
    results = []
    for thread in range(2):  # one wrk per half, so that no body is sent by both
        base = [ensure_wrk(), "-t1", f"-c{clients // 2}", "--latency", "-s", str(script)]
        results.append(
            subprocess.Popen(
                [*base, f"-d{seconds}s", url, "--", str(bodies), str(thread), "2"],
                stdout=subprocess.PIPE,
                text=True,
            )
        )
    before = cpu_ticks()
    outs = [p.communicate()[0] for p in results]
    after = cpu_ticks()
    rate = sum(float(re.search(r"Requests/sec:\s+([\d.]+)", o).group(1)) for o in outs)  # type: ignore[union-attr]
    total = sum(int(re.search(r"(\d+) requests in", o).group(1)) for o in outs)  # type: ignore[union-attr]
    errors = sum(
        int(m.group(1)) for o in outs if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", o))
    )
    result: dict[str, Any] = {
        "requests_per_s": round(rate),
        "p50_ms": max(_latency(o, "50%") for o in outs),
        "p99_ms": max(_latency(o, "99%") for o in outs),
        "requests": total,
        "non_2xx": errors,
    }
    if before and after:
        busy, idle = after[0] - before[0], after[1] - before[1]
        result["machine_busy"] = round(busy / max(busy + idle, 1), 2)
        # everything the machine spent per request: server, wrk, database, kernel
        result["cpu_ms_per_request"] = round(busy / CLOCK_TICKS * 1000 / max(total, 1), 3)
    return result


def measure(
    database: str, workdir: Path, seconds: int, clients: int, workers: str
) -> dict[str, Any]:
    if database == "sqlite":
        arna_url = f"sqlite:///{workdir / f'arna-{workers}.db'}"
        bare_target = f"sqlite:{workdir / f'bare-{workers}.db'}"
        bare_count, bare_table = f"sqlite:///{workdir / f'bare-{workers}.db'}", "docs"
    else:
        arna_url, bare_target = pg_schema()
        bare_count, bare_table = arna_url, "bare_docs"
    env = {
        **os.environ,
        "ARNA_DATABASE_URL": arna_url,
        "ARNA_SECRET_KEY": KEY,
        "ARNA_TEXT_READERS": "0",
        "BARE_DATABASE": bare_target,
    }
    subprocess.run([str(BIN / "arna"), "db", "upgrade"], env=env, check=True, capture_output=True)
    number, signatures = open_petition(arna_url)
    bodies = workdir / f"bodies-{database}-{workers}.txt"
    bodies.write_text("\n".join(signatures) + "\n", encoding="utf-8")
    result: dict[str, Any] = {"workers": int(workers)}
    port = free_port()
    proc = serve(
        [str(BIN / "arna"), "serve", "--port", str(port), "--workers", workers, "--no-access-log"],
        env,
        f"http://127.0.0.1:{port}/api/v1/health",
        workdir / f"arna-{database}.log",
    )
    try:
        url = f"http://127.0.0.1:{port}/api/v1/petitions/{number}/signatures"
        result["arna"] = run_wrk(url, bodies, seconds, clients, workdir)
    finally:
        stop(proc)
    engine = sa.create_engine(arna_url)
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT count(*) FROM petition_signatures")).scalar_one()
        counted = conn.execute(
            sa.text("SELECT signatures FROM petitions WHERE number = :n"), {"n": number}
        ).scalar_one()
    engine.dispose()
    result["arna"]["rows_stored"] = int(stored) - 50
    result["arna"]["count_matches_rows"] = int(counted) == int(stored)
    proc, port = serve_bare(workers, env, workdir / f"bare-{database}.log")
    try:
        result["bare"] = run_wrk(f"http://127.0.0.1:{port}/sign", bodies, seconds, clients, workdir)
    finally:
        stop(proc)
    result["bare"]["rows_stored"] = count_rows(bare_count, bare_table)
    result["arna_share_of_bare"] = round(
        result["arna"]["requests_per_s"] / max(result["bare"]["requests_per_s"], 1), 2
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    wanted = args.databases.split(",")
    report: dict[str, Any] = {
        "clients": args.clients,
        "seconds": args.seconds,
        "cores": os.cpu_count(),
    }
    with tempfile.TemporaryDirectory() as tmp:
        if "sqlite" in wanted:
            report["sqlite"] = measure("sqlite", Path(tmp), args.seconds, args.clients, "1")
        if "postgresql" not in wanted:
            pass
        elif postgres_reachable():
            for workers in ("1", "2"):
                report[f"postgresql_{workers}_worker"] = measure(
                    "postgresql", Path(tmp), args.seconds, args.clients, workers
                )
        else:
            report["postgresql"] = {"skipped": f"not reachable at {PG_URL}"}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
