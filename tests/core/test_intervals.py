"""The Wilson interval is the set of shares p that the score test does not reject:
|k/n − p| ≤ z·√(p(1−p)/n). Its ends are found here by bisection, not by the closed form."""

from __future__ import annotations

import math

import pytest
from hypothesis import example, given, settings
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


def test_a_quantile_s_interval_covers_the_true_quantile_as_often_as_it_says() -> None:
    """Samples of a skewed distribution whose quantiles are known (exponential, days to an
    answer look like it): the interval holds the true median and 90th percentile in at least
    95 % of 2,000 samples, less a little for the simulation's own noise."""
    import numpy as np

    from arna.core.intervals import quantile_interval

    rng = np.random.default_rng(7)
    for q, n in ((0.5, 30), (0.5, 200), (0.9, 60), (0.9, 200)):  # 30 cannot bound a p90
        truth = -math.log(1 - q)
        held = 0
        for _ in range(2000):
            values = sorted(rng.exponential(size=n).tolist())
            estimate, low, high = quantile_interval(values, q)
            assert low is not None and high is not None and low <= estimate <= high
            held += low <= truth <= high
        assert held / 2000 >= 0.94, (q, n, held)


def test_a_quantile_is_the_smallest_value_with_a_share_q_at_or_below_it() -> None:
    from arna.core.intervals import quantile_interval

    assert quantile_interval([], 0.5) == (None, None, None)
    assert quantile_interval([4], 0.5) == (4, None, None)  # one value: no interval
    values = list(range(1, 11))
    estimate, low, high = quantile_interval(values, 0.5)
    assert estimate == 5 and (low, high) == (2, 9)  # P(2 ≤ B ≤ 8) = 0.979 for Bin(10, ½)
    assert quantile_interval(values, 0.9)[0] == 9
    assert quantile_interval(values, 0.9)[2] is None  # ten values cannot bound the top
    with pytest.raises(ValueError, match="between 0 and 1"):
        quantile_interval(values, 1.0)


@settings(deadline=None, max_examples=300)
@given(
    st.integers(1, 200),
    st.sampled_from([0.5, 0.9]) | st.floats(0.001, 0.999),
    st.sampled_from([0.025, 0.5, 0.975]) | st.floats(0.0001, 0.9999),
)
@example(n=2, q=0.9, p=0.01)  # a tie within the floats' rounding (CI found it)
def test_the_binomial_ppf_is_the_smallest_k_whose_probability_reaches_p(
    n: int, q: float, p: float
) -> None:
    """Against the distribution function summed in exact fractions (scipy's own ppf answers
    80 for P(B ≤ k) ≥ ½ with n = 159, q = ½, where P(B ≤ 79) is exactly ½: a rounding)."""
    from fractions import Fraction

    from arna.core.intervals import binomial_ppf

    exact_q, total, k = Fraction(q), Fraction(0), 0
    below = Fraction(0)  # P(B ≤ k − 1)
    while True:
        below, total = total, total + math.comb(n, k) * exact_q**k * (1 - exact_q) ** (n - k)
        if total >= Fraction(p) or k == n:
            break
        k += 1
    found = binomial_ppf(p, n, q)
    # where P(B ≤ k − 1) and p differ only by the rounding of the floats (0.1² against 0.01 with
    # n = 2, q = 0.9), k − 1 is as right as k
    tie = k > 0 and abs(float(below) - p) <= 1e-12 * p
    assert found == k or (tie and found == k - 1), (found, k)


@settings(deadline=None, max_examples=100)
@given(st.integers(200, 2_000_000), st.sampled_from([0.5, 0.9]), st.sampled_from([0.025, 0.975]))
def test_the_binomial_ppf_of_large_samples_is_scipy_s(n: int, q: float, p: float) -> None:
    from scipy.stats import binom

    from arna.core.intervals import binomial_ppf

    assert binomial_ppf(p, n, q) == int(binom.ppf(p, n, q))
