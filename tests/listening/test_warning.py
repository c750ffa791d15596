"""Early warning maths on simulated days read with the tone model's real errors."""

from __future__ import annotations

import numpy as np

from arna.listening import warning
from arna.text import tone


def _reader() -> warning.Reader:
    cal = tone.calibration()
    rows = cal.group == "social_ru"
    return warning.Reader(cal.probs[rows], cal.truth[rows])


def test_simulated_days_are_read_with_noise_around_the_truth() -> None:
    rng = np.random.default_rng(0)
    shares = warning.simulate_days(np.full(400, 0.3), np.full(400, 200), _reader(), rng)
    assert abs(np.mean(shares) - 0.3) < 0.02
    kappa2 = warning.design_effect(0.3, 200, _reader(), rng)
    assert kappa2 > 1  # reading through a classifier adds variance to a binomial share
    gap = warning.simulate_days(np.array([0.3, 0.3]), np.array([0, 50]), _reader(), rng)
    assert np.isnan(gap[0]) and not np.isnan(gap[1])


def test_a_rise_is_alarmed_and_a_gap_is_not_calm() -> None:
    n = np.full(60, 150)
    shares = np.full(60, 0.3)
    shares[40:] = 0.5
    _, alarm = warning.cusum(shares, n, 0.3, kappa2=2.0, h=5.0)
    assert not alarm[:40].any() and alarm[40:43].any()
    _, alarm = warning.ewma(shares, n, 0.3, kappa2=2.0, limit=3.0)
    assert not alarm[:40].any() and alarm[40:44].any()
    # Days without data leave the statistic where it was: a shutdown is not a calm week.
    gappy = shares.copy()
    gappy[41:50] = np.nan
    stat, _ = warning.cusum(gappy, np.where(np.isnan(gappy), 0, n), 0.3, kappa2=2.0, h=1e9)
    assert stat[49] == stat[40] > 0


def test_thresholds_hold_the_false_alarm_rate_on_fresh_days() -> None:
    rng = np.random.default_rng(1)
    reader = _reader()
    n = rng.poisson(80, 56)
    limits = warning.thresholds(0.3, n, reader, alarms_per_year=1.0, rng=rng, years=20)
    days = np.resize(n, 365 * 20)
    fresh = warning.simulate_days(np.full(len(days), 0.3), days, reader, rng)
    rate = warning.cusum(fresh, days, 0.3, limits.kappa2, limits.h)[1].sum() / 20
    assert rate <= 2.0  # 1 a year targeted; a second sample of 20 years varies around it
