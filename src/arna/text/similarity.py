"""How alike texts are about the same problem, across Kazakh, Russian and English.

Two halves weigh equally in a text's vector, so the likeness of two texts is the mean of two
cosines:

* the folded character and word n-grams every model reads (`analysis.folded_vectors`): the
  same words, names, streets and numbers, whatever the script or keyboard;
* the problem concepts the texts name (`lexicon.concepts`: шұңқыр, яма and pothole are one
  concept): what an appeal in Kazakh and one in Russian about the same pothole share, where
  their n-grams share little more than the street's name.

A text that names no concept keeps only its n-gram half, so its likeness to anything is at most
one half: texts alike only in wording (a form letter) must be near copies to reach a threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
import scipy.sparse as sp

from arna.text import lexicon
from arna.text.analysis import folded_vectors
from arna.text.features import FOLDED_FEATURES

HALF = np.float32(np.sqrt(0.5))
# Where a problem is rather than what it is: two appeals about a yard (one about rubbish, one
# about a broken playground) share the setting, not the problem, so it weighs less.
SETTINGS = frozenset({"road", "yard", "stairwell"})
SETTING_WEIGHT = np.float32(0.4)


@cache
def _concept_columns() -> dict[str, int]:
    labels = sorted({e.label for e in lexicon.concepts().entries if e.label != lexicon.NOTHING})
    return {label: i for i, label in enumerate(labels)}


def concepts_named(text: str) -> frozenset[str]:
    return frozenset(hit.label for hit in lexicon.concepts().find(text))


def _concept_rows(texts: Sequence[str]) -> sp.csr_matrix:
    columns = _concept_columns()
    rows, cols, weights = [], [], []
    for r, text in enumerate(texts):
        for label in concepts_named(text):
            rows.append(r)
            cols.append(columns[label])
            weights.append(SETTING_WEIGHT if label in SETTINGS else np.float32(1.0))
    x = sp.csr_matrix(
        (np.array(weights, np.float32), (rows, cols)), shape=(len(texts), len(columns))
    )
    squares = np.asarray(x.multiply(x).sum(axis=1)).ravel()
    scale = np.divide(1.0, np.sqrt(squares), out=np.zeros_like(squares), where=squares > 0)
    return sp.csr_matrix(sp.diags(scale.astype(np.float32)) @ x)


def width() -> int:
    """Columns of a vector: the hashed n-grams, then the concepts."""
    return FOLDED_FEATURES + len(_concept_columns())


def vectors(texts: Sequence[str]) -> sp.csr_matrix:
    """One row per text; the dot product of two rows is their likeness, 0 to 1."""
    if not texts:
        return sp.csr_matrix((0, width()), dtype=np.float32)
    return sp.csr_matrix(
        sp.hstack([folded_vectors(texts) * HALF, _concept_rows(texts) * HALF], format="csr")
    )


def likeness(a: sp.csr_matrix, b: sp.csr_matrix) -> np.ndarray:
    """Likeness of every row of `a` to every row of `b` (len(a) × len(b))."""
    # Only the columns either uses: the product transposes `b`, and a transpose over the
    # million hashed columns costs a million-long index whatever the rows hold.
    used = np.union1d(a.indices, b.indices)
    a, b = _narrowed(a, used), _narrowed(b, used)
    return np.asarray((a @ b.T).toarray(), dtype=np.float64).clip(0.0, 1.0)


def _narrowed(x: sp.csr_matrix, used: np.ndarray) -> sp.csr_matrix:
    x = sp.csr_matrix(x)
    columns = np.searchsorted(used, x.indices)
    return sp.csr_matrix((x.data, columns, x.indptr), shape=(x.shape[0], len(used)))
