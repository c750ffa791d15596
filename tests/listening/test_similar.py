"""Near-copy sketches: datasketch's MinHash, computed for a batch at once."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash

from arna.listening import similar
from arna.listening.store import normalised

TEXTS = [
    "Су жоқ үш күннен бері, әкімдік ештеңе істемейді!",
    "Су жоқ үш күннен бері, әкімдік ештеңе істемейді!! 👍",
    "В Алматы опять отключили свет, https://t.me/x/1 ЖКХ молчит",
    "ok",
    "",
    "Kazakhstan is so beautiful, visited Charyn canyon last week 😍",
]


def test_signatures_are_datasketch_minhash_of_the_grams() -> None:
    grams, counts = similar.gram_hashes(TEXTS)
    batch = similar.signatures(grams, counts)
    start = 0
    for i, n in enumerate(counts.tolist()):
        reference = MinHash(
            num_perm=similar.PERMUTATIONS, seed=similar.SEED, scheme="affine32", hashfunc=int
        )
        reference.update_batch((grams[start : start + n] >> np.uint64(32)).tolist())
        assert batch[i].tolist() == reference.hashvalues.tolist(), TEXTS[i]
        start += n


def test_grams_are_the_distinct_five_character_pieces() -> None:
    for text, sketch in zip(TEXTS, similar.sketches(TEXTS), strict=True):
        words = normalised(text)
        pieces = {words[i : i + 5] for i in range(max(len(words) - 4, 1))}
        assert len(sketch.grams) == len(pieces)
        assert len(sketch.bands) == similar.BANDS


def test_a_repost_shares_bands_and_an_unrelated_text_does_not() -> None:
    original, repost, other, *_ = similar.sketches(TEXTS)
    assert original.grams == repost.grams  # the same words once punctuation is set aside
    assert original.bands == repost.bands
    assert not set(original.bands) & set(other.bands)


def test_a_long_text_is_sketched_across_steps(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    texts = [" ".join(f"слово{i}" for i in range(n)) for n in (400, 3, 900)]
    whole = similar.sketches(texts)
    monkeypatch.setattr(similar, "_STEP", 257)  # steps that cut texts in the middle
    stepped = similar.sketches(texts)
    assert [s.bands for s in stepped] == [s.bands for s in whole]
    assert [s.grams for s in stepped] == [s.grams for s in whole]
