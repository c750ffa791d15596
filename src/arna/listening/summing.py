"""Cells summed by DuckDB for the public aggregates (listening.queries.aggregates): from the
sums written beside each posts file, or over the posts themselves, one GROUP BY each, so that
no post is read out into Python however many are stored."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from arna.geo.reference import units
from arna.listening.cellsums import PAIRS, TONES
from arna.listening.store import ARGMAX, Store

KEY_SQL = {
    "period": "CAST(CASE WHEN '{period}' = 'day' THEN day ELSE date_trunc('week', day) END"
    " AS DATE)",
    "region": "region_kato",
    "target": "t.target",
    "topic": "placed.topic",
    "lang": "lang",
}


def cell_name(dim: str, value: Any) -> str:
    """A cell's key as the figures name it: days ISO, regions by their English name."""
    if dim == "period":
        return str(value.isoformat())
    if dim == "region":
        return region_name(value)
    return str(value) if value is not None else "none"


def region_name(kato: str | None) -> str:
    names = units()
    return names[kato].name_en if kato in names else "none"


@dataclass
class Summed:
    """One cell as DuckDB sums it: its key values, texts (copies apart), copies, distinct
    authors, and the moments of its texts' tone posteriors."""

    key: tuple[Any, ...]
    n: int
    copies: int
    authors: int
    mean: list[float]
    second: list[list[float]]
    cc: list[float]
    genres: Counter[str]
    langs: Counter[str]


_UNNEST = ", unnest(CASE WHEN len(targets) = 0 THEN ['none'] ELSE targets END) AS t(target)"


def from_sums(store: Store, by: list[str], period: str, since: date | None) -> list[Summed]:
    """Cells added up from the sums written beside each posts file (Store._write_cells); their
    authors are `_authors`'."""
    keys = [KEY_SQL[d].format(period=period).replace("t.target", "target") for d in by]
    width = len(by)
    n_pairs = len(PAIRS)
    sums = ", ".join(
        [f"sum(s{i})" for i in range(3)]
        + [f"sum(s{i}{j})" for i, j in PAIRS]
        + [f"sum(c{i})" for i in range(3)]
    )
    rows = store.query(
        f"SELECT {', '.join(keys)}, genre, lang AS text_lang, sum(texts), sum(copies), {sums}"
        f" FROM cells WHERE target {'<>' if 'target' in by else '='} '*' AND day >= ?"
        " GROUP BY ALL",
        [since or date.min],
    )
    totals: dict[tuple[Any, ...], np.ndarray] = {}
    genres: dict[tuple[Any, ...], Counter[str]] = defaultdict(Counter)
    langs: dict[tuple[Any, ...], Counter[str]] = defaultdict(Counter)
    for r in rows:
        key = tuple(r[:width])
        figures = np.array([0 if v is None else v for v in r[width + 2 :]], dtype=float)
        totals[key] = totals[key] + figures if key in totals else figures
        if r[width + 2]:
            genres[key][r[width]] += r[width + 2]
            langs[key][r[width + 1]] += r[width + 2]
    found = []
    for key, t in totals.items():
        n = int(t[0])
        scale = max(n, 1)
        second = np.zeros((3, 3))
        for (i, j), value in zip(PAIRS, t[5 : 5 + n_pairs], strict=True):
            second[i, j] = second[j, i] = value / scale
        found.append(
            Summed(
                key, n, int(t[1]), 0, list(t[2:5] / scale),
                second.tolist(), list(t[5 + n_pairs :] / scale), genres[key], langs[key],
            )
        )  # fmt: skip
    return found


def authors(
    store: Store, by: list[str], period: str, since: date | None
) -> dict[tuple[Any, ...], int]:
    """Distinct authors per cell, counted over the posts: the one figure that cannot be added
    up from sums."""
    width = len(by)
    return {
        tuple(r[:width]): r[width]
        for r in store.query(
            f"SELECT {', '.join(KEY_SQL[d].format(period=period) for d in by)},"
            f" count(DISTINCT author) FROM posts{_UNNEST if 'target' in by else ''}"
            " WHERE day >= ? GROUP BY ALL",
            [since or date.min],
        )
    }


def from_posts(store: Store, by: list[str], period: str, since: date | None) -> list[Summed]:
    """Cells summed over the posts themselves, one DuckDB GROUP BY (for topics, which posts
    join after their sums were written)."""
    keys = [KEY_SQL[d].format(period=period) for d in by]
    join = " LEFT JOIN placed ON placed.post = coalesce(copy_of, source || '/' || post_id)"
    own = "FILTER (WHERE copy_of IS NULL)"
    products = [f"avg({a}::DOUBLE * {b}) {own}" for a in TONES for b in TONES]  # as summed
    rows = store.query(
        f"SELECT {', '.join(keys)}, count(*) {own}, count(copy_of), count(DISTINCT author),"
        f" {', '.join(f'avg({t}) {own}' for t in TONES)}, {', '.join(products)},"
        f" {', '.join(f'avg(CASE WHEN {a} THEN 1.0 ELSE 0.0 END) {own}' for a in ARGMAX)},"
        f" histogram(genre) {own}, histogram(lang) {own}"
        f" FROM posts{join}{_UNNEST if 'target' in by else ''}"
        " WHERE day >= ? GROUP BY ALL",
        [since or date.min],
    )
    w = len(by)
    return [
        Summed(
            tuple(r[:w]),
            r[w],
            r[w + 1],
            r[w + 2],
            list(r[w + 3 : w + 6]),
            np.array(r[w + 6 : w + 15], dtype=float).reshape(3, 3).tolist(),
            list(r[w + 15 : w + 18]),
            Counter(dict(r[-2] or {})),
            Counter(dict(r[-1] or {})),
        )
        for r in rows
    ]
