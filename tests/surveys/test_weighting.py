"""Raking against ipfn on generated samples with known margins; trimming and the error cases."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st
from ipfn.ipfn import ipfn

from arna.surveys.bounded import bounded_factor
from arna.surveys.weighting import WeightingError, rake, weighted_margins

REGIONS = 17
SEEDS = range(6)
Sample = tuple[
    dict[str, npt.NDArray[np.int64]], dict[str, dict[int, float]], npt.NDArray[np.float64]
]


def generated(seed: int, n: int = 2500) -> Sample:
    """A sample that over-represents cities and some regions, with design weights, and the
    margins of a known population: regions ×17, sex ×2, urban/rural ×2."""
    rng = np.random.default_rng(seed)
    region_share = rng.dirichlet(np.full(REGIONS, 8.0))
    urban_by_region = rng.uniform(0.3, 0.9, REGIONS)
    sampled_regions = region_share * rng.uniform(0.5, 2.0, REGIONS)  # some regions over-sampled
    region = rng.choice(REGIONS, n, p=sampled_regions / sampled_regions.sum())
    urban = (rng.random(n) < np.clip(urban_by_region[region] + 0.1, 0, 1)).astype(np.int64)
    sex = (rng.random(n) < np.where(urban == 1, 0.56, 0.5)).astype(np.int64)  # women answer more
    population_urban = float(np.sum(region_share * urban_by_region))
    margins = {
        "region": {r: float(s) for r, s in enumerate(region_share)},
        "sex": {0: 0.483, 1: 0.517},
        "urban": {0: 1 - population_urban, 1: population_urban},
    }
    base = rng.uniform(0.5, 2.0, n)
    return {"region": region, "sex": sex, "urban": urban}, margins, base


def ipfn_weights(
    sample: dict[str, npt.NDArray[np.int64]],
    margins: dict[str, dict[int, float]],
    base: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """ipfn's fit of the region × sex × urban table of base weights to the margins, handed back
    to the respondents: each one's base weight times its cell's factor (raking's weights)."""
    index = (sample["region"], sample["sex"], sample["urban"])
    table = np.zeros((REGIONS, 2, 2))
    np.add.at(table, index, base)
    total = base.sum()
    aggregates = [
        np.array([margins[name][k] for k in sorted(margins[name])]) * total
        for name in ("region", "sex", "urban")
    ]
    fitted, converged = ipfn(
        table.copy(),
        aggregates,
        [[0], [1], [2]],
        convergence_rate=1e-13,
        max_iteration=5000,
        rate_tolerance=0,
        verbose=1,
    ).iteration()
    assert converged == 1
    factor = np.divide(fitted, table, out=np.zeros_like(table), where=table > 0)
    return np.asarray(base * factor[index], dtype=np.float64)


def assert_margins(
    sample: dict[str, npt.NDArray[np.int64]],
    margins: dict[str, dict[int, float]],
    weights: npt.NDArray[np.float64],
    tolerance: float = 1e-9,
) -> None:
    reached = weighted_margins(sample, weights)
    for name, shares in margins.items():
        for category, share in shares.items():
            assert reached[name][category] == pytest.approx(share, abs=tolerance), (name, category)


@pytest.mark.parametrize("seed", SEEDS)
def test_raking_reproduces_ipfn(seed: int) -> None:
    sample, margins, base = generated(seed)
    weights, report = rake(sample, margins, base)
    expected = ipfn_weights(sample, margins, base)
    assert report.converged and report.max_margin_error <= 1e-10
    assert np.max(np.abs(weights - expected)) / expected.mean() <= 1e-6
    assert weights.sum() == pytest.approx(base.sum())
    assert_margins(sample, margins, weights)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # ipfn's DataFrame code on pandas 3
def test_raking_reproduces_ipfn_on_respondents() -> None:
    """ipfn's DataFrame mode rakes the respondents' weights themselves, one row each."""
    import pandas as pd

    sample, margins, base = generated(7, n=1200)
    frame = pd.DataFrame({**sample, "id": np.arange(base.size), "total": base})
    aggregates = []
    for name in ("region", "sex", "urban"):
        target = pd.Series({k: v * base.sum() for k, v in margins[name].items()}, name="total")
        target.index.name = name
        aggregates.append(target)
    fitted = ipfn(
        frame,
        aggregates,
        [["region"], ["sex"], ["urban"]],
        convergence_rate=1e-13,
        max_iteration=5000,
        rate_tolerance=0,
    ).iteration()
    expected = fitted.sort_values("id")["total"].to_numpy()
    weights, _ = rake(sample, margins, base)
    assert np.max(np.abs(weights - expected)) / expected.mean() <= 1e-6


def test_population_totals_give_weights_that_add_up_to_the_population() -> None:
    sample, margins, _ = generated(1)
    population = 20_000_000
    totals = {name: {k: v * population for k, v in m.items()} for name, m in margins.items()}
    weights, report = rake(sample, totals)
    assert report.converged
    assert weights.sum() == pytest.approx(population)
    shares, _ = rake(sample, margins)
    np.testing.assert_allclose(weights, shares * population / len(shares), rtol=1e-9)


def test_one_variable_by_hand() -> None:
    # 2 men and 4 women, half and half in the population: 6/2·0.5 = 1.5 and 6/4·0.5 = 0.75
    weights, report = rake(
        {"sex": np.array(["m", "m", "f", "f", "f", "f"])}, {"sex": {"m": 0.5, "f": 0.5}}
    )
    np.testing.assert_allclose(weights, [1.5, 1.5, 0.75, 0.75, 0.75, 0.75])
    assert report.iterations == 1 and report.converged and report.max_margin_error == 0
    assert (report.min_ratio, report.max_ratio) == (0.75, 1.5)


def test_trimming_by_hand() -> None:
    # Base weights 1, 1, 8 in A and five 1s in B; half and half: raking gives A 0.75, 0.75, 6
    # and B 1.5 each; the mean is 15/8 = 1.875, so 6 is 3.2 times the mean. With at most twice
    # the mean (3.75) the 8 is held at 3.75 and the two 1s carry the rest: 3.75 + 2f = 7.5.
    sample = {"group": np.array(["A"] * 3 + ["B"] * 5)}
    margins = {"group": {"A": 0.5, "B": 0.5}}
    base = np.array([1, 1, 8, 1, 1, 1, 1, 1], dtype=float)
    raked, _ = rake(sample, margins, base)
    np.testing.assert_allclose(raked, [0.75, 0.75, 6, 1.5, 1.5, 1.5, 1.5, 1.5])
    trimmed, report = rake(sample, margins, base, trim=(0.5, 2.0))
    np.testing.assert_allclose(trimmed, [1.875, 1.875, 3.75, 1.5, 1.5, 1.5, 1.5, 1.5])
    assert report.converged and report.within_bounds and report.trimmed == 1
    assert report.max_ratio == pytest.approx(2.0)


@pytest.mark.parametrize("seed", SEEDS)
def test_trimming_then_reraking_keeps_both_bounds_and_margins(seed: int) -> None:
    sample, margins, base = generated(seed)
    raked, plain = rake(sample, margins, base)
    low, high = 0.6 * plain.min_ratio, 0.8 * plain.max_ratio  # tighter than raking alone gives
    high = max(high, 1.0)
    weights, report = rake(sample, margins, base, trim=(max(low, 0.0), high))
    mean = weights.mean()
    assert report.converged and report.within_bounds and report.trimmed > 0
    assert weights.max() <= high * mean * (1 + 1e-9)
    assert weights.min() >= low * mean * (1 - 1e-9)
    assert weights.sum() == pytest.approx(raked.sum())
    assert_margins(sample, margins, weights)


def test_bounds_out_of_reach_keep_the_margins_and_say_so() -> None:
    # One A in ten, half the population: its weight must be 5 times the mean whatever happens.
    sample = {"group": np.array(["A"] + ["B"] * 9)}
    weights, report = rake(sample, {"group": {"A": 0.5, "B": 0.5}}, trim=(0.2, 3.0))
    np.testing.assert_allclose(weights, [5] + [5 / 9] * 9)
    assert report.converged and not report.within_bounds
    assert report.max_ratio == pytest.approx(5.0)


def test_bounds_that_stall_keep_the_margins_and_say_so() -> None:
    sample, margins, base = generated(3)
    weights, report = rake(sample, margins, base, trim=(0.95, 1.05))
    assert report.converged and not report.within_bounds
    assert_margins(sample, margins, weights)


def test_raking_stops_at_max_iterations() -> None:
    sample, margins, base = generated(2)
    _, report = rake(sample, margins, base, max_iterations=1)
    assert report.iterations == 1 and not report.converged and report.max_margin_error > 1e-10


@pytest.mark.parametrize(
    ("sample", "margins", "message"),
    [
        ({"sex": ["m", "f", "x"]}, {"sex": {"m": 0.5, "f": 0.5}}, "category 'x' is in the sample"),
        ({"sex": ["m", "m"]}, {"sex": {"m": 0.5, "f": 0.5}}, "category 'f' has a population share"),
        ({"sex": ["m", "f"]}, {"sex": {"m": 1.0, "f": 0.0}}, "category 'f' has 1 respondents"),
        ({"sex": ["m", "f"]}, {"age": {"m": 1}}, r"without margins: \['sex'\]"),
        (
            {"sex": ["m", "f"], "u": [1, 0, 1]},
            {"sex": {"m": 1, "f": 1}, "u": {1: 1, 0: 1}},
            "one value",
        ),
        ({"sex": ["m", "f"]}, {"sex": {"m": -1, "f": 2}}, "finite and ≥ 0"),
        ({"sex": ["m", "f"]}, {"sex": {"m": 0, "f": 0}}, "add up to 0"),
        (
            {"sex": ["m", "f"], "u": [1, 0]},
            {"sex": {"m": 50, "f": 50}, "u": {1: 60, 0: 60}},
            "the population totals differ: u adds up to 120",
        ),
        ({}, {}, "no raking variable"),
        ({"sex": []}, {"sex": {"m": 1}}, "empty"),
    ],
)
def test_data_that_cannot_be_raked(
    sample: dict[str, list[object]], margins: dict[str, dict[object, float]], message: str
) -> None:
    arrays = {name: np.array(values) for name, values in sample.items()}
    with pytest.raises(WeightingError, match=message) as caught:
        rake(arrays, margins)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"base_weights": [1.0, 0.0]}, "base weights must be finite and > 0"),
        ({"base_weights": [1.0]}, "1 base weights for 2"),
        ({"trim": (1.5, 3.0)}, "trimming bounds"),
        ({"trim": (0.5, 0.9)}, "trimming bounds"),
        ({"trim": (1.0, 1.0)}, "trimming bounds"),
        ({"tolerance": 0.0}, "tolerance"),
    ],
)
def test_options_that_make_no_sense(options: dict[str, object], message: str) -> None:
    with pytest.raises(WeightingError, match=message):
        rake({"sex": np.array(["m", "f"])}, {"sex": {"m": 1, "f": 1}}, **options)  # type: ignore[arg-type]


@given(
    raw=st.lists(st.floats(0.01, 100), min_size=1, max_size=40),
    lower=st.floats(0, 1),
    upper=st.floats(1.01, 10),
    position=st.floats(0.001, 1),
)
def test_the_bounded_step_hits_its_target(
    raw: list[float], lower: float, upper: float, position: float
) -> None:
    r = np.array(raw)
    target = r.size * (lower + position * (upper - lower))
    f = bounded_factor(r, target, lower, upper)
    assert f > 0
    assert np.clip(f * r, lower, upper).sum() == pytest.approx(target, rel=1e-9, abs=1e-9)
