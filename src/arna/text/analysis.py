"""All that Arna reads in texts, in batches: language, tone, toxicity, targets, category, place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from arna.geo.lookup import find as find_place
from arna.text import features, lexicon
from arna.text.artifacts import Bundle, bundle
from arna.text.lid import Language, identify_many
from arna.text.normalise import blank, clean, composed, has_words, tidy
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
            "toxic": self.toxic,
            "toxicity": self.toxicity,
            "targets": list(self.targets),
            "target_sentiment": dict(self.target_sentiment),
            "category": self.category,
            "category_top3": [[c, s] for c, s in self.category_top3],
            "place": self.place.as_dict() if self.place else None,
        }


def _vectors(b: Bundle, texts: Sequence[str], cleaned: bool = False) -> Any:
    folded = [features.fold(t if cleaned else clean(t)) for t in texts]
    return features.weigh(features.folded_counts(folded), b.idf)


def polarity_margins(b: Bundle, folded_x: Any, tone_texts: Sequence[str]) -> np.ndarray:
    """How positive rather than negative each text reads (0: even), from the polarity head:
    two linear SVMs, one over the folded features, one over the tone features (emoji and
    punctuation kept), each margin scaled by its spread on the tuning half."""
    scales = b.manifest["polarity_scales"]
    assert isinstance(scales, list)
    folded = b.polarity_folded.scores(folded_x)[:, 0] / float(scales[0])
    tone_x = features.weigh(features.tone_counts(tone_texts))
    tone = b.polarity_tone.scores(tone_x)[:, 0] / float(scales[1])
    margins: np.ndarray = folded + tone
    return margins


def sentiment_labels(
    b: Bundle, probs: np.ndarray, margins: np.ndarray, threshold: float | None = None
) -> list[tuple[str, float]]:
    """Label and score per row. The three-class model says whether a text is neutral; the
    polarity head says which way a text that is not leans: positive above `threshold` (the
    product's, even odds, unless given). The score is the text's leaning (−1…1) times how sure
    it is not neutral."""
    neu = b.sentiment.classes.index("neutral")
    if threshold is None:
        threshold = float(b.manifest["polarity_threshold"])  # type: ignore[arg-type]
    out = []
    for p, m in zip(probs, margins, strict=True):
        score = round(float((1.0 - p[neu]) * np.tanh(m - threshold)), 4)
        if p[neu] >= max(p[k] for k in range(len(p)) if k != neu):
            out.append(("neutral", score))
        else:
            out.append(("positive" if m > threshold else "negative", score))
    return out


def _place(blanked: str, lang: str, origin: list[int] | None) -> Place | None:
    """The place named in the words of the text (not inside links or @mentions)."""
    match = find_place(blanked)
    if match is None:
        return None
    unit = match.unit
    name = {"kk": unit.name_kk, "ru": unit.name_ru}.get(lang, unit.name_en)
    start, end = (origin[match.start], origin[match.end]) if origin else (match.start, match.end)
    return Place(unit.kato, name, (start, end))


def _target_sentiments(
    b: Bundle, texts: Sequence[str], hits: list[list[lexicon.Hit]], overall: list[str]
) -> list[dict[str, str]]:
    windows: list[str] = []
    owners: list[tuple[int, str]] = []
    for i, (text, found) in enumerate(zip(texts, hits, strict=True)):
        mentions: dict[str, int] = {}
        for h in found:
            # The first few mentions of a target decide; a long appeal naming the akimat
            # twenty times would otherwise cost twenty readings.
            mentions[h.label] = mentions.get(h.label, 0) + 1
            if mentions[h.label] > _MENTIONS_READ:
                continue
            windows.append(entity_window(text, h.start, h.end))
            owners.append((i, h.label))
    result: list[dict[str, str]] = [{} for _ in texts]
    if not windows:
        return result
    probs = b.entity_sentiment.probabilities(_vectors(b, windows))
    votes: list[dict[str, list[str]]] = [{} for _ in texts]
    for (i, label), p in zip(owners, probs, strict=True):
        said = b.entity_sentiment.classes[int(p.argmax())]
        # Trained on news, it hears neutrality in plain complaints: then the text's tone decides.
        votes[i].setdefault(label, []).append(said if said != "neutral" else overall[i])
    for i, per_target in enumerate(votes):
        for label, calls in per_target.items():
            # Most frequent call wins; a tie goes to the text's own tone, then to negative.
            result[i][label] = max(
                sorted(set(calls)),
                key=lambda s: (calls.count(s), s == overall[i], s == "negative"),
            )
    return result


@dataclass(frozen=True)
class _Front:
    """The shared first steps of every reading of a batch of texts."""

    normal: list[tuple[str, list[int] | None]]  # NFC text, original offsets when it differed
    blanked: list[str]
    cleaned: list[str]
    sentiments: list[tuple[str, float]]
    wordless: list[bool]  # digits, emoji, punctuation: nothing to judge
    category: np.ndarray


def _front(b: Bundle, texts: Sequence[str]) -> tuple[_Front, Any]:
    normal = [composed(t) for t in texts]
    blanked = [blank(n) for n, _ in normal]
    cleaned = [tidy(t) for t in blanked]
    x = _vectors(b, cleaned, cleaned=True)
    margins = polarity_margins(b, x, [features.tone_text(n) for n, _ in normal])
    front = _Front(
        normal=normal,
        blanked=blanked,
        cleaned=cleaned,
        sentiments=sentiment_labels(b, b.sentiment.probabilities(x), margins),
        wordless=[not has_words(t) for t in cleaned],
        category=b.category.probabilities(x),
    )
    return front, x


def _top3(b: Bundle, probs: np.ndarray) -> tuple[tuple[str, float], ...]:
    order = np.argsort(-probs)[:3]
    return tuple((b.category.classes[k], round(float(probs[k]), 4)) for k in order)


def analyze_many(texts: Sequence[str]) -> list[Analysis]:
    if not texts:
        return []
    b = bundle()
    f, x = _front(b, texts)
    texts = [n for n, _ in f.normal]  # NFC; spans are mapped back to the given text at the end
    langs = identify_many(texts, f.blanked)
    tox = b.toxicity.probabilities(x)[:, b.toxicity.classes.index("toxic")]
    tox_threshold = float(b.manifest["toxicity_threshold"])  # type: ignore[arg-type]
    tokens = [lexicon.tokenize(t) for t in f.blanked]
    target_hits = [lexicon.targets().find_in(t) for t in tokens]
    target_sent = _target_sentiments(b, texts, target_hits, [s for s, _ in f.sentiments])
    out = []
    for i in range(len(texts)):
        toxicity = float(tox[i])
        if lexicon.abusive().find_in(tokens[i]):
            toxicity = max(toxicity, _ABUSIVE_SCORE)
        top3 = _top3(b, f.category[i])
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
    `mixed`. About 40 % of the cost of `analyze_many` for a long appeal."""
    if not texts:
        return []
    b = bundle()
    f, _ = _front(b, texts)
    wanted = [i for i, need in enumerate(language) if need]
    found = identify_many(
        [f.normal[i][0] for i in wanted], [f.blanked[i] for i in wanted], code_switch=False
    )
    langs: dict[int, Language] = dict(zip(wanted, found, strict=True))
    out = []
    for i in range(len(texts)):
        lang = langs.get(i)
        wordless = f.wordless[i]
        out.append(
            Gist(
                sentiment="neutral" if wordless else f.sentiments[i][0],
                category_top3=() if wordless else _top3(b, f.category[i]),
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
