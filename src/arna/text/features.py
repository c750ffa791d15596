"""Turning texts into the sparse vectors the linear models read.

Two feature spaces, both hashed (no vocabulary to ship), computed with numpy and CRC-32 so
that analysing needs no scikit-learn and gives the same columns in every process:
- `raw`: character 1–4-grams of the cleaned, lower-cased text, for language identification,
  where Kazakh letters themselves are the evidence.
- `folded`: character 1–5-grams and word 1–2-grams of the text folded to one Latin skeleton, so
  that күшті, кушти, küşti and kushti are one word for the topic, sentiment and toxicity models.
- `tone`: character 1–6-grams of the lower-cased text as written, emoji and punctuation kept
  (cleaning drops them for the topics, but 😍 and "!!!" say how a text feels), for the polarity
  head.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from arna.text.normalise import tidy

RAW_BITS = 18
FOLDED_BITS = 20
FOLDED_FEATURES = 1 << FOLDED_BITS
TONE_BITS = 20

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
    folded = _DOUBLES.sub(_first, text.lower().replace("ch", "ч").translate(_FOLD))
    for digraph, letter in _DIGRAPHS:
        folded = folded.replace(digraph, letter)
    return _DIGITS.sub("0", _DOUBLES.sub(_first, folded))


def _first(match: re.Match[str]) -> str:
    # A function, not the template r"\1": re expands a template on every match, which made
    # this the costliest step of folding.
    return match.group(1)


_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: spreads rolling hashes over columns
_BASE = np.uint64(1_000_003)
_WORD_SALT = 0x5BD1E995  # keeps word and character n-grams apart in the shared columns
_WORDS = re.compile(r"\w+")


def _char_ngrams(texts: Sequence[str], n_min: int, n_max: int, bits: int) -> tuple[Any, Any]:
    """(row, column) of every hashed character n-gram of every text, padded with spaces.

    Vectorised over the whole batch with numpy: each position's rolling hash is extended one
    character per n, and n-grams that would run past the end of their text are dropped. Ten
    times faster than scikit-learn's per-word Python loop, which matters at thousands of
    texts per second. Texts are expected cleaned (single spaces).
    """
    padded = [f" {t} " for t in texts]
    lengths = np.fromiter(map(len, padded), dtype=np.int64, count=len(padded))
    total = int(lengths.sum())
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    row = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    room = np.repeat(np.cumsum(lengths), lengths) - np.arange(total)  # characters left in text
    rows: list[Any] = []
    cols: list[Any] = []
    rolling = np.zeros(total, dtype=np.uint64)
    shift = np.uint64(64 - bits)
    for n in range(1, n_max + 1):
        m = max(total - n + 1, 0)
        rolling[:m] = rolling[:m] * _BASE + codes[n - 1 : n - 1 + m]
        if n < n_min:
            continue
        ok = room >= n
        rows.append(row[ok])
        cols.append((((rolling[ok] + np.uint64(n)) * _MIX) >> shift).astype(np.int64))
    return np.concatenate(rows), np.concatenate(cols)


def _word_ngrams(texts: Sequence[str], bits: int) -> tuple[Any, Any]:
    """(row, column) of hashed words and word pairs (CRC-32: stable across processes)."""
    rows: list[int] = []
    cols: list[int] = []
    mask = (1 << bits) - 1
    for i, text in enumerate(texts):
        words = _WORDS.findall(text)
        keys = [zlib.crc32(w.encode()) for w in words]
        keys += [zlib.crc32(f"{a} {b}".encode()) ^ _WORD_SALT for a, b in pairwise(words)]
        rows += [i] * len(keys)
        cols += [k & mask for k in keys]
    return np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)


def _count(parts: list[tuple[Any, Any]], n_rows: int, bits: int) -> sp.csr_matrix:
    rows = np.concatenate([r for r, _ in parts])
    cols = np.concatenate([c for _, c in parts])
    # One sort of (row, column) keys counts repeated n-grams and orders every row's columns.
    # Plain integers, so any sort gives the same order; numpy's default one is vectorised
    # (three to five times faster than a stable sort here), the more so on 32-bit keys.
    keys_of = rows * (1 << bits) + cols
    if n_rows << bits <= 1 << 32:
        keys_of = keys_of.astype(np.uint32)
    ordered = np.sort(keys_of).astype(np.int64)
    first = np.empty(len(ordered), dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    keys = ordered[starts]
    tally = np.diff(np.append(starts, len(ordered)))
    row_of = keys >> bits
    indptr = np.concatenate([[0], np.cumsum(np.bincount(row_of, minlength=n_rows))])
    return sp.csr_matrix(
        (tally.astype(np.float32), keys & ((1 << bits) - 1), indptr), shape=(n_rows, 1 << bits)
    )


def char_ngram_counts(texts: Sequence[str], n_min: int, n_max: int, bits: int) -> sp.csr_matrix:
    """Counts of hashed character n-grams of each (cleaned) text."""
    return _count([_char_ngrams(texts, n_min, n_max, bits)], len(texts), bits)


def _sublinear_l2(counts: sp.csr_matrix, idf: np.ndarray | None) -> sp.csr_matrix:
    x = counts.tocsr().astype(np.float32)
    np.log1p(x.data, out=x.data)
    if idf is not None:
        x.data *= idf[x.indices]
    squares = np.concatenate([[0.0], np.cumsum(x.data.astype(np.float64) ** 2)])
    norms = np.sqrt(squares[x.indptr[1:]] - squares[x.indptr[:-1]]).astype(np.float32)
    norms[norms == 0] = 1.0
    x.data /= np.repeat(norms, np.diff(x.indptr))
    return x


def raw_counts(texts: Sequence[str]) -> sp.csr_matrix:
    """Character 1–4-grams of the lower-cased text, for language identification."""
    return char_ngram_counts([t.lower() for t in texts], 1, 4, RAW_BITS)


def folded_counts(folded: Sequence[str]) -> sp.csr_matrix:
    """Character 1–5-grams and word 1–2-grams of folded texts, in one hashed space."""
    parts = [_char_ngrams(folded, 1, 5, FOLDED_BITS), _word_ngrams(folded, FOLDED_BITS)]
    return _count(parts, len(folded), FOLDED_BITS)


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
