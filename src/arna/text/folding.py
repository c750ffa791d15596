"""One Latin skeleton for Kazakh (any script, with or without its letters), Russian and English,
so that күшті, кушти, küşti and kushti are one word for the folded features (`features`).

Folding a text: lower case; each letter to its Latin skeleton ("ch" kept whole, so that c→s does
not split it); runs of one Latin letter to one; the digraphs zh, kh, gh, ng (in that order, each
over the whole text) to j, h, g, n, so that Cyrillic нг and Latin ng agree; runs of one letter
again; each run of decimal digits to 0. The letters are folded in compiled code (numba), a batch
at a time: done with str.translate and regular expressions it cost as much as counting the
text's n-grams.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
from numba import njit

from arna.text.ngrams import BMP, code_flags

FOLD = {
    **dict(zip("абвгдезийклмнопрстуфхыэ", "abvgdeziiklmnoprstufhie", strict=True)),
    **{"ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h"},
    **{"і": "i", "ё": "e", "ж": "j", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh"},
    **{"ъ": "", "ь": "", "ю": "iu", "я": "ia"},
    **{"ä": "a", "ö": "o", "ü": "u", "ū": "u", "ı": "i", "ğ": "g", "ñ": "n", "ş": "sh"},
    **{"ç": "ch", "é": "e", "è": "e", "ë": "e", "ï": "i", "î": "i", "â": "a", "ô": "o"},
    **{"q": "k", "y": "i", "w": "u", "x": "h", "c": "s", "’": "", "'": "", "ʼ": ""},
}
DIGRAPHS = (("zh", "j"), ("kh", "h"), ("gh", "g"), ("ng", "n"))
_NONE = -1


@cache
def _tables() -> tuple[np.ndarray, np.ndarray]:
    """Per code point of the Basic Multilingual Plane: its first and second folded code points
    (_NONE where there is none: a letter dropped, or folded to one)."""
    first = np.arange(BMP, dtype=np.int64)
    second = np.full(BMP, _NONE, dtype=np.int64)
    for letter, folded in FOLD.items():
        codes = [ord(c) for c in folded] + [_NONE, _NONE]
        first[ord(letter)], second[ord(letter)] = codes[0], codes[1]
    return first, second


def fold_many(texts: Sequence[str]) -> list[str]:
    """Each text folded (see the module's description)."""
    if not texts:
        return []
    lowered = [t.lower() for t in texts]
    lengths = np.fromiter(map(len, lowered), dtype=np.int64, count=len(lowered))
    codes = np.frombuffer("".join(lowered).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    first, second = _tables()
    digits = code_flags(codes, str.isdecimal)  # the `re` module's \d
    digraphs = np.array([[ord(d[0]), ord(d[1]), ord(c)] for d, c in DIGRAPHS], dtype=np.int64)
    out, ends = _fold(codes, digits, np.cumsum(lengths), first, second, digraphs)
    folded = out.astype(np.uint32).tobytes().decode("utf-32-le")
    starts = np.concatenate([[0], ends[:-1]]).tolist()
    return [folded[a:b] for a, b in zip(starts, ends.tolist(), strict=True)]


@njit(cache=True, nogil=True)
def _is_latin(code: int) -> bool:
    return 0x61 <= code <= 0x7A


@njit(cache=True, nogil=True)
def _undoubled(buf: Any, digit: Any, n: int) -> int:
    """Runs of one Latin letter in buf[:n] to one letter, in place; the new length."""
    m = 0
    for i in range(n):
        if m > 0 and _is_latin(buf[i]) and buf[m - 1] == buf[i]:
            continue
        buf[m] = buf[i]
        digit[m] = digit[i]
        m += 1
    return m


@njit(cache=True, nogil=True)
def _joined(buf: Any, digit: Any, n: int, a: int, b: int, c: int) -> int:
    """Each "ab" in buf[:n] to "c", left to right as str.replace does, in place."""
    m = 0
    i = 0
    while i < n:
        if i + 1 < n and buf[i] == a and buf[i + 1] == b:
            buf[m] = c
            digit[m] = False
            i += 2
        else:
            buf[m] = buf[i]
            digit[m] = digit[i]
            i += 1
        m += 1
    return m


@njit(cache=True, nogil=True)
def _fold(codes: Any, digits: Any, ends: Any, first: Any, second: Any, digraphs: Any) -> Any:
    out = np.empty(2 * len(codes), dtype=np.int64)
    out_ends = np.empty(len(ends), dtype=np.int64)
    buf = np.empty(2 * len(codes) + 2, dtype=np.int64)
    digit = np.empty(2 * len(codes) + 2, dtype=np.bool_)
    total = 0
    start = 0
    for r in range(len(ends)):
        end = ends[r]
        n = 0
        i = start
        while i < end:
            code = codes[i]
            if code == 0x63 and i + 1 < end and codes[i + 1] == 0x68:  # "ch" stays whole
                buf[n], buf[n + 1] = 0x63, 0x68
                digit[n], digit[n + 1] = False, False
                n += 2
                i += 2
                continue
            if code < BMP and (first[code] != code or second[code] != _NONE):
                for folded in (first[code], second[code]):
                    if folded != _NONE:
                        buf[n] = folded
                        digit[n] = False
                        n += 1
            else:
                buf[n] = code
                digit[n] = digits[i]
                n += 1
            i += 1
        n = _undoubled(buf, digit, n)
        for k in range(len(digraphs)):
            n = _joined(buf, digit, n, digraphs[k, 0], digraphs[k, 1], digraphs[k, 2])
        n = _undoubled(buf, digit, n)
        for i in range(n):
            if digit[i]:
                if i > 0 and digit[i - 1]:
                    continue  # a run of digits is one 0
                out[total] = 0x30
            else:
                out[total] = buf[i]
            total += 1
        out_ends[r] = total
        start = end
    return out[:total], out_ends
