"""Names in the order of each language's alphabet, for lists people read (regions, bodies,
categories in a select; places in a table).

Python compares strings by code point, which puts Kazakh letters where Unicode happened to
encode them: Іле before Абай, Әуезов and Өскемен after Я. The Kazakh alphabet is
А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р С Т У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ъ Ы І Ь Э Ю Я, and a
Kazakh reader looks for Әуезов right after the А names. ICU would know this, but it is a large
native dependency for one table; the alphabets are written here instead and tested.

The rules, for every language:
- case does not matter (a lower-case letter comes first only when all else is equal);
- quotes, brackets, dots and hyphens are skipped («Нұр Отан» sorts under Н), a space sorts
  before any letter (word by word: "Ақ Жол" before "Ақбота");
- numbers come before letters and compare by value ("№2" before "№10");
- the page's script first: Cyrillic then Latin on kk and ru pages, Latin then Cyrillic on en;
- kk: Ё is a letter of its own after Е, І comes after Ы;
- ru: Ё sorts with Е (as in Russian dictionaries; Е before Ё when the words are otherwise the
  same); Kazakh letters in a Russian list stand right after their Russian look-alike
  (Ә after А, Ғ after Г, Қ after К, Ң after Н, Ө after О, Ұ and Ү after У, Һ after Х, І after И);
- en: A–Z, accents only break ties (e before é); Cyrillic after Latin in the Russian order.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from arna.core import i18n

_KK = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_RU = "аәбвгғдежзиійкқлмнңоөпрстуұүфхһцчшщъыьэюя"
_LATIN = "abcdefghijklmnopqrstuvwxyz"
# Letters that sort as another letter, told apart only on a tie: (letter, secondary weight).
_RU_SAME = {"ё": ("е", 1)}
_LATIN_SAME = {"ı": ("i", 1), "ø": ("o", 1), "đ": ("d", 1), "ł": ("l", 1)}

SPACE, NUMBER, FIRST, SECOND, OTHER = range(5)

Element = tuple[int, int]
SortKey = tuple[tuple[Element, ...], tuple[int, ...], tuple[int, ...], str]

_TOKENS = re.compile(r"\d+|\s+|.", re.DOTALL)


def _order(letters: str) -> dict[str, int]:
    return {letter: i for i, letter in enumerate(letters)}


_TABLES: dict[str, tuple[tuple[dict[str, int], dict[str, tuple[str, int]]], ...]] = {
    "kk": ((_order(_KK), {}), (_order(_LATIN), _LATIN_SAME)),
    "ru": ((_order(_RU), _RU_SAME), (_order(_LATIN), _LATIN_SAME)),
    "en": ((_order(_LATIN), _LATIN_SAME), (_order(_RU), _RU_SAME)),
}


def _letter(char: str, lang: str) -> tuple[Element, int] | None:
    """The primary weight of one lower-case letter and its secondary weight, or None for a
    character that is skipped (punctuation, symbols, combining marks)."""
    for group, (order, same) in zip((FIRST, SECOND), _TABLES[lang], strict=True):
        if char in order:
            return (group, order[char]), 0
        if char in same:
            base, secondary = same[char]
            return (group, order[base]), secondary
    decomposed = unicodedata.normalize("NFD", char)
    if len(decomposed) > 1:  # é, ї, ǵ: the base letter, the accent breaks ties
        found = _letter(decomposed[0], lang)
        if found is not None:
            return found[0], found[1] + len(decomposed) - 1
    if unicodedata.category(char).startswith("L"):
        return (OTHER, ord(char)), 0
    return None


@lru_cache(maxsize=8192)
def _key(text: str, lang: str) -> SortKey:
    primary: list[Element] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    for token in _TOKENS.findall(unicodedata.normalize("NFC", text).strip()):
        if token.isspace():
            if primary and primary[-1] != (SPACE, 0):
                primary.append((SPACE, 0))
            continue
        if token.isdecimal():
            primary.append((NUMBER, int(token)))
            continue
        lower = token.lower()
        found = _letter(lower, lang) if len(lower) == 1 else None
        if found is None:
            continue
        primary.append(found[0])
        secondary.append(found[1])
        tertiary.append(0 if token == lower else 1)
    while primary and primary[-1] == (SPACE, 0):
        primary.pop()
    return tuple(primary), tuple(secondary), tuple(tertiary), text


def sort_key(text: str | None, lang: str | None = None) -> SortKey:
    """A key that orders names as a reader of `lang` (default: the page's language) expects:
    `sorted(names, key=lambda n: sort_key(n, lang))`."""
    language = lang or i18n.current()
    return _key(text or "", language if language in _TABLES else "en")


def sorted_names(names: list[str], lang: str | None = None) -> list[str]:
    """`names` in the alphabetical order of `lang`."""
    return sorted(names, key=lambda name: sort_key(name, lang))
