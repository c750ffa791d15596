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
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from arna.text import features
from arna.text.artifacts import bundle
from arna.text.normalise import (
    Script,
    blank,
    letter_counts_many,
    script_from_counts,
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
    if not pieces:
        return []
    model = bundle().lid
    probs = model.probabilities(features.weigh(features.raw_counts(pieces)))
    best = probs.argmax(axis=1)
    sure = probs[np.arange(len(pieces)), best].tolist()
    per_text: list[list[SentenceLanguage]] = [[] for _ in texts]
    weights: list[list[int]] = [[] for _ in texts]
    # Every letter of a text is in one of its sentences: their counts add up to the text's.
    letters = [[0, 0] for _ in texts]
    rows = zip(owners, best.tolist(), sure, *letter_counts_many(pieces), strict=True)
    for (i, start, end), k, p, cyr, lat in rows:
        label = model.classes[k] if cyr + lat >= _MIN_LETTERS else "other"
        script = script_from_counts(cyr, lat)
        per_text[i].append(SentenceLanguage(start, end, _reported(label), script, p))
        weights[i].append(cyr + lat)
        letters[i][0] += cyr
        letters[i][1] += lat
    main = [_main_language(s, w) for s, w in zip(per_text, weights, strict=True)]
    if code_switch:
        _mark_code_switching(blanked, main)
    return [
        _language(s, w, script_from_counts(*c), m)
        for s, w, c, m in zip(per_text, weights, letters, main, strict=True)
    ]


def _main_language(sents: list[SentenceLanguage], weights: list[int]) -> tuple[str, float]:
    """The language of most of the letters (`mixed` when sentences in two languages each hold
    a good share) and its share; `other` for a text of fewer than _MIN_LETTERS letters."""
    total = sum(weights)
    if total < _MIN_LETTERS:
        return "other", 1.0
    if len(sents) == 1:
        return sents[0].lang, 1.0  # the only sentence holds every letter
    share: dict[str, float] = {}
    for s, w in zip(sents, weights, strict=True):
        share[s.lang] = share.get(s.lang, 0.0) + w / total
    ranked = sorted(share.items(), key=lambda kv: -kv[1])
    lang, top = ranked[0]
    known = [k for k, v in ranked if k != "other" and v >= _MIXED_SHARE]
    return ("mixed" if len(known) >= 2 else lang), top


def _language(
    sents: list[SentenceLanguage], weights: list[int], script: Script, main: tuple[str, float]
) -> Language:
    total = sum(weights)
    if total < _MIN_LETTERS:
        return Language("other", script, 1.0, tuple(sents))
    lang, top = main
    confidence = sum(s.confidence * w for s, w in zip(sents, weights, strict=True)) / total
    return Language(lang, script, round(confidence * top, 4), tuple(sents))


def _mark_code_switching(blanked: list[str], main: list[tuple[str, float]]) -> None:
    """Call `mixed` the texts whose lower-case words are confidently in two languages."""
    words: dict[int, list[str]] = {}
    for i, (lang, _) in enumerate(main):
        if lang in REPORTED:
            text = blanked[i]
            # Tidying only moves spaces, which no word holds, unless it joins a #hashtag.
            found = _lower_words(tidy(text) if "#" in text else text)
            # Two languages of at least _MIXED_WORDS words each: shorter texts cannot switch.
            if len(found) >= 2 * _MIXED_WORDS:
                words[i] = found
    if not words:
        return
    word_langs = _word_languages(words.values())
    for i, found in words.items():
        if _code_switched(found, word_langs):
            main[i] = ("mixed", main[i][1])


class _WordCache:
    """The language of each word the model has read, for the model that read it: words recur
    across batches even when texts do not."""

    LIMIT = 100_000

    def __init__(self) -> None:
        self.model: object = None
        self.langs: dict[str, str | None] = {}

    def for_model(self, model: object) -> dict[str, str | None]:
        if self.model is not model or len(self.langs) > self.LIMIT:
            self.model, self.langs = model, {}
        return self.langs


_WORD_CACHE = _WordCache()


def _word_languages(texts_words: Iterable[list[str]]) -> dict[str, str | None]:
    """kk, ru or en for every word the model is sure of (None for the others)."""
    model = bundle().lid
    langs = _WORD_CACHE.for_model(model)
    new = sorted({w for found in texts_words for w in found if w not in langs})
    if new:
        probs = model.probabilities(features.weigh(features.raw_counts(new)))
        best = probs.argmax(axis=1).tolist()
        for w, k, p in zip(new, best, probs.max(axis=1).tolist(), strict=True):
            label = model.classes[k]
            langs[w] = label if p >= _WORD_CONFIDENCE and label in REPORTED else None
    return langs


def _lower_words(cleaned: str) -> list[str]:
    return [w for w in _WORD.findall(cleaned) if w[0].islower()]


def _code_switched(words: list[str], word_langs: dict[str, str | None]) -> bool:
    if len(set(map(word_langs.get, words)) - {None}) < 2:
        return False  # most texts: every sure word in one language
    letters: dict[str, int] = {}
    count: dict[str, int] = {}
    for w in words:
        lang = word_langs.get(w)
        if lang:
            letters[lang] = letters.get(lang, 0) + len(w)
            count[lang] = count.get(lang, 0) + 1
    total = sum(letters.values())
    present = [
        k for k in letters if letters[k] >= _MIXED_SHARE * total and count[k] >= _MIXED_WORDS
    ]
    return len(present) >= 2


def identify(text: str) -> Language:
    return identify_many([text])[0]
