"""Weighted estimates from a survey: shares, Kish's design effect, margins of error, suppression.

Pure maths over numpy arrays (docs/methodology.md, "Surveys", "Estimates"):

* `kish_deff(w)` = n·Σw²/(Σw)², the design effect of unequal weights; `effective_n` = n/deff;
* `weighted_share(y, w)` = Σw·y/Σw for y in {0, 1};
* `margin_of_error(p, n, deff)` = z·√(deff·p(1−p)/n), z = 1.96 for 95 %;
* `estimate` — per cell (a region, …) and answer: n, the weighted share and its margin of error,
  or no figure at all (suppressed) when the cell has fewer than `minimum_n` respondents.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Z95 = 1.96
MINIMUM_N = 30  # a cell with fewer respondents shows no figure


class EstimateError(ValueError):
    """Data an estimate cannot be made of (lengths that differ, weights ≤ 0, a share outside
    0–1)."""


@dataclass(frozen=True)
class Estimate:
    """One answer's weighted share in one cell. A suppressed estimate carries n and no figure."""

    cell: Hashable | None  # the cell's code (a region, …); None for the whole sample
    category: Hashable  # the answer
    n: int  # respondents in the cell: the base of the share
    share: float | None
    moe: float | None  # half-width of the 95 % interval (of the z asked for)
    deff: float | None  # Kish's design effect of the cell's weights
    suppressed: bool


def kish_deff(weights: npt.ArrayLike) -> float:
    """Kish's design effect of unequal weighting: n·Σw²/(Σw)² (1 for equal weights)."""
    w = _weights(weights)
    return float(w.size * np.sum(w * w) / np.sum(w) ** 2)


def effective_n(weights: npt.ArrayLike) -> float:
    """The size of a simple random sample as precise as this weighted one: n/deff = (Σw)²/Σw²."""
    w = _weights(weights)
    return float(np.sum(w) ** 2 / np.sum(w * w))


def weighted_share(values: npt.ArrayLike, weights: npt.ArrayLike) -> float:
    """Σw·y/Σw for y in {0, 1} (or booleans): the weighted share of the ones."""
    y = np.asarray(values, dtype=np.float64)
    w = _weights(weights)
    if y.shape != w.shape:
        raise EstimateError(f"{y.size} values for {w.size} weights")
    if np.any((y != 0) & (y != 1)):
        raise EstimateError("a share is taken of 0/1 values only")
    return float(np.sum(w * y) / np.sum(w))


def margin_of_error(p: float, n: int, deff: float = 1.0, z: float = Z95) -> float:
    """Half-width of the interval p ± z·√(deff·p(1−p)/n) (95 % with z = 1.96)."""
    if not 0 <= p <= 1:
        raise EstimateError(f"a share lies within 0 and 1, not {p}")
    if n < 1:
        raise EstimateError(f"a margin of error needs n ≥ 1, not {n}")
    if not deff > 0 or not z > 0:
        raise EstimateError(f"deff and z must be > 0, not {deff} and {z}")
    return float(z * np.sqrt(deff * p * (1 - p) / n))


def estimate(
    answers: npt.ArrayLike,
    weights: npt.ArrayLike,
    *,
    cells: npt.ArrayLike | None = None,
    categories: Sequence[Hashable] | None = None,
    minimum_n: int = MINIMUM_N,
    z: float = Z95,
) -> list[Estimate]:
    """Each answer's weighted share per cell (in the whole sample without `cells`).

    In a cell of n respondents with weights w (those who answered: leave the others out
    beforehand), the share of answer a is p = Σ_{answer = a} w / Σw, deff is Kish's of the
    cell's weights and the margin of error z·√(deff·p(1−p)/n). A cell with n < `minimum_n` is
    suppressed: its estimates carry n and no share, margin or deff. `categories` fixes the
    answers reported and their order (answers not among them still count in n); by default
    every answer given, sorted. Cells come sorted by their code.
    """
    values = np.asarray(answers)
    w = _weights(weights)
    if values.shape != w.shape:
        raise EstimateError(f"{values.size} answers for {w.size} weights")
    if minimum_n < 1:
        raise EstimateError(f"the minimum cell size must be ≥ 1, not {minimum_n}")
    wanted = list(categories) if categories is not None else np.unique(values).tolist()
    groups: list[tuple[Hashable | None, npt.NDArray[np.bool_]]]
    if cells is None:
        groups = [(None, np.ones(w.size, dtype=bool))]
    else:
        keys = np.asarray(cells)
        if keys.shape != w.shape:
            raise EstimateError(f"{keys.size} cells for {w.size} weights")
        groups = [(key, keys == key) for key in np.unique(keys).tolist()]
    found: list[Estimate] = []
    for cell, members in groups:
        n = int(members.sum())
        if n < minimum_n:
            found.extend(Estimate(cell, a, n, None, None, None, True) for a in wanted)
            continue
        cell_weights, cell_values = w[members], values[members]
        deff = kish_deff(cell_weights)
        for answer in wanted:
            p = weighted_share(cell_values == answer, cell_weights)
            moe = margin_of_error(p, n, deff, z)
            found.append(Estimate(cell, answer, n, p, moe, deff, False))
    return found


def _weights(weights: npt.ArrayLike) -> npt.NDArray[np.float64]:
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1 or w.size == 0:
        raise EstimateError("weights must be a non-empty 1-D array")
    if not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise EstimateError("weights must be finite and > 0")
    return w
