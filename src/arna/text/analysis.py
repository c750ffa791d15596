"""All that Arna reads in texts, in batches: language, tone, toxicity, targets, category, place."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from arna.core.collector import fewer_collections
from arna.geo.lookup import find as find_place
from arna.text import features, lexicon
from arna.text.artifacts import Bundle, bundle
from arna.text.folding import fold_many
from arna.text.lid import Language, identify_many
from arna.text.normalise import blank, clean, composed, has_words, tidy
from arna.text.tone_model import CLASSES, tone_vectors
from arna.text.training import entity_window

_ABUSIVE_SCORE = 0.9
_MENTIONS_READ = 3  # a word from the abusive lexicon makes a text toxic whatever the model says


@dataclass(frozen=True)
class Place:
    kato: str
    name: str
    span: tuple[int, int]

    def as_dict(self) -> dict[str, Any]:
        return {"kato": self.kato, "name": self.name, "span": list(self.span)}


@dataclass(frozen=True)
class Analysis:
    lang: str
    script: str
    sentiment: str
    sentiment_score: float
    tone: tuple[float, float, float]  # probabilities of negative, neutral, positive
    genre: str  # which kind of text it reads like: reviews_kk, social_ru, …, appeals
    toxic: bool
    toxicity: float
    targets: tuple[str, ...]
    target_sentiment: dict[str, str]
    category: str | None
    category_top3: tuple[tuple[str, float], ...]
    place: Place | None
    language: Language | None = field(default=None, compare=False, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "script": self.script,
            "sentiment": self.sentiment,
            "sentiment_score": self.sentiment_score,
            "tone": dict(zip(CLASSES, self.tone, strict=True)),
            "genre": self.genre,
            "toxic": self.toxic,
            "toxicity": self.toxicity,
            "targets": list(self.targets),
            "target_sentiment": dict(self.target_sentiment),
            "category": self.category,
            "category_top3": [[c, s] for c, s in self.category_top3],
            "place": self.place.as_dict() if self.place else None,
        }


def _vectors(b: Bundle, texts: Sequence[str], cleaned: bool = False) -> Any:
    folded = fold_many(texts if cleaned else [clean(t) for t in texts])
    return features.weigh(features.folded_counts(folded), b.idf)


def folded_vectors(texts: Sequence[str]) -> Any:
    """The rows every model reads: folded n-grams of each text, tf-idf, unit length."""
    return _vectors(bundle(), texts)


def tone_probabilities(b: Bundle, texts: Sequence[str]) -> np.ndarray:
    """Probabilities of negative, neutral, positive (n × 3) for each text."""
    return tone_and_genre(b, texts)[0]


def tone_and_genre(b: Bundle, texts: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Tone probabilities (n × 3) and the genre each text reads like most."""
    normal, _, cleaned = _prepared(texts)
    return _read_tone(b, _vectors(b, cleaned, cleaned=True), [n for n, _ in normal])


def _read_tone(b: Bundle, folded_x: Any, texts: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    tone, genres = b.tone.read(tone_vectors(folded_x, [features.tone_text(t) for t in texts]))
    return tone, [b.tone.genres[k] for k in genres.argmax(axis=1)]


def sentiment_labels(tone: np.ndarray) -> list[tuple[str, float]]:
    """Label (the likeliest class) and score (positive minus negative probability, −1…1)."""
    labels = [CLASSES[k] for k in tone.argmax(axis=1).tolist()]
    scores = (tone[:, 2] - tone[:, 0]).tolist()
    return [(label, round(score, 4)) for label, score in zip(labels, scores, strict=True)]


def _place(blanked: str, lang: str, origin: list[int] | None) -> Place | None:
    """The place named in the words of the text (not inside links or @mentions)."""
    match = find_place(blanked)
    if match is None:
        return None
    unit = match.unit
    name = {"kk": unit.name_kk, "ru": unit.name_ru}.get(lang, unit.name_en)
    start, end = (origin[match.start], origin[match.end]) if origin else (match.start, match.end)
    return Place(unit.kato, name, (start, end))


_SENTENCE_END = re.compile(r"[.!?…\n]+")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence that holds the span [start, end) of `text`, with the marks that end it
    ("!!!" says how it is meant)."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right = _SENTENCE_END.search(text, end)
    return text[left : right.end() if right else len(text)]


def mention_tones(
    b: Bundle,
    texts: Sequence[str],
    spans: Sequence[tuple[int, int, int]],
    text_tones: np.ndarray | None = None,
) -> np.ndarray:
    """Tone toward each mention (text index, start, end): n × 3 probabilities. The
    entity-sentiment model reads the words around it; trained on news, it hears neutrality in
    plain complaints, so where it says neutral the tone of the mention's own sentence decides
    (not the whole text's: "thanks to the police; the water utility does nothing" has two).
    `text_tones`, the tone of each whole text when already read, serves a sentence that is
    the whole text."""
    if not spans:
        return np.zeros((0, len(CLASSES)))
    windows = [entity_window(texts[i], s, e) for i, s, e in spans]
    order = [b.entity_sentiment.classes.index(c) for c in CLASSES]
    out: np.ndarray = b.entity_sentiment.probabilities(_vectors(b, windows))[:, order]
    unread: list[tuple[int, str]] = []  # row of out, sentence
    for k in np.flatnonzero(out.argmax(axis=1) == CLASSES.index("neutral")).tolist():
        i, start, end = spans[k]
        sentence = sentence_around(texts[i], start, end)
        if text_tones is not None and sentence.strip() == texts[i].strip():
            out[k] = text_tones[i]
        else:
            unread.append((k, sentence))
    if unread:
        sentences = [sentence for _, sentence in unread]
        out[[k for k, _ in unread]] = _read_tone(b, _vectors(b, sentences), sentences)[0]
    return out


def _target_sentiments(
    b: Bundle, texts: Sequence[str], hits: list[list[lexicon.Hit]], tones: np.ndarray
) -> list[dict[str, str]]:
    spans: list[tuple[int, int, int]] = []
    owners: list[str] = []
    for i, found in enumerate(hits):
        mentions: dict[str, int] = {}
        for h in found:
            # The first few mentions of a target decide; a long appeal naming the akimat
            # twenty times would otherwise cost twenty readings.
            mentions[h.label] = mentions.get(h.label, 0) + 1
            if mentions[h.label] <= _MENTIONS_READ:
                spans.append((i, h.start, h.end))
                owners.append(h.label)
    result: list[dict[str, str]] = [{} for _ in texts]
    sums: list[dict[str, np.ndarray]] = [{} for _ in texts]
    read = mention_tones(b, texts, spans, tones)
    for (i, _, _), label, p in zip(spans, owners, read, strict=True):
        sums[i][label] = sums[i].get(label, 0) + p
    for i, per_target in enumerate(sums):
        for label, total in per_target.items():
            result[i][label] = CLASSES[int(np.argmax(total))]
    return result


@dataclass(frozen=True)
class _Front:
    """The shared first steps of every reading of a batch of texts."""

    normal: list[tuple[str, list[int] | None]]  # NFC text, original offsets when it differed
    blanked: list[str]
    cleaned: list[str]
    sentiments: list[tuple[str, float]]
    tone: np.ndarray  # n × 3: negative, neutral, positive
    genre: list[str]  # the kind of text each reads like most (the tone model's genres)
    wordless: list[bool]  # digits, emoji, punctuation: nothing to judge
    category: np.ndarray
    toxicity: list[float]  # the model's probability that each text is toxic


def _prepared(
    texts: Sequence[str],
) -> tuple[list[tuple[str, list[int] | None]], list[str], list[str]]:
    """(NFC texts with their original offsets, links and mentions blanked, then tidied)."""
    normal = [composed(t) for t in texts]
    blanked = [blank(n) for n, _ in normal]
    return normal, blanked, [tidy(t) for t in blanked]


def _front(b: Bundle, texts: Sequence[str]) -> _Front:
    normal, blanked, cleaned = _prepared(texts)
    x = _vectors(b, cleaned, cleaned=True)
    tone, genres = _read_tone(b, x, [n for n, _ in normal])
    category, toxicity = b.category_and_toxicity.scores(x)
    toxic = b.toxicity.probabilities_of(toxicity)[:, b.toxicity.classes.index("toxic")]
    return _Front(
        normal=normal,
        blanked=blanked,
        cleaned=cleaned,
        sentiments=sentiment_labels(tone),
        tone=tone,
        genre=genres,
        wordless=[not has_words(t) for t in cleaned],
        category=b.category.probabilities_of(category),
        toxicity=toxic.tolist(),
    )


def _rounded(tone: np.ndarray) -> list[tuple[float, float, float]]:
    """Each row's three probabilities to 4 places."""
    return [(round(a, 4), round(b, 4), round(c, 4)) for a, b, c in tone.tolist()]


def _top3s(b: Bundle, probs: np.ndarray) -> list[tuple[tuple[str, float], ...]]:
    """The three likeliest categories of each row, sorted for the whole batch at once."""
    order = np.argsort(-probs, axis=1)[:, :3]
    top = np.take_along_axis(probs, order, axis=1).tolist()
    n = b.category.classes
    # Spelled out rather than a generator per row: half the cost, at thousands of rows a second.
    return [
        ((n[i], round(x, 4)), (n[j], round(y, 4)), (n[k], round(z, 4)))
        for (i, j, k), (x, y, z) in zip(order.tolist(), top, strict=True)
    ]


def analyze_many(texts: Sequence[str]) -> list[Analysis]:
    if not texts:
        return []
    # Reading a batch makes hundreds of thousands of short-lived lists and tuples: at the
    # default pace the collector walks them every 700 allocations for nothing.
    with fewer_collections():
        return _analyze_many(texts)


def _analyze_many(texts: Sequence[str]) -> list[Analysis]:
    b = bundle()
    f = _front(b, texts)
    texts = [n for n, _ in f.normal]  # NFC; spans are mapped back to the given text at the end
    langs = identify_many(texts, f.blanked)
    top3s = _top3s(b, f.category)
    tox_threshold = float(b.manifest["toxicity_threshold"])  # type: ignore[arg-type]
    tokens = [lexicon.tokenize(t) for t in f.blanked]
    target_hits = [lexicon.targets().find_in(t) for t in tokens]
    target_sent = _target_sentiments(b, texts, target_hits, f.tone)
    tones = _rounded(f.tone)
    out = []
    for i in range(len(texts)):
        toxicity = f.toxicity[i]
        if lexicon.abusive().find_in(tokens[i]):
            toxicity = max(toxicity, _ABUSIVE_SCORE)
        top3 = top3s[i]
        seen: list[str] = []
        for h in target_hits[i]:
            if h.label not in seen:
                seen.append(h.label)
        lang = langs[i]
        wordless = f.wordless[i]
        out.append(
            Analysis(
                lang=lang.lang,
                script=lang.script,
                sentiment="neutral" if wordless else f.sentiments[i][0],
                sentiment_score=0.0 if wordless else f.sentiments[i][1],
                tone=(0.0, 1.0, 0.0) if wordless else tones[i],
                genre=f.genre[i],
                toxic=toxicity >= tox_threshold,
                toxicity=round(toxicity, 4),
                targets=tuple(seen),
                target_sentiment=target_sent[i],
                category=None if wordless else top3[0][0],
                category_top3=() if wordless else top3,
                place=_place(f.blanked[i], lang.lang, f.normal[i][1]),
                language=lang,
            )
        )
    return out


@dataclass(frozen=True)
class Gist:
    """What a new appeal needs from its text to be routed and acknowledged: the same values as
    `Analysis` gives, without targets and toxicity, and language and place only when asked."""

    sentiment: str
    category_top3: tuple[tuple[str, float], ...]
    language: Language | None
    place: Place | None

    @property
    def lang(self) -> str | None:
        return self.language.lang if self.language else None


def gist_many(
    texts: Sequence[str], *, language: Sequence[bool], place: Sequence[bool]
) -> list[Gist]:
    """The gist of each text; `language[i]` and `place[i]` say whether text i needs them (an
    appeal that names its language or its KATO code does not). The language is read sentence
    by sentence but not word by word: an appeal needs its main language, not whether it is
    `mixed`; no toxicity and no targets."""
    if not texts:
        return []
    b = bundle()
    f = _front(b, texts)
    wanted = [i for i, need in enumerate(language) if need]
    found = identify_many(
        [f.normal[i][0] for i in wanted], [f.blanked[i] for i in wanted], code_switch=False
    )
    langs: dict[int, Language] = dict(zip(wanted, found, strict=True))
    top3s = _top3s(b, f.category)
    out = []
    for i in range(len(texts)):
        lang = langs.get(i)
        wordless = f.wordless[i]
        out.append(
            Gist(
                sentiment="neutral" if wordless else f.sentiments[i][0],
                category_top3=() if wordless else top3s[i],
                language=lang,
                place=(
                    _place(f.blanked[i], lang.lang if lang else "en", f.normal[i][1])
                    if place[i]
                    else None
                ),
            )
        )
    return out


def analyze(text: str) -> Analysis:
    return analyze_many([text])[0]
