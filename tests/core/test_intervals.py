"""The Wilson interval is the set of shares p that the score test does not reject:
|k/n − p| ≤ z·√(p(1−p)/n). Its ends are found here by bisection, not by the closed form."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arna.core.intervals import Z95, wilson


def accepted(p: float, k: int, n: int) -> bool:
    return abs(k / n - p) <= Z95 * math.sqrt(p * (1 - p) / n)


def end(k: int, n: int, inside: float, outside: float) -> float:
    for _ in range(80):
        middle = (inside + outside) / 2
        inside, outside = (middle, outside) if accepted(middle, k, n) else (inside, middle)
    return inside


@given(st.integers(1, 2000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_the_ends_are_where_the_score_test_turns(kn: tuple[int, int]) -> None:
    k, n = kn
    low, high = wilson(k, n)
    p = k / n
    assert low == pytest.approx(0.0 if k == 0 else end(k, n, p, 0.0), abs=1e-9)
    assert high == pytest.approx(1.0 if k == n else end(k, n, p, 1.0), abs=1e-9)
    assert 0.0 <= low <= p <= high <= 1.0


def test_nothing_known_and_impossible_counts() -> None:
    assert wilson(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError, match="between 0 and n"):
        wilson(5, 3)
