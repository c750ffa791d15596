"""Turning texts into the sparse vectors the linear models read.

Two feature spaces, both hashed (no vocabulary to ship):
- `raw`: character 1–4-grams of the cleaned, lower-cased text, for language identification,
  where Kazakh letters themselves are the evidence.
- `folded`: character 1–5-grams and word 1–2-grams of the text folded to one Latin skeleton, so
  that күшті, кушти, küşti and kushti are one word for the topic, sentiment and toxicity models.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

RAW_FEATURES = 2**18
FOLDED_FEATURES = 2**20

_FOLD = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфхыэ", "abvgdeziiklmnoprstufhie", strict=True)),
        **{"ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h"},
        **{"і": "i", "ё": "e", "ж": "j", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh"},
        **{"ъ": "", "ь": "", "ю": "iu", "я": "ia"},
        **{"ä": "a", "ö": "o", "ü": "u", "ū": "u", "ı": "i", "ğ": "g", "ñ": "n", "ş": "sh"},
        **{"ç": "ch", "é": "e", "è": "e", "ë": "e", "ï": "i", "î": "i", "â": "a", "ô": "o"},
        **{"q": "k", "y": "i", "w": "u", "x": "h", "c": "s", "’": "", "'": "", "ʼ": ""},
    }
)
_DIGRAPHS = (("zh", "j"), ("kh", "h"), ("gh", "g"), ("ng", "n"))
_DOUBLES = re.compile(r"([a-z])\1+")
_DIGITS = re.compile(r"\d+")


def fold(text: str) -> str:
    """One Latin skeleton for Kazakh (any script, with or without its letters), Russian, English."""
    # "ch" is parked as ч so that c→s does not split it; the other digraphs are joined after
    # the letters are folded, so that Cyrillic нг and Latin ng agree.
    folded = _DOUBLES.sub(r"\1", text.lower().replace("ch", "ч").translate(_FOLD))
    for digraph, letter in _DIGRAPHS:
        folded = folded.replace(digraph, letter)
    return _DIGITS.sub("0", _DOUBLES.sub(r"\1", folded))


@cache
def _raw_vectorizer() -> HashingVectorizer:
    return HashingVectorizer(
        analyzer="char_wb",
        ngram_range=(1, 4),
        n_features=RAW_FEATURES,
        alternate_sign=False,
        norm=None,
        lowercase=True,
    )


@cache
def _char_vectorizer() -> HashingVectorizer:
    return HashingVectorizer(
        analyzer="char_wb",
        ngram_range=(1, 5),
        n_features=FOLDED_FEATURES,
        alternate_sign=False,
        norm=None,
        lowercase=False,
    )


@cache
def _word_vectorizer() -> HashingVectorizer:
    return HashingVectorizer(
        analyzer="word",
        ngram_range=(1, 2),
        n_features=FOLDED_FEATURES,
        alternate_sign=False,
        norm=None,
        lowercase=False,
        token_pattern=r"(?u)\b\w+\b",
    )


def _sublinear_l2(counts: sp.csr_matrix, idf: np.ndarray | None) -> sp.csr_matrix:
    x = counts.tocsr().astype(np.float32)
    np.log1p(x.data, out=x.data)
    if idf is not None:
        x.data *= idf[x.indices]
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ x)


def raw_counts(texts: Sequence[str]) -> sp.csr_matrix:
    return _raw_vectorizer().transform(texts)


def folded_counts(folded: Sequence[str]) -> sp.csr_matrix:
    chars = _char_vectorizer().transform(folded)
    words = _word_vectorizer().transform(folded)
    return sp.csr_matrix(chars + words)


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
