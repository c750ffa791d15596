"""Oversight at a country's scale: each scorecard page at 1 million appeals, on SQLite and on
PostgreSQL, beside the bare SQL behind it.

    .venv/bin/python benchmarks/oversight_queries.py [--appeals 1000000] [--runs 15]
        [--backends sqlite,postgresql] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

Prints one JSON object (progress on stderr).

1. **Data.** `--appeals` synthetic appeals over the 12 months before today, each with one to
   three assignments (a tenth forwarded, a tenth escalated), written as the actions write them:
   bodies, regions and categories of the reference data, the working days and flags the
   scorecards add up (migration 0007). SQLite in a temporary file; PostgreSQL in a database
   of its own (`arna_bench`, made and dropped here; the server at `--pg`).
2. **Pages.** `/scorecards?by=body|region|category|month` and `/escalation?by=body`, each
   asked `--runs` times through the application (FastAPI's test client: routing, the queries,
   the figures and intervals, the template), alternately with the bare SQL behind it: the
   very statements the page sent to the database (recorded on its first call), executed on
   the DBAPI connection and fetched, nothing else. p50 and p95 of each, and the ratio of the
   p95s. Goal: page ≤ 1.5 × its bare query.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import create_engine, event, insert, select, text

from arna.appeals.models import Appeal, Assignment
from arna.bodies.models import AppealCategory, Body
from arna.core.console import progress_bar
from arna.core.db import Database, table_of
from arna.core.settings import Settings
from arna.geo.models import KatoUnit
from arna.maintenance.upgrade import upgrade

PAGES = [
    "/scorecards?by=body", "/scorecards?by=region", "/scorecards?by=category",
    "/scorecards?by=month", "/escalation?by=body",
]  # fmt: skip
CHUNK = 50_000
ANSWERS = ["resolved", "explained", "refused"]


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fill(db: Database, total: int, seed: int = 7) -> None:
    """`total` appeals with their assignments, as the lifecycle leaves them."""
    rng = np.random.default_rng(seed)
    with db.read() as session:
        bodies = [
            (str(b), str(k))
            for b, k in session.execute(select(Body.id, Body.kato).where(Body.kato.is_not(None)))
        ]
        categories = list(session.scalars(select(AppealCategory.id)))
        regions = {k for k in session.scalars(select(KatoUnit.kato).where(KatoUnit.level == 1))}
    now = datetime.now(UTC)
    appeals_t, held_t = table_of(Appeal), table_of(Assignment)
    progress, task = progress_bar("writing appeals", total)
    number = 0
    with progress, db.engine.begin() as conn:
        for start in range(0, total, CHUNK):
            n = min(CHUNK, total - start)
            picks = rng.integers(0, len(bodies), n)
            moments = [now - timedelta(seconds=float(s)) for s in rng.uniform(0, 365 * 86400, n)]
            appeals, held = [], []
            for i in range(n):
                number += 1
                body, kato = bodies[int(picks[i])]
                at = moments[i]
                region = kato[:2] + "0000000" if kato[:2] + "0000000" in regions else None
                chain = 1 + int(rng.random() < 0.1) + int(rng.random() < 0.1)
                closed = rng.random() < 0.85
                due = (at + timedelta(days=21)).date()
                appeals.append({
                    "id": number, "number": f"B-{number:09d}", "access_code_hash": "x",
                    "kind": "complaint", "category_id": categories[number % len(categories)],
                    "category_source": "given", "needs_triage": False, "text": "…",
                    "language": "kk", "kato": None, "region_kato": region, "place_source": "none",
                    "applicant_name": "…", "public": bool(rng.random() < 0.5),
                    "status": "closed" if closed else "in_progress", "body_id": body,
                    "registered_at": at, "due_date": due, "forward_due": due, "extended": False,
                    "escalation_depth": chain - 1, "stalled_at_top": False, "updated_at": at,
                    "feedback_resolved": bool(rng.random() < 0.7) if closed else None,
                })  # fmt: skip
                for k in range(chain):
                    last = k == chain - 1
                    days = int(rng.gamma(2.0, 4.0))
                    ended = at + timedelta(days=days * 1.4) if (closed or not last) else None
                    passed_on = "forwarded" if k == 0 else "overdue"
                    result = None if ended is None else ANSWERS[number % 3] if last else passed_on
                    held.append({
                        "appeal_id": number, "body_id": body, "reason": "routed" if k == 0
                        else "escalated", "started_at": at, "due_date": due, "ended_at": ended,
                        "result": result, "failed": result == "overdue",
                        "responded_at": ended, "response_days": days if ended else None,
                        "answer_days": days if result in ANSWERS else None, "extended": False,
                        "misrouted": False, "solved": True if result in ANSWERS else None,
                    })  # fmt: skip
            conn.execute(insert(appeals_t), appeals)
            conn.execute(insert(held_t), held)
            progress.advance(task, n)
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))


def pages(db: Database, runs: int) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from arna.app import create_app

    app = create_app(Settings(database_url=db.url), db=db)
    found: dict[str, Any] = {}
    with TestClient(app) as client:
        for page in PAGES:
            statements: list[tuple[str, Any]] = []

            def record(conn: Any, cursor: Any, sql: str, params: Any, *_: Any) -> None:
                statements.append((sql, params))  # noqa: B023  (one page at a time)

            event.listen(db.engine, "before_cursor_execute", record)
            first = client.get(page)
            event.remove(db.engine, "before_cursor_execute", record)
            assert first.status_code == 200, (page, first.status_code)
            page_s, bare_s = [], []
            for k in range(runs):
                for which in ("page", "bare") if k % 2 == 0 else ("bare", "page"):
                    started = time.perf_counter()
                    if which == "page":
                        assert client.get(page).status_code == 200
                        page_s.append(time.perf_counter() - started)
                    else:
                        raw = db.engine.raw_connection()
                        try:
                            cursor = raw.cursor()
                            for sql, params in statements:
                                cursor.execute(sql, params)
                                cursor.fetchall()
                        finally:
                            raw.close()
                        bare_s.append(time.perf_counter() - started)
            p95 = (float(np.quantile(page_s, 0.95)), float(np.quantile(bare_s, 0.95)))
            found[page] = {
                "statements": len(statements),
                "page_p50_s": round(statistics.median(page_s), 4),
                "page_p95_s": round(p95[0], 4),
                "bare_p50_s": round(statistics.median(bare_s), 4),
                "bare_p95_s": round(p95[1], 4),
                "p95_vs_bare": round(p95[0] / p95[1], 3),
            }
            _say(f"{db.engine.dialect.name} {page}: {found[page]}")
    return found


def _postgres(url: str) -> tuple[Database, Any]:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS arna_bench"))
        conn.execute(text("CREATE DATABASE arna_bench"))
    return Database(url.rsplit("/", 1)[0] + "/arna_bench"), admin


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--appeals", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    result: dict[str, Any] = {"appeals": args.appeals, "runs": args.runs}
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory() as folder:
            admin = None
            if backend == "sqlite":
                db = Database(f"sqlite:///{Path(folder) / 'bench.db'}")
            else:
                db, admin = _postgres(args.pg)
            try:
                upgrade(db)
                _say(f"{backend}: writing {args.appeals:,} appeals…")
                started = time.perf_counter()
                fill(db, args.appeals)
                result[f"{backend}_fill_s"] = round(time.perf_counter() - started, 1)
                result[backend] = pages(db, args.runs)
            finally:
                db.dispose()
                if admin is not None:
                    with admin.connect() as conn:
                        conn.execute(text("DROP DATABASE IF EXISTS arna_bench"))
                    admin.dispose()
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
