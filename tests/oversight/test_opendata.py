"""Open data on the demo season, SQLite and PostgreSQL: every scorecard and escalation-depth
figure recomputed from the exported files alone with the formulas of docs/methodology.md
(written out here, not imported), the minimum cell, the data dictionary, CSV and Parquet, and
the API's CSV equal to the command's."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scipy.stats import binom
from typer.testing import CliRunner

from arna.cli import app
from arna.core.db import Database
from arna.core.settings import Settings
from arna.maintenance.upgrade import seed_demo
from tests.conftest import BACKENDS
from tests.oversight.site import Site, serve

runner = CliRunner()
BY = ("body", "region", "category", "month")
Z = 1.959963984540054
MIN_CELL = 10


def seed(db: Database, settings: Settings) -> None:
    seed_demo(db, 2026)


@pytest.fixture(scope="module", params=BACKENDS)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    yield from serve(request, tmp_path_factory, seed)


@pytest.fixture(scope="module")
def exported(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("open-data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARNA_DATABASE_URL", site.db.url)
        patch.setenv("ARNA_MIN_CELL", str(MIN_CELL))
        for fmt in ("csv", "parquet"):
            result = runner.invoke(
                app, ["oversight", "export", "--output", str(folder), "--format", fmt]
            )
            assert result.exit_code == 0, result.output
    return folder


def read(folder: Path, name: str) -> list[dict[str, str]]:
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def wilson(k: int, n: int) -> tuple[float, float, float]:
    """Share and Wilson interval, as docs/methodology.md writes them (0 and 0–1 when n = 0)."""
    if n == 0:
        return 0.0, 0.0, 1.0
    p = k / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    low = 0.0 if k == 0 else max(0.0, centre - half)
    high = 1.0 if k == n else min(1.0, centre + half)
    return p, low, high


def quantile(histogram: dict[int, int], q: float) -> tuple[Any, Any, Any]:
    """x₍⌈qn⌉₎ with x₍ₗ₎ and x₍ᵤ₎: l the 2.5th percentile of Binomial(n, q), u one more than its
    97.5th; an end outside 1…n unknown."""
    values = [v for v in sorted(histogram) for _ in range(histogram[v])]
    n = len(values)
    if n == 0:
        return "", "", ""

    def rank(r: int) -> Any:
        return values[r - 1] if 1 <= r <= n else ""

    low, high = int(binom.ppf(0.025, n, q)), int(binom.ppf(0.975, n, q)) + 1
    return rank(max(math.ceil(q * n), 1)), rank(low), rank(high)


def close(got: str, want: float) -> bool:
    return abs(float(got) - round(want, 4)) < 1e-9


SHARES = {
    "on_time": ("on_time", "due"), "extended": ("extended", "received"),
    "forwarded": ("forwarded", "received"), "sent_wrongly": ("misrouted", "forwarded"),
    "escalated": ("escalated", "received"), "disputed": ("disputed", "answered"),
    "solved": ("solved", "judged"), "came_back": ("came_back", "resolved"),
}  # fmt: skip


@pytest.mark.parametrize("by", BY)
def test_every_scorecard_figure_is_recomputed_from_the_export(exported: Path, by: str) -> None:
    rows = read(exported, f"scorecards_by_{by}")
    days: dict[tuple[str, str], dict[int, int]] = {}
    for r in read(exported, f"working_days_by_{by}"):
        counts = days.setdefault((r["key"], r["measure"]), {})
        counts[int(r["working_days"])] = int(r["assignments"])
    country = next(r for r in rows if r["key"] == "all")
    assert len(rows) > 1 and all(
        int(r["n_received"]) >= MIN_CELL for r in rows if r["key"] != "all"
    )
    country_share = wilson(int(country["n_on_time"]), int(country["n_due"]))[0]
    checked = 0
    for r in rows:
        n = {k[2:]: int(v) for k, v in r.items() if k.startswith("n_")}
        for name, (k, of) in SHARES.items():
            share, low, high = wilson(n[k], n[of])
            assert close(r[f"{name}_share"], share), (r["key"], name)
            assert close(r[f"{name}_low"], low) and close(r[f"{name}_high"], high), (r["key"], name)
            checked += 3
        for measure in ("first_response", "answer"):
            histogram = days.get((r["key"], measure), {})
            assert r[f"{measure}_n"] == str(sum(histogram.values()))
            for q, label in ((0.5, "median"), (0.9, "p90")):
                want = tuple(str(v) for v in quantile(histogram, q))
                got = tuple(r[f"{measure}_{label}{end}"] for end in ("", "_low", "_high"))
                assert got == want, (r["key"], measure, label)
                checked += 3
        if r["residents"]:
            assert float(r["per_100k"]) == round(n["received"] * 100_000 / int(r["residents"]), 2)
            checked += 1
        too_few = n["due"] < 5
        assert r["too_few"] == str(too_few)
        if r["key"] != "all":
            _, low, high = wilson(n["on_time"], n["due"])
            standing = (
                "unranked" if too_few
                else "above" if round(low, 4) > round(country_share, 4)
                else "below" if round(high, 4) < round(country_share, 4)
                else "level"
            )  # fmt: skip
            assert r["standing"] == standing, r["key"]
    assert checked > 100


@pytest.mark.parametrize("by", BY)
def test_every_depth_figure_is_recomputed_from_the_export(exported: Path, by: str) -> None:
    for r in read(exported, f"escalation_depth_by_{by}"):
        n = int(r["n_solved"])
        assert n >= MIN_CELL
        parts = [int(r[f"n_climbed_{k}"]) for k in ("none", "once", "twice_or_more")]
        assert sum(parts) == n
        for name in ("climbed_none", "climbed_once", "climbed_twice_or_more", "to_national"):
            share, low, high = wilson(int(r[f"n_{name}"]), n)
            assert close(r[f"{name}_share"], share) and close(r[f"{name}_low"], low)
            assert close(r[f"{name}_high"], high)


def test_the_dictionary_describes_every_column_and_parquet_holds_the_same(
    exported: Path, site: Site
) -> None:
    import pyarrow.parquet as pq

    dictionary = read(exported, "data_dictionary")
    described: dict[str, list[str]] = {}
    for entry in dictionary:
        assert entry["type"] in ("text", "integer", "number", "boolean") and entry["meaning"]
        described.setdefault(entry["table"], []).append(entry["column"])
    names = sorted(p.stem for p in exported.glob("*.csv"))
    assert len(names) == 14 and set(described) == set(names) - {"data_dictionary"}
    for name in names:
        with open(exported / f"{name}.csv", encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        if name != "data_dictionary":
            assert header == described[name], name
        table = pq.read_table(exported / f"{name}.parquet")
        assert table.column_names == header and table.num_rows == len(read(exported, name))
    api = site.client.get("/api/v1/oversight/open-data/scorecards_by_region.csv")
    assert api.status_code == 200 and api.headers["content-type"].startswith("text/csv")
    assert api.text == (exported / "scorecards_by_region.csv").read_text(encoding="utf-8")
    listing = site.client.get("/api/v1/oversight/open-data").json()
    assert {t["name"] for t in listing["tables"]} == set(names)
    missing = site.client.get("/api/v1/oversight/open-data/no_such_table.csv")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")


def test_shared_problems_are_exported_with_their_counts_above_the_minimum_cell(
    exported: Path, site: Site
) -> None:
    rows = read(exported, "shared_problems")
    api = {
        p["number"]: p
        for p in site.client.get("/api/v1/oversight/problems?limit=200").json()["problems"]
    }
    assert rows and all(int(r["people"]) >= MIN_CELL for r in rows)
    assert {n for n, p in api.items() if p["people"] >= MIN_CELL} == {r["number"] for r in rows}
    for r in rows:
        assert int(r["people"]) == int(r["appeals"]) + int(r["supporters"])
        assert 1 <= int(r["public"]) <= int(r["appeals"]) and r["first"] <= r["last"]
        assert int(r["came_back"]) == api[r["number"]]["came_back"]
