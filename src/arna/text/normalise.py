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

# One pass removes what carries no language: e-mails, then links, mentions (@name, VK's
# [id1|Name]) and emoji. E-mails come first so that "a@b.kz" is not read as a link to "b.kz".
_DEBRIS = re.compile(
    r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b"
    r"|(?:https?://|www\.)\S+|\b[\w.-]+\.(?:kz|ru|com|org|net|gov)\b\S*"
    r"|(?<!\w)@\w+|\[id\d+\|[^\]]*\]"
    "|[\U0001f000-\U0001faff\u2190-\u21ff\u2300-\u27bf\u2b00-\u2bff\ufe0f\u200d\u20e3"
    "\U000e0020-\U000e007f]+",
    re.I,
)
_HASH = re.compile(r"#(\w)")
_SPACES = re.compile(r"\s+")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u0481\u048A-\u04FF]")
_LATIN_LETTER = re.compile(r"[a-zA-Z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF]")


def clean(text: str) -> str:
    """Text without URLs, e-mails, mentions and emoji; whitespace collapsed."""
    text = _DEBRIS.sub(" ", unicodedata.normalize("NFC", text))
    if "#" in text:
        text = _HASH.sub(r"\1", text)
    return _SPACES.sub(" ", text).strip()


def letter_counts(text: str) -> tuple[int, int]:
    """(Cyrillic letters, Latin letters) in the text."""
    return _CYRILLIC_LETTER.subn("", text)[1], _LATIN_LETTER.subn("", text)[1]


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
