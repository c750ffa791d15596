"""Quotes that show what a topic sounds like: one sentence of a real post, word for word, and
only a sentence that exposes nobody.

A sentence qualifies when it holds no phone, e-mail, IIN (text.redact), @handle or link, and no
capitalised word that could be a person's name: every capitalised word after the first must be a
place (geo) or an institution (the targets lexicon), or be written in capitals (КСК, ЖКХ).
Rather no quote than a quote that names someone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from arna.geo.lookup import find_all as find_places
from arna.listening.terms import terms
from arna.text import lexicon
from arna.text.normalise import sentences
from arna.text.redact import redact

MIN_CHARS = 20
MAX_CHARS = 280
_HANDLE = re.compile(r"(?<![\w.])@\w{2,}")
_LINK = re.compile(r"https?://|www\.|t\.me/|\b\w+\.(?:kz|ru|com|org|net)\b", re.I)
_CAPITALISED = re.compile(r"(?<![\w-])[^\W\d_][^\W\d_]*", re.U)
_HANDLE_LIKE = re.compile(r"[^\W\d_]+_\w+|[^\W\d_]+\d+[^\W\d_]*|\w+_[^\W\d_]+", re.U)
# Endings of Kazakh and Russian surnames and patronymics (Сериков, Ахметова, Нұрланұлы, Пушкин).
_SURNAME = re.compile(
    r"(?:ов|ев|ёв|ова|ева|ёва|ин|ина|ын|ына|ский|ская|цкий|цкая|ұлы|улы|қызы|кызы|ович|евич|овна|евна)$"
)


def names_nobody(sentence: str) -> bool:
    """No personal data that can be seen in the sentence, and no word that may be a name: a
    capitalised word after the first, a first word shaped like a surname, or a handle written
    without its @ (a word with an underscore or digits inside)."""
    if redact(sentence) != sentence or _HANDLE.search(sentence) or _LINK.search(sentence):
        return False
    if _HANDLE_LIKE.search(sentence):
        return False
    known = [(m.start, m.end) for m in find_places(sentence)]
    known += [(h.start, h.end) for h in lexicon.targets().find(sentence)]
    for k, m in enumerate(_CAPITALISED.finditer(sentence)):
        word = m.group()
        if not word[0].isupper() or word.isupper():
            continue
        if k == 0 and not _SURNAME.search(word):
            continue  # a sentence's first word is capitalised anyway
        if not any(start <= m.start() < end for start, end in known):
            return False
    return True


def best_sentence(text: str, lang: str, centroid: Mapping[str, float]) -> tuple[str, float] | None:
    """The sentence of `text` closest to a topic (sum of its terms' weights in the centroid)
    that names nobody, exactly as written, with its score; None when no sentence qualifies."""
    found: list[tuple[float, int, str]] = []
    for start, sentence in _quotable(text):
        score = sum(centroid.get(s, 0.0) for s in {s for s, _ in terms(sentence, lang)})
        if score > 0:
            found.append((score, start, sentence))
    for score, _, sentence in sorted(found, key=lambda f: (-f[0], f[1])):
        if names_nobody(sentence):
            return sentence, round(score, 4)
    return None


def sentence_naming(text: str, target: str) -> str | None:
    """The first sentence of `text` that names `target` (a targets lexicon label) and
    nobody, exactly as written; None when there is none."""
    for _, sentence in _quotable(text):
        named = any(h.label == target for h in lexicon.targets().find(sentence))
        if named and names_nobody(sentence):
            return sentence
    return None


def _quotable(text: str) -> Iterator[tuple[int, str]]:
    """(start, sentence) of each sentence of `text` of a quotable length, exactly as written."""
    for start, end in sentences(text) or [(0, len(text))]:
        if MIN_CHARS <= end - start <= MAX_CHARS:
            yield start, text[start:end]
