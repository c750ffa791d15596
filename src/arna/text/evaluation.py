"""Measuring every model on data it never trained on, each figure beside a majority baseline."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score

from arna.text import corpora, features
from arna.text.analysis import analyze_many
from arna.text.artifacts import bundle
from arna.text.lid import identify_many
from arna.text.training import entity_window, held_out, toxicity_split

SHORT = 20
Step = Callable[[str], None]


def _r(x: Any) -> float:
    return round(float(x), 4)


def _macro(truth: list[str], pred: list[str], labels: list[str] | None = None) -> float:
    return _r(f1_score(truth, pred, average="macro", labels=labels, zero_division=0))


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


def _polarity_at(truth: list[str], labelled: list[tuple[str, float]]) -> dict[str, Any]:
    # Polarity is binary: a neutral call is resolved by which side its score leans to.
    pred = [
        label if label != "neutral" else ("positive" if score > 0 else "negative")
        for label, score in labelled
    ]
    labels = ["negative", "positive"]
    per_class = f1_score(truth, pred, labels=labels, average=None, zero_division=0)
    return {
        "macro_f1": _macro(truth, pred, labels),
        "weighted_f1": _r(f1_score(truth, pred, average="weighted", zero_division=0)),
        "per_class_f1": {k: _r(v) for k, v in zip(labels, per_class, strict=True)},
    }


def polarity(root: Path) -> dict[str, Any]:
    test = corpora.kazsandra(root, "05_pc_test")
    b = bundle()
    from arna.text.analysis import _vectors, polarity_margins, sentiment_labels

    texts = [t.text for t in test]
    x = _vectors(b, texts)
    probs = b.sentiment.probabilities(x)
    margins = polarity_margins(b, x, [features.tone_text(t) for t in texts])
    truth = [t.label for t in test]
    majority = Counter(truth).most_common(1)[0][0]
    reviews = float(b.manifest["polarity_threshold_reviews"])  # type: ignore[arg-type]
    return {
        "n": len(test),
        **_polarity_at(truth, sentiment_labels(b, probs, margins)),
        "with_review_threshold": {
            "threshold": reviews,
            **_polarity_at(truth, sentiment_labels(b, probs, margins, reviews)),
        },
        "baseline_macro_f1": _macro(truth, [majority] * len(truth), ["negative", "positive"]),
    }


def entity_sentiment(root: Path) -> dict[str, Any]:
    rows = corpora.rusentne(root, "validation")
    seen = {r.sentence for r in corpora.rusentne(root, "train")}
    b = bundle()
    from arna.text.analysis import _vectors

    probs = b.entity_sentiment.probabilities(
        _vectors(b, [entity_window(r.sentence, r.start, r.end) for r in rows])
    )
    pred = [b.entity_sentiment.classes[int(k)] for k in probs.argmax(axis=1)]
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
            "sentiment_macro_f1": _macro(truth_sent, [f.sentiment for f in fs]),
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
