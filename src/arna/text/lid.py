"""Language and script identification: kk / ru / en / mixed / other, cyrl / latn / mixed.

One character n-gram model (trained by `arna text train`) tells Kazakh, Russian, English,
Kyrgyz, Tatar, Uzbek and other languages apart; Kazakh in Latin script is Kazakh. Kyrgyz, Tatar
and Uzbek are reported as `other` — they are learnt only so they are not called Kazakh. A text
is `mixed` when its sentences are in different languages, or when enough of its lower-case
words are confidently in a second language (code-switching inside a sentence).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

import numpy as np

from arna.text import features
from arna.text.artifacts import bundle
from arna.text.normalise import (
    Script,
    blank,
    letter_counts,
    script_from_counts,
    script_of,
    sentences,
    tidy,
)

Lang = Literal["kk", "ru", "en", "mixed", "other"]
REPORTED = {"kk": "kk", "ru": "ru", "en": "en"}
# A second language counts when it holds at least this share of the letters of the confidently
# identified words, in at least _MIXED_WORDS words: a Russian loanword or two in a Kazakh
# sentence (ремонт, маршрутка) does not make it mixed.
# Capitalised words are left out: names and loan-word titles (Бразилия, Назарбаев) are not
# code-switching. Settings chosen on the dev examples, KazSAnDRA validation and RuSentNE
# validation sentences, never on lid_eval.
_MIXED_SHARE = 0.25
_MIXED_WORDS = 3
_WORD_CONFIDENCE = 0.6
_MIN_LETTERS = 2
_WORD = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True)
class SentenceLanguage:
    start: int
    end: int
    lang: str
    script: Script
    confidence: float


@dataclass(frozen=True)
class Language:
    lang: str
    script: Script
    confidence: float
    sentences: tuple[SentenceLanguage, ...]


def _reported(label: str) -> str:
    return REPORTED.get(label, "other")


def identify_many(
    texts: list[str], blanked: list[str] | None = None, *, code_switch: bool = True
) -> list[Language]:
    """Language of each text and of each of its sentences, classified in one batch.

    `blanked`, when given, is the texts already NFC and passed through `normalise.blank`.
    Without `code_switch`, words are not read one by one (40 % of the cost): a text whose
    sentences are each in one language but mix kk and ru inside them is called by its main
    language instead of `mixed`."""
    if blanked is None:
        blanked = [blank(unicodedata.normalize("NFC", t)) for t in texts]
    pieces: list[str] = []
    owners: list[tuple[int, int, int]] = []
    for i, text in enumerate(blanked):
        # Links and e-mails are blanked first: their dots are not sentence ends.
        for start, end in sentences(text) or [(0, len(text))]:
            pieces.append(tidy(text[start:end]))
            owners.append((i, start, end))
    model = bundle().lid
    probs = (
        model.probabilities(features.weigh(features.raw_counts(pieces)))
        if pieces
        else np.zeros((0, 0))
    )
    per_text: list[list[SentenceLanguage]] = [[] for _ in texts]
    weights: list[list[int]] = [[] for _ in texts]
    for row, (piece, (i, start, end)) in enumerate(zip(pieces, owners, strict=True)):
        k = int(probs[row].argmax())
        cyr, lat = letter_counts(piece)
        n = cyr + lat
        label = model.classes[k] if n >= _MIN_LETTERS else "other"
        script = script_from_counts(cyr, lat)
        per_text[i].append(
            SentenceLanguage(start, end, _reported(label), script, float(probs[row, k]))
        )
        weights[i].append(n)
    cleaned = [tidy(t) for t in blanked]
    word_langs = _word_languages(cleaned) if code_switch else {}
    return [
        _combine(text, sents, w, word_langs)
        for text, sents, w in zip(cleaned, per_text, weights, strict=True)
    ]


def _word_languages(cleaned: list[str]) -> dict[str, str]:
    """kk, ru or en for every word of the (cleaned) batch the model is sure of."""
    words = sorted({w for t in cleaned for w in _lower_words(t)})
    if not words:
        return {}
    model = bundle().lid
    probs = model.probabilities(features.weigh(features.raw_counts(words)))
    best = probs.argmax(axis=1)
    return {
        w: model.classes[k]
        for w, k, p in zip(words, best, probs.max(axis=1), strict=True)
        if p >= _WORD_CONFIDENCE and model.classes[k] in REPORTED
    }


def _lower_words(cleaned: str) -> list[str]:
    return [w for w in _WORD.findall(cleaned) if w[0].islower()]


def _code_switched(cleaned: str, word_langs: dict[str, str]) -> bool:
    letters: dict[str, int] = {}
    count: dict[str, int] = {}
    for w in _lower_words(cleaned):
        lang = word_langs.get(w)
        if lang:
            letters[lang] = letters.get(lang, 0) + len(w)
            count[lang] = count.get(lang, 0) + 1
    total = sum(letters.values())
    present = [
        k for k in letters if letters[k] >= _MIXED_SHARE * total and count[k] >= _MIXED_WORDS
    ]
    return len(present) >= 2


def _combine(
    cleaned: str, sents: list[SentenceLanguage], weights: list[int], word_langs: dict[str, str]
) -> Language:
    script = script_of(cleaned)
    total = sum(weights)
    if total < _MIN_LETTERS:
        return Language("other", script, 1.0, tuple(sents))
    share: dict[str, float] = {}
    for s, w in zip(sents, weights, strict=True):
        share[s.lang] = share.get(s.lang, 0.0) + w / total
    ranked = sorted(share.items(), key=lambda kv: -kv[1])
    lang, top = ranked[0]
    known = [k for k, v in ranked if k != "other" and v >= _MIXED_SHARE]
    if len(known) >= 2 or (lang in REPORTED and _code_switched(cleaned, word_langs)):
        lang = "mixed"
    confidence = sum(s.confidence * w for s, w in zip(sents, weights, strict=True)) / total
    return Language(lang, script, round(confidence * top, 4), tuple(sents))


def identify(text: str) -> Language:
    return identify_many([text])[0]
