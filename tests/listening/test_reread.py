"""`arna listen reread`: posts that other text models read are read again with this Arna's,
so every figure corrects one model's errors; nothing else about them changes."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from arna.app import create_app
from arna.cli import app
from arna.core.settings import Settings
from arna.listening.store import Store
from arna.text.artifacts import bundle_id

runner = CliRunner()

POSTS = [
    {"id": f"k{i}", "author": f"user{i % 12}", "published_at": f"2026-01-{10 + i % 3}T10:00:00Z",
     "text": text}
    for i, text in enumerate(
        ["Акимат Караганды не чистит снег, дворы завалены", "Спасибо акимату за новый каток",
         "Әкімдік жолды жөндемеді, шұңқыр толы", "The akimat finally fixed the bus stop",
         "Акимат Караганды не чистит снег, дворы завалены!!!", "Свет отключили на весь день"] * 3
    )
]  # fmt: skip


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ARNA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ARNA_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("ARNA_MIN_CELL", "1")
    return tmp_path / "data"


def _json(*args: str) -> dict[str, object]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    found: dict[str, object] = json.loads(result.stdout)
    return found


def _figures() -> str:
    """The public aggregates by day, as `arna listen export` prints them."""
    result = runner.invoke(app, ["listen", "export", "--format", "csv", "--by", "period",
                                 "--period", "day"])  # fmt: skip
    assert result.exit_code == 0, result.output
    return result.stdout


def _rows(store: Store) -> dict[str, dict[str, object]]:
    return {
        r["post_id"]: r
        for part in sorted(store.posts.glob("day=*/*.parquet"))
        for r in pq.read_table(part).to_pylist()
    }


def test_posts_read_by_another_model_are_read_again(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in POSTS), "utf-8")
    _json("listen", "import", str(path), "--format", "jsonl", "--source", "site")
    store = Store(data_dir / "listening")
    assert _json("listen", "stats")["read_by_other_models"] == 0
    as_read = _rows(store)
    figures = _figures()

    # What an earlier model would have left: other tones, recorded under another name.
    for part in sorted(store.posts.glob("day=*/*.parquet")):
        rows = pq.read_table(part).to_pylist()
        for r in rows:
            r.update({"tone_negative": 1.0, "tone_neutral": 0.0, "tone_positive": 0.0})
        store.rewrite(part, rows, "an-earlier-model")
    before = store.version()
    assert _json("listen", "stats")["read_by_other_models"] == len(POSTS)
    assert _figures() != figures
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'a.db'}")
    with TestClient(create_app(settings)) as client:
        warned = client.get("/listening", headers={"Accept-Language": "ru"})
        assert 'id="reread"' in warned.text and "arna listen reread" in warned.text
        stats = client.get("/api/v1/listening/stats").json()
        assert stats["read_by_other_models"] == len(POSTS)

    done = _json("listen", "reread")
    assert done == {"files": 3, "posts": len(POSTS)}
    assert store.version() != before  # remembered figures are worked out again
    assert _rows(store) == as_read  # the same readings, copies, authors and days as at import
    assert {model for model, _ in store.models().values()} == {bundle_id()}
    assert _json("listen", "stats")["read_by_other_models"] == 0
    assert _figures() == figures  # the sums beside each file were written again with it
    assert _json("listen", "reread") == {"files": 0, "posts": 0}
    with TestClient(create_app(settings)) as client:
        assert 'id="reread"' not in client.get("/listening").text
