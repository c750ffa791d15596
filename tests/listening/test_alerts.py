"""`arna listen alerts`: a rise in the negative share of one series is reported, a steady
series is not."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from arna.cli import app
from arna.listening.sources import Post
from arna.listening.store import Store, row_of
from arna.text.artifacts import bundle_id

runner = CliRunner()


def _reading(negative: bool, region: str, rng: np.random.Generator) -> dict[str, object]:
    # Tone probabilities as the model gives them: drawn from its held-out rows of the class.
    from arna.text import tone

    cal = tone.calibration()
    rows = np.flatnonzero((cal.group == "social_ru") & (cal.truth == (0 if negative else 1)))
    p = cal.probs[rng.choice(rows)]
    return {
        "lang": "ru", "tone_negative": float(p[0]), "tone_neutral": float(p[1]),
        "tone_positive": float(p[2]), "genre": "social_ru", "toxic": False,
        "targets": ["akimat"], "target_tones": ["neutral"], "kato": region,
        "region_kato": region,
    }  # fmt: skip


def test_a_rise_is_alerted_on_its_series_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARNA_DATA_DIR", str(tmp_path))
    store = Store(tmp_path / "listening")
    rng = np.random.default_rng(0)
    start = date(2026, 1, 1)
    for d in range(90):
        day = start + timedelta(days=d)
        rows = []
        for region, rising in (("350000000", True), ("550000000", False)):
            share = 0.6 if rising and d >= 75 else 0.2
            for i in range(60):
                when = datetime(day.year, day.month, day.day, 6, i % 60, tzinfo=UTC)
                post = Post("test", f"{region}-{d}-{i}", when, f"text {region} {d} {i}")
                rows.append(row_of(post, None, [], _reading(rng.random() < share, region, rng)))
        store.write_day(day, rows, bundle_id())
    result = runner.invoke(app, ["listen", "alerts", "--json", "--false-alarms-per-year", "1"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["series_watched"] == 2
    regions = {a["region"] for a in found["alerts"]}
    assert regions == {"Karaganda Region"}
    first = min(a["day"] for a in found["alerts"] if a["region"] == "Karaganda Region")
    assert "2026-03-17" <= first <= "2026-03-19"  # the rise starts on day 75, 17 March
