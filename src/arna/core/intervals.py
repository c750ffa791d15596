"""Confidence intervals for the public figures."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import accumulate
from typing import TypeVar

T = TypeVar("T", int, float)
Z95 = 1.959963984540054  # the standard normal's 97.5th percentile


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of the share k/n (95 % by default): it stays inside 0–1 and keeps
    its coverage for small n and shares near 0 or 1, where the normal approximation does not.
    (0, 1) when n is 0: nothing is known."""
    if n <= 0:
        return 0.0, 1.0
    if not 0 <= k <= n:
        raise ValueError(f"k must be between 0 and n (k={k}, n={n})")
    p = k / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    low = 0.0 if k == 0 else max(0.0, centre - half)
    high = 1.0 if k == n else min(1.0, centre + half)
    return low, high


def quantile_interval(
    ordered: Sequence[T], q: float, level: float = 0.95
) -> tuple[T | None, T | None, T | None]:
    """The q-quantile of sorted values (the smallest value with at least a share q of the values
    at or below it) and its distribution-free interval: the order statistics x₍ₗ₎ and x₍ᵤ₎
    with P(l ≤ B < u) ≥ level for B ~ Binomial(n, q), the number of values below the true
    quantile. An end the sample is too small for is None (so is everything when n is 0)."""
    return quantile_of_counts(Counter(ordered), q, level)


def quantile_of_counts(
    counts: Mapping[T, int], q: float, level: float = 0.95
) -> tuple[T | None, T | None, T | None]:
    """`quantile_interval` of the values counted in `counts` (value → how many times)."""
    if not 0 < q < 1:
        raise ValueError(f"q must be between 0 and 1 (not {q})")
    values = sorted(v for v, k in counts.items() if k > 0)
    running = list(accumulate(counts[v] for v in values))
    n = running[-1] if running else 0
    if n == 0:
        return None, None, None

    def at_rank(rank: int) -> T | None:  # the rank-th smallest value (from 1), if there is one
        if not 1 <= rank <= n:
            return None
        return values[bisect_left(running, rank)]

    tail = (1 - level) / 2
    low_rank = binomial_ppf(tail, n, q)  # P(B ≤ low_rank − 1) < tail
    high_rank = binomial_ppf(1 - tail, n, q) + 1  # P(B ≤ high_rank − 1) ≥ 1 − tail
    return at_rank(max(math.ceil(q * n), 1)), at_rank(low_rank), at_rank(high_rank)


@lru_cache(maxsize=65_536)  # a page asks for the same few n again on every visit
def binomial_ppf(p: float, n: int, q: float) -> int:
    """The smallest k with P(B ≤ k) ≥ p for B ~ Binomial(n, q) (scipy.stats.binom.ppf, but
    for its rounding at exact ties), from scipy.special's binomial distribution function over
    the k that can matter: the distribution's own ppf costs 75 µs a call in its generic
    machinery, and a scorecard page asks for four per group."""
    import numpy as np
    from scipy.special import bdtr

    mean, spread = n * q, math.sqrt(n * q * (1 - q))
    first = max(int(mean - 12 * spread) - 1, 0)
    last = min(int(mean + 12 * spread) + 2, n)
    ks = np.arange(first, last + 1)
    cdf = bdtr(ks, n, q)
    if first > 0 and cdf[0] >= p:  # the window starts too late: read the whole range
        ks, cdf = np.arange(n + 1), bdtr(np.arange(n + 1), n, q)
    # scipy's ppf accepts a CDF within a relative 1e-10 of p (floating rounding).
    found = int(np.searchsorted(cdf >= p * (1 - 1e-10), True))
    return int(ks[found]) if found < len(ks) else n
