"""Reads of listening: what is stored, counted."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from arna.listening import summing, warning
from arna.listening.quotes import sentence_naming
from arna.listening.store import Store
from arna.listening.topics import Topic, labels
from arna.text import moments, shares, tone
from arna.text.artifacts import bundle_id
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
        if key in found:
            try:
                return found[key]
            except KeyError:  # another request cleared the memory meanwhile
                pass
        value = read(store, *args, **kwargs)
        if len(found) >= _REMEMBERED:
            found.clear()
        found[key] = value
        return value

    return remembered


@_remembered
def stale(store: Store) -> dict[Path, int]:
    """Posts files read by other text models than this Arna's, with their numbers of posts."""
    current = bundle_id()
    return {part: n for part, (model, n) in store.models().items() if model != current}


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
        # Posts whose stored reading another text model made: `arna listen reread`.
        "read_by_other_models": sum(stale(store).values()),
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
    for _ in range(_TRIES):
        version = store.version()
        shown, found = _aggregated(store, by, period, min_cell, since)
        if store.version() == version:  # no import between the queries: one state of the store
            break
    else:  # imports kept landing: one query over the posts sees one state
        shown, found = _aggregated(store, by, period, min_cell, since, from_posts=True)
    # A cell under the minimum is left out whole, with its figures.
    return Cells(shown, found - len(shown))


_TRIES = 3


def _aggregated(
    store: Store,
    by: list[str],
    period: str,
    min_cell: int,
    since: date | None,
    *,
    from_posts: bool = False,
) -> tuple[list[dict[str, Any]], int]:
    """The cells shown (keys, figures, shares) and the number of cells with texts."""
    if from_posts or "topic" in by or store.unsummed():
        # Topics are placed after the sums were written, and a file without its sums waits
        # for the next import to get them: read the posts.
        found = [c for c in summing.from_posts(store, by, period, since) if c.n > 0]
        rows = _shares_of([c for c in found if c.authors >= min_cell], by)
        authors = {c.key: c.authors for c in found}
    else:
        # Distinct authors are counted over the posts while the shares are worked out from
        # the sums: the two take about as long, and a DuckDB query lets go of the GIL. A cell
        # cannot have more authors than posts, so the cells that could not pass are skipped.
        with ThreadPoolExecutor(max_workers=1) as pool:
            counting = pool.submit(summing.authors, store, by, period, since)
            found = [c for c in summing.from_sums(store, by, period, since) if c.n > 0]
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
    return shown, len(found)


def _shares_of(
    cells: list[summing.Summed], by: list[str]
) -> list[tuple[summing.Summed, dict[str, Any]]]:
    """Each cell with its corrected shares (arna.text.cells.moment_shares), in their order."""
    names = [tuple(summing.cell_name(d, v) for d, v in zip(by, c.key, strict=True)) for c in cells]
    summed = moments.Moments(
        n=np.array([c.n for c in cells], dtype=np.int64),
        mean=np.array([c.mean for c in cells], dtype=float).reshape(-1, 3),
        second=np.array([c.second for c in cells], dtype=float).reshape(-1, 3, 3),
        cc=np.array([c.cc for c in cells], dtype=float).reshape(-1, 3),
    )
    rows = moment_shares(names, summed, [c.genres for c in cells], [c.langs for c in cells], by)
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
            days_of_week = slice(max(int(t) - 6, 0), int(t) + 1)
            pooled = q[days_of_week].sum(axis=0) / n[days_of_week].sum()
            found.append(
                {
                    "target": target,
                    "region": summing.region_name(region),
                    "region_kato": None if region == "none" else region,
                    # distinct authors of the series in the week ending on the day: a public
                    # page shows the alert only when they reach the minimum cell
                    "authors_week": len(set().union(*(writers[(target, region, d)] for d in week))),
                    "day": day.isoformat(),
                    "negative_share": round(float(daily[t]), 4),
                    # the week ending on the day, the figure public pages show: a day may have
                    # fewer authors than the minimum cell
                    "week_negative_share": round(float(warning.corrected(pooled, reader)), 4),
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
    named = labels(stored, min_cell)
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
    store: Store, target: str, region_kato: str, since: date, min_cell: int, n: int = 3
) -> list[dict[str, str]]:
    """Up to `n` sentences of recent posts about `target` in the region that name the target
    and nobody else (listening.quotes), the most negative posts first; none when fewer than
    `min_cell` distinct authors wrote about it since `since`."""
    authors = store.query(
        "SELECT count(DISTINCT author) FROM posts WHERE list_contains(targets, ?)"
        " AND region_kato = ? AND day >= ?",
        [target, region_kato, since],
    )
    if not authors or authors[0][0] < min_cell:
        return []  # a handful of people: quoting them would point at them
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
