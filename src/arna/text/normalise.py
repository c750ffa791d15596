"""Cleaning text before analysis: web debris out, letters kept, script measured.

URLs, e-mail addresses, @mentions and emoji carry no language, so they are replaced by a space
for the models; hashtags keep their words (#жолдар → жолдар). `blank` does the same without
moving anything (debris becomes spaces of the same length), for work whose offsets matter:
sentence splitting, places and targets. `composed` brings decomposed input (macOS keyboards,
PDF copies: о + ◌̈) to NFC and says where each character came from, so spans can be given back
in the caller's text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Literal

import numpy as np

Script = Literal["cyrl", "latn", "mixed", "none"]

# One pass removes what carries no language: e-mails, then links, mentions (@name, VK's
# [id1|Name]) and emoji. E-mails come first so that "a@b.kz" is not read as a link to "b.kz".
# Parts are bounded in length: unbounded `[\w.]+` restarts at every boundary of a long run of
# "a.a.a." and turns quadratic.
_EMOJI = (
    "[\U0001f000-\U0001faff\u2190-\u21ff\u2300-\u27bf\u2b00-\u2bff\ufe0f\u200d\u20e3"
    "\U000e0020-\U000e007f]"
)
_DEBRIS = re.compile(
    r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}\b"
    r"|(?:https?://|www\.)\S+|\b(?:[\w-]{1,63}\.){1,8}(?:kz|ru|com|org|net|gov)\b\S*"
    r"|(?<!\w)@\w+|\[id\d+\|[^\]]*\]"
    f"|{_EMOJI}+",
    re.I,
)
# Every piece of debris holds one of these; most texts hold none, and this search is ten times
# cheaper than the one above (which tries a domain name at every word).
_MAYBE_DEBRIS = re.compile(rf"[@\[]|://|\.\w|{_EMOJI}")
_HASH = re.compile(r"#(\w)")
# The two alphabets as code-point ranges: character classes for the regular expressions, and a
# table for counting a whole batch at once with numpy.
_CYRILLIC_RANGES = ((0x0400, 0x0481), (0x048A, 0x04FF))
_LATIN_RANGES = (
    (0x61, 0x7A),  # a-z
    (0x41, 0x5A),  # A-Z
    (0xC0, 0xD6),
    (0xD8, 0xF6),
    (0xF8, 0x24F),
    (0x1E00, 0x1EFF),
)


def _char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "[" + "".join(f"{chr(first)}-{chr(last)}" for first, last in ranges) + "]"


_CYRILLIC = _char_class(_CYRILLIC_RANGES)
_LATIN = _char_class(_LATIN_RANGES)
_ALPHABET_OF = np.zeros(0x1F00, dtype=np.int8)  # 1 Cyrillic, 2 Latin, 0 neither
for _first, _last in _CYRILLIC_RANGES:
    _ALPHABET_OF[_first : _last + 1] = 1
for _first, _last in _LATIN_RANGES:
    _ALPHABET_OF[_first : _last + 1] = 2
# Runs, not single letters: one match per word is half the cost of one per letter.
_CYRILLIC_RUN = re.compile(_CYRILLIC + "+")
_LATIN_RUN = re.compile(_LATIN + "+")
_TWO_LETTERS = re.compile(f"(?:{_CYRILLIC}|{_LATIN}).*?(?:{_CYRILLIC}|{_LATIN})", re.S)


def blank(text: str) -> str:
    """The text with debris replaced by spaces of the same length: every offset still holds."""
    if not _MAYBE_DEBRIS.search(text):
        return text
    return _DEBRIS.sub(lambda m: " " * len(m.group()), text)


def composed(text: str) -> tuple[str, list[int] | None]:
    """The NFC form of a text and, when it differs, the original offset of each of its
    characters (plus one past the end); None when the text is already NFC."""
    if unicodedata.is_normalized("NFC", text):
        return text, None
    out: list[str] = []
    origin: list[int] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or not unicodedata.combining(text[i]):
            piece = unicodedata.normalize("NFC", text[start:i])
            out.append(piece)
            origin += [start] * len(piece)
            start = i
    origin.append(len(text))
    return "".join(out), origin


def clean(text: str) -> str:
    """Text without URLs, e-mails, mentions and emoji; whitespace collapsed."""
    text = unicodedata.normalize("NFC", text)
    return tidy(_DEBRIS.sub(" ", text) if _MAYBE_DEBRIS.search(text) else text)


def tidy(text: str) -> str:
    """The last step of `clean`, for text already composed and blanked."""
    if "#" in text:
        text = _HASH.sub(r"\1", text)
    # str.split() splits at exactly the characters \s matches: the same as collapsing runs of
    # whitespace with re.sub and stripping, three times faster.
    return " ".join(text.split())


def letter_counts(text: str) -> tuple[int, int]:
    """(Cyrillic letters, Latin letters) in the text."""
    return sum(map(len, _CYRILLIC_RUN.findall(text))), sum(map(len, _LATIN_RUN.findall(text)))


def letter_counts_many(texts: Sequence[str]) -> tuple[list[int], list[int]]:
    """`letter_counts` of every text: (Cyrillic letters of each, Latin letters of each)."""
    if not texts:
        return [], []
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    owner = np.repeat(np.arange(len(texts)), np.fromiter(map(len, texts), np.int64, len(texts)))
    known = codes < len(_ALPHABET_OF)
    alphabet = _ALPHABET_OF[codes[known]]
    owner = owner[known]
    n = len(texts)
    cyr = np.bincount(owner[alphabet == 1], minlength=n)
    lat = np.bincount(owner[alphabet == 2], minlength=n)
    return cyr.tolist(), lat.tolist()


def has_words(text: str) -> bool:
    """At least two Cyrillic or Latin letters: something to judge (not only digits, emoji,
    punctuation). Stops at the second letter."""
    return _TWO_LETTERS.search(text) is not None


def script_of(text: str) -> Script:
    """cyrl or latn when one script has at least 85 % of the letters, mixed otherwise."""
    return script_from_counts(*letter_counts(text))


def script_from_counts(cyr: int, lat: int) -> Script:
    total = cyr + lat
    if total == 0:
        return "none"
    if cyr >= 0.85 * total:
        return "cyrl"
    if lat >= 0.85 * total:
        return "latn"
    return "mixed"


_SENTENCE = re.compile(r"[^.!?…\n]+[.!?…]*", re.U)


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of sentences: split at . ! ? … and line breaks, empty pieces dropped."""
    out = []
    for m in _SENTENCE.finditer(text):
        chunk = m.group()
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            out.append((m.start() + lead, m.start() + len(chunk.rstrip())))
    return out
