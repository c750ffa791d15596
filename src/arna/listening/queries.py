"""Reads of listening: what is stored, counted."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

import numpy as np

from arna.geo.reference import units
from arna.listening import warning
from arna.listening.quotes import sentence_naming
from arna.listening.store import ARGMAX, PAIRS, TONES, Store
from arna.listening.topics import Topic, labels
from arna.text import shares, tone
from arna.text.cells import moment_shares, references

_T = TypeVar("_T")
_REMEMBERED = 64


def _remembered(read: Callable[..., _T]) -> Callable[..., _T]:
    """The read, computed once per state of the store (Store.version) and arguments: the pages
    ask the same figures again and again, and the store changes only when posts are imported."""
    found: dict[tuple[Any, ...], _T] = {}

    @functools.wraps(read)
    def remembered(store: Store, *args: Any, **kwargs: Any) -> _T:
        key = (str(store.root), store.version(), args, tuple(sorted(kwargs.items())))
        if key not in found:
            if len(found) >= _REMEMBERED:
                found.clear()
            found[key] = read(store, *args, **kwargs)
        return found[key]

    return remembered


@_remembered
def stats(store: Store) -> dict[str, Any]:
    """Posts stored, distinct texts, copies, authors and days, overall and per source."""
    rows = store.query(
        "SELECT source, count(*), count(DISTINCT fingerprint), count(copy_of),"
        " count(DISTINCT author), min(day), max(day) FROM posts GROUP BY source ORDER BY source"
    )
    total = store.query(
        "SELECT count(*), count(DISTINCT fingerprint), count(copy_of), count(DISTINCT author)"
        " FROM posts"
    )
    posts, texts, copies, authors = total[0] if total else (0, 0, 0, 0)
    return {
        "posts": posts,
        "distinct_texts": texts,
        "copies": copies,
        "authors": authors,
        "by_source": [
            {
                "source": source,
                "posts": n,
                "distinct_texts": distinct,
                "copies": copies_,
                "authors": authors_,
                "first_day": first.isoformat(),
                "last_day": last.isoformat(),
            }
            for source, n, distinct, copies_, authors_, first, last in rows
        ],
    }


DIMS = ("period", "region", "target", "topic", "lang")
PERIODS = ("day", "week")


@dataclass(frozen=True)
class Cells:
    rows: list[dict[str, Any]]  # cells shown: keys, mentions, copies, authors, shares
    suppressed: int  # cells left out: fewer authors than the minimum


_KEY_SQL = {
    "period": "CAST(CASE WHEN '{period}' = 'day' THEN day ELSE date_trunc('week', day) END"
    " AS DATE)",
    "region": "region_kato",
    "target": "t.target",
    "topic": "placed.topic",
    "lang": "lang",
}


def _cell_name(dim: str, value: Any) -> str:
    """A cell's key as the figures name it: days ISO, regions by their English name."""
    if dim == "period":
        return str(value.isoformat())
    if dim == "region":
        return _region_name(value)
    return str(value) if value is not None else "none"


def _region_name(kato: str | None) -> str:
    names = units()
    return names[kato].name_en if kato in names else "none"


@dataclass
class _Summed:
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


def _cells_from_sums(store: Store, by: list[str], period: str, since: date | None) -> list[_Summed]:
    """Cells added up from the sums written beside each posts file (Store._write_cells); their
    authors are `_authors`'."""
    keys = [_KEY_SQL[d].format(period=period).replace("t.target", "target") for d in by]
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
            _Summed(
                key, n, int(t[1]), 0, list(t[2:5] / scale),
                second.tolist(), list(t[5 + n_pairs :] / scale), genres[key], langs[key],
            )
        )  # fmt: skip
    return found


def _authors(
    store: Store, by: list[str], period: str, since: date | None
) -> dict[tuple[Any, ...], int]:
    """Distinct authors per cell, counted over the posts: the one figure that cannot be added
    up from sums."""
    width = len(by)
    return {
        tuple(r[:width]): r[width]
        for r in store.query(
            f"SELECT {', '.join(_KEY_SQL[d].format(period=period) for d in by)},"
            f" count(DISTINCT author) FROM posts{_UNNEST if 'target' in by else ''}"
            " WHERE day >= ? GROUP BY ALL",
            [since or date.min],
        )
    }


def _cells_from_posts(
    store: Store, by: list[str], period: str, since: date | None
) -> list[_Summed]:
    """Cells summed over the posts themselves, one DuckDB GROUP BY (for topics, which posts
    join after their sums were written)."""
    keys = [_KEY_SQL[d].format(period=period) for d in by]
    join = " LEFT JOIN placed ON placed.post = coalesce(copy_of, source || '/' || post_id)"
    own = "FILTER (WHERE copy_of IS NULL)"
    products = [f"avg({a} * {b}) {own}" for a in TONES for b in TONES]
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
        _Summed(
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


@_remembered
def aggregates(
    store: Store, cells_by: str, period: str, min_cell: int, since: date | None = None
) -> Cells:
    """Public figures per cell of `by` (period, region, target, topic, lang): mentions (each
    text once: copies are counted apart), distinct authors, and the shares of negative, neutral and
    positive mentions corrected for the tone model's errors (arna.text.cells). A cell with fewer
    than `min_cell` distinct authors is left out whole, with its figures. `cells_by` is a
    comma-separated list of dimensions; `since`, the first day counted."""
    by = [d.strip() for d in cells_by.split(",") if d.strip()]
    unknown = [d for d in by if d not in DIMS]
    if unknown or not by:
        raise ValueError(
            f"by: choose from {', '.join(DIMS)} (not {', '.join(unknown) or 'nothing'})"
        )
    if period not in PERIODS:
        raise ValueError(f"period: day or week (not {period!r})")
    if "topic" in by:  # placed in topics after the sums were written: read the posts
        found = [c for c in _cells_from_posts(store, by, period, since) if c.n > 0]
        rows = _shares_of([c for c in found if c.authors >= min_cell], by)
        authors = {c.key: c.authors for c in found}
    else:
        # Distinct authors are counted over the posts while the shares are worked out from
        # the sums: the two take about as long, and a DuckDB query lets go of the GIL. A cell
        # cannot have more authors than posts, so the cells that could not pass are skipped.
        with ThreadPoolExecutor(max_workers=1) as pool:
            counting = pool.submit(_authors, store, by, period, since)
            found = [c for c in _cells_from_sums(store, by, period, since) if c.n > 0]
            rows = _shares_of([c for c in found if c.n + c.copies >= min_cell], by)
            authors = counting.result()
    shown = []
    for cell, row in rows:
        if authors.get(cell.key, 0) < min_cell:
            continue
        shown.append(
            {
                "keys": row["keys"],
                "mentions": row["n"],
                "copies": cell.copies,
                "authors": authors[cell.key],
                "reference": row["reference"],
                "status": row["status"],
                "shares": row["shares"],
            }
        )
    # A cell under the minimum is left out whole, with its figures.
    return Cells(shown, len(found) - len(shown))


def _shares_of(cells: list[_Summed], by: list[str]) -> list[tuple[_Summed, dict[str, Any]]]:
    """Each cell with its corrected shares (arna.text.cells.moment_shares), in their order."""
    names = [tuple(_cell_name(d, v) for d, v in zip(by, c.key, strict=True)) for c in cells]
    moments = shares.Moments(
        n=np.array([c.n for c in cells], dtype=np.int64),
        mean=np.array([c.mean for c in cells], dtype=float).reshape(-1, 3),
        second=np.array([c.second for c in cells], dtype=float).reshape(-1, 3, 3),
        cc=np.array([c.cc for c in cells], dtype=float).reshape(-1, 3),
    )
    rows = moment_shares(names, moments, [c.genres for c in cells], [c.langs for c in cells], by)
    by_name = dict(zip(names, cells, strict=True))
    return [(by_name[tuple(r["keys"][d] for d in by)], r) for r in rows]


@_remembered
def alerts(
    store: Store, family_rate: float, baseline_days: int = 56, seed: int = 0
) -> dict[str, Any]:
    """Rises of the corrected negative share per target × region (arna.listening.warning):
    each series' first `baseline_days` days give its baseline and thresholds, the days after
    are watched. `family_rate` is the false alarms a year allowed across all series watched."""
    rows = store.query(
        "SELECT day, region_kato, targets, tone_negative, tone_neutral, tone_positive, genre,"
        " lang, author FROM posts WHERE copy_of IS NULL AND len(targets) > 0"
    )
    series: dict[tuple[str, str], list[tuple[date, tuple[float, float, float], str, str]]]
    series = defaultdict(list)
    writers: dict[tuple[str, str, date], set[str]] = defaultdict(set)
    for day, region, targets, neg, neu, pos, genre, lang, author in rows:
        for target in targets:
            series[(target, region or "none")].append((day, (neg, neu, pos), genre, lang))
            if author:
                writers[(target, region or "none", day)].add(author)
    refs = references(tone.calibration())
    watched = {key: days for key, days in series.items() if _span(days) > baseline_days}
    rng = np.random.default_rng(seed)
    found: list[dict[str, Any]] = []
    for (target, region), days in sorted(watched.items()):
        first = min(d for d, *_ in days)
        length = _span(days)
        n = np.zeros(length)
        q = np.zeros((length, 3))
        for day, probs, _, _ in days:
            n[(day - first).days] += 1
            q[(day - first).days] += probs
        ref = refs[shares.pick(refs, [g for *_, g, _ in days], [lang for *_, lang in days])]
        reader = warning.Reader(ref.probs, ref.truth)
        daily = np.full(length, np.nan)
        seen = n > 0
        daily[seen] = warning.corrected(q[seen] / n[seen, None], reader)
        base = slice(0, baseline_days)
        p0 = float(np.average(daily[base][seen[base]], weights=n[base][seen[base]]))
        p0 = min(max(p0, 0.01), 0.9)
        limits = warning.thresholds(
            p0, n[base], reader, family_rate / len(watched), rng, 20, with_ewma=False
        )
        _, alarm = warning.cusum(
            daily[baseline_days:], n[baseline_days:], p0, limits.kappa2, limits.h
        )
        for t in np.flatnonzero(alarm) + baseline_days:
            day = first + timedelta(days=int(t))
            week = [day - timedelta(days=k) for k in range(7)]
            found.append(
                {
                    "target": target,
                    "region": _region_name(region),
                    "region_kato": None if region == "none" else region,
                    # distinct authors of the series in the week ending on the day: a public
                    # page shows the alert only when they reach the minimum cell
                    "authors_week": len(set().union(*(writers[(target, region, d)] for d in week))),
                    "day": day.isoformat(),
                    "negative_share": round(float(daily[t]), 4),
                    "baseline": round(p0, 4),
                    "mentions": int(n[t]),
                }
            )
    return {
        "series_watched": len(watched),
        "too_short": len(series) - len(watched),
        "false_alarms_per_year_allowed": family_rate,
        "alerts": sorted(found, key=lambda a: (a["day"], a["target"], a["region"])),
    }


def _span(days: list[tuple[date, Any, str, str]]) -> int:
    """Days from a series' first mention to its last, both counted."""
    stamps = [d for d, *_ in days]
    return (max(stamps) - min(stamps)).days + 1


@_remembered
def topics(store: Store, min_cell: int) -> dict[str, Any]:
    """Every topic with enough distinct authors: its labels per language, posts (each text
    once), copies, authors, first and last day, corrected tone shares and its quotes. Topics
    under the minimum are counted, not shown."""
    stored = [Topic.from_dict(t) for t in store.read_topics()]
    counted = {
        topic: (mentions, copies, authors, first, last)
        for topic, mentions, copies, authors, first, last in store.query(
            "SELECT placed.topic, count(*) FILTER (WHERE copy_of IS NULL), count(copy_of),"
            " count(DISTINCT author), min(day), max(day) FROM posts JOIN placed"
            " ON placed.post = coalesce(copy_of, source || '/' || post_id) GROUP BY placed.topic"
        )
    }
    tones = {row["keys"]["topic"]: row for row in aggregates(store, "topic", "week", 0).rows}
    named = labels(stored)
    shown, suppressed = [], 0
    for t in stored:
        mentions, copies, authors, first, last = counted.get(t.id, (0, 0, 0, None, None))
        if authors < min_cell:
            suppressed += 1
            continue
        tone_row = tones.get(t.id)
        shown.append(
            {
                "id": t.id,
                "proposed_on": t.proposed_on,
                "labels": named[t.id],
                "mentions": mentions,
                "copies": copies,
                "authors": authors,
                "first_day": first.isoformat() if first else None,
                "last_day": last.isoformat() if last else None,
                "shares": tone_row["shares"] if tone_row else None,
                "quotes": [{"text": q["text"], "lang": q["lang"]} for q in t.quotes],
            }
        )
    unplaced = store.query(
        "SELECT count(*) FROM posts WHERE copy_of IS NULL"
        " AND source || '/' || post_id NOT IN (SELECT post FROM placed)"
    )
    return {
        "topics": shown,
        "suppressed": suppressed,
        "unplaced": unplaced[0][0] if unplaced else 0,
    }


def series_quotes(
    store: Store, target: str, region_kato: str, since: date, n: int = 3
) -> list[dict[str, str]]:
    """Up to `n` sentences of recent posts about `target` in the region that name the target
    and nobody else (listening.quotes), the most negative posts first."""
    rows = store.query(
        "SELECT text, lang FROM posts WHERE copy_of IS NULL AND list_contains(targets, ?)"
        " AND region_kato = ? AND day >= ? AND NOT toxic"
        " ORDER BY tone_negative DESC, source, post_id LIMIT 300",
        [target, region_kato, since],
    )
    found: list[dict[str, str]] = []
    for text, lang in rows:
        sentence = sentence_naming(text, target)
        if sentence and all(q["text"] != sentence for q in found):
            found.append({"text": sentence, "lang": lang})
            if len(found) == n:
                break
    return found
