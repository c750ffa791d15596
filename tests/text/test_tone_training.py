"""Retraining the tone model gives the same model: a small one trained twice, in two processes
with different hash seeds and thread counts, agrees on every probability."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np

from arna.text.tone_model import CLASSES, fit_temperature, softmax

_TRAIN_SMALL = """
import json, sys
import numpy as np
from sklearn.metrics import f1_score
from arna.text import corpora, features
from arna.text.tone_model import CLASSES, tone_vectors
from arna.text.tone_training import Split, tone_data, train_tone
from arna.text.training import folded, sentiment_corpus

root = corpora.data_dir()
reviews, tune = sentiment_corpus(root)
data = tone_data(root, (reviews[:400], tune[:100]))
small = {
    g: Split(s.train[:300], s.tune[:80], s.langs[:80], s.train_langs[:300])
    for g, s in data.items()
}
texts = [i.text for s in small.values() for i in s.train]
idf = features.fit_idf(features.folded_counts(folded(texts)))

def vectors(batch):
    return tone_vectors(features.weigh(features.folded_counts(folded(batch)), idf), batch)

model, calibration, manifest = train_tone(small, vectors)
test = corpora.sent3(root, "ru_cedr", "test")[:300]
p = model.probabilities(vectors([t.text for t in test]))
pred = [CLASSES[k] for k in p.argmax(axis=1)]
f1 = f1_score([t.label for t in test], pred, average="macro")
json.dump({"f1": f1, "p": p[:50].round(6).tolist(), "manifest": manifest,
           "calibration": calibration.probs[::9].round(6).tolist()}, sys.stdout)
"""


def _train(hash_seed: str, threads: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "OMP_NUM_THREADS": threads}
    env["OPENBLAS_NUM_THREADS"] = threads
    done = subprocess.run(
        [sys.executable, "-c", _TRAIN_SMALL], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_a_small_tone_model_trained_twice_is_the_same() -> None:
    one, two = _train("1", "1"), _train("2", "2")
    assert one["manifest"] == two["manifest"]
    assert np.allclose(one["p"], two["p"], atol=1e-5)  # type: ignore[arg-type]
    assert np.allclose(one["calibration"], two["calibration"], atol=1e-5)  # type: ignore[arg-type]
    assert abs(float(one["f1"]) - float(two["f1"])) <= 0.01  # type: ignore[arg-type]
    assert float(one["f1"]) > 0.4  # it learnt something: the majority class scores about 0.2


def test_the_temperature_is_the_one_with_the_lowest_log_loss() -> None:
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 3, 2000)
    margins = rng.normal(size=(2000, 3))
    margins[np.arange(2000), truth] += 1.0
    t = fit_temperature(margins, truth)

    def loss(temp: float) -> float:
        return float(-np.log(softmax(margins, temp)[np.arange(2000), truth]).mean())

    assert loss(t) <= min(loss(t * 0.8), loss(t * 1.25))
    assert len(CLASSES) == 3


def test_the_reference_is_topped_up_to_its_cap_and_keeps_every_tuning_row() -> None:
    from arna.text.tone import Calibration
    from arna.text.tone_training import CALIBRATION_ROWS, _topped_up

    def rows(group: list[str], truth: list[int]) -> Calibration:
        n = len(truth)
        return Calibration(
            np.array(truth), np.full((n, 3), 1 / 3), np.array(group), np.array(["ru"] * n)
        )

    tuned = rows(["social_ru"] * 3 + ["appeals"], [0, 0, 1, 2])
    many = CALIBRATION_ROWS + 50
    held = rows(["social_ru"] * many + ["appeals"] * 5, [0] * many + [2] * 5)
    both = _topped_up(tuned, held)
    count = {
        (g, c): int(np.sum((both.group == g) & (both.truth == c)))
        for g in ("social_ru", "appeals")
        for c in range(3)
    }
    assert count[("social_ru", 0)] == CALIBRATION_ROWS  # 2 tuning rows + the rest cross-fitted
    assert count[("social_ru", 1)] == 1 and count[("appeals", 2)] == 6
    assert np.array_equal(both.truth[:4], tuned.truth)  # tuning rows first, all of them
