"""Cleaning text before analysis: web debris out, letters kept, script measured.

URLs, e-mail addresses, @mentions and emoji carry no language, so they are replaced by a space
for language identification; hashtags keep their words (#жолдар → жолдар). Offsets are not
preserved here: place spans are found on the original text.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

Script = Literal["cyrl", "latn", "mixed", "none"]

_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:kz|ru|com|org|net|gov)\b\S*", re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_MENTION = re.compile(r"(?<!\w)@\w+|\[id\d+\|[^\]]*\]")
_HASH = re.compile(r"#(\w)")
_SPACES = re.compile(r"\s+")


def _is_emoji(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat in ("So", "Sk", "Cs") or 0x1F000 <= ord(ch) <= 0x1FAFF


def clean(text: str) -> str:
    """Text without URLs, e-mails, mentions and emoji; whitespace collapsed."""
    text = unicodedata.normalize("NFC", text)
    text = _EMAIL.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _MENTION.sub(" ", text)
    text = _HASH.sub(r"\1", text)
    if any(ord(ch) > 0x2000 for ch in text):
        text = "".join(" " if _is_emoji(ch) else ch for ch in text)
    return _SPACES.sub(" ", text).strip()


def letter_counts(text: str) -> tuple[int, int]:
    """(Cyrillic letters, Latin letters) in the text."""
    cyr = lat = 0
    for ch in text:
        o = ord(ch)
        if 0x0400 <= o <= 0x04FF:
            cyr += ch.isalpha()
        elif ch.isalpha() and (o < 0x0250 or 0x1E00 <= o <= 0x1EFF):
            lat += 1
    return cyr, lat


def script_of(text: str) -> Script:
    """cyrl or latn when one script has at least 85 % of the letters, mixed otherwise."""
    cyr, lat = letter_counts(text)
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
