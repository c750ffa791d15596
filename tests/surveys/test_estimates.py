"""Kish's design effect, effective n, weighted shares, margins of error and suppression."""

from __future__ import annotations

import math

import numpy as np
import pytest

from arna.surveys.estimates import (
    MINIMUM_N,
    EstimateError,
    effective_n,
    estimate,
    kish_deff,
    margin_of_error,
    weighted_share,
)
from arna.surveys.weighting import rake

WEIGHTS = [1.0, 1.0, 2.0, 4.0]  # n = 4, Σw = 8, Σw² = 22


def test_design_effect_and_effective_n_by_hand() -> None:
    assert kish_deff(WEIGHTS) == pytest.approx(4 * 22 / 64)  # 1.375
    assert effective_n(WEIGHTS) == pytest.approx(64 / 22)  # 2.909…: 4 / 1.375
    assert effective_n(WEIGHTS) == pytest.approx(4 / kish_deff(WEIGHTS))
    assert kish_deff([3.0] * 10) == pytest.approx(1.0)
    assert effective_n([3.0] * 10) == pytest.approx(10.0)
    assert kish_deff([2.0, 6.0]) == pytest.approx(2 * 40 / 64)  # scale does not matter


def test_weighted_share_by_hand() -> None:
    assert weighted_share([1, 0, 1, 1], WEIGHTS) == pytest.approx(7 / 8)
    assert weighted_share([True, False, False, False], WEIGHTS) == pytest.approx(1 / 8)
    with pytest.raises(EstimateError, match="0/1"):
        weighted_share([2, 0, 1, 1], WEIGHTS)


def test_margin_of_error_is_the_formula() -> None:
    assert margin_of_error(0.4, 100, 1.375) == 1.96 * math.sqrt(1.375 * 0.4 * 0.6 / 100)
    assert margin_of_error(0.5, 1000) == pytest.approx(0.03099, abs=1e-5)  # the familiar ±3.1 %
    assert margin_of_error(0.0, 50, 2.0) == 0.0
    assert margin_of_error(0.5, 400, 1.0, z=2.576) == pytest.approx(2.576 * 0.025)


def test_estimates_by_hand() -> None:
    found = estimate(["a", "b", "a", "a"], WEIGHTS, minimum_n=1)
    assert [(e.cell, e.category, e.n, e.suppressed) for e in found] == [
        (None, "a", 4, False),
        (None, "b", 4, False),
    ]
    a, b = found
    assert a.share == pytest.approx(7 / 8) and b.share == pytest.approx(1 / 8)
    assert a.deff == b.deff == pytest.approx(1.375)
    assert a.moe == pytest.approx(1.96 * math.sqrt(1.375 * (7 / 8) * (1 / 8) / 4))
    assert a.moe == b.moe  # p(1 − p) is the same for p and 1 − p


def test_each_shown_margin_equals_the_formula_on_raked_weights() -> None:
    rng = np.random.default_rng(11)
    n = 3000
    region = rng.integers(0, 5, n)
    sex = rng.integers(0, 2, n)
    margins = {
        "region": {0: 0.1, 1: 0.2, 2: 0.3, 3: 0.25, 4: 0.15},
        "sex": {0: 0.48, 1: 0.52},
    }
    weights, _ = rake({"region": region, "sex": sex}, margins)
    answers = rng.choice(["yes", "no", "unsure"], n, p=[0.5, 0.3, 0.2])
    found = estimate(answers, weights, cells=region, categories=["yes", "no", "unsure", "never"])
    assert len(found) == 5 * 4
    for e in found:
        assert e.share is not None and e.moe is not None and e.deff is not None
        members = region == e.cell
        assert e.n == members.sum()
        assert e.deff == pytest.approx(kish_deff(weights[members]))
        assert e.share == pytest.approx(
            weighted_share(answers[members] == e.category, weights[members])
        )
        assert e.moe == pytest.approx(1.96 * math.sqrt(e.deff * e.share * (1 - e.share) / e.n))
    assert [e.share for e in found if e.category == "never"] == [0.0] * 5


def test_small_cells_show_no_figure() -> None:
    answers = np.array(["yes"] * 40 + ["no"] * 10 + ["yes"] * 2 + ["no"] * 2)
    cells = np.array(["big"] * 50 + ["small"] * 4)
    found = estimate(answers, np.ones(54), cells=cells, minimum_n=5)
    small = [e for e in found if e.cell == "small"]
    assert [(e.category, e.n, e.share, e.moe, e.deff, e.suppressed) for e in small] == [
        ("no", 4, None, None, None, True),
        ("yes", 4, None, None, None, True),
    ]
    big = {e.category: e for e in found if e.cell == "big"}
    assert big["yes"].share == pytest.approx(0.8) and not big["yes"].suppressed
    # the default minimum: a cell of 29 is suppressed, one of 30 shown
    assert MINIMUM_N == 30
    assert estimate(["x"] * 29, np.ones(29))[0].suppressed
    assert not estimate(["x"] * 30, np.ones(30))[0].suppressed


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: kish_deff([]), "non-empty"),
        (lambda: kish_deff([1.0, 0.0]), "finite and > 0"),
        (lambda: effective_n([1.0, float("nan")]), "finite and > 0"),
        (lambda: weighted_share([1, 0], [1.0]), "2 values for 1 weights"),
        (lambda: margin_of_error(1.2, 10), "within 0 and 1"),
        (lambda: margin_of_error(0.5, 0), "n ≥ 1"),
        (lambda: margin_of_error(0.5, 10, deff=0), "deff and z"),
        (lambda: estimate(["a"], [1.0, 1.0]), "1 answers for 2 weights"),
        (lambda: estimate(["a"], [1.0], cells=[1, 2]), "2 cells for 1 weights"),
        (lambda: estimate(["a"], [1.0], minimum_n=0), "minimum cell size"),
    ],
)
def test_what_cannot_be_estimated(call: object, message: str) -> None:
    with pytest.raises(EstimateError, match=message) as caught:
        call()  # type: ignore[operator]
    assert isinstance(caught.value, ValueError)
