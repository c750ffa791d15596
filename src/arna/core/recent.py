"""Figures many requests read that may be a little old: kept for a set number of seconds.

The home page's counts, trends and rankings read every appeal the country has filed: at
15,000 appeals that is ~25 ms of queries per request, at millions seconds, and a public figure
a minute old is as true as one a second old. Kept per process, by key (the database, the page,
the language); `seconds` 0 keeps nothing. Two requests that miss at once both compute: no lock
is held while computing, so one slow reading never holds up the others.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

_MOST = 1024  # keys kept at once; more are dropped all together (a key per language and page)


class Recent:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._kept: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, seconds: float, compute: Callable[[], T]) -> T:
        """The value kept under `key` if it is younger than `seconds`, else `compute()`'s,
        kept from now."""
        if seconds <= 0:
            return compute()
        now = self._clock()
        with self._lock:
            kept = self._kept.get(key)
        if kept is not None and now < kept[0]:
            value: T = kept[1]
            return value
        value = compute()
        with self._lock:
            if len(self._kept) >= _MOST:
                self._kept.clear()
            self._kept[key] = (now + seconds, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
