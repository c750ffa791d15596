from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from arna.app import create_app
from arna.cli import app
from arna.core.settings import Settings

runner = CliRunner()
ADDED = {
    "lang", "script", "sentiment", "sentiment_score", "toxic", "toxicity", "targets",
    "category", "category_top3", "place",
}  # fmt: skip


def test_analyze_keeps_every_field_and_adds_the_contract(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    rows = [
        {"id": 1, "text": "Алматыда су жоқ, водоканал жауап бермейді", "source": "telegram"},
        {"id": "b", "text": "Potholes on the Almaty–Bishkek highway again", "extra": [1, 2]},
    ]
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["text", "analyze", "--input", str(src), "--output", str(out)])
    assert result.exit_code == 0, result.output
    got = [json.loads(line) for line in out.read_text().splitlines()]
    assert [g["id"] for g in got] == [1, "b"]
    for row, g in zip(rows, got, strict=True):
        assert {k: g[k] for k in row} == row
        assert set(g) >= ADDED
        assert len(g["category_top3"]) == 3
    assert got[0]["place"]["kato"] == "750000000"
    assert got[1]["lang"] == "en"


def test_input_fields_named_like_the_analysis_are_kept_renamed(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    row = {"id": 1, "text": "Алматыда су жоқ", "lang": "kk-KZ", "category": "water"}
    src.write_bytes(b"\xef\xbb\xbf" + json.dumps(row, ensure_ascii=False).encode() + b"\n")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["text", "analyze", "--input", str(src), "--output", str(out)])
    assert result.exit_code == 0, result.output
    [got] = [json.loads(line) for line in out.read_text().splitlines()]
    assert (got["lang_input"], got["category_input"]) == ("kk-KZ", "water")
    assert got["lang"] == "kk"
    assert "kept under new names: category, lang" in " ".join(result.output.split())


def test_analyze_rejects_bad_lines_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    cases = {
        b'{"id": 1, "text": "ok"}\n{"id": 2, "text": \n': "line 2: not valid JSON",
        b'{"id": 1}\n': "line 1: each object needs 'id' and a string 'text'",
        b"[1, 2]\n": "line 1: expected a JSON object",
        '{"id": 1, "text": "жол"}\n'.encode("cp1251"): "line 1: not UTF-8",
        b'{"id": 1, "text": "ok"}\n{"id": 2, "text": "a\\ud800b"}\n': "line 2: 'text' holds an",
    }
    for raw, message in cases.items():
        src = tmp_path / "in.jsonl"
        src.write_bytes(raw)
        result = runner.invoke(app, ["text", "analyze", "--input", str(src), "--output", str(out)])
        assert result.exit_code == 2
        assert message in " ".join(result.output.split())
        assert not out.exists()
        assert not list(tmp_path.glob("*.partial"))


def test_text_analyze_endpoint(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'a.db'}")
    with TestClient(create_app(settings)) as client:
        text = "  Астанада автобус келмейді"
        ok = client.post("/api/v1/text/analyze", json={"text": text})
        assert ok.status_code == 200
        assert ok.json()["category"] == "public_transport"
        place = ok.json()["place"]
        assert place["kato"] == "710000000"
        assert text[place["span"][0] : place["span"][1]] == "Астанада"
        for bad in ({"text": "   "}, {"text": "x" * 10_001}, {"text": 5}, {"words": "a"}):
            r = client.post("/api/v1/text/analyze", json=bad)
            assert r.status_code == 422, bad
