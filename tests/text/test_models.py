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
