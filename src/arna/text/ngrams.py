"""Hashed n-grams counted per text, in compiled code (numba).

Every text model reads a text as counts of hashed character n-grams and, for the folded
features, of words and word pairs (`features`). Counting them means sorting each text's hashes.
Sorted once per batch in numpy, the hundreds of thousands of keys of a batch were a sixth of the
whole analysis; here each text's hashes are made and sorted on their own, in cache, in one
compiled pass. The columns are those `features` always gave: the same rolling hash of code
points, CRC-32 (zlib's) of the UTF-8 of words and of word pairs joined by a space.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

import numpy as np
import scipy.sparse as sp
from numba import njit

MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: spreads rolling hashes over columns
BASE = np.uint64(1_000_003)
WORD_SALT = 0x5BD1E995  # keeps word pairs apart from words in the shared columns
BMP = 0x10000


@cache
def _crc_table() -> np.ndarray:
    """zlib's CRC-32 table (the reflected polynomial 0xEDB88320), as int64 for the kernel."""
    table = []
    for byte in range(256):
        c = byte
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        table.append(c)
    return np.array(table, dtype=np.int64)


def _is_word(char: str) -> bool:
    """A word character as the `re` module's \\w has it: str.isalnum() or the underscore."""
    return char.isalnum() or char == "_"


@cache
def _plane_table(test: Callable[[str], bool]) -> np.ndarray:
    return np.array([test(chr(c)) for c in range(BMP)], dtype=np.bool_)


def code_flags(codes: np.ndarray, test: Callable[[str], bool]) -> np.ndarray:
    """test(chr(c)) for each code point: from a table of the Basic Multilingual Plane built
    once per test, and one by one for the rare code points beyond it (emoji and the like)."""
    found: np.ndarray = _plane_table(test)[np.minimum(codes, BMP - 1)]
    for i in np.flatnonzero(codes >= BMP).tolist():
        found[i] = test(chr(int(codes[i])))
    return found


def counts(
    texts: Sequence[str], n_min: int, n_max: int, bits: int, *, words: bool = False
) -> sp.csr_matrix:
    """Counts of the hashed character n-grams (n_min…n_max) of each text padded with a space
    each side, and with `words`, of its words (\\w+) and pairs of consecutive words, in 2^bits
    columns: one row per text, its columns sorted."""
    padded = [f" {t} " for t in texts]
    lengths = np.fromiter(map(len, padded), dtype=np.int64, count=len(padded))
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32)
    is_word = code_flags(codes, _is_word) if words else np.zeros(0, dtype=np.bool_)
    indptr, indices, tally = _count(
        codes.astype(np.uint64), np.cumsum(lengths), n_min, n_max, bits, is_word, _crc_table()
    )
    return sp.csr_matrix((tally, indices, indptr), shape=(len(texts), 1 << bits))


@njit(cache=True, nogil=True)
def _crc_update(crc: Any, code: Any, table: Any) -> Any:
    """The running CRC-32 (inverted, as zlib keeps it) after the UTF-8 bytes of one code point."""
    if code < 0x80:
        return table[(crc ^ code) & 0xFF] ^ (crc >> 8)
    if code < 0x800:
        parts = ((0xC0 | (code >> 6)), (0x80 | (code & 0x3F)), -1, -1)
    elif code < 0x10000:
        parts = ((0xE0 | (code >> 12)), (0x80 | ((code >> 6) & 0x3F)), (0x80 | (code & 0x3F)), -1)
    else:
        parts = (
            (0xF0 | (code >> 18)),
            (0x80 | ((code >> 12) & 0x3F)),
            (0x80 | ((code >> 6) & 0x3F)),
            (0x80 | (code & 0x3F)),
        )
    for byte in parts:
        if byte < 0:
            break
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc


@njit(cache=True, nogil=True)
def _word_crc(codes: Any, start: int, end: int, crc: Any, table: Any) -> Any:
    for i in range(start, end):
        crc = _crc_update(crc, np.int64(codes[i]), table)
    return crc


_DIGIT = 11  # bits sorted per pass: two passes cover the 18- and 20-bit feature spaces
_FEW = 48  # keys sorted by insertion: a pass over the digit counts would cost more


@njit(cache=True, nogil=True)
def _sorted(keys: Any, spare: Any, k: int, bits: int, counts: Any) -> Any:
    """keys[:k] in ascending order, in `keys` or `spare` (both are scratch): by insertion when
    few, else least-significant-digit radix sort, five times numba's np.sort on a text's keys."""
    if k <= _FEW:
        for i in range(1, k):
            key = keys[i]
            j = i - 1
            while j >= 0 and keys[j] > key:
                keys[j + 1] = keys[j]
                j -= 1
            keys[j + 1] = key
        return keys[:k]
    source, target = keys, spare
    digit_mask = (1 << _DIGIT) - 1
    for shift in range(0, bits, _DIGIT):
        counts[:] = 0
        for j in range(k):
            counts[(source[j] >> shift) & digit_mask] += 1
        total = 0
        for d in range(1 << _DIGIT):
            c = counts[d]
            counts[d] = total
            total += c
        for j in range(k):
            d = (source[j] >> shift) & digit_mask
            target[counts[d]] = source[j]
            counts[d] += 1
        source, target = target, source
    return source[:k]


@njit(cache=True, nogil=True)
def _count(
    codes: Any, ends: Any, n_min: int, n_max: int, bits: int, is_word: Any, table: Any
) -> Any:
    n_rows = len(ends)
    shift = np.uint64(64 - bits)
    mask = (1 << bits) - 1
    full = 0xFFFFFFFF
    words = len(is_word) > 0
    capacity = 0
    start = 0
    for r in range(n_rows):
        length = ends[r] - start
        for n in range(n_min, n_max + 1):
            capacity += max(length - n + 1, 0)
        if words:
            capacity += length + 1  # words and pairs: at most one of each per two characters
        start = ends[r]
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    indices = np.empty(capacity, dtype=np.int32)
    tally = np.empty(capacity, dtype=np.float32)
    keys = np.empty(64, dtype=np.uint32)
    spare = np.empty(64, dtype=np.uint32)
    counts = np.zeros(1 << _DIGIT, dtype=np.int64)
    total = 0
    start = 0
    for r in range(n_rows):
        end = ends[r]
        length = end - start
        room = length + 1
        for n in range(n_min, n_max + 1):
            room += max(length - n + 1, 0)
        if len(keys) < room:
            keys = np.empty(2 * room, dtype=np.uint32)
            spare = np.empty(2 * room, dtype=np.uint32)
        k = 0
        for i in range(start, end):
            h = np.uint64(0)
            for n in range(1, min(n_max, end - i) + 1):
                h = h * BASE + codes[i + n - 1]
                if n >= n_min:
                    keys[k] = np.uint32(((h + np.uint64(n)) * MIX) >> shift)
                    k += 1
        if words:
            previous = -1  # start of the previous word
            previous_end = -1
            i = start
            while i < end:
                if not is_word[i]:
                    i += 1
                    continue
                j = i
                while j < end and is_word[j]:
                    j += 1
                keys[k] = (_word_crc(codes, i, j, full, table) ^ full) & mask
                k += 1
                if previous >= 0:
                    crc = _word_crc(codes, previous, previous_end, full, table)
                    crc = _crc_update(crc, 0x20, table)
                    crc = _word_crc(codes, i, j, crc, table)
                    keys[k] = ((crc ^ full) ^ WORD_SALT) & mask
                    k += 1
                previous, previous_end = i, j
                i = j
        if k:
            ordered = _sorted(keys, spare, k, bits, counts)
            last = ordered[0]
            seen = 1
            for j in range(1, k):
                if ordered[j] == last:
                    seen += 1
                else:
                    indices[total] = last
                    tally[total] = seen
                    total += 1
                    last = ordered[j]
                    seen = 1
            indices[total] = last
            tally[total] = seen
            total += 1
        indptr[r + 1] = total
        start = end
    return indptr, indices[:total], tally[:total]
