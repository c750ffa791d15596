"""The surge rule on plain data: one source's busy window against everyone's in that span."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from arna.petitions.surges import busiest_window, surge_of

T0 = datetime(2026, 12, 1, 3, tzinfo=UTC)


def _counter(stamps: list[datetime]) -> Callable[[datetime, datetime], int]:
    return lambda start, end: sum(1 for at in stamps if start <= at <= end)


def test_a_burst_from_one_network_is_a_surge_and_a_popular_hour_is_not() -> None:
    burst = [T0 + timedelta(seconds=5 * i) for i in range(40)]  # 40 in 200 s
    others = [T0 + timedelta(minutes=i) for i in range(0, 600, 10)]  # one every 10 minutes
    surge = surge_of("bot", burst, _counter(burst + others))
    assert surge is not None and surge.count == 40 and surge.share > 0.9
    # the same 40 while 100 other networks sign in those minutes: a popular moment, no surge
    crowd = [T0 + timedelta(seconds=2 * i) for i in range(100)]
    assert surge_of("school", burst, _counter(burst + crowd)) is None
    # 29 at once are below the minimum; 40 spread over hours have no busy window
    assert surge_of("few", burst[:29], _counter(burst[:29])) is None
    spread = [T0 + timedelta(minutes=20 * i) for i in range(40)]
    assert surge_of("slow", spread, _counter(spread)) is None


def test_the_busiest_window_is_found() -> None:
    stamps = sorted([T0 + timedelta(minutes=m) for m in (0, 30, 31, 32, 33, 60)])
    assert busiest_window(stamps) == (4, 1)
