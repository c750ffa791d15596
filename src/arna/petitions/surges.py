"""Sudden surges of signatures from one source (pure).

A source (a network, by its keyed digest) surges when, within some window of WINDOW, it sent at
least MINIMUM signatures and at least SHARE of all the petition's signatures in that window.
A popular petition shared on social media brings many signatures at once from many networks;
a script, a call centre or an office pressed into signing brings them from one. The finding is
for moderators, who may invalidate the signatures with a stated reason; nothing is removed by
the rule itself.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(minutes=10)
MINIMUM = 30
SHARE = 0.5


@dataclass(frozen=True)
class Surge:
    source: str
    start: datetime
    end: datetime
    count: int
    share: float


def find_surges(
    signatures: list[tuple[str, datetime]],
    *,
    window: timedelta = WINDOW,
    minimum: int = MINIMUM,
    share: float = SHARE,
) -> list[Surge]:
    """For each source, its busiest window if that window is a surge; largest first."""
    everyone = sorted(at for _, at in signatures)
    by_source: dict[str, list[datetime]] = {}
    for source, at in signatures:
        by_source.setdefault(source, []).append(at)
    found = []
    for source, stamps in by_source.items():
        if len(stamps) < minimum:
            continue
        stamps.sort()
        best: tuple[int, int] | None = None  # (count, index of the window's first signature)
        last = 0
        for first in range(len(stamps)):
            while last < len(stamps) and stamps[last] < stamps[first] + window:
                last += 1
            count = last - first
            if best is None or count > best[0]:
                best = (count, first)
        assert best is not None
        count, first = best
        start, end = stamps[first], stamps[first + count - 1]
        total = bisect_right(everyone, end) - bisect_left(everyone, start)
        if count >= minimum and count / total >= share:
            found.append(Surge(source, start, end, count, count / total))
    return sorted(found, key=lambda s: -s.count)
