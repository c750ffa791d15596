"""core.recent: a value is kept for its seconds, then read again; 0 keeps nothing."""

from __future__ import annotations

import pytest

from arna.core.recent import Recent


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_value_is_kept_for_its_seconds_then_read_again() -> None:
    clock, reads = Clock(), []
    recent = Recent(clock)

    def read() -> int:
        reads.append(clock.now)
        return len(reads)

    assert recent.get("home", 60, read) == 1
    clock.now += 59.9
    assert recent.get("home", 60, read) == 1  # kept
    assert recent.get("other", 60, read) == 2  # a key of its own
    clock.now += 0.1
    assert recent.get("home", 60, read) == 3  # 60 s old: read again
    assert reads == [100.0, 159.9, 160.0]


def test_no_seconds_keeps_nothing() -> None:
    recent, reads = Recent(Clock()), []
    for _ in range(3):
        recent.get("home", 0, lambda: reads.append(1))
    assert len(reads) == 3


def test_a_failed_reading_keeps_nothing() -> None:
    recent = Recent(Clock())

    def broken() -> int:
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        recent.get("home", 60, broken)
    assert recent.get("home", 60, lambda: 7) == 7
