"""The compiled n-gram counts are the hashed features the models were trained on: checked
against the definition written out in plain Python (rolling hash of code points, CRC-32 of the
UTF-8 of words and word pairs), on real texts and on generated ones in every plane."""

from __future__ import annotations

import re
import zlib
from collections import Counter
from itertools import pairwise

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from arna.text import corpora, features, ngrams

MASK64 = (1 << 64) - 1


def reference(text: str, n_min: int, n_max: int, bits: int, words: bool) -> Counter[int]:
    padded = f" {text} "
    found: Counter[int] = Counter()
    for i in range(len(padded)):
        h = 0
        for n in range(1, min(n_max, len(padded) - i) + 1):
            h = (h * 1_000_003 + ord(padded[i + n - 1])) & MASK64
            if n >= n_min:
                found[(((h + n) * 0x9E3779B97F4A7C15) & MASK64) >> (64 - bits)] += 1
    if words:
        mask = (1 << bits) - 1
        ws = re.findall(r"\w+", text)
        found.update(zlib.crc32(w.encode()) & mask for w in ws)
        found.update((zlib.crc32(f"{a} {b}".encode()) ^ 0x5BD1E995) & mask for a, b in pairwise(ws))
    return found


def check(texts: list[str], n_min: int, n_max: int, bits: int, words: bool) -> None:
    got = ngrams.counts(texts, n_min, n_max, bits, words=words)
    assert got.shape == (len(texts), 1 << bits)
    for i, text in enumerate(texts):
        row = got[i]
        assert np.all(np.diff(row.indices) > 0)  # sorted, each column once
        assert dict(zip(row.indices.tolist(), row.data.tolist(), strict=True)) == reference(
            text, n_min, n_max, bits, words
        ), text


def test_real_texts_in_every_feature_space() -> None:
    texts = [e.text for e in corpora.training_examples()][:300]
    texts += ["", " ", "a", "ok_go 2024", "😍😍 керемет!!!", "𝔘𝔫𝔦 ǅungla 日本語 テキスト"]
    folded = [features.fold(t) for t in texts]
    check(folded, 1, 5, features.FOLDED_BITS, True)
    check([t.lower() for t in texts], 1, 4, features.RAW_BITS, False)
    check([t.lower() for t in texts], 1, 6, features.TONE_BITS, False)
    check(texts, 3, 3, 8, True)  # n_min above 1, and few columns: many collisions


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=6))
def test_any_text_in_any_plane(texts: list[str]) -> None:
    texts = [t.encode("utf-8", "replace").decode("utf-8", "replace") for t in texts]
    texts = ["".join(c for c in t if not 0xD800 <= ord(c) < 0xE000) for t in texts]
    check(texts, 1, 5, 12, True)


def test_the_crc_table_is_zlibs() -> None:
    table = ngrams._crc_table()
    assert [int(table[b]) for b in (0, 1, 255)] == [0, 0x77073096, 0x2D02EF8D]


def test_weighing_is_numpys_sublinear_tf_idf_to_unit_rows() -> None:
    """`weigh` in one compiled pass is bit for bit the numpy formula the models trained on."""
    texts = [*(e.text for e in corpora.training_examples()[:400]), "", "!!!"]
    counts = features.folded_counts([features.fold(t) for t in texts])
    idf = np.random.default_rng(0).uniform(1, 9, counts.shape[1]).astype(np.float32)
    for weights in (idf, None):
        x = counts.astype(np.float32)
        np.log1p(x.data, out=x.data)
        if weights is not None:
            x.data *= weights[x.indices]
        squares = np.concatenate([[0.0], np.cumsum(x.data.astype(np.float64) ** 2)])
        norms = np.sqrt(squares[x.indptr[1:]] - squares[x.indptr[:-1]]).astype(np.float32)
        norms[norms == 0] = 1.0
        x.data /= np.repeat(norms, np.diff(x.indptr))
        got = features.weigh(counts, weights)
        assert np.array_equal(got.indptr, x.indptr) and np.array_equal(got.indices, x.indices)
        assert np.array_equal(got.data, x.data)
        assert np.array_equal(
            counts.data, features.folded_counts([features.fold(t) for t in texts]).data
        )
