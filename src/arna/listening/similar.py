"""Near copies: texts that are the same post with a few words changed (a bot's variants, a
repost with a comment of three words), found with MinHash and locality-sensitive hashing and
confirmed by their exact similarity.

A text is the set of its character 5-grams once case, links and punctuation are set aside (as
`store.fingerprint` sets them aside); a text shorter than five characters is one gram. Each
text's MinHash signature (64 permutations) is cut into 16 bands of 4; two texts that agree on
any band are candidates (a pair with Jaccard similarity 0.8 shares a band with probability
1 − (1 − 0.8⁴)¹⁶ > 0.9999, a pair at 0.3 with 0.12), and a candidate is a copy when the Jaccard
similarity of the two gram sets is at least THRESHOLD. Only the bands are stored with a post
(16 integers), so candidates are found by a query.

The signature is datasketch's MinHash (scheme `affine32`: its permutations for SEED, its
MurmurHash3 finaliser on each gram's hash), computed for a whole batch of texts at once with
numpy instead of text by text: hashing the grams in Python cost an import more than a third of
what reading the texts costs. A gram's hash is a polynomial rolling hash of its five code
points, finalised to 64 bits (the exact check compares these); MinHash reads its upper half.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

import numpy as np

from arna.listening.store import normalised

THRESHOLD = 0.8
PERMUTATIONS = 64
BANDS = 16
ROWS = PERMUTATIONS // BANDS
SHINGLE = 5
SEED = 1
# Grams whose permuted hashes are held at once: 64 × 4 bytes each, 4 MB, which stays in the
# processor's cache (at 16 MB a step the signatures cost eight times as much).
_STEP = 1 << 14
_BASE = np.uint64(1_000_003)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class Sketch:
    hashes: np.ndarray = field(compare=False)  # 64-bit hashes of the text's 5-grams
    bands: list[int]  # BANDS signed 64-bit keys

    @cached_property
    def grams(self) -> frozenset[int]:
        """The distinct gram hashes (made only for texts that meet a candidate)."""
        return frozenset(self.hashes.tolist())


def sketches(texts: Sequence[str]) -> list[Sketch]:
    """Each text's grams and LSH band keys."""
    if not texts:
        return []
    grams, counts = gram_hashes(texts)
    keys = band_keys(signatures(grams, counts)).tolist()
    ends = np.cumsum(counts).tolist()
    starts = [0, *ends[:-1]]
    return [Sketch(grams[a:b], k) for a, b, k in zip(starts, ends, keys, strict=True)]


def gram_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The 64-bit hash of every 5-gram of every text, text after text (repeats kept), and how
    many each text has (at least one)."""
    # NUL pads a short text to one gram: normalised text holds no NUL (it is not a word).
    words = [normalised(t).ljust(SHINGLE, "\0") for t in texts]
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    joined = "".join(words).encode("utf-32-le", "surrogatepass")
    codes = np.frombuffer(joined, dtype=np.uint32).astype(np.uint64)
    windows = len(codes) - SHINGLE + 1
    rolling = codes[:windows].copy()
    for k in range(1, SHINGLE):
        rolling = rolling * _BASE + codes[k : k + windows]
    counts = lengths - SHINGLE + 1
    # Window i starts a gram of its own text when its text has SHINGLE − 1 characters after it.
    skipped = np.concatenate([[0], np.cumsum(lengths - counts)[:-1]])
    at = np.arange(int(counts.sum()), dtype=np.int64) + np.repeat(skipped, counts)
    return _fmix(rolling[at], 64), counts


def signatures(grams: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """MinHash signatures (texts × PERMUTATIONS, uint32) of texts whose grams are `grams`,
    `counts[i]` of them for text i: equal to datasketch's `MinHash(num_perm=PERMUTATIONS,
    seed=SEED, scheme="affine32")` updated with each gram's upper 32 bits."""
    a, b = _permutations()
    owner = np.repeat(np.arange(len(counts)), counts)
    hv = _fmix((grams >> np.uint64(32)).astype(np.uint32), 32)
    # Permutations × grams: each text's grams are a contiguous run of every row.
    out = np.full((PERMUTATIONS, len(counts)), np.iinfo(np.uint32).max, dtype=np.uint32)
    for lo in range(0, len(hv), _STEP):
        mine = owner[lo : lo + _STEP]
        permuted = a[:, None] * hv[None, lo : lo + _STEP] + b[:, None]  # wraps: modulo 2³²
        first = np.flatnonzero(np.r_[True, mine[1:] != mine[:-1]])
        texts = mine[first]
        out[:, texts] = np.minimum(out[:, texts], np.minimum.reduceat(permuted, first, axis=1))
    return out.T


def band_keys(signatures: np.ndarray) -> np.ndarray:
    """texts × BANDS signed 64-bit keys: each band's four values hashed with its number."""
    v = signatures.reshape(len(signatures), BANDS, ROWS).astype(np.uint64)
    low = v[:, :, 0] | (v[:, :, 1] << np.uint64(32))
    high = v[:, :, 2] | (v[:, :, 3] << np.uint64(32))
    band = np.arange(BANDS, dtype=np.uint64) * _GOLDEN
    keys: np.ndarray = _fmix(_fmix(low ^ band, 64) ^ high, 64).view(np.int64)
    return keys


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    from datasketch import MinHash  # only where posts are imported

    a, b = MinHash(num_perm=PERMUTATIONS, seed=SEED, scheme="affine32").permutations
    return a.astype(np.uint32), b.astype(np.uint32)


# MurmurHash3's finalisers (shift, multiplier, shift, multiplier, shift) by width.
_FMIX = {
    32: tuple(np.uint32(v) for v in (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)),
    64: tuple(np.uint64(v) for v in (33, 0xFF51AFD7ED558CCD, 33, 0xC4CEB9FE1A85EC53, 33)),
}


def _fmix(h: Any, width: int) -> Any:
    """MurmurHash3's finaliser (as datasketch applies it at 32 bits): every input bit reaches
    every output bit."""
    s1, m1, s2, m2, s3 = _FMIX[width]
    h = (h ^ (h >> s1)) * m1
    h = (h ^ (h >> s2)) * m2
    return h ^ (h >> s3)
