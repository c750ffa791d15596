"""Turning texts into the sparse vectors the linear models read.

Feature spaces, all hashed (no vocabulary to ship) and counted by `ngrams` (compiled), so that
analysing needs no scikit-learn and gives the same columns in every process:
- `raw`: character 1–4-grams of the cleaned, lower-cased text, for language identification,
  where Kazakh letters themselves are the evidence.
- `folded`: character 1–5-grams and word 1–2-grams of the text folded to one Latin skeleton, so
  that күшті, кушти, küşti and kushti are one word for the topic, sentiment and toxicity models.
- `tone`: character 1–6-grams of the lower-cased text as written, emoji and punctuation kept
  (cleaning drops them for the topics, but 😍 and "!!!" say how a text feels), for the polarity
  head.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from numba import njit

from arna.text import ngrams
from arna.text.folding import fold_many
from arna.text.normalise import tidy

RAW_BITS = 18
FOLDED_BITS = 20
FOLDED_FEATURES = 1 << FOLDED_BITS
TONE_BITS = 20


def fold(text: str) -> str:
    """One Latin skeleton for Kazakh (any script, with or without its letters), Russian, English
    (`folding`)."""
    return fold_many([text])[0]


def char_ngram_counts(texts: Sequence[str], n_min: int, n_max: int, bits: int) -> sp.csr_matrix:
    """Counts of hashed character n-grams of each (cleaned) text."""
    return ngrams.counts(texts, n_min, n_max, bits)


def _sublinear_l2(counts: sp.csr_matrix, idf: np.ndarray | None) -> sp.csr_matrix:
    x = counts.tocsr()
    data = np.log1p(x.data.astype(np.float32))
    _scale_rows(data, x.indices, x.indptr, np.ones(0, np.float32) if idf is None else idf)
    return sp.csr_matrix((data, x.indices, x.indptr), shape=x.shape)


@njit(cache=True, nogil=True)
def _scale_rows(data: Any, indices: Any, indptr: Any, idf: Any) -> None:
    """Each row times the idf of its columns (when given), then to unit length, in place, in one
    pass instead of numpy's five. The squares are added up over the whole batch in float64 and
    a row's norm taken as the difference of two running sums, as the models were trained."""
    running = 0.0
    for r in range(len(indptr) - 1):
        before = running
        for j in range(indptr[r], indptr[r + 1]):
            if len(idf):
                data[j] = data[j] * idf[indices[j]]
            value = np.float64(data[j])
            running += value * value
        norm = np.float32(np.sqrt(running - before))
        if norm == 0:
            norm = np.float32(1.0)
        for j in range(indptr[r], indptr[r + 1]):
            data[j] = data[j] / norm


def raw_counts(texts: Sequence[str]) -> sp.csr_matrix:
    """Character 1–4-grams of the lower-cased text, for language identification."""
    return char_ngram_counts([t.lower() for t in texts], 1, 4, RAW_BITS)


def folded_counts(folded: Sequence[str]) -> sp.csr_matrix:
    """Character 1–5-grams and word 1–2-grams of folded texts, in one hashed space."""
    return ngrams.counts(folded, 1, 5, FOLDED_BITS, words=True)


def tone_text(text: str) -> str:
    """What the tone features read of a text: NFC, spaces tidied, emoji and punctuation kept."""
    return tidy(unicodedata.normalize("NFC", text))


def tone_counts(texts: Sequence[str]) -> sp.csr_matrix:
    """Character 1–6-grams of lower-cased texts passed through `tone_text`."""
    return char_ngram_counts([t.lower() for t in texts], 1, 6, TONE_BITS)


def weigh(counts: sp.csr_matrix, idf: np.ndarray | None = None) -> sp.csr_matrix:
    """Sublinear term frequency × idf, rows scaled to unit length."""
    return _sublinear_l2(counts, idf)


def fit_idf(counts: sp.csr_matrix) -> np.ndarray:
    """Smoothed idf of every hashed column (columns never seen get the largest weight)."""
    n = counts.shape[0]
    df = np.bincount(counts.tocsr().indices, minlength=counts.shape[1])
    idf: np.ndarray = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
    return idf


def save_idf(idf: np.ndarray, path: Path) -> None:
    """Store only columns seen in training; the rest share the largest idf."""
    top = float(idf.max())
    seen = np.nonzero(idf < top)[0]
    np.savez_compressed(
        path,
        columns=seen.astype(np.int32),
        values=idf[seen].astype(np.float16),
        default=np.array([top], dtype=np.float32),
        size=np.array([idf.shape[0]]),
    )


def load_idf(path: Path) -> np.ndarray:
    with np.load(path, allow_pickle=False) as z:
        idf = np.full(int(z["size"][0]), float(z["default"][0]), dtype=np.float32)
        idf[z["columns"]] = z["values"].astype(np.float32)
        return idf
