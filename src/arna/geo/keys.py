"""Spelling-tolerant keys for place names written in Kazakh, Russian or English, in any script.

Every word is folded to one Latin skeleton, so that Ақтөбе, Актобе, Aqtöbe and Aktobe agree, and
Жетісу, Zhetysu and Jetisu agree. Inflection is handled at match time: a word matches a name when
it is the name's stem followed by case endings (Алматыда, в Шымкенте, Алматинской области).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

_CYRILLIC = {
    "а": "a",
    "ә": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "j",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "қ": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "n",
    "о": "o",
    "ө": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ұ": "u",
    "ү": "u",
    "ф": "f",
    "х": "h",
    "һ": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sh",
    "ъ": "",
    "ы": "i",
    "і": "i",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}
_LATIN_SPECIAL = {"ş": "sh", "ç": "ch", "ı": "i", "ğ": "g", "ñ": "n", "ß": "ss"}
_LATIN_DIGRAPHS = (
    ("dzh", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("q", "k"),
    ("y", "i"),
    ("w", "u"),
    ("x", "h"),
    ("c", "s"),
)
_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ`][^\W\d_]+)*", re.UNICODE)
_APOSTROPHES = re.compile(r"['’ʼ`]")
_DOUBLES = re.compile(r"(.)\1+")

# Case, possessive, plural and adjective endings of Kazakh and Russian, folded to the skeleton.
# A word matches a name's stem followed by up to three of these.
ENDINGS = frozenset(
    [
        "a",
        "e",
        "i",
        "o",
        "u",
        "ia",
        "iu",
        "ie",
        "da",
        "de",
        "ta",
        "te",
        "nda",
        "nde",
        "ga",
        "ge",
        "ka",
        "ke",
        "na",
        "ne",
        "dan",
        "den",
        "tan",
        "ten",
        "nan",
        "nen",
        "nin",
        "din",
        "tin",
        "ni",
        "di",
        "ti",
        "men",
        "ben",
        "pen",
        "dagi",
        "degi",
        "tagi",
        "tegi",
        "ndagi",
        "ndegi",
        "lik",
        "dik",
        "tik",
        "lar",
        "ler",
        "dar",
        "der",
        "tar",
        "ter",
        "si",
        "sin",
        "sinda",
        "sinde",
        "sina",
        "sine",
        "sinan",
        "sinen",
        "sinin",
        "skaia",
        "skoi",
        "skuiu",
        "skogo",
        "skomu",
        "skom",
        "skie",
        "skih",
        "skii",
        "ski",
        "ogo",
        "ego",
        "omu",
        "emu",
        "om",
        "em",
        "oi",
        "ei",
        "ai",
        "uiu",
        "aia",
        "ii",
        "ih",
        "im",
        "imi",
        "ami",
        "ah",
        "ov",
        "ev",
    ]
)
_MAX_ENDING = max(len(e) for e in ENDINGS)
_STEM_ENDINGS = tuple(
    sorted(("aia", "ii", "oi", "ie", "a", "e", "i", "o", "u"), key=len, reverse=True)
)
MIN_STEM = 4


class Token(NamedTuple):
    key: str
    start: int
    end: int


_CYRILLIC_TABLE = str.maketrans(_CYRILLIC)
_CYRILLIC_LETTERS = frozenset(_CYRILLIC)


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """The Latin skeleton of one word, lower case, doubled letters collapsed."""
    return _skeleton(word)


def _skeleton(word: str) -> str:
    low = word.lower()
    # Fast paths for the two common cases: all Cyrillic, or all plain ASCII letters.
    if _CYRILLIC_LETTERS.issuperset(low):
        return _undoubled(low.translate(_CYRILLIC_TABLE))
    if low.isascii() and low.isalpha():
        return _undoubled(_latin_digraphs(low))
    out: list[str] = []
    latin: list[str] = []
    for ch in low:
        if ch in _CYRILLIC:
            out.append(_CYRILLIC[ch])
        elif ch in _LATIN_SPECIAL:
            latin.append(_LATIN_SPECIAL[ch])
            out.append("\0")
        else:
            base = unicodedata.normalize("NFKD", ch)[0]
            if "a" <= base <= "z":
                latin.append(base)
                out.append("\0")
    text = "".join(out)
    if latin:
        # Latin letters are folded together so that digraphs (zh, kh) are seen whole.
        if text.replace("\0", "") == "":
            text = _latin_digraphs("".join(latin))
        else:  # mixed-script word: keep the order, fold Latin letters one by one
            it = iter("".join(latin))
            text = "".join(next(it) if c == "\0" else c for c in text)
    return _undoubled(text)


def _undoubled(text: str) -> str:
    # Most words hold no doubled letter, and a search is much cheaper than a substitution.
    return _DOUBLES.sub(r"\1", text) if _DOUBLES.search(text) else text


def _latin_digraphs(lat: str) -> str:
    for a, b in _LATIN_DIGRAPHS:
        lat = lat.replace(a, b)
    return lat


@lru_cache(maxsize=100_000)
def word_key(word: str) -> str:
    """The key of one word as `tokens` finds it: apostrophes dropped, then folded."""
    return _skeleton(_APOSTROPHES.sub("", word))  # cached here, not again in fold


def written_words(text: str) -> list[str]:
    """The words `tokens` reads, as written: without spans, not folded."""
    return _WORD.findall(text)


def tokens(text: str) -> list[Token]:
    """Words of a text with their character spans and skeleton keys."""
    return [
        Token(key, match.start(), match.end())
        for match in _WORD.finditer(text)
        if (key := word_key(match.group()))
    ]


@lru_cache(maxsize=4096)
def stem(key: str, min_stem: int = MIN_STEM) -> str:
    """The part of a folded name word that inflected forms keep (Астана -> astan)."""
    for ending in _STEM_ENDINGS:
        if key.endswith(ending) and len(key) - len(ending) >= min_stem:
            return key[: -len(ending)]
    return key


@lru_cache(maxsize=65536)
def is_ending_chain(rest: str, depth: int = 3) -> bool:
    if rest == "":
        return True
    if depth == 0:
        return False
    for size in range(min(_MAX_ENDING, len(rest)), 0, -1):
        if rest[:size] in ENDINGS and is_ending_chain(rest[size:], depth - 1):
            return True
    return False


def word_matches(name_key: str, word_key: str, min_stem: int = MIN_STEM) -> bool:
    """Does a text word (folded) stand for a name word (folded), allowing inflection?

    Names shorter than `min_stem` letters must match exactly; place names use 4 (Шу, Май),
    ordinary words 3 (вода -> воды).
    """
    if word_key == name_key:
        return True
    if len(name_key) < min_stem:
        return False
    base = stem(name_key, min_stem)
    return word_key.startswith(base) and is_ending_chain(word_key[len(base) :])


def phrase_key(text: str) -> str:
    return " ".join(t.key for t in tokens(text))
