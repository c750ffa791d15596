"""Language and category of an appeal's text: a keyword matcher, good enough to route.

The text-understanding slice replaces this with trained models; the interface stays.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from functools import cache, lru_cache
from importlib import resources

from arna.geo.keys import fold, stem, word_keys, word_matches

_KAZAKH_LETTERS = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")
_LATIN = re.compile(r"[a-zA-Z]")
_KAZAKH_LATIN_LETTERS = re.compile(r"[äğıñöūüşÄĞÑÖŪÜŞ]")
_KAZAKH_LATIN_WORDS = re.compile(r"\b(jane|ushin|emes|joq|kerek|qala|jol)\b")


def guess_language(text: str) -> str:
    """kk when Kazakh letters or words appear, else ru for Cyrillic, else en."""
    if _KAZAKH_LETTERS.search(text):
        return "kk"
    cyrillic, latin = len(_CYRILLIC.findall(text)), len(_LATIN.findall(text))
    if cyrillic >= latin and cyrillic:
        return "ru"
    if _KAZAKH_LATIN_LETTERS.search(text) or _KAZAKH_LATIN_WORDS.search(text.lower()):
        return "kk"
    return "en"


_MIN_STEM = 3  # ordinary words inflect down to 3 letters (вода -> воды)


@cache
def _keywords() -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """Keyword phrases indexed by the first letters of their first word's stem."""
    path = resources.files("arna.appeals").joinpath("data", "category_keywords.csv")
    index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for raw in row["words"].split(";"):
                phrase = tuple(fold(w) for w in raw.split())
                if phrase and all(phrase):
                    index.setdefault(_prefix(phrase[0]), []).append((row["category_id"], phrase))
    return index


def _prefix(word: str) -> str:
    return stem(word, _MIN_STEM)[:_MIN_STEM]


@lru_cache(maxsize=100_000)
def _phrases_starting(word: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(category, phrase) whose first word this text word can be."""
    return tuple(
        (category, phrase)
        for category, phrase in _keywords().get(word[:_MIN_STEM], ())
        if word_matches(phrase[0], word, _MIN_STEM)
    )


def suggest_categories(text: str) -> list[tuple[str, float]]:
    """Categories whose words occur in the text, best first, with a share-of-hits score."""
    keys = word_keys(text)
    hits: Counter[str] = Counter()
    for i, key in enumerate(keys):
        for category, phrase in _phrases_starting(key):
            n = len(phrase)
            if n == 1 or (
                i + n <= len(keys)
                and all(word_matches(phrase[k], keys[i + k], _MIN_STEM) for k in range(1, n))
            ):
                hits[category] += n  # longer phrases are stronger evidence
    total = sum(hits.values())
    return [(c, round(h / total, 3)) for c, h in hits.most_common()] if total else []


def suggest_category(text: str) -> str | None:
    ranked = suggest_categories(text)
    return ranked[0][0] if ranked else None
