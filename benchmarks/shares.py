"""How close corrected shares of negative texts come to the truth, and how often the interval
holds it (arna.text.shares, docs/methodology.md "Corrected shares of tone").

Prints one JSON object. For each test split (the three tone corpora and the project's own test
set) and each share of negatives 0.05, 0.10, …, 0.60, `--draws` samples of `--n` texts are drawn
with replacement: exactly round(share × n) negatives, the rest from the non-negatives (which so
keep their proportions on average). Each sample is one cell. The errors of the classifier are
read from `tone.calibration()` (tuning data, never test): the rows of the genre most of the
sample's texts read like, else of their language, when it has enough of them, else all rows, as
`arna text shares` does. Reported per split and overall, for the
negative share: mean absolute error and the coverage of the 95 % interval for classify and count
(cc; its interval resamples the texts only), adjusted (acc) and probabilistic adjusted (pacc)
classify and count, pacc with the split's own corpus as reference (pacc_own_corpus: what a
reference from the very same domain would give; not available to the product), pacc with the
test split itself as reference (pacc_oracle: the error rates known exactly, so what is left is
the error of reading a sample of n texts with this classifier: the floor no calibration can go
below) and EMQ/SLD (emq: point estimate only). `--n 300,1000` repeats everything per sample size.
Seeded: the same figures on every run for the same model.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
from rich.console import Console
from rich.progress import Progress

from arna.text import cells, corpora, shares, tone
from arna.text.tone_training import CORPUS_OF_GENRE

GENRE_OF = {corpus: genre for genre, corpus in CORPUS_OF_GENRE.items()}

LEVELS = tuple(round(0.05 * i, 2) for i in range(1, 13))
NEG = tone.CLASSES.index("negative")


def test_splits() -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """Name → (probabilities, true class, language, genre read) of each test split."""
    root = corpora.data_dir()
    raw: dict[str, tuple[list[str], list[str], list[str]]] = {}
    for name in corpora.TONE_CORPORA:
        rows = corpora.sent3(root, name, "test")
        lang = name.split("_")[0]
        raw[name] = ([r.text for r in rows], [r.label for r in rows], [lang] * len(rows))
    ex = corpora.evaluation_examples("test")
    raw["project"] = ([e.text for e in ex], [e.sentiment for e in ex], [e.lang for e in ex])
    out = {}
    for name, (texts, labels, langs) in raw.items():
        probs, genres = tone.read(texts)
        truth = np.array([tone.CLASSES.index(label) for label in labels])
        out[name] = (probs, truth, np.array(langs), np.array(genres))
    return out


def draws(
    truth: np.ndarray, n: int, per_level: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Row indices (cells × n) of the samples and their true class shares (cells × 3)."""
    negatives, others = np.flatnonzero(truth == NEG), np.flatnonzero(truth != NEG)
    picked = []
    for level in LEVELS:
        k = round(level * n)
        for _ in range(per_level):
            picked.append(np.concatenate([rng.choice(negatives, k), rng.choice(others, n - k)]))
    rows = np.array(picked)
    return rows, np.stack([np.bincount(r, minlength=3) / n for r in truth[rows]])


def emq(probs: np.ndarray, prior: np.ndarray, steps: int = 1000) -> np.ndarray:
    """Saerens–Latinne–Decaestecker EM on cells × n × k posteriors trained under `prior`."""
    share = probs.mean(axis=1)
    for _ in range(steps):
        w = probs * (share / prior)[:, None, :]
        new = (w / w.sum(axis=-1, keepdims=True)).mean(axis=1)
        done = np.abs(new - share).max() < 1e-7
        share = new
        if done:
            break
    out: np.ndarray = share
    return out


def scores(
    est: np.ndarray, truth: np.ndarray, covered: np.ndarray | None, width: np.ndarray | None
) -> dict[str, object]:
    err = np.abs(est[:, NEG] - truth[:, NEG])
    per_level = err.reshape(len(LEVELS), -1).mean(axis=1)
    out: dict[str, object] = {"mae": round(float(err.mean()), 4)}
    if covered is not None and width is not None:
        out["coverage"] = round(float(covered.mean()), 3)
        out["mean_width"] = round(float(width.mean()), 3)
    out["mae_by_level"] = [round(float(v), 3) for v in per_level]
    return out


def run(
    n: int,
    args: argparse.Namespace,
    cal: tone.Calibration,
    refs: list[shares.Reference],
    splits: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]],
    progress: Progress,
) -> dict[str, object]:
    """Every method on every split for samples of n texts."""
    flat = [shares.Reference(r.name, r.probs, r.truth) for r in refs]
    methods = ("cc", "acc", "pacc", "pacc_rows_only", "pacc_own_corpus", "pacc_oracle", "emq")
    result: dict[str, object] = {}
    errors: dict[str, list[np.ndarray]] = {m: [] for m in methods}
    hits: dict[str, list[np.ndarray]] = {m: [] for m in methods}
    widths: dict[str, list[np.ndarray]] = {m: [] for m in methods}
    rng = np.random.default_rng(args.seed)
    task = progress.add_task(f"n={n}", total=len(splits) * len(methods))
    for name, (probs, truth, langs, genres) in splits.items():
        rows, real = draws(truth, n, args.draws, rng)
        cell = np.repeat(np.arange(len(rows)), n)
        pool = np.array([shares.pick(refs, genres[r].tolist(), langs[r].tolist()) for r in rows])
        own = cal.where(cal.group == GENRE_OF.get(name, "appeals"))
        fixed = {
            "pacc_own_corpus": [shares.Reference(name, own.probs, own.truth)],
            "pacc_oracle": [shares.Reference(name, probs, truth)],
        }
        per: dict[str, object] = {}
        for method in methods:
            progress.update(task, description=f"n={n} {name}: {method}")
            if method == "emq":
                prior = np.stack([np.bincount(refs[g].truth, minlength=3) for g in pool])
                prior = prior / prior.sum(axis=1, keepdims=True)
                est, low, high = emq(probs[rows], prior), None, None
            else:
                got = shares.estimate(
                    probs[rows.ravel()],
                    cell,
                    len(rows),
                    fixed.get(method, flat if method == "pacc_rows_only" else refs),
                    None if method in fixed else pool,
                    method=method.split("_")[0],
                    replicates=args.replicates,
                    seed=args.seed,
                )
                est, low, high = got.share, got.low, got.high
            covered = width = None
            if low is not None and high is not None:
                covered = (low[:, NEG] <= real[:, NEG]) & (real[:, NEG] <= high[:, NEG])
                width = high[:, NEG] - low[:, NEG]
                hits[method].append(covered)
                widths[method].append(width)
            errors[method].append(np.abs(est[:, NEG] - real[:, NEG]))
            per[method] = scores(est, real, covered, width)
            progress.advance(task)
        result[name] = per
    result["overall"] = {
        m: {
            "mae": round(float(np.concatenate(errors[m]).mean()), 4),
            **(
                {
                    "coverage": round(float(np.concatenate(hits[m]).mean()), 3),
                    "mean_width": round(float(np.concatenate(widths[m]).mean()), 3),
                }
                if hits[m]
                else {}
            ),
        }
        for m in methods
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", default="300,1000", help="texts per sample, comma-separated")
    parser.add_argument("--draws", type=int, default=50, help="samples per share of negatives")
    parser.add_argument("--replicates", type=int, default=shares.REPLICATES)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sizes = [int(v) for v in args.n.split(",")]
    cal = tone.calibration()
    refs = cells.references(cal)
    splits = test_splits()
    progress = Progress(console=Console(stderr=True))
    with progress:
        runs = {n: run(n, args, cal, refs, splits, progress) for n in sizes}
    result: dict[str, object] = {
        "draws_per_level": args.draws,
        "levels": list(LEVELS),
        "replicates": args.replicates,
        "level": shares.LEVEL,
        "references": {r.name: len(r.truth) for r in refs},
    }
    if len(sizes) == 1:
        result.update({"n": sizes[0], **runs[sizes[0]]})
    else:
        result["by_n"] = {str(n): r for n, r in runs.items()}
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
