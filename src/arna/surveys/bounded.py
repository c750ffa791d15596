"""The step of bounded raking: the factor that brings clipped weights to a target.

For raw weights r₁…rₙ > 0 of one category, bounds 0 ≤ L < U and a target T, the function
g(f) = Σᵢ clip(f·rᵢ, L, U) is continuous, non-decreasing and linear between its knots L/rᵢ and
U/rᵢ, so the f with g(f) = T is found exactly: evaluate g at the knots, find the two around T,
interpolate. A target out of reach (T < n·L or T > n·U) gets the factor that puts every weight
on the nearer bound.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def bounded_factor(
    raw: npt.NDArray[np.float64], target: float, lower: float, upper: float
) -> float:
    """The f > 0 with Σ clip(f·raw, lower, upper) = target (see the module's docstring)."""
    n = raw.size
    if n == 0 or not np.all(raw > 0) or not 0 <= lower < upper or not target > 0:
        raise ValueError("bounded_factor needs raw weights > 0, 0 ≤ lower < upper, target > 0")
    if target >= n * upper:
        return float(upper / raw.min())
    if target <= n * lower:
        return float(lower / raw.max())
    if upper == np.inf and lower == 0:
        return float(target / raw.sum())
    ordered = np.sort(raw)
    cumulative = np.concatenate(([0.0], np.cumsum(ordered)))
    knots = np.unique(np.concatenate((lower / ordered, upper / ordered)))
    knots = knots[(knots > 0) & np.isfinite(knots)]
    with np.errstate(over="ignore"):  # a tiny knot (a tiny lower bound): U/f is infinite
        at_lower = np.searchsorted(ordered, lower / knots, side="right")  # rᵢ ≤ L/f
        below_upper = np.searchsorted(ordered, upper / knots, side="left")  # rᵢ < U/f
    above = n - below_upper  # clipped to the upper bound (none without one)
    g = (
        lower * at_lower
        + (upper * above if np.isfinite(upper) else 0.0)
        + knots * (cumulative[below_upper] - cumulative[at_lower])
    )
    j = int(np.searchsorted(g, target, side="left"))
    if j >= len(knots):  # only with no upper bound: past the last knot no weight is clipped
        return float(target / cumulative[n])
    a, g_a = (float(knots[j - 1]), float(g[j - 1])) if j > 0 else (0.0, lower * n)
    b, g_b = float(knots[j]), float(g[j])
    if g_b <= g_a:
        return b
    return a + (target - g_a) * (b - a) / (g_b - g_a)
