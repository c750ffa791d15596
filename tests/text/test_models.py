from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from arna.text import corpora
from arna.text.artifacts import bundle
from arna.text.linear import fit
from arna.text.training import _digest


def test_shipped_models_were_trained_on_the_data_in_this_checkout() -> None:
    """A changed example or corpus without `arna text train` fails here."""
    assert bundle().manifest["training_data"] == _digest(corpora.data_dir())


def test_training_is_reproducible() -> None:
    rng = np.random.default_rng(0)
    x = sp.csr_matrix(rng.random((60, 30)) * (rng.random((60, 30)) > 0.7))
    labels = [["a", "b", "c"][i % 3] for i in range(60)]
    one, two = fit(x, labels), fit(x, labels)
    assert one.classes == two.classes
    assert (one.weights != two.weights).nnz == 0
    assert np.array_equal(one.bias, two.bias)


def test_a_model_survives_saving(tmp_path: object) -> None:
    from pathlib import Path

    model = bundle().toxicity
    path = Path(str(tmp_path)) / "m.npz"
    model.save(path)
    again = type(model).load(path)
    assert again.classes == model.classes
    assert abs(again.weights - model.weights).max() == 0


def test_a_stack_scores_as_its_models_alone() -> None:
    """Models applied in one pass give each model's own scores, on any batch of texts."""
    from arna.text.analysis import _prepared, _vectors
    from arna.text.linear import Stack

    b = bundle()
    texts = ["Ауылда жарық үш күннен бері жоқ!", "Спасибо акимату за ремонт дороги", "ok"]
    x = _vectors(b, _prepared(texts)[2], cleaned=True)
    models = (b.category, b.toxicity, b.entity_sentiment)
    for model, scores in zip(models, Stack(models).scores(x), strict=True):
        assert np.allclose(scores, model.scores(x), atol=1e-5)
    alone = Stack(models).scores(x[1:2])
    assert all(
        np.allclose(a, s[1:2], atol=1e-5)
        for a, s in zip(alone, Stack(models).scores(x), strict=True)
    )


def test_the_gap_between_two_models_has_a_paired_interval() -> None:
    from sklearn.metrics import f1_score

    from arna.text.evaluation import _macro_f1s, difference_interval

    rng = np.random.default_rng(3)
    truth = rng.integers(0, 3, (4, 200))
    pred = np.where(rng.random((4, 200)) < 0.7, truth, rng.integers(0, 3, (4, 200)))
    pred[0] = 1  # one class only: the others score 0, as in scikit-learn
    expected = [
        f1_score(t, p, average="macro", labels=[0, 1, 2]) for t, p in zip(truth, pred, strict=True)
    ]
    assert np.allclose(_macro_f1s(truth, pred, 3), expected)
    names = ["negative", "neutral", "positive"]
    t, good, bad = ([names[i] for i in row] for row in (truth[1], pred[1], pred[0]))
    assert difference_interval(t, good, good) == [0.0, 0.0]
    low, high = difference_interval(t, good, bad)
    assert 0 < low < f1_score(t, good, average="macro") - f1_score(t, bad, average="macro") < high
