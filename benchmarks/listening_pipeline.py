"""Listening at scale: the import pipeline beside text analysis alone, a two-worker Dask cluster
beside one process, and the dashboard's query at 10 million stored comments beside the bare
DuckDB query for the same aggregate.

    .venv/bin/python benchmarks/listening_pipeline.py [--posts 12000] [--stored 10000000]
        [--runs 20]

Prints one JSON object on stdout (progress on stderr).

1. **Pipeline.** Real comments and sentences in kk, ru and en (the texts of
   benchmarks/text_throughput.py), a tenth of them reposted: `actions.import_posts` into a
   fresh store (fingerprints, near-copy search, the text slice's
   reading, Parquet files by day) beside `analyze_many` on the same texts in batches of 512.
   Both run after one untimed pass over the texts (the text slice's word caches warm for both)
   and with the garbage collector at the import's pace (core.collector),
   twice, alternating which goes first; the medians are reported. Goal: the pipeline keeps at
   least 70 % of the speed of analysis alone.
2. **Cluster.** The same import with `--engine dask` on a `distributed.LocalCluster` of two
   worker processes (one thread each, on the loopback), beside the import in this one process,
   on comments of another seed (the workers are warmed on a third). This machine has 2 cores:
   the cluster's gain is bounded by 2 here.
3. **Dashboard query.** `--stored` synthetic posts (a year, 20 regions, 11 kinds of institution,
   tone posteriors from a Dirichlet, 2 million authors, a tenth of them copies) written as the
   store writes them, one file a day. The overview's trend, `queries.aggregates(store,
   "period,region", "week", 10)` (not remembered: its undecorated function), beside the bare
   DuckDB query of the same cells (count, copies, distinct authors, mean negative posterior by
   week × region) over the same files, alternately, `--runs` times each; p50 and p95. What a
   page pays after the first visit (the remembered answer) is reported too.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))  # text_throughput's pool of texts

from arna.core.collector import THRESHOLD
from arna.core.console import progress_bar
from arna.core.settings import Settings
from arna.listening import actions, queries, reading
from arna.listening.sources import Post
from arna.listening.store import Store
from arna.text.analysis import analyze_many

AS_OF = date(2026, 12, 6)
BATCH = 512
TARGETS = [
    "akimat", "ministry", "police", "court", "prosecutor", "parliament", "party",
    "utility_company", "state_company", "private_business", "other",
]  # fmt: skip
GENRES = ["appeals", "social_ru", "reviews_kk", "comments_en", "news_ru"]
BARE = (
    "SELECT CAST(date_trunc('week', day) AS DATE), region_kato,"
    " count(*) FILTER (WHERE copy_of IS NULL), count(copy_of), count(DISTINCT author),"
    " avg(tone_negative) FILTER (WHERE copy_of IS NULL) FROM posts GROUP BY ALL"
)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _posts(seed: int, n: int) -> list[Post]:
    """n posts of real comments and sentences (the pool of benchmarks/text_throughput.py:
    kk, ru, en, mixed), a tenth of them reposts of an earlier one, exact or with a few
    characters added, over four months, by 3,000 authors."""
    from text_throughput import text_pool

    from arna.listening.sources import pseudonym
    from arna.text import corpora

    rng = np.random.default_rng(seed)
    pool = text_pool(corpora.data_dir())
    picked = [pool[int(i)] for i in rng.permutation(len(pool))[:n]]
    key = actions.author_key(Settings(secret_key="b" * 40))
    start = datetime.combine(AS_OF - timedelta(days=120), datetime.min.time(), UTC)
    posts = []
    for i, text in enumerate(picked):
        if i > 10 and rng.random() < 0.1:  # a repost
            text = picked[int(rng.integers(0, i))] + str(rng.choice(["", " !!", " 👍", " +1"]))
        posts.append(
            Post(
                source="bench",
                post_id=f"{seed}-{i}",
                published_at=start + timedelta(minutes=int(rng.integers(0, 120 * 24 * 60))),
                text=text,
                author=pseudonym(f"user{int(rng.integers(0, 3000))}", key),
            )
        )
    return posts


def _analysis(texts: list[str]) -> float:
    started = time.perf_counter()
    for i in range(0, len(texts), BATCH):
        analyze_many(texts[i : i + BATCH])
    return len(texts) / (time.perf_counter() - started)


def _import(posts: list[Post], reader: actions.Reader = reading.read) -> float:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder))
        started = time.perf_counter()
        actions.import_posts(store, posts, reader=reader)
        return len(posts) / (time.perf_counter() - started)


def pipeline(n: int) -> dict[str, Any]:
    # The import paces the garbage collector for batch work (core.collector); analysis alone
    # runs at the same pace here, so that the two are compared on equal terms.
    gc.set_threshold(*THRESHOLD)
    posts = _posts(2026, n)
    texts = [p.text for p in posts]
    _say(f"pipeline: {len(posts)} comments, warming up…")
    _analysis(texts)
    rounds = []
    for k in range(2):
        order = ["analysis", "pipeline"] if k == 0 else ["pipeline", "analysis"]
        rates = {}
        for name in order:
            rates[name] = _analysis(texts) if name == "analysis" else _import(posts)
        _say(f"round {k + 1}: " + ", ".join(f"{a} {r:,.0f}/s" for a, r in rates.items()))
        rounds.append(rates)
    analysis = statistics.median(r["analysis"] for r in rounds)
    imported = statistics.median(r["pipeline"] for r in rounds)
    return {
        "comments": len(posts),
        "analysis_comments_per_s": round(analysis),
        "pipeline_comments_per_s": round(imported),
        "pipeline_vs_analysis": round(
            statistics.median(r["pipeline"] / r["analysis"] for r in rounds), 3
        ),
    }


def cluster(n: int) -> dict[str, Any]:
    from functools import partial

    from distributed import LocalCluster

    posts = _posts(7, n)
    _say("cluster: starting two workers…")
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, silence_logs=40,
    ) as local:  # fmt: skip
        address = local.scheduler_address
        reading.read_on_cluster(address, _posts(99, 2 * reading.CHUNK))  # load the models
        _analysis([p.text for p in _posts(99, 2 * reading.CHUNK)])
        one = _import(posts)
        two = _import(posts, partial(reading.read_on_cluster, address))
    _say(f"cluster: one process {one:,.0f}/s, two workers {two:,.0f}/s")
    return {
        "comments": len(posts),
        "one_process_comments_per_s": round(one),
        "dask_two_workers_comments_per_s": round(two),
        "dask_vs_one_process": round(two / one, 3),
    }


def synthetic_store(root: Path, total: int, seed: int = 3) -> Store:
    """`total` posts over a year, written as `Store.write_day` writes them."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from arna.geo.reference import units
    from arna.listening.store import DICTIONARY, _schema

    rng = np.random.default_rng(seed)
    regions = sorted(k for k, u in units().items() if u.level == 1)
    schema = _schema()
    store = Store(root)
    days = 365
    progress, task = progress_bar("writing synthetic posts", total)
    with progress:
        for d in range(days):
            day = AS_OF - timedelta(days=days - 1 - d)
            n = total // days + (1 if d < total % days else 0)
            tone = rng.dirichlet([2.0, 2.0, 1.2], n).astype(np.float32)
            count = rng.choice([0, 1, 1, 2], n)
            picks = rng.integers(0, len(TARGETS), (n, 2))
            copy = rng.random(n) < 0.1
            moment = datetime.combine(day, datetime.min.time(), UTC)
            table = pa.table(
                {
                    "source": pa.array(["synthetic"] * n),
                    "post_id": pa.array([f"{d}-{i}" for i in range(n)]),
                    "published_at": pa.array([moment] * n, pa.timestamp("us", tz="UTC")),
                    "day": pa.array([day] * n, pa.date32()),
                    "author": pa.array([f"a_{k:020x}" for k in rng.integers(0, 2_000_000, n)]),
                    "text": pa.array(["…"] * n),
                    "url": pa.nulls(n, pa.string()),
                    "reply_to": pa.nulls(n, pa.string()),
                    "region_hint": pa.nulls(n, pa.string()),
                    "likes": pa.array(rng.integers(0, 50, n)),
                    "fingerprint": pa.array([f"f{d}-{i}" for i in range(n)]),
                    "copy_of": pa.array([f"synthetic/{d}-0" if c else None for c in copy]),
                    "bands": pa.array([[] for _ in range(n)], pa.list_(pa.int64())),
                    "lang": pa.array(rng.choice(["kk", "ru", "en"], n, p=[0.45, 0.45, 0.1])),
                    "tone_negative": pa.array(tone[:, 0]),
                    "tone_neutral": pa.array(tone[:, 1]),
                    "tone_positive": pa.array(tone[:, 2]),
                    "genre": pa.array(rng.choice(GENRES, n)),
                    "toxic": pa.array(rng.random(n) < 0.05),
                    "targets": pa.array(
                        [
                            [TARGETS[t] for t in row[:c]]
                            for row, c in zip(picks, count, strict=True)
                        ],
                        pa.list_(pa.string()),
                    ),
                    "target_tones": pa.array([[] for _ in range(n)], pa.list_(pa.string())),
                    "kato": pa.array(rng.choice(regions, n)),
                    "region_kato": pa.nulls(n, pa.string()),
                },
                schema=schema,
            )
            table = table.set_column(
                schema.get_field_index("region_kato"), "region_kato", table.column("kato")
            )
            folder = store.posts / f"day={day.isoformat()}"
            folder.mkdir(parents=True, exist_ok=True)
            pq.write_table(
                table, folder / "part-synthetic.parquet", compression="zstd",
                use_dictionary=list(DICTIONARY),
            )  # fmt: skip
            progress.advance(task, n)
    _say("summing the cells of every file (an import does it as it writes)…")
    store.complete_cells()  # the sums beside each posts file, as an import writes them
    return store


def dashboard(total: int, runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        store = synthetic_store(Path(folder), total)
        arna_s, bare_s = [], []
        read = queries.aggregates.__wrapped__  # type: ignore[attr-defined]
        _say(f"dashboard: {runs} runs each…")
        for k in range(runs):
            for name in ["arna", "bare"] if k % 2 == 0 else ["bare", "arna"]:
                started = time.perf_counter()
                if name == "arna":
                    cells = read(store, "period,region", "week", 10)
                    arna_s.append(time.perf_counter() - started)
                else:
                    bare = store.query(BARE)
                    bare_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        queries.aggregates(store, "period,region", "week", 10)
        first = time.perf_counter() - started
        started = time.perf_counter()
        queries.aggregates(store, "period,region", "week", 10)
        again = time.perf_counter() - started

    def p95(values: list[float]) -> float:
        return float(np.quantile(values, 0.95))

    return {
        "stored_comments": total,
        "cells": len(cells.rows) + cells.suppressed,
        "bare_cells": len(bare),
        "arna_p50_s": round(statistics.median(arna_s), 3),
        "arna_p95_s": round(p95(arna_s), 3),
        "bare_duckdb_p50_s": round(statistics.median(bare_s), 3),
        "bare_duckdb_p95_s": round(p95(bare_s), 3),
        "p95_vs_bare": round(p95(arna_s) / p95(bare_s), 3),
        "remembered_first_s": round(first, 3),
        "remembered_again_s": round(again, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=12_000)
    parser.add_argument("--stored", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    result: dict[str, Any] = {"pipeline": pipeline(args.posts)}
    result["cluster"] = cluster(args.posts)
    result["dashboard"] = dashboard(args.stored, args.runs)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
