"""Putting back the Kazakh letters of text typed on a Russian keyboard: кошеде → көшеде.

People without a Kazakh layout type қ as к, ү as у, і as и. For every Kazakh word seen in the
training corpora, its keyboard spelling maps to its proper one when one proper spelling clearly
dominates (кол is both көл "lake" and қол "hand": left alone). The table is built by
`arna text train` and ships as `models/kk_restore.tsv`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from arna.text.translit import to_cyrillic, without_kazakh_letters

_WORD = re.compile(r"[а-яёәғқңөұүһі]+", re.I)
_KAZAKH = re.compile(r"[әғқңөұүһі]")
# A restoration is made only when this share of the word's occurrences agree on it.
_AGREEMENT = 0.9
_MIN_COUNT = 2


def build_table(formal: Iterable[str], informal: Iterable[str]) -> dict[str, str]:
    """Keyboard spelling → proper spelling.

    Informal text (reviews) shows how words are spelt with and without the letters; formal
    text (news) decides whether a keyboard spelling is itself a word (су "water" stays су).
    """
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    proper_words: Counter[str] = Counter()
    for text in formal:
        for word in _WORD.findall(text.lower()):
            proper_words[word] += 1
            seen[without_kazakh_letters(word)][word] += 1
    for text in informal:
        for word in _WORD.findall(text.lower()):
            seen[without_kazakh_letters(word)][word] += 1
    table = {}
    for typed, spellings in seen.items():
        if proper_words[typed] >= _MIN_COUNT:
            continue
        kazakh = Counter({w: n for w, n in spellings.items() if w != typed})
        if not kazakh:
            continue
        best, count = kazakh.most_common(1)[0]
        if count >= _MIN_COUNT and count >= _AGREEMENT * sum(kazakh.values()):
            table[typed] = best
    return table


def save_table(table: dict[str, str], path: Path) -> None:
    lines = (f"{k}\t{v}\n" for k, v in sorted(table.items()))
    path.write_text("".join(lines), encoding="utf-8")


@cache
def _table() -> dict[str, str]:
    path = Path(__file__).parent / "models" / "kk_restore.tsv"
    with open(path, encoding="utf-8") as f:
        return dict(line.rstrip("\n").split("\t") for line in f)


def _restore_word(match: re.Match[str]) -> str:
    word = match.group()
    if _KAZAKH.search(word):
        return word
    proper = _table().get(word.lower())
    if proper is None:
        return word
    if word.isupper() and len(word) > 1:
        return proper.upper()
    return proper.capitalize() if word[0].isupper() else proper


def restore(text: str) -> str:
    """Kazakh Cyrillic with the Kazakh letters put back where the spelling is unambiguous."""
    return _WORD.sub(_restore_word, text)


def latin_to_cyrillic(text: str) -> str:
    """Latin-script Kazakh (official or ASCII) in proper Cyrillic, as far as it can be known."""
    return restore(to_cyrillic(text))
