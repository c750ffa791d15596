"""Early warning: a rise in the corrected share of negative mentions of one institution in one
region, found as soon as the daily figures allow, with a known rate of false alarms.

Per series (target × region) and day t: n_t mentions and ŝ_t, the day's corrected negative
share (PACC, arna.text.shares). The share is read through a classifier, so it varies more than
a binomial share of n_t would: by a factor κ² (the design effect of reading, found by
simulation from the classifier's real errors, `design_effect`). The day then counts as
n*_t = n_t / κ² effective mentions of which x_t = ŝ_t · n*_t are negative, and both statistics
are the textbook ones on those counts (docs/methodology.md, "Early warning"):

- binomial CUSUM for a shift from the baseline p₀ to p₁ = p₀ + δ:
  S_t = max(0, S_{t−1} + x_t log(p₁/p₀) + (n*_t − x_t) log((1−p₁)/(1−p₀))), alarm when S_t > h,
  then S restarts at 0;
- EWMA of the share: E_t = λ ŝ_t + (1−λ) E_{t−1}, with variance V_t = λ² p₀(1−p₀)/n*_t +
  (1−λ)² V_{t−1}; alarm when (E_t − p₀)/√V_t > L.

A day without mentions (no data, or an internet shutdown) is missing, not calm: neither
statistic moves. Thresholds h and L are set by simulating the series' own days under the
baseline (`thresholds`) so that a series raises `alarms_per_year` false alarms a year, where
`alarms_per_year` is the operator's rate for everything watched divided by the number of series
watched (Bonferroni).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from arna.text.shares import misclassification, simplex_lstsq

NEG = 0
SHIFT = 0.10  # the smallest rise worth a warning: ten points of negative share
LAMBDA = 0.3


@dataclass(frozen=True)
class Reader:
    """How the tone model reads texts of each true class: held-out posteriors and their truth
    (tone.calibration rows), and the matrix the correction inverts."""

    probs: np.ndarray
    truth: np.ndarray

    @property
    def matrix(self) -> np.ndarray:
        return misclassification(self.probs, self.truth)


def corrected(q: np.ndarray, reader: Reader) -> np.ndarray:
    """Corrected negative share of each day from its mean posterior q (days × 3)."""
    out: np.ndarray = simplex_lstsq(reader.matrix, q)[..., NEG]
    return out


def simulate_days(
    negative: np.ndarray, n: np.ndarray, reader: Reader, rng: np.random.Generator
) -> np.ndarray:
    """Corrected negative shares of days with true negative shares `negative` and `n` mentions:
    each mention drawn as a held-out text of its true class (neutral and positive share the
    rest as in the reader's rows), so the classifier's errors are the real ones."""
    n = n.astype(np.int64)
    k = rng.binomial(n, np.clip(negative, 0, 1))
    rest = np.bincount(reader.truth, minlength=3)[1:]
    classes = [np.flatnonzero(reader.truth == c) for c in range(3)]
    share_neutral = rest[0] / rest.sum()
    neutral = rng.binomial(n - k, share_neutral)
    counts = np.stack([k, neutral, n - k - neutral], axis=1)
    q = np.zeros((len(n), 3))
    for c in range(3):
        total = counts[:, c].sum()
        rows = classes[c][rng.integers(0, len(classes[c]), total)]
        day = np.repeat(np.arange(len(n)), counts[:, c])
        for j in range(3):
            q[:, j] += np.bincount(day, weights=reader.probs[rows, j], minlength=len(n))
    with np.errstate(invalid="ignore", divide="ignore"):
        q = q / n[:, None]
    shares = np.full(len(n), np.nan)
    seen = n > 0
    shares[seen] = corrected(q[seen], reader)
    return shares


def design_effect(p0: float, n: int, reader: Reader, rng: np.random.Generator) -> float:
    """κ²: the variance of a day's corrected share over a binomial share's, at p₀ and n."""
    shares = simulate_days(np.full(2000, p0), np.full(2000, n), reader, rng)
    return max(float(np.var(shares) * n / (p0 * (1 - p0))), 1.0)


def cusum(
    shares: np.ndarray, n: np.ndarray, p0: float, kappa2: float, h: float, shift: float = SHIFT
) -> tuple[np.ndarray, np.ndarray]:
    """(statistic per day, alarm per day); a missing day (n = 0 or share NaN) leaves S as it is."""
    p1 = min(p0 + shift, 0.99)
    up, down = math.log(p1 / p0), math.log((1 - p1) / (1 - p0))
    s = 0.0
    stat = [0.0] * len(n)
    alarm = [False] * len(n)
    # Plain floats: a loop over numpy scalars cost five times as much, and thresholds run
    # this loop over decades of simulated days.
    for t, (share, count) in enumerate(zip(shares.tolist(), n.tolist(), strict=True)):
        if count > 0 and not math.isnan(share):
            effective = count / kappa2
            x = share * effective
            s = max(0.0, s + x * up + (effective - x) * down)
            if s > h:
                alarm[t] = True
                stat[t] = s
                s = 0.0
                continue
        stat[t] = s
    return np.array(stat), np.array(alarm, dtype=bool)


def ewma(
    shares: np.ndarray, n: np.ndarray, p0: float, kappa2: float, limit: float, lam: float = LAMBDA
) -> tuple[np.ndarray, np.ndarray]:
    """(standardised EWMA per day, alarm per day); missing days leave it as it is."""
    e, v = p0, 0.0
    z = [0.0] * len(n)
    alarm = [False] * len(n)
    for t, (share, count) in enumerate(zip(shares.tolist(), n.tolist(), strict=True)):
        if count > 0 and not math.isnan(share):
            e = lam * share + (1 - lam) * e
            v = lam**2 * p0 * (1 - p0) * kappa2 / count + (1 - lam) ** 2 * v
            z[t] = (e - p0) / math.sqrt(v)
            if z[t] > limit:
                alarm[t] = True
                e, v = p0, 0.0  # restart after an alarm
        else:
            z[t] = z[t - 1] if t else 0.0
    return np.array(z), np.array(alarm, dtype=bool)


@dataclass(frozen=True)
class Thresholds:
    h: float  # CUSUM
    limit: float  # EWMA, in standard deviations
    kappa2: float


def thresholds(
    p0: float,
    n: np.ndarray,
    reader: Reader,
    alarms_per_year: float,
    rng: np.random.Generator,
    years: int = 40,
    *,
    with_ewma: bool = True,
) -> Thresholds:
    """h and L that give `alarms_per_year` false alarms a year on days like `n` (the series'
    own mentions per day, repeated to a year) under the baseline p₀ (L is NaN without
    `with_ewma`: calibrating it costs as much as h)."""
    typical = max(int(np.median(n[n > 0])) if (n > 0).any() else 1, 1)
    kappa2 = design_effect(p0, typical, reader, rng)
    days = np.resize(n, 365 * years)
    shares = simulate_days(np.full(len(days), p0), days, reader, rng)
    h = _calibrated(lambda x: cusum(shares, days, p0, kappa2, x)[1].sum() / years, alarms_per_year)
    limit = math.nan
    if with_ewma:
        limit = _calibrated(
            lambda x: ewma(shares, days, p0, kappa2, x)[1].sum() / years, alarms_per_year
        )
    return Thresholds(h, limit, kappa2)


def _calibrated(rate: object, target: float, low: float = 0.5, high: float = 40.0) -> float:
    """The smallest threshold whose false-alarm rate (a decreasing function) is ≤ target."""
    assert callable(rate)
    for _ in range(30):
        mid = (low + high) / 2
        if rate(mid) > target:
            low = mid
        else:
            high = mid
    return round(high, 3)
