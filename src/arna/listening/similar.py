"""Near copies: texts that are the same post with a few words changed (a bot's variants, a
repost with a comment of three words), found with MinHash and locality-sensitive hashing
(datasketch's MinHash) and confirmed by their exact similarity.

A text is the set of its character 5-grams once case, links and punctuation are set aside (as
`store.fingerprint` sets them aside). Each text's MinHash signature (64 permutations) is cut into
16 bands of 4; two texts that agree on any band are candidates (a pair with Jaccard similarity
0.8 shares a band with probability 1 − (1 − 0.8⁴)¹⁶ > 0.9999, a pair at 0.3 with 0.12), and a
candidate is a copy when the Jaccard similarity of the two 5-gram sets is at least THRESHOLD.
Only the bands are stored with a post (16 integers), so candidates are found by a query.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence
from functools import lru_cache

from arna.listening.store import normalised

THRESHOLD = 0.8
PERMUTATIONS = 64
BANDS = 16
ROWS = PERMUTATIONS // BANDS
SHINGLE = 5
SEED = 1


@lru_cache(maxsize=1 << 16)  # the bands and the copy check of an import both ask
def shingles(text: str) -> frozenset[str]:
    words = normalised(text)
    if len(words) <= SHINGLE:
        return frozenset((words,))
    return frozenset(words[i : i + SHINGLE] for i in range(len(words) - SHINGLE + 1))


def bands(texts: Sequence[str]) -> list[list[int]]:
    """The LSH band keys of each text: BANDS signed 64-bit integers."""
    from datasketch import MinHash  # only where posts are imported

    sets = [[s.encode("utf-8") for s in shingles(t)] for t in texts]  # any order: a minimum
    # CRC-32 for the shingles: MinHash's permutations spread them; SHA-1 cost twice as much.
    signatures = MinHash.bulk(sets, num_perm=PERMUTATIONS, seed=SEED, hashfunc=zlib.crc32)
    out = []
    for signature in signatures:
        values = signature.hashvalues
        out.append(
            [
                int.from_bytes(
                    hashlib.blake2b(
                        values[i * ROWS : (i + 1) * ROWS].tobytes(), digest_size=8
                    ).digest(),
                    signed=True,
                )
                for i in range(BANDS)
            ]
        )
    return out
