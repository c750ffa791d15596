"""Early warning replayed: how soon a rise in the negative share is caught, and how often an
alarm is false (arna.listening.warning, docs/methodology.md "Early warning").

    .venv/bin/python benchmarks/alerts_replay.py [--series 60] [--seed 0] [--shift 0.15]
        [--also 0.20,0.25,0.30]

Prints one JSON object. Seeded synthetic series (target × region) of 56 baseline days and 365
watched days: a baseline negative share p₀ between 0.15 and 0.45, mentions a day drawn around a
level between 20 and 300 (log-uniform; weekends at 60 %), a 3-day gap without data in a fifth of
the series. Half the series get a rise of `--shift` (0.15) in the true negative share, from a
random day for 14 days. Every mention is read as a held-out text of its true class (rows of
tone.calibration(), Russian social texts), and each day's share corrected with PACC, so the
tone model's real errors are in the figures. p₀ is estimated from the baseline days, thresholds
set per series for `--family-rate` false alarms a year across all series (divided by their
number). Reported for the CUSUM and the EWMA: recall (rises alarmed within 2 days of their
start), the median delay of those caught within the 14 days, and false alarms per series-year
(alarms outside a rise and the 7 days after it); recall also for the busier half of the series
(at least 80 mentions a day).

`by_shift` gives the CUSUM's recall (and the EWMA's, and the oracle's) for rises of other sizes
(`--also`, 0.20, 0.25 and 0.30 by default) on the same series, days and thresholds: only the
size of the rise differs.

`oracle_recall_bound` says what the data allow at all: a test told the day a rise starts, that
compares the corrected share of its first three days (the days an alarm "within 2 days" can use)
with the true p₀ at the false-alarm rate of one test a day (the per-series rate / 365). No
detector that must also find the day can do better; its recall is the ceiling of the goal.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from typing import Any

import numpy as np
from scipy.stats import norm

from arna.core.console import progress_bar
from arna.listening import warning
from arna.text import tone

BASELINE_DAYS = 56
WATCHED_DAYS = 365
RISE_DAYS = 14
WITHIN = 2
BUSY = 80  # mentions a day that make a series busy


def series_days(rng: np.random.Generator, days: int) -> np.ndarray:
    level = float(np.exp(rng.uniform(np.log(20), np.log(300))))
    weekday = np.where(np.arange(days) % 7 >= 5, 0.6, 1.0)
    return rng.poisson(level * weekday)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--series", type=int, default=60)
    parser.add_argument("--shift", type=float, default=0.15)
    parser.add_argument("--also", default="0.20,0.25,0.30", help="other rises, recall only")
    parser.add_argument("--family-rate", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    shifts = [args.shift, *(float(x) for x in args.also.split(",") if x)]
    rng = np.random.default_rng(args.seed)
    cal = tone.calibration()
    rows = cal.group == "social_ru"
    reader = warning.Reader(cal.probs[rows], cal.truth[rows])
    per_series = args.family_rate / args.series
    z_alpha = float(norm.isf(per_series / 365))
    replays = {shift: Replay() for shift in shifts}
    progress, task = progress_bar("series", args.series)
    with progress:
        for s in range(args.series):
            p0 = float(rng.uniform(0.15, 0.45))
            n = series_days(rng, BASELINE_DAYS + WATCHED_DAYS)
            if rng.random() < 0.2:
                gap = int(rng.integers(BASELINE_DAYS, BASELINE_DAYS + WATCHED_DAYS - 3))
                n[gap : gap + 3] = 0
            calm = warning.simulate_days(np.full(len(n), p0), n, reader, rng)
            base = slice(0, BASELINE_DAYS)
            seen = n[base] > 0
            estimate = float(np.average(calm[base][seen], weights=n[base][seen]))
            limits = warning.thresholds(estimate, n[base], reader, per_series, rng)
            onset = None
            if s % 2 == 0:
                onset = BASELINE_DAYS + int(rng.integers(30, WATCHED_DAYS - 35))
            # Every rise on the same series and days: only its size differs.
            seed = int(rng.integers(1 << 62))
            for shift, replay in replays.items():
                shares = calm.copy()
                if onset is not None:
                    rise = slice(onset, onset + RISE_DAYS)
                    shares[rise] = warning.simulate_days(
                        np.full(RISE_DAYS, p0 + shift), n[rise], reader,
                        np.random.default_rng(seed),
                    )  # fmt: skip
                replay.add(shares, n, onset, estimate, p0, limits, z_alpha)
            progress.advance(task)
    years = args.series * WATCHED_DAYS / 365
    main_replay = replays[args.shift]
    result: dict[str, object] = {
        "series": args.series,
        "shift": args.shift,
        "false_alarm_target_per_series_year": round(per_series, 3),
        **main_replay.figures(years),
        "by_shift": {f"{shift:.2f}": replay.summary(years) for shift, replay in replays.items()},
    }
    sys.stdout.write(json.dumps(result) + "\n")


class Replay:
    """What the detectors found on every series for one size of rise."""

    def __init__(self) -> None:
        self.found: dict[str, list[int | None]] = {"cusum": [], "ewma": []}
        self.busy: list[bool] = []  # per rise: its series has at least BUSY mentions a day
        self.oracle: list[bool] = []
        self.false = {"cusum": 0, "ewma": 0}

    def add(
        self,
        shares: np.ndarray,
        n: np.ndarray,
        onset: int | None,
        estimate: float,
        p0: float,
        limits: warning.Thresholds,
        z_alpha: float,
    ) -> None:
        watched = slice(BASELINE_DAYS, None)
        alarms = {
            "cusum": warning.cusum(shares[watched], n[watched], estimate, limits.kappa2, limits.h)[
                1
            ],
            "ewma": warning.ewma(
                shares[watched], n[watched], estimate, limits.kappa2, limits.limit
            )[1],
        }
        for method, alarm in alarms.items():
            days = np.flatnonzero(alarm) + BASELINE_DAYS
            if onset is None:
                self.false[method] += len(days)
                continue
            if method == "cusum":
                self.busy.append(float(n[:BASELINE_DAYS].mean()) >= BUSY)
                self.oracle.append(_oracle(shares, n, onset, p0, limits.kappa2, z_alpha))
            inside = days[(days >= onset) & (days < onset + RISE_DAYS)]
            self.found[method].append(int(inside[0] - onset) if len(inside) else None)
            self.false[method] += int(((days < onset) | (days >= onset + RISE_DAYS + 7)).sum())

    def summary(self, years: float) -> dict[str, object]:
        figures: dict[str, Any] = self.figures(years)
        return {
            "recall": figures["cusum"]["recall"],
            "recall_ewma": figures["ewma"]["recall"],
            "oracle_recall_bound": figures["oracle_recall_bound"],
            "false_alarms_per_series_year": figures["cusum"]["false_alarms_per_series_year"],
        }

    def figures(self, years: float) -> dict[str, object]:
        out: dict[str, object] = {
            "oracle_recall_bound": round(float(np.mean(self.oracle)), 3),
            "oracle_recall_bound_busy": round(
                float(np.mean([o for o, b in zip(self.oracle, self.busy, strict=True) if b])), 3
            ),
        }
        for method in ("cusum", "ewma"):
            delays = [d for d in self.found[method] if d is not None]
            caught = [d is not None and d <= WITHIN for d in self.found[method]]
            out[method] = {
                "recall": round(sum(d <= WITHIN for d in delays) / len(self.found[method]), 3),
                "recall_busy": round(
                    float(np.mean([c for c, b in zip(caught, self.busy, strict=True) if b])), 3
                ),
                "caught_within_rise": round(len(delays) / len(self.found[method]), 3),
                "median_delay_days": statistics.median(delays) if delays else None,
                "false_alarms_per_series_year": round(self.false[method] / years, 3),
            }
        return out


def _oracle(
    shares: np.ndarray, n: np.ndarray, onset: int, p0: float, kappa2: float, z_alpha: float
) -> bool:
    """Whether a test told the onset sees the rise in the days an alarm within WITHIN days can
    use, at the false-alarm rate of one test a day."""
    first = slice(onset, onset + WITHIN + 1)
    weight = n[first][n[first] > 0]
    if not len(weight):
        return False
    seen_share = float(np.average(shares[first][n[first] > 0], weights=weight))
    se = np.sqrt(kappa2 * p0 * (1 - p0) / weight.sum())
    return bool((seen_share - p0) / se > z_alpha)


if __name__ == "__main__":
    main()
