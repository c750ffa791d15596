"""A realistic mix of requests on loopback, and whether reading stays fast while appeals pour in.

    .venv/bin/python benchmarks/load_mix.py [--seconds 15] [--probe-interval 0.1]
        [--layouts one,split]

For SQLite and (when reachable) PostgreSQL, `arna serve` on a fresh database with an official,
300 open appeals of the official's body, a petition collecting signatures and an open
consultation. Four phases, each `--seconds` long:

1. **maximum**: wrk submits appeals with 16 connections (benchmarks/appeals_intake.py's load):
   the submissions per second the server sustains;
2. **quiet**: the probes alone, each request type in its own loop, one request per
   `--probe-interval` seconds: tracking an appeal with its access code, the public pages (home,
   the appeals' list, the petitions' list), the official's inbox (the API's list of the body's
   open appeals), answers, signatures and votes;
3. **loaded**: the same probes while wrk submits appeals at half the maximum (each connection
   paced by wrk's `delay`; the achieved rate is reported);
4. **inbox maximum**: wrk reads the official's inbox alone with 16 connections: the inbox reads
   per second one server process answers.

Each phase runs in two layouts, each on a fresh database: `one` server process answers
everything; `split` sends the submissions to a process of their own and the probes to another,
as a reverse proxy routing `POST /api/v1/appeals` apart would (docs/deploy.md).

Prints one JSON object: per database and layout the maximum, each request type's count, p50
and p99 in both phases, the submissions' achieved rate and latency, and the p99 ratio
loaded/quiet of the inbox and the public pages (the issue's goal: within 2×, with the
submissions at ≥ 90 % of the rate asked, else `goal_met` is false). The load generator shares
the machine's cores with the servers and the database, as in every figure of
docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2 as httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.appeals_intake import (
    BIN,
    DOCUMENT,
    ensure_wrk,
    free_port,
    pg_schema,
    post_script,
    postgres_reachable,
    run_wrk,
    serve,
    stop,
    wrk_figures,
)
from benchmarks.petition_signing import KEY, open_petition

OPEN_APPEALS = 300
CONNECTIONS = 16  # wrk's, submitting appeals as fast as they are answered
PACED = 256  # wrk's, submitting at a set rate: each mostly waits, so answers slower than
# expected change the rate little
READING = ("track", "home", "appeals_page", "petitions_page", "inbox")
WATCHED = ("inbox", "home", "appeals_page", "petitions_page")  # the goal's request types


@dataclass
class World:
    """What the probes need: numbers, codes and credentials made before the server starts."""

    appeals: list[tuple[str, str]]  # number, access code
    body: str  # the official's body, whose open appeals are the inbox
    official_token: str
    petition: str
    signatures: list[tuple[str, str]]  # X-Forwarded-For, body
    consultation: str
    statements: int
    answered: int = 0  # across phases: an appeal is answered once


@dataclass
class Timings:
    samples: dict[str, list[float]] = field(default_factory=dict)
    failures: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> status -> n

    def add(self, kind: str, ms: float, status: int | None) -> None:
        self.samples.setdefault(kind, []).append(ms)
        if status is None or status >= 400:
            failed = self.failures.setdefault(kind, {})
            failed[str(status)] = failed.get(str(status), 0) + 1

    def summary(self, seconds: float) -> dict[str, dict[str, object]]:
        out = {}
        for kind, values in sorted(self.samples.items()):
            data = np.array(values)
            out[kind] = {
                "requests": len(values),
                "per_s": round(len(values) / seconds, 1),
                "p50_ms": round(float(np.percentile(data, 50)), 2),
                "p99_ms": round(float(np.percentile(data, 99)), 2),
                "failed": self.failures.get(kind, {}),  # type: ignore[dict-item]
            }
        return out


def make_world(url: str) -> World:
    """The official, their open appeals, a petition and a consultation (through the actions)."""
    from arna.accounts.actions import create_token, create_user
    from arna.appeals.actions.submit import write_batch
    from arna.appeals.placement import prepare
    from arna.appeals.schemas import AppealCreate
    from arna.core.actors import Actor, system
    from arna.core.db import Database
    from arna.core.settings import Settings
    from arna.opinion.actions.consultations import create_consultation
    from arna.opinion.schemas import ConsultationCreate

    settings = Settings(database_url=url, secret_key=KEY)
    db = Database(url)
    data = AppealCreate.model_validate(DOCUMENT)
    now = datetime.now(UTC) - timedelta(days=1)
    outcomes = write_batch(db, settings, [prepare(data, None, now) for _ in range(OPEN_APPEALS)])
    created = [o[0] for o in outcomes if isinstance(o, tuple)]
    body = created[0].body.id
    create_user(
        db,
        email="official@bench.kz",
        password="bench-password",
        role="official",
        body_id=body,
        actor=system("bench"),
    )
    token = create_token(db, email="official@bench.kz", actor=system("bench"))
    statements = [f"Statement number {i} about the city's buses and roads" for i in range(30)]
    consultation = create_consultation(
        db,
        Actor("admin", name="system:bench"),
        ConsultationCreate(
            title="Қоғамдық көлік", question="What should the city do first?", statements=statements
        ),
    )
    db.dispose()
    petition, bodies = open_petition(url, signers=5_000)
    signatures = [tuple(line.split("\t", 1)) for line in bodies]
    return World(
        [(c.number, c.access_code) for c in created],
        body,
        token,
        petition,
        signatures,  # type: ignore[arg-type]
        consultation,
        len(statements),
    )


async def timed(
    timings: Timings, kind: str, call: Callable[[], Awaitable[httpx.Response]]
) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        response = await call()
    except httpx.HTTPError:
        timings.add(kind, (time.perf_counter() - started) * 1000, None)
        return None
    timings.add(kind, (time.perf_counter() - started) * 1000, response.status_code)
    return response


class Probes:
    """One loop per request type, each at one request per `interval` seconds."""

    def __init__(self, client: httpx.AsyncClient, world: World, interval: float) -> None:
        self.client, self.world, self.interval = client, world, interval
        self.signed = 0
        self.official = {"Authorization": f"Bearer {world.official_token}"}

    async def run(self, seconds: float, timings: Timings) -> None:
        end = time.monotonic() + seconds
        kinds: dict[str, Callable[[int], Awaitable[Any]]] = {
            "track": self.track,
            "home": lambda i: self.get("/", "home", timings),
            "appeals_page": lambda i: self.get("/appeals", "appeals_page", timings),
            "petitions_page": lambda i: self.get("/petitions", "petitions_page", timings),
            "inbox": lambda i: self.get(
                f"/api/v1/appeals?body={self.world.body}&status=open&per_page=50",
                "inbox",
                timings,
                self.official,
            ),
            "answer": self.answer,
            "sign": self.sign,
            "vote": self.vote,
        }
        self.timings = timings
        await asyncio.gather(*(self.loop(step, end) for step in kinds.values()))

    async def loop(self, step: Callable[[int], Awaitable[Any]], end: float) -> None:
        i = 0
        while time.monotonic() < end:
            started = time.monotonic()
            await step(i)
            i += 1
            await asyncio.sleep(max(0.0, self.interval - (time.monotonic() - started)))

    async def get(
        self, path: str, kind: str, timings: Timings, headers: dict[str, str] | None = None
    ) -> None:
        await timed(timings, kind, lambda: self.client.get(path, headers=headers))

    async def track(self, i: int) -> None:
        number, code = self.world.appeals[i % len(self.world.appeals)]
        await timed(
            self.timings,
            "track",
            lambda: self.client.get(f"/api/v1/appeals/{number}", headers={"X-Access-Code": code}),
        )

    async def answer(self, i: int) -> None:
        if self.world.answered >= len(self.world.appeals):
            return
        number, _ = self.world.appeals[-1 - self.world.answered]
        self.world.answered += 1
        body = {"outcome": "resolved", "text": "Жол жөнделді, рахмет хабарлағаныңызға."}
        await timed(
            self.timings,
            "answer",
            lambda: self.client.post(
                f"/api/v1/appeals/{number}/answer", json=body, headers=self.official
            ),
        )

    async def sign(self, i: int) -> None:
        address, body = self.world.signatures[self.signed % len(self.world.signatures)]
        self.signed += 1
        await timed(
            self.timings,
            "sign",
            lambda: self.client.post(
                f"/api/v1/petitions/{self.world.petition}/signatures",
                content=body,
                headers={"Content-Type": "application/json", "X-Forwarded-For": address},
            ),
        )

    async def vote(self, i: int) -> None:
        number = self.world.consultation
        if i % self.world.statements == 0:
            joined = await self.client.post(f"/api/v1/consultations/{number}/participants")
            self.participant = joined.json()["token"]
        body = {
            "token": self.participant,
            "statement": i % self.world.statements,
            "vote": ("agree", "disagree", "pass")[i % 3],
        }
        await timed(
            self.timings,
            "vote",
            lambda: self.client.post(f"/api/v1/consultations/{number}/votes", json=body),
        )


async def submissions(
    url: str, rate: float, latency_ms: float, seconds: float, workdir: Path
) -> dict[str, Any]:
    """Appeals at about `rate` per second from wrk: each of PACED connections sends its next
    request `delay` after its answer, so that with answers taking `latency_ms` its cycle is
    PACED / rate; the achieved rate falls if answers take longer, and is reported. A load
    generator in C, as in the maximum phase: a Python one at this rate took a core of its own
    from the two the server, the reader and the database share."""
    wait_ms = max(PACED * 1000 / rate - latency_ms, 0.0)
    script = post_script(workdir / "paced.lua", f"function delay() return {wait_ms:.3f} end\n")
    command = [ensure_wrk(), "-t2", f"-c{PACED}", f"-d{seconds:g}s", "--latency"]
    process = await asyncio.create_subprocess_exec(
        *command, "-s", str(script), url, stdout=asyncio.subprocess.PIPE
    )
    wrk = wrk_figures((await process.communicate())[0].decode())
    return {
        "requests": wrk["requests"],
        "per_s": round(wrk["requests"] / seconds, 1),
        **{k: wrk[k] for k in ("p50_ms", "p99_ms", "non_2xx")},
    }


def inbox_maximum(base: str, world: World, seconds: int) -> dict[str, Any]:
    """The official's inbox alone, read by wrk with CONNECTIONS connections: how many a second
    one server process answers (docs/deploy.md sizes the web processes by it)."""
    url = f"{base}/api/v1/appeals?body={world.body}&status=open&per_page=50"
    command = [ensure_wrk(), "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    auth = ["-H", f"Authorization: Bearer {world.official_token}"]
    out = subprocess.run([*command, *auth, url], check=True, capture_output=True, text=True).stdout
    wrk = wrk_figures(out)
    return {k: wrk[k] for k in ("requests_per_s", "p50_ms", "p99_ms", "non_2xx")}


async def phase(
    base: str,
    world: World,
    seconds: float,
    interval: float,
    workdir: Path,
    rate: float | None = None,
    latency_ms: float = 0.0,
    intake: str | None = None,
) -> dict[str, Any]:
    timings = Timings()
    limits = httpx.Limits(max_connections=300, max_keepalive_connections=300)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        probes = Probes(client, world, interval)
        jobs: list[Awaitable[Any]] = [probes.run(seconds, timings)]
        if rate:
            submit = f"{intake or base}/api/v1/appeals"
            jobs.append(submissions(submit, rate, latency_ms, seconds, workdir))
        started = time.monotonic()
        done = await asyncio.gather(*jobs)
        took = time.monotonic() - started
    summary = timings.summary(took)
    if rate:
        summary["submit"] = done[1]
    return summary


def start_server(env: dict[str, str], log: Path, servers: list[subprocess.Popen[bytes]]) -> str:
    """`arna serve` on a free port, added to `servers`; returns its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    servers.append(
        serve(
            [str(BIN / "arna"), "serve", "--port", str(port), "--no-access-log"],
            env,
            f"{base}/api/v1/health",
            log,
            timeout=300,  # the text models load in the server; slower beside other work
        )
    )
    return base


def measure(
    database: str, workdir: Path, seconds: int, interval: float, layout: str
) -> dict[str, Any]:
    """One layout on a fresh database: "one" server process answers everything; "split" sends
    the submissions to a process of their own and everything else to another, as a reverse
    proxy routing `POST /api/v1/appeals` would (docs/deploy.md)."""
    name = f"mix-{layout}"
    arna_url = f"sqlite:///{workdir / f'{name}.db'}" if database == "sqlite" else pg_schema()[0]
    env = {
        **os.environ,
        "ARNA_DATABASE_URL": arna_url,
        "ARNA_SECRET_KEY": KEY,
        "ARNA_DATA_DIR": str(workdir),
    }
    subprocess.run([str(BIN / "arna"), "db", "upgrade"], env=env, check=True, capture_output=True)
    world = make_world(arna_url)
    servers: list[subprocess.Popen[bytes]] = []
    try:
        intake = base = start_server(env, workdir / f"{name}-{database}.log", servers)
        if layout == "split":  # the reading process reads no appeal's text
            reading = {**env, "ARNA_TEXT_READERS": "0"}
            base = start_server(reading, workdir / f"{name}-{database}-reads.log", servers)
        maximum = run_wrk(f"{intake}/api/v1/appeals", seconds, CONNECTIONS, workdir)
        rate = maximum["requests_per_s"] / 2
        asyncio.run(phase(base, world, 3, interval, workdir))  # warm-up: templates, caches
        quiet = asyncio.run(phase(base, world, seconds, interval, workdir))
        loaded = asyncio.run(
            phase(base, world, seconds, interval, workdir, rate, maximum["p50_ms"], intake)
        )
        inbox = inbox_maximum(base, world, seconds)
    finally:
        for server in servers:
            stop(server)
    ratios = {
        kind: round(loaded[kind]["p99_ms"] / max(quiet[kind]["p99_ms"], 0.001), 2)
        for kind in WATCHED
    }
    return {
        "maximum_submissions": maximum,
        "submission_rate_asked": round(rate, 1),
        "inbox_maximum": inbox,
        "quiet": quiet,
        "loaded": loaded,
        "p99_loaded_over_quiet": ratios,
        "submission_rate_achieved": loaded["submit"]["per_s"],
        # met only if the submissions did run at (nearly) half their maximum beside the probes
        "goal_met": all(r <= 2 for r in ratios.values())
        and loaded["submit"]["per_s"] >= 0.9 * rate,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--probe-interval", type=float, default=0.1)
    parser.add_argument(
        "--layouts", default="one,split", help="one: a server process; split: submissions apart"
    )
    args = parser.parse_args()
    report: dict[str, Any] = {
        "seconds": args.seconds,
        "probe_interval_s": args.probe_interval,
        "cores": os.cpu_count(),
        "goal": "inbox and public pages p99 under load within 2x of their quiet p99",
    }
    databases = ["sqlite", "postgresql"] if postgres_reachable() else ["sqlite"]
    with tempfile.TemporaryDirectory(prefix="arna-mix-") as tmp:
        for database in databases:
            for layout in args.layouts.split(","):
                where = Path(tmp) / f"{database}-{layout}"
                where.mkdir()
                report[f"{database}_{layout}"] = measure(
                    database, where, args.seconds, args.probe_interval, layout
                )
        if "postgresql" not in databases:
            report["postgresql"] = "not reachable"
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
