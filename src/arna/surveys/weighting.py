"""Survey weights: raking to population margins, with trimming and re-raking.

Pure maths over numpy arrays (docs/methodology.md, "Surveys", "Raking"); the design effect
and the estimates with their margins of error are in `arna.surveys.estimates`.

Margins: for each raking variable (region, sex, urban/rural, age where available), a mapping
category → population share or population total. When every variable's values add up to 1 they
are shares and the weights add up to the sum of the base weights (n without base weights);
otherwise they are totals, every variable's must add up to the same population, and the weights
add up to it.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from arna.surveys.bounded import bounded_factor

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

TOLERANCE = 1e-10  # the largest |weighted share − population share| accepted
MAX_ITERATIONS = 1000  # sweeps (one adjustment of every variable) per raking
STALL_SWEEPS = 50  # bounded raking gives up when its error has not halved in this many sweeps
BOUND_SLACK = 1e-9  # a weight within (1 ± BOUND_SLACK)·bound is within the bound
SHARES_SUM_SLACK = 1e-6  # margins that add up to 1 ± this are shares
TOTALS_SLACK = 1e-6  # totals of two variables agree when within this relative difference


class WeightingError(ValueError):
    """Data that cannot be weighted as asked; the message names the variable and category."""


@dataclass(frozen=True)
class RakingReport:
    """How the weights were reached.

    `converged`: every category's weighted share is within the tolerance of the population's
    (`max_margin_error`: the largest difference). `within_bounds`: every weight lies within the
    trimming bounds (always true without trimming). When the margins and the bounds cannot both
    hold, the margins win: the weights returned come from a final raking, `within_bounds` is
    false and `min_ratio`/`max_ratio` show how far they stand outside the bounds.
    """

    iterations: int  # sweeps, all rakings together
    converged: bool
    max_margin_error: float
    within_bounds: bool
    trimmed: int  # weights held at a trimming bound
    min_ratio: float  # smallest weight / mean weight
    max_ratio: float  # largest weight / mean weight


@dataclass(frozen=True)
class _Variable:
    name: str
    codes: IntArray  # each respondent's category as an index into `categories`
    categories: list[Hashable]
    target: FloatArray  # population totals per category, scaled to the weights' total
    counts: IntArray  # respondents per category


def rake(
    sample_categories: Mapping[str, npt.ArrayLike],
    margins: Mapping[str, Mapping[Any, float]],
    base_weights: npt.ArrayLike | None = None,
    *,
    tolerance: float = TOLERANCE,
    max_iterations: int = MAX_ITERATIONS,
    trim: tuple[float, float] | None = None,
) -> tuple[FloatArray, RakingReport]:
    """Weights that reproduce `margins`, and how they were reached (`RakingReport`).

    `sample_categories`: per variable, each respondent's category code (one array per variable,
    all of the same length). `base_weights`: design weights to start from (1 by default).

    `trim=(low, high)`: every weight must lie within low·w̄ and high·w̄, w̄ the mean weight
    (low ≤ 1 ≤ high). The raked weights outside are trimmed to the bound and the set is raked
    again, the trimmed weights held at their bound while the others carry the adjustment, until
    margins and bounds both hold. When they cannot (a category's mean weight outside the bounds,
    or the raking stalls), the weights are raked once more from the trimmed ones without bounds:
    the margins hold, the bounds do not, and the report says so.
    """
    if not sample_categories:
        raise WeightingError("no raking variable given")
    if not tolerance > 0 or max_iterations < 1:
        raise WeightingError("the tolerance must be > 0 and max_iterations ≥ 1")
    arrays = {name: np.asarray(values) for name, values in sample_categories.items()}
    n = _sample_size(arrays)
    w0 = _base_weights(base_weights, n)
    variables = _variables(arrays, margins, float(w0.sum()))
    total = float(variables[0].target.sum())
    mean = total / n
    if trim is not None and not (0 <= trim[0] <= 1 <= trim[1] < np.inf and trim[0] < trim[1]):
        raise WeightingError(f"trimming bounds must be 0 ≤ low ≤ 1 ≤ high, low < high: {trim}")
    weights, iterations, error = _rake(variables, w0, total, tolerance, max_iterations)
    lower, upper = (trim[0] * mean, trim[1] * mean) if trim is not None else (0.0, np.inf)
    if trim is not None and not _within(weights, lower, upper):
        reachable = all(
            np.all(v.counts * lower <= v.target * (1 + BOUND_SLACK))
            and np.all(v.target <= v.counts * upper * (1 + BOUND_SLACK))
            for v in variables
        )
        bounded, more, bounded_error = weights, 0, np.inf
        if reachable:
            bounded, more, bounded_error = _rake_bounded(
                variables, weights, total, lower, upper, tolerance, max_iterations
            )
            iterations += more
        if bounded_error <= tolerance:
            weights, error = bounded, bounded_error
        else:
            clipped = np.clip(bounded, lower, upper)
            weights, more, error = _rake(variables, clipped, total, tolerance, max_iterations)
            iterations += more
    ratios = weights / mean
    at_bound = (weights <= lower * (1 + BOUND_SLACK)) | (weights >= upper * (1 - BOUND_SLACK))
    report = RakingReport(
        iterations=iterations,
        converged=error <= tolerance,
        max_margin_error=error,
        within_bounds=_within(weights, lower, upper),
        trimmed=int(at_bound.sum()) if trim is not None else 0,
        min_ratio=float(ratios.min()),
        max_ratio=float(ratios.max()),
    )
    return weights, report


def weighted_margins(
    sample_categories: Mapping[str, npt.ArrayLike], weights: npt.ArrayLike
) -> dict[str, dict[Hashable, float]]:
    """Per variable, each category's weighted share of the sample."""
    w = np.asarray(weights, dtype=np.float64)
    shares: dict[str, dict[Hashable, float]] = {}
    for name, values in sample_categories.items():
        categories, codes = np.unique(np.asarray(values), return_inverse=True)
        if codes.size != w.size:
            raise WeightingError(f"{name}: {codes.size} values for {w.size} weights")
        sums = np.bincount(codes.ravel(), weights=w, minlength=len(categories)) / w.sum()
        shares[name] = {c: float(s) for c, s in zip(categories.tolist(), sums, strict=True)}
    return shares


def _rake(
    variables: Sequence[_Variable],
    start: FloatArray,
    total: float,
    tolerance: float,
    max_iterations: int,
) -> tuple[FloatArray, int, float]:
    """Sweeps of proportional adjustment, one variable after the other, until every weighted
    share is within `tolerance` of its target: (weights, sweeps, largest error)."""
    w = start.copy()
    error = _margin_error(variables, w, total)
    sweeps = 0
    while error > tolerance and sweeps < max_iterations:
        sweeps += 1
        for v in variables:
            current = np.bincount(v.codes, weights=w, minlength=len(v.target))
            factor = np.divide(v.target, current, out=np.ones_like(current), where=current > 0)
            w *= factor[v.codes]
        error = _margin_error(variables, w, total)
    return w, sweeps, error


def _rake_bounded(
    variables: Sequence[_Variable],
    start: FloatArray,
    total: float,
    lower: float,
    upper: float,
    tolerance: float,
    max_iterations: int,
) -> tuple[FloatArray, int, float]:
    """Raking with every weight kept within [lower, upper]: the weights are clip(r, lower,
    upper) of raw weights r, and each category's raw weights are multiplied by the factor f
    that brings Σ clip(f·r, lower, upper) to the category's target. Stops when the error is
    within `tolerance`, after `max_iterations` sweeps, or when the error has not halved in
    `STALL_SWEEPS` sweeps (the bounds are then taken as out of reach)."""
    raw = start.copy()
    members = [[np.flatnonzero(v.codes == k) for k in range(len(v.categories))] for v in variables]
    w = np.clip(raw, lower, upper)
    error = _margin_error(variables, w, total)
    history = [error]
    while error > tolerance and len(history) <= max_iterations:
        for v, groups in zip(variables, members, strict=True):
            for k, index in enumerate(groups):
                if index.size:
                    raw[index] *= bounded_factor(raw[index], float(v.target[k]), lower, upper)
        w = np.clip(raw, lower, upper)
        error = _margin_error(variables, w, total)
        history.append(error)
        if len(history) > STALL_SWEEPS and error > history[-1 - STALL_SWEEPS] / 2:
            break
    return w, len(history) - 1, error


def _margin_error(variables: Sequence[_Variable], w: FloatArray, total: float) -> float:
    """max over variables and categories of |Σ_category w − target| / population total."""
    worst = 0.0
    for v in variables:
        current = np.bincount(v.codes, weights=w, minlength=len(v.target))
        worst = max(worst, float(np.max(np.abs(current - v.target))) / total)
    return worst


def _within(w: FloatArray, lower: float, upper: float) -> bool:
    low, high = lower * (1 - BOUND_SLACK), upper * (1 + BOUND_SLACK)
    return bool(np.all(w >= low) and np.all(w <= high))


def _sample_size(arrays: Mapping[str, npt.NDArray[np.generic]]) -> int:
    shapes = {name: a.shape for name, a in arrays.items()}
    distinct = set(shapes.values())
    if len(distinct) != 1 or len(next(iter(distinct))) != 1:
        raise WeightingError(f"every raking variable needs one value per respondent: {shapes}")
    n = int(next(iter(distinct))[0])
    if n == 0:
        raise WeightingError("the sample is empty")
    return n


def _base_weights(base_weights: npt.ArrayLike | None, n: int) -> FloatArray:
    if base_weights is None:
        return np.ones(n, dtype=np.float64)
    w = np.array(base_weights, dtype=np.float64)
    if w.shape != (n,):
        raise WeightingError(f"{w.size} base weights for {n} respondents")
    if not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise WeightingError("base weights must be finite and > 0")
    return w


def _variables(
    arrays: Mapping[str, npt.NDArray[np.generic]],
    margins: Mapping[str, Mapping[Any, float]],
    base_total: float,
) -> list[_Variable]:
    """Each variable's codes and target totals, checked against the sample."""
    no_margins = sorted(set(arrays) - set(margins))
    no_sample = sorted(set(margins) - set(arrays))
    if no_margins or no_sample:
        raise WeightingError(
            f"variables without margins: {no_margins}; margins without sample values: {no_sample}"
        )
    sums = {}
    for name in arrays:
        values = np.array(list(margins[name].values()), dtype=np.float64)
        if values.size == 0 or not np.all(np.isfinite(values)) or np.any(values < 0):
            raise WeightingError(f"{name}: margins must be finite and ≥ 0")
        sums[name] = float(values.sum())
        if sums[name] <= 0:
            raise WeightingError(f"{name}: the margins add up to 0")
    first = next(iter(sums))
    if all(abs(s - 1) <= SHARES_SUM_SLACK for s in sums.values()):
        total = base_total
    else:
        total = sums[first]
        for name, s in sums.items():
            if abs(s - total) > TOTALS_SLACK * total:
                raise WeightingError(
                    f"the population totals differ: {name} adds up to {s:g}, {first} to "
                    f"{total:g} (give shares, or totals of the same population)"
                )
    return [_variable(name, arrays[name], margins[name], total) for name in arrays]


def _variable(
    name: str, values: npt.NDArray[np.generic], margin: Mapping[Any, float], total: float
) -> _Variable:
    try:
        found, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    except TypeError as error:
        raise WeightingError(f"{name}: the categories cannot be compared ({error})") from error
    categories = list(margin)
    index = {category: i for i, category in enumerate(categories)}
    shares = np.array([margin[c] for c in categories], dtype=np.float64)
    shares /= shares.sum()
    mapping = np.empty(len(found), dtype=np.intp)
    present = np.zeros(len(categories), dtype=np.intp)
    for j, (category, count) in enumerate(zip(found.tolist(), counts.tolist(), strict=True)):
        if category not in index:
            raise WeightingError(
                f"{name}: category {category!r} is in the sample ({count} respondents) "
                "but not in the margins"
            )
        mapping[j] = index[category]
        present[index[category]] = count
    for i, category in enumerate(categories):
        if shares[i] > 0 and present[i] == 0:
            raise WeightingError(
                f"{name}: category {category!r} has a population share of {shares[i]:.4g} "
                "but no respondent in the sample"
            )
        if shares[i] == 0 and present[i] > 0:
            raise WeightingError(
                f"{name}: category {category!r} has {present[i]} respondents in the sample "
                "but a population share of 0"
            )
    codes = mapping[inverse.ravel()]
    return _Variable(name, codes, categories, shares * total, present)
