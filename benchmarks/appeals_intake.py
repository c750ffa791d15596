"""Sustained durable appeal submissions per second, Arna vs a bare FastAPI endpoint.

    .venv/bin/python benchmarks/appeals_intake.py [--seconds 10] [--clients 16]

For SQLite and (when reachable) PostgreSQL, starts each server on a loopback port, loads it with
wrk (Debian package `wrk`; installed here with apt-get when missing) POSTing the same ~1 KB
appeal for a fixed time with a fixed number of connections, and prints one JSON object: requests
per second, p50/p99 latency, non-2xx count and rows actually stored, per server and database,
and Arna's throughput as a share of the bare endpoint's. The load generator shares the machine's
cores with the server, as it does in every figure in docs/performance.md.

So that the share can be read against the machine, it also prints how busy all cores were and
the CPU the whole machine spent per request (Linux), the CPU time of reading the appeal's text
as the intake does (`reading_ms_per_appeal`, one core), and `share_ceiling_with_reading_alone`:
the share Arna could reach at most if reading the text, which every appeal needs for its
category and language, were the only work it did beyond the bare endpoint's.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100  # for /proc/stat
PG_URL = os.environ.get(
    "ARNA_BENCH_DATABASE_URL",
    os.environ.get("ARNA_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
)

TEXT = (
    "Құрметті әкімдік! Курчатов қаласында, біздің көшеде жолдың жағдайы өте нашар: асфальт "
    "бұзылған, үлкен шұңқырлар пайда болды, жаңбырдан кейін су жиналып, жаяу жүргіншілер өте "
    "алмайды. Кешке көше жарығы жанбайды, балалар мектептен қараңғыда қайтады. Бұл мәселе "
    "бойынша көршілермен бірге бірнеше рет телефон арқылы хабарластық, бірақ нәтиже жоқ. "
    "Уважаемый акимат! На нашей улице разбит асфальт, огромные ямы, после дождя стоит вода, "
    "пешеходы не могут пройти, вечером не работает уличное освещение. Просим отремонтировать "
    "дорогу и восстановить освещение до наступления холодов. Заранее благодарим за ответ."
)
DOCUMENT = {
    "text": TEXT,
    "kind": "complaint",
    "kato": "101800000",
    "applicant": {
        "name": "Айгерім Сапарова",
        "email": "aigerim@example.kz",
        "phone": "+7 701 234 56 78",
    },
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL
        )
        path = shutil.which("wrk")
    if path is None:
        raise SystemExit("wrk is required: apt-get install wrk")
    return path


def post_script(path: Path, extra: str = "") -> Path:
    """A wrk script at `path` that POSTs the benchmark's appeal, then `extra` Lua."""
    path.write_text(
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f"wrk.body = [[{json.dumps(DOCUMENT, ensure_ascii=False)}]]\n{extra}",
        encoding="utf-8",
    )
    return path


def run_wrk(url: str, seconds: int, clients: int, workdir: Path) -> dict[str, Any]:
    script = post_script(workdir / "post.lua")
    base = [ensure_wrk(), "-t2", f"-c{clients}", "--latency", "-s", str(script)]
    subprocess.run([*base, "-d2s", url], check=True, capture_output=True)  # warm-up
    before = cpu_ticks()
    out = subprocess.run(
        [*base, f"-d{seconds}s", url], check=True, capture_output=True, text=True
    ).stdout
    after = cpu_ticks()
    result: dict[str, Any] = wrk_figures(out)
    total = result["requests"]
    if before and after:
        busy, idle = after[0] - before[0], after[1] - before[1]
        result["machine_busy"] = round(busy / max(busy + idle, 1), 2)
        # everything the machine spent per request: server, load generator, database, kernel
        result["cpu_ms_per_request"] = round(busy / CLOCK_TICKS * 1000 / max(total, 1), 3)
    return result


def wrk_figures(out: str) -> dict[str, Any]:
    """What wrk printed (with --latency): requests per second, p50 and p99 in ms, requests,
    answers that were not 2xx or 3xx."""
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests_per_s": round(rate),
        "p50_ms": _latency(out, "50%"),
        "p99_ms": _latency(out, "99%"),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def cpu_ticks() -> tuple[int, int] | None:
    """(busy, idle) clock ticks of all cores since boot, from /proc/stat (Linux)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + fields[4]  # idle, iowait
    return sum(fields) - idle, idle


def reading_ms_per_appeal(batch: int = 8, seconds: float = 3.0) -> float:
    """CPU time of reading the benchmark's appeal as the intake does (the gist, language asked
    for, the place given), in batches as the intake forms them, on one core."""
    from arna.text.analysis import gist_many

    texts, language, place = [TEXT] * batch, [True] * batch, [False] * batch
    gist_many(texts, language=language, place=place)  # loads the models
    done, start = 0, time.process_time()
    while time.process_time() - start < seconds:
        gist_many(texts, language=language, place=place)
        done += batch
    return (time.process_time() - start) * 1000 / done


def ceiling(report: dict[str, Any], read_ms: float) -> None:
    """What Arna's share of the bare endpoint could be at most if reading the text were all it
    did beyond the bare endpoint's work: the machine's capacity divided by the bare endpoint's
    CPU per request plus the reading."""
    cores = os.cpu_count() or 1
    bare = report["bare"]
    if "cpu_ms_per_request" in bare:
        rate = cores * 1000 / (bare["cpu_ms_per_request"] + read_ms)
        report["share_ceiling_with_reading_alone"] = round(rate / max(bare["requests_per_s"], 1), 2)


def _latency(out: str, pct: str) -> float:
    value, unit = re.search(rf"{pct}\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    return round(float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 2)


def serve(
    cmd: list[str], env: dict[str, str], health: str, log: Path, timeout: float = 60
) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(cmd, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, cwd=ROOT)
    wait_up(health, proc, timeout)
    return proc


def serve_bare(workers: str, env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """benchmarks/bare_app.py served as `arna serve` serves Arna (Nagle off in every worker)."""
    port = free_port()
    module = "benchmarks.bare_app:make_app"
    cmd = [str(BIN / "python"), "-m", "arna.web.serving", module, "--port", str(port)]
    return serve([*cmd, "--workers", workers], env, f"http://127.0.0.1:{port}/docs", log), port


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def count_rows(url: str, table: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
    engine.dispose()
    return int(n)


def measure(
    database: str, workdir: Path, seconds: int, clients: int, workers: str, read_ms: float
) -> dict[str, Any]:
    if database == "sqlite":
        arna_url = f"sqlite:///{workdir / 'arna.db'}"
        bare_target, bare_count = (
            f"sqlite:{workdir / 'bare.db'}",
            f"sqlite:///{workdir / 'bare.db'}",
        )
    else:
        arna_url, bare_target = pg_schema()
        bare_count = arna_url
    env = {**os.environ, "ARNA_DATABASE_URL": arna_url, "BARE_DATABASE": bare_target}
    subprocess.run([str(BIN / "arna"), "db", "upgrade"], env=env, check=True, capture_output=True)
    result: dict[str, Any] = {"workers": int(workers)}
    port = free_port()
    proc = serve(
        [str(BIN / "arna"), "serve", "--port", str(port), "--workers", workers, "--no-access-log"],
        env,
        f"http://127.0.0.1:{port}/api/v1/health",
        workdir / f"arna-{database}.log",
    )
    try:
        result["arna"] = run_wrk(
            f"http://127.0.0.1:{port}/api/v1/appeals", seconds, clients, workdir
        )
    finally:
        stop(proc)
    result["arna"]["rows_stored"] = count_rows(arna_url, "appeals")
    proc, port = serve_bare(workers, env, workdir / f"bare-{database}.log")
    try:
        result["bare"] = run_wrk(f"http://127.0.0.1:{port}/submit", seconds, clients, workdir)
    finally:
        stop(proc)
    result["bare"]["rows_stored"] = count_rows(
        bare_count, "docs" if database == "sqlite" else "bare_docs"
    )
    ceiling(result, read_ms)
    result["arna_share_of_bare"] = round(
        result["arna"]["requests_per_s"] / max(result["bare"]["requests_per_s"], 1), 2
    )
    return result


def pg_schema() -> tuple[str, str]:
    """A new schema with the bare endpoint's table: Arna's URL into it (SQLAlchemy) and the bare
    endpoint's (asyncpg)."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    arna_url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    engine = sa.create_engine(arna_url)
    with engine.begin() as conn:
        conn.execute(
            sa.text("CREATE TABLE bare_docs (id BIGSERIAL PRIMARY KEY, body JSONB NOT NULL)")
        )
    engine.dispose()
    plain = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    return arna_url, f"{plain}?search_path={schema}"


def postgres_reachable() -> bool:
    try:
        engine = sa.create_engine(PG_URL)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except sa.exc.OperationalError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    report: dict[str, Any] = {
        "clients": args.clients,
        "seconds": args.seconds,
        "document_bytes": len(json.dumps(DOCUMENT, ensure_ascii=False).encode()),
    }
    read_ms = reading_ms_per_appeal()
    report["reading_ms_per_appeal"] = round(read_ms, 3)
    report["cores"] = os.cpu_count()
    with tempfile.TemporaryDirectory() as tmp:
        # SQLite has one writer: one server process. PostgreSQL: 1 and 2 processes, because on
        # 2 cores shared with the load generator and the database 1 process was faster here.
        report["sqlite"] = measure("sqlite", Path(tmp), args.seconds, args.clients, "1", read_ms)
        if postgres_reachable():
            for workers in ("1", "2"):
                report[f"postgresql_{workers}_worker"] = measure(
                    "postgresql", Path(tmp), args.seconds, args.clients, workers, read_ms
                )
        else:
            report["postgresql"] = {"skipped": f"not reachable at {PG_URL}"}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
