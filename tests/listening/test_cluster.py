"""`arna listen import --engine dask`: the same posts read on a Dask cluster (a real
distributed.LocalCluster of two worker processes on the loopback) are stored exactly as when
read here."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from arna.cli import app
from arna.listening import reading

runner = CliRunner()


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        yield cluster.scheduler_address


def _posts(path: Path) -> Path:
    start = datetime(2026, 11, 1, 6, tzinfo=UTC)
    texts = [
        "Водоканал опять отключил воду в Атырау, третий день без воды",
        "Әкімдікке рақмет, жаңа саябақ керемет болды",
        "The buses in Almaty come once an hour, the akimat does nothing",
        "Подскажите, когда дадут отопление в Караганде?",
        "Емханада кезек өте ұзақ, терапевтке жазылу мүмкін емес",
    ]
    rows = [
        {
            "id": i,
            "source": "site",
            "published_at": (start + timedelta(hours=7 * i)).isoformat(),
            "author": f"u{i % 13}",
            "text": f"{texts[i % len(texts)]} ({i})",
        }
        for i in range(300)
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    return path


def _import(data_dir: Path, path: Path, *args: str) -> dict[str, int]:
    env = {"ARNA_DATA_DIR": str(data_dir), "ARNA_SECRET_KEY": "s" * 40}
    result = runner.invoke(app, ["listen", "import", str(path), "--format", "jsonl", *args,
                                 "--json"], env=env)  # fmt: skip
    assert result.exit_code == 0, result.output
    found: dict[str, int] = json.loads(result.stdout)
    return found


def _stored(data_dir: Path) -> list[tuple[object, ...]]:
    files = str(data_dir / "listening" / "posts" / "day=*" / "*.parquet")
    with duckdb.connect() as con:
        return con.execute(
            f"SELECT * EXCLUDE (published_at), CAST(published_at AS VARCHAR)"
            f" FROM read_parquet('{files}', hive_partitioning=false)"
            " ORDER BY source, post_id"
        ).fetchall()


def test_reading_on_a_cluster_stores_what_reading_here_stores(
    scheduler: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "MIN_CHUNK", 32)  # several chunks, finished in any order
    path = _posts(tmp_path / "posts.jsonl")
    here = _import(tmp_path / "here", path)
    there = _import(tmp_path / "there", path, "--engine", "dask", "--scheduler", scheduler)
    assert here == there and here["inserted"] + here["duplicate"] == 300
    assert _stored(tmp_path / "here") == _stored(tmp_path / "there")
    again = _import(tmp_path / "there", path, "--engine", "dask", "--scheduler", scheduler)
    assert again["unchanged"] == 300 and again["inserted"] == 0


def test_dask_needs_a_scheduler_and_nothing_is_stored_without_one(tmp_path: Path) -> None:
    path = _posts(tmp_path / "posts.jsonl")
    env = {"ARNA_DATA_DIR": str(tmp_path / "d"), "ARNA_SECRET_KEY": "s" * 40}
    result = runner.invoke(app, ["listen", "import", str(path), "--format", "jsonl",
                                 "--engine", "dask"], env=env)  # fmt: skip
    assert result.exit_code == 2 and "--scheduler" in result.output
    assert not (tmp_path / "d" / "listening" / "posts").exists()


def _pretend_other_models(other: bool) -> None:
    """Run on each worker: its text models named otherwise (as after an upgrade of this
    machine only), or as they are."""
    from arna.listening import reading
    from arna.text import artifacts

    named = (lambda: "other-models") if other else artifacts.bundle_id
    reading.bundle_id = named  # type: ignore[assignment]


def test_workers_with_other_text_models_are_refused_and_nothing_is_stored(
    scheduler: str, tmp_path: Path
) -> None:
    from distributed import Client

    path = _posts(tmp_path / "posts.jsonl")
    env = {"ARNA_DATA_DIR": str(tmp_path / "d"), "ARNA_SECRET_KEY": "s" * 40}
    with Client(scheduler, set_as_default=False) as client:  # type: ignore[no-untyped-call]
        client.run(_pretend_other_models, True)
        args = ["listen", "import", str(path), "--format", "jsonl", "--engine", "dask"]
        try:
            result = runner.invoke(app, [*args, "--scheduler", scheduler], env=env)
        finally:
            client.run(_pretend_other_models, False)
    assert result.exit_code == 1 and "other-models" in result.output
    assert not any((tmp_path / "d" / "listening").rglob("*.parquet"))
