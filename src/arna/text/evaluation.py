"""Measuring every model on data it never trained on, each figure beside a majority baseline."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score

from arna.text import corpora
from arna.text.analysis import analyze_many
from arna.text.artifacts import bundle
from arna.text.baselines import in_domain_predictions
from arna.text.lid import identify_many
from arna.text.tone import probabilities as tone_probabilities
from arna.text.tone_model import CLASSES
from arna.text.training import entity_window, held_out, toxicity_split

SHORT = 20
Step = Callable[[str], None]


def _r(x: Any) -> float:
    return round(float(x), 4)


def _macro(truth: list[str], pred: list[str], labels: list[str] | None = None) -> float:
    return _r(f1_score(truth, pred, average="macro", labels=labels, zero_division=0))


def _macro_f1s(truth: np.ndarray, pred: np.ndarray, k: int) -> np.ndarray:
    """Macro-F1 of each row of `pred` (replicates × n class indices) against the same rows of
    `truth`; a class with no true and no predicted text scores 0, as scikit-learn's."""
    cells = truth * k + pred + (k * k) * np.arange(len(truth))[:, None]
    confusion = np.bincount(cells.ravel(), minlength=len(truth) * k * k).reshape(-1, k, k)
    tp = np.diagonal(confusion, axis1=1, axis2=2)
    wrong = confusion.sum(axis=1) + confusion.sum(axis=2) - 2 * tp  # false pos. + false neg.
    f1 = np.divide(2 * tp, 2 * tp + wrong, out=np.zeros(tp.shape), where=(2 * tp + wrong) > 0)
    out: np.ndarray = f1.mean(axis=1)
    return out


def difference_interval(
    truth: list[str], ours: list[str], theirs: list[str], *, replicates: int = 2000, seed: int = 0
) -> list[float]:
    """95 % paired-bootstrap interval of macro-F1(ours) − macro-F1(theirs) on the same texts:
    whether a gap between two models on one test split is more than the split's own noise."""
    classes = list(CLASSES)
    t, a, b = (np.array([classes.index(v) for v in vs]) for vs in (truth, ours, theirs))
    rows = np.random.default_rng(seed).integers(0, len(t), size=(replicates, len(t)))
    k = len(classes)
    gaps = _macro_f1s(t[rows], a[rows], k) - _macro_f1s(t[rows], b[rows], k)
    low, high = np.quantile(gaps, [0.025, 0.975])
    return [_r(low), _r(high)]


def language(root: Path) -> dict[str, Any]:
    items = corpora.lid_eval(root)
    # Kyrgyz, Tatar and Uzbek sentences trained on are left out; only the held-out half counts.
    items = [i for i in items if i.lang in ("kk", "ru", "en") or held_out(i.text)]
    found = identify_many([i.text for i in items])
    groups: dict[str, list[bool]] = defaultdict(list)
    for item, lang in zip(items, found, strict=True):
        ok = lang.lang == item.lang if item.lang in ("kk", "ru", "en") else lang.lang != "kk"
        length = "short" if len(item.text) <= SHORT else "long"
        groups[f"{item.subset}/{length}"].append(ok)
    majority = Counter(i.lang for i in items).most_common(1)[0][0]
    out: dict[str, Any] = {}
    for key in sorted(groups):
        subset = key.split("/")[0]
        truth = next(i.lang for i in items if i.subset == subset)
        metric = "accuracy" if truth in ("kk", "ru", "en") else "not_called_kk"
        base = (majority == truth) if metric == "accuracy" else (majority != "kk")
        out[key] = {
            "n": len(groups[key]),
            metric: _r(np.mean(groups[key])),
            "baseline": _r(base),
        }
    out["_majority_class"] = majority
    return out


def _three(truth: list[str], pred: list[str]) -> dict[str, Any]:
    per_class = f1_score(truth, pred, labels=list(CLASSES), average=None, zero_division=0)
    neutral = [p == "neutral" for t, p in zip(truth, pred, strict=True) if t == "neutral"]
    return {
        "n": len(truth),
        "macro_f1": _macro(truth, pred, list(CLASSES)),
        "per_class_f1": {k: _r(v) for k, v in zip(CLASSES, per_class, strict=True)},
        "neutral_recall": _r(np.mean(neutral)) if neutral else None,
        "called_negative": _r(np.mean([p == "negative" for p in pred])),
        "truly_negative": _r(np.mean([t == "negative" for t in truth])),
    }


def tone(root: Path, step: Step) -> dict[str, Any]:
    """Each comment corpus's test split: the tone model beside the in-domain reference (trained
    on that corpus alone) and the majority class; ru_cedr also by source (news, blogs, tweets)."""
    out: dict[str, Any] = {}
    for corpus in corpora.TONE_CORPORA:
        step(f"tone: {corpus}")
        test = corpora.sent3(root, corpus, "test")
        truth = [t.label for t in test]
        pred = [CLASSES[int(k)] for k in tone_probabilities([t.text for t in test]).argmax(axis=1)]
        train = corpora.sent3(root, corpus, "train")
        reference = in_domain_predictions(
            [t.text for t in train], [t.label for t in train], [t.text for t in test]
        )
        majority = Counter(t.label for t in train).most_common(1)[0][0]
        out[corpus] = {
            **_three(truth, pred),
            "in_domain_macro_f1": _macro(truth, list(reference), list(CLASSES)),
            "difference_interval": difference_interval(truth, pred, list(reference)),
            "baseline_macro_f1": _macro(truth, [majority] * len(truth), list(CLASSES)),
            "domain": corpora.TONE_DOMAIN[corpus],
            "lang": corpus[:2],
        }
        sources = corpora.sent3_sources(root, corpus)
        if sources:
            out[corpus]["by_source"] = {
                source: {
                    **_three([truth[i] for i in idx], [pred[i] for i in idx]),
                    "in_domain_macro_f1": _macro(
                        [truth[i] for i in idx], [reference[i] for i in idx], list(CLASSES)
                    ),
                    "difference_interval": difference_interval(
                        [truth[i] for i in idx], [pred[i] for i in idx], [reference[i] for i in idx]
                    ),
                }
                for source in sorted(set(sources))
                for idx in [[i for i, s in enumerate(sources) if s == source]]
            }
    return out


def polarity(root: Path) -> dict[str, Any]:
    """KazSAnDRA test (positive or negative only): which of the two the model finds likelier."""
    test = corpora.kazsandra(root, "05_pc_test")
    p = tone_probabilities([t.text for t in test])
    pred = ["positive" if row[2] > row[0] else "negative" for row in p]
    truth = [t.label for t in test]
    labels = ["negative", "positive"]
    majority = Counter(truth).most_common(1)[0][0]
    per_class = f1_score(truth, pred, labels=labels, average=None, zero_division=0)
    return {
        "n": len(test),
        "macro_f1": _macro(truth, pred, labels),
        "per_class_f1": {k: _r(v) for k, v in zip(labels, per_class, strict=True)},
        "called_neutral": _r(np.mean(p.argmax(axis=1) == CLASSES.index("neutral"))),
        "baseline_macro_f1": _macro(truth, [majority] * len(truth), labels),
        "previous_model_macro_f1": 0.8012,
    }


def entity_sentiment(root: Path) -> dict[str, Any]:
    rows = corpora.rusentne(root, "validation")
    seen = {r.sentence for r in corpora.rusentne(root, "train")}
    from arna.text.analysis import _vectors, mention_tones

    probs = mention_tones(
        bundle(), [r.sentence for r in rows], [(i, r.start, r.end) for i, r in enumerate(rows)]
    )
    pred = [CLASSES[int(k)] for k in probs.argmax(axis=1)]
    b = bundle()
    alone = b.entity_sentiment.probabilities(
        _vectors(b, [entity_window(r.sentence, r.start, r.end) for r in rows])
    )
    entity_only = [b.entity_sentiment.classes[int(k)] for k in alone.argmax(axis=1)]
    truth = [r.label for r in rows]
    majority = [Counter(truth).most_common(1)[0][0]] * len(truth)
    pn = ["negative", "positive"]
    # RuSentNE repeats sentences across splits (with other entities); the unseen ones are the
    # honest figure.
    new = [i for i, r in enumerate(rows) if r.sentence not in seen]
    return {
        "n": len(rows),
        "macro_f1": _macro(truth, pred),
        "macro_f1_pos_neg": _macro(truth, pred, pn),
        "n_unseen_sentences": len(new),
        "macro_f1_unseen_sentences": _macro([truth[i] for i in new], [pred[i] for i in new]),
        "baseline_macro_f1": _macro(truth, majority),
        "baseline_macro_f1_pos_neg": _macro(truth, majority, pn),
        "entity_model_alone_macro_f1": _macro(truth, entity_only),
        "entity_model_alone_macro_f1_pos_neg": _macro(truth, entity_only, pn),
    }


def toxicity(root: Path) -> dict[str, Any]:
    _, test = toxicity_split(root)
    found = analyze_many([t.text for t in test])
    truth = [t.label == "toxic" for t in test]
    pred = [a.toxic for a in found]
    return {
        "n": len(test),
        "f1_toxic": _r(f1_score(truth, pred, zero_division=0)),
        "baseline_f1_toxic": _r(f1_score(truth, [True] * len(truth), zero_division=0)),
        "note": "Russian VK comments only; smoke test, not a measure of Kazakh or English",
    }


def _set_f1(truth: list[set[str]], pred: list[set[str]]) -> float:
    tp = sum(len(t & p) for t, p in zip(truth, pred, strict=True))
    fp = sum(len(p - t) for t, p in zip(truth, pred, strict=True))
    fn = sum(len(t - p) for t, p in zip(truth, pred, strict=True))
    if tp + fp + fn == 0:  # nothing to find and nothing found: perfect
        return 1.0
    return _r(2 * tp / (2 * tp + fp + fn))


def examples(name: str) -> dict[str, Any]:
    """Category, place, sentiment and targets on our own held-out appeals and comments."""
    rows = corpora.evaluation_examples(name)
    found = analyze_many([r.text for r in rows])
    train_majority = Counter(e.category for e in corpora.training_examples()).most_common(1)[0][0]
    out: dict[str, Any] = {}
    groups: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        groups["all"].append(i)
        groups[r.lang if r.script == "cyrl" or r.lang != "kk" else "kk_latn"].append(i)
    for group, idx in sorted(groups.items()):
        rs = [rows[i] for i in idx]
        fs = [found[i] for i in idx]
        top3 = [[c for c, _ in f.category_top3] for f in fs]
        place_rows = [(r, f) for r, f in zip(rs, fs, strict=True)]
        truth_sent = [r.sentiment for r in rs]
        out[group] = {
            "n": len(rs),
            "category_top1": _r(
                np.mean([f.category == r.category for r, f in zip(rs, fs, strict=True)])
            ),
            "category_top3": _r(np.mean([r.category in t for r, t in zip(rs, top3, strict=True)])),
            "category_baseline_top1": _r(np.mean([r.category == train_majority for r in rs])),
            "place_accuracy": _r(
                np.mean(
                    [(f.place.kato if f.place else None) == r.place_kato for r, f in place_rows]
                )
            ),
            "place_baseline": _r(np.mean([r.place_kato is None for r in rs])),
            "sentiment_macro_f1": _macro(truth_sent, [f.sentiment for f in fs], list(CLASSES)),
            "sentiment_neutral_recall": _r(
                np.mean(
                    [
                        f.sentiment == "neutral"
                        for r, f in zip(rs, fs, strict=True)
                        if r.sentiment == "neutral"
                    ]
                )
            )
            if "neutral" in truth_sent
            else None,
            "sentiment_baseline_macro_f1": _macro(
                truth_sent, [Counter(truth_sent).most_common(1)[0][0]] * len(rs)
            ),
            "targets_f1": _set_f1([set(r.targets) for r in rs], [set(f.targets) for f in fs]),
            "language_accuracy": _r(
                np.mean([f.lang == r.lang for r, f in zip(rs, fs, strict=True)])
            ),
        }
    return out


def evaluate(root: Path, step: Step) -> dict[str, Any]:
    result: dict[str, Any] = {"model": bundle().manifest.get("version")}
    step("language identification (lid_eval)")
    result["language"] = language(root)
    step("polarity (KazSAnDRA test)")
    result["polarity_kazsandra"] = polarity(root)
    result["tone"] = tone(root, step)
    step("entity sentiment (RuSentNE validation)")
    result["entity_sentiment_rusentne"] = entity_sentiment(root)
    step("toxicity (Russian test split)")
    result["toxicity_ru"] = toxicity(root)
    for name in ("dev", "test"):
        path = corpora.PACKAGE_DATA / "examples" / "eval" / f"{name}.csv"
        if path.exists():
            step(f"appeals and comments ({name})")
            result[f"examples_{name}"] = examples(name)
    return result
