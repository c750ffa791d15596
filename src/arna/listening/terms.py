"""The words of a post that can say what it is about: function words left out, inflections
folded into one stem, so that "водоканал", "водоканала" and "водоканалом" count as one term.

Russian and English words go through the Snowball stemmers; Kazakh words (Cyrillic, or Latin
turned Cyrillic) lose their case, plural and possessive endings by a light suffix stripper, so
that "жолдар", "жолдың", "жолға" are "жол". A term keeps the surface form it was written in, so
that labels read as words, not stems.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer

from arna.text.translit import to_cyrillic

DATA = Path(__file__).parent / "data"
_WORD = re.compile(r"[^\W\d_]{3,}(?:-[^\W\d_]+)?")
_NOT_WORDS = re.compile(r"@\w+|https?://\S+|www\.\S+|\w*(?:_|\d)\w*", re.U)
_KAZAKH_LETTERS = frozenset("әғқңөұүһі")
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]")

# Endings stripped from the end of a Kazakh word, longest first, while at least three letters
# and one vowel stay: case (genitive, dative, accusative, locative, ablative, instrumental),
# plural and possessive endings, in the order they stack (жол-дар-ы-мыз-да).
_KK_ENDINGS = sorted(
    (
        *("дағы", "дегі", "тағы", "тегі", "ндағы", "ндегі"),
        *("ның", "нің", "дың", "дің", "тың", "тің"),
        *("нан", "нен", "дан", "ден", "тан", "тен"),
        *("нда", "нде", "да", "де", "та", "те"),
        *("ға", "ге", "қа", "ке", "на", "не"),
        *("ны", "ні", "ды", "ді", "ты", "ті"),
        *("мен", "бен", "пен"),
        *("лар", "лер", "дар", "дер", "тар", "тер"),
        *("ымыз", "іміз", "мыз", "міз", "ыңыз", "іңіз", "ңыз", "ңіз"),
        *("ым", "ім", "ың", "ің", "сы", "сі"),
    ),
    key=len,
    reverse=True,
)
_VOWELS = frozenset("аәеёиоөуұүыіэюя")


@cache
def stopwords() -> frozenset[str]:
    words: set[str] = set()
    for line in (DATA / "stopwords.txt").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.update(line.split())
    return frozenset(words)


@cache
def _stemmer(language: str) -> snowballstemmer.Stemmer:
    return snowballstemmer.stemmer(language)


def kazakh_stem(word: str) -> str:
    """A Kazakh word without its case, plural and possessive endings (at most three)."""
    for _ in range(3):
        for ending in _KK_ENDINGS:
            rest = word[: -len(ending)]
            if word.endswith(ending) and len(rest) >= 3 and _VOWELS.intersection(rest):
                word = rest
                break
        else:
            break
    return word


@lru_cache(maxsize=200_000)
def stem(word: str, lang: str) -> str:
    """The stem of one lower-case word of a post in `lang` (kk, ru, en, mixed, other)."""
    cyrillic = _CYRILLIC.search(word) is not None
    if lang == "kk" and not cyrillic:
        word, cyrillic = to_cyrillic(word), True  # Latin Kazakh: one stem for both scripts
    if cyrillic:
        kazakh = lang == "kk" or not _KAZAKH_LETTERS.isdisjoint(word)
        if kazakh:
            return kazakh_stem(word)
        return str(_stemmer("russian").stemWord(word.replace("ё", "е")))
    return str(_stemmer("english").stemWord(word))


def terms(text: str, lang: str) -> list[tuple[str, str]]:
    """(stem, word as written in lower case) of every content word of a post, in order; not
    the words of @handles, links or names with underscores or digits, which name people."""
    out = []
    stop = stopwords()
    for word in _WORD.findall(_NOT_WORDS.sub(" ", text.lower())):
        if word in stop:
            continue
        key = stem(word, lang)
        if len(key) >= 3 and key not in stop:
            out.append((key, word))
    return out
