"""Sudden surges of signatures from one source (pure).

A source (a network, by its keyed digest) surges when, within some window of WINDOW, it sent at
least MINIMUM signatures and at least SHARE of all the petition's signatures in that window.
A popular petition shared on social media brings many signatures at once from many networks;
a script, a call centre or an office pressed into signing brings them from one. The finding is
for moderators, who may invalidate the signatures with a stated reason; nothing is removed by
the rule itself.
"""

from __future__ import annotations

from collections.abc import Callable
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


def busiest_window(stamps: list[datetime], window: timedelta = WINDOW) -> tuple[int, int]:
    """(count, index of the first) of the busiest `window` among sorted instants."""
    best = (0, 0)
    last = 0
    for first in range(len(stamps)):
        while last < len(stamps) and stamps[last] < stamps[first] + window:
            last += 1
        if last - first > best[0]:
            best = (last - first, first)
    return best


def surge_of(
    source: str, stamps: list[datetime], everyone: Callable[[datetime, datetime], int]
) -> Surge | None:
    """The source's busiest window if it is a surge; `everyone(start, end)` counts all the
    petition's signatures in a span (both ends included)."""
    if len(stamps) < MINIMUM:
        return None
    stamps = sorted(stamps)
    count, first = busiest_window(stamps)
    start, end = stamps[first], stamps[first + count - 1]
    total = everyone(start, end)
    if count >= MINIMUM and total and count / total >= SHARE:
        return Surge(source, start, end, count, count / total)
    return None
