"""Training the tone model (`tone_model.py`) from the repository's data, reproducibly.

What trains on what — the test splits are never read here:
- reviews_kk: KazSAnDRA polarity train plus half of its validation split (texts that recur in
  its test split removed); the other half of validation tunes. Positive or negative only: a
  three-star review is mixed, not neutral, so Kazakh neutrality is learnt from the shared part
  and from our own Kazakh examples.
- social_ru: ru_cedr train (Twitter, LiveJournal, news sentences), a tenth carved out by
  md5(text) % 10 == 1 to tune (its SOURCE.txt; no validation split upstream).
- sentences_ru: ru_opensentiment train; valid tunes.
- comments_en: en_goemotions train; dev tunes.
- appeals: the project's own example appeals and comments; `dev` tunes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from arna.text import corpora
from arna.text.corpora import Labelled
from arna.text.linear import LinearModel, pruned_weights
from arna.text.tone import Calibration
from arna.text.tone_model import CLASSES, ToneModel, fit_temperature

GENRES = ("reviews_kk", "social_ru", "sentences_ru", "comments_en", "appeals")
GENRE_LANG = {"reviews_kk": "kk", "social_ru": "ru", "sentences_ru": "ru", "comments_en": "en"}
CORPUS_OF_GENRE = {
    "social_ru": "ru_cedr",
    "sentences_ru": "ru_opensentiment",
    "comments_en": "en_goemotions",
}
# Chosen on the tuning splits (never on a test split), by the mean macro-F1 of the genres: the
# SVM's C (0.1: .729; 0.15: .727; 0.3: .725), the genre classifier's C (0.3 routes our `dev`
# appeals better than 0.1) and its balanced genres (`dev` .780 against .745: Kazakh appeals
# were read as reviews), the reviews' own weights scaled by 0.5 (KazSAnDRA's tuning half .786 at
# 0.5, .773 at 2: more of the shared part suits it; 2 for the Russian genres lost on both), and
# how much more a text of our own examples counts than one of the public corpora (few, and the
# product's own kind of text).
# Classes are balanced within each genre except reviews: KazSAnDRA's tuning half scored .79 as
# sampled and .77 balanced (reviews are mostly positive).
C = 0.1
GENRE_C = 0.3
# The shares' reference (tone.calibration) holds each genre's tuning rows, topped up with
# training rows read by models that did not train on them (FOLDS-fold cross-fitting) to
# CALIBRATION_ROWS rows of each class: 689 tuning rows of Russian social texts and 240 appeals
# gave error rates too uncertain to correct shares with (docs/methodology.md). The cap keeps the
# shipped file and the shares' bootstrap small.
FOLDS = 5
CALIBRATION_ROWS = 1000
OWN_WEIGHT = 3.0
GENRE_SCALE = {"reviews_kk": 0.5}
Vectors = Callable[[list[str]], sp.csr_matrix]


@dataclass(frozen=True)
class Split:
    train: list[Labelled]
    tune: list[Labelled]
    langs: list[str]  # language of each tuning text
    train_langs: list[str]  # language of each training text


def tone_data(root: Path, sentiment: tuple[list[Labelled], list[Labelled]]) -> dict[str, Split]:
    """Per genre, its training and tuning texts; `sentiment` is KazSAnDRA's (train, tune)."""
    reviews, reviews_tune = sentiment
    examples = corpora.training_examples()
    own = {ex.text for ex in examples}
    kept = [r for r in reviews if r.text not in own]
    out = {"reviews_kk": Split(kept, reviews_tune, ["kk"] * len(reviews_tune), ["kk"] * len(kept))}
    for genre, corpus in CORPUS_OF_GENRE.items():
        tune = corpora.sent3(root, corpus, "tune")
        train = corpora.sent3(root, corpus, "train")
        lang = GENRE_LANG[genre]
        out[genre] = Split(train, tune, [lang] * len(tune), [lang] * len(train))
    dev = corpora.evaluation_examples("dev")
    out["appeals"] = Split(
        [Labelled(ex.text, ex.sentiment) for ex in examples],
        [Labelled(ex.text, ex.sentiment) for ex in dev],
        [ex.lang for ex in dev],
        [ex.lang for ex in examples],
    )
    return out


def _balanced(labels: list[str]) -> np.ndarray:
    """Weights that give every class of one genre the same total (as class_weight="balanced"
    would within that genre alone: the genres' class mixes differ)."""
    values, counts = np.unique(labels, return_counts=True)
    per = {v: len(labels) / (len(values) * c) for v, c in zip(values, counts, strict=True)}
    return np.array([per[v] for v in labels])


def _augmented(x: sp.csr_matrix, genre: np.ndarray, scale: np.ndarray) -> sp.csr_matrix:
    """[x | x in the block of its genre]: the shared copy and the genre's own copy (times the
    genre's scale: a larger scale regularises the genre's own weights less)."""
    width = x.shape[1]
    n_genres = len(scale)
    x = x.tocsr()
    own = x.copy()
    own.data = own.data * np.repeat(scale[genre], np.diff(x.indptr)).astype(own.data.dtype)
    own.indices = own.indices + (width * (1 + np.repeat(genre, np.diff(x.indptr)))).astype(
        own.indices.dtype
    )
    own = sp.csr_matrix(
        (own.data, own.indices, own.indptr), shape=(x.shape[0], width * (1 + n_genres))
    )
    shared = sp.csr_matrix((x.data, x.indices, x.indptr), shape=own.shape)
    return (shared + own).tocsr()


@dataclass(frozen=True)
class _Rows:
    """Every genre's training texts in one problem."""

    x: sp.csr_matrix  # features over the columns some training text has
    labels: np.ndarray
    genre: np.ndarray  # index into GENRES
    weights: np.ndarray
    langs: np.ndarray
    fold: np.ndarray  # 0 … FOLDS − 1, from the text itself


def _rows(data: dict[str, Split], vectors: Vectors) -> tuple[_Rows, np.ndarray, int]:
    """The training problem, the hashed column of each of its columns, and the hashed width."""
    texts: list[str] = []
    labels: list[str] = []
    genre: list[int] = []
    weights: list[np.ndarray] = []
    langs: list[str] = []
    for k, name in enumerate(GENRES):
        items = data[name].train
        texts += [i.text for i in items]
        labels += [i.label for i in items]
        genre += [k] * len(items)
        langs += data[name].train_langs
        w = _balanced([i.label for i in items]) if name != "reviews_kk" else np.ones(len(items))
        weights.append(w * (OWN_WEIGHT if name == "appeals" else 1.0))
    x = vectors(texts)
    # Only columns some training text has can carry weight: fitting over them alone keeps the
    # augmented problem small (the hashed space is mostly empty).
    used = np.unique(x.indices)
    compact = sp.csr_matrix(
        (x.data, np.searchsorted(used, x.indices), x.indptr), shape=(x.shape[0], len(used))
    )
    fold = np.array([_fold_of(t) for t in texts])
    rows = _Rows(
        compact, np.array(labels), np.array(genre), np.concatenate(weights), np.array(langs), fold
    )
    return rows, used, x.shape[1]


def _fold_of(text: str) -> int:
    """The text's cross-fitting fold: from its own bytes, so independent of order (and not the
    md5 buckets the corpora's splits were cut by, which would leave folds uneven)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()) % FOLDS


def _fit(
    rows: _Rows, keep: np.ndarray | None, used: np.ndarray, width: int
) -> tuple[LinearModel, tuple[LinearModel, ...]]:
    """(genre classifier, each genre's tone weights) fitted on the rows `keep` (None: all),
    expanded back to the `width` columns of which `used` are the problem's."""
    from sklearn.svm import LinearSVC  # training only

    if keep is None:  # no copy of the whole problem
        x, g, labels, weights = rows.x, rows.genre, rows.labels, rows.weights
    else:
        x, g = rows.x[keep], rows.genre[keep]
        labels, weights = rows.labels[keep], rows.weights[keep]
    genre_svm = LinearSVC(C=GENRE_C, random_state=0, max_iter=5000, class_weight="balanced")
    genre_svm.fit(x, g)
    svm = LinearSVC(C=C, random_state=0, max_iter=5000)
    scale = np.array([GENRE_SCALE.get(name, 1.0) for name in GENRES])
    svm.fit(_augmented(x, g, scale), labels, sample_weight=weights)
    assert tuple(svm.classes_) == CLASSES
    coef = svm.coef_.reshape(len(CLASSES), 1 + len(GENRES), x.shape[1])
    per_genre = tuple(
        _expanded(coef[:, 0] + scale[k] * coef[:, 1 + k], svm.intercept_, used, width, CLASSES)
        for k in range(len(GENRES))
    )
    genre_model = _expanded(genre_svm.coef_, genre_svm.intercept_, used, width, GENRES)
    return genre_model, per_genre


def train_tone(
    data: dict[str, Split], vectors: Vectors
) -> tuple[ToneModel, Calibration, dict[str, Any]]:
    rows, used, width = _rows(data, vectors)
    genre_model, per_genre = _fit(rows, None, used, width)
    tune_texts, tune_truth, tune_group, tune_lang = [], [], [], []
    for name in GENRES:
        split = data[name]
        if name == "reviews_kk":  # two classes only: no evidence on neutral
            continue
        tune_texts += [i.text for i in split.tune]
        tune_truth += [CLASSES.index(i.label) for i in split.tune]
        tune_group += [name] * len(split.tune)
        tune_lang += split.langs
    tx = vectors(tune_texts)
    reviews = data["reviews_kk"].tune
    kinds = np.array([GENRES.index(g) for g in tune_group] + [0] * len(reviews))
    genre_scores = np.vstack(
        [genre_model.scores(tx), genre_model.scores(vectors([i.text for i in reviews]))]
    )
    genre_temperature = fit_temperature(genre_scores, kinds)
    draft = ToneModel(GENRES, genre_model, per_genre, 1.0, genre_temperature)
    truth = np.array(tune_truth)
    temperature = fit_temperature(draft.margins(tx), truth)
    model = ToneModel(GENRES, genre_model, per_genre, temperature, genre_temperature)
    tuned = Calibration(truth, model.probabilities(tx), np.array(tune_group), np.array(tune_lang))
    calibration = _topped_up(tuned, _cross_fitted(rows, temperature, genre_temperature))
    return (
        model,
        calibration,
        {
            "tone_genres": list(GENRES),
            "tone_temperature": temperature,
            "tone_genre_temperature": genre_temperature,
            "tone_calibration_folds": FOLDS,
        },
    )


def _cross_fitted(rows: _Rows, temperature: float, genre_temperature: float) -> Calibration:
    """Held-out probabilities for the training texts of every genre with three classes: each
    fold read by a model fitted on the other folds (with the full model's temperatures)."""
    three = rows.genre != GENRES.index("reviews_kk")
    probs = np.zeros((len(rows.labels), len(CLASSES)))
    columns = np.arange(rows.x.shape[1])
    for f in range(FOLDS):
        genre_model, per_genre = _fit(rows, rows.fold != f, columns, len(columns))
        fold_model = ToneModel(GENRES, genre_model, per_genre, temperature, genre_temperature)
        held = np.flatnonzero((rows.fold == f) & three)
        probs[held] = fold_model.probabilities(rows.x[held])
    truth = np.array([CLASSES.index(label) for label in rows.labels])
    names = np.array(GENRES)[rows.genre]
    return Calibration(truth, probs, names, rows.langs).where(three)


def _topped_up(tuned: Calibration, held_out: Calibration) -> Calibration:
    """The tuning rows, and of the cross-fitted training rows as many as bring each genre and
    class to CALIBRATION_ROWS (chosen at random with a fixed seed)."""
    rng = np.random.default_rng(0)
    keep: list[np.ndarray] = []
    for name in np.unique(held_out.group):
        for c in range(len(CLASSES)):
            have = int(np.sum((tuned.group == name) & (tuned.truth == c)))
            rows = np.flatnonzero((held_out.group == name) & (held_out.truth == c))
            keep.append(np.sort(rng.permutation(rows)[: max(CALIBRATION_ROWS - have, 0)]))
    extra = held_out.where(np.concatenate(keep))
    return Calibration(
        np.concatenate([tuned.truth, extra.truth]),
        np.vstack([tuned.probs, extra.probs]),
        np.concatenate([tuned.group, extra.group]),
        np.concatenate([tuned.lang, extra.lang]),
    )


def _expanded(
    coef: np.ndarray, intercept: np.ndarray, used: np.ndarray, width: int, classes: tuple[str, ...]
) -> LinearModel:
    """A compact-column fit back in the full hashed space, small weights dropped."""
    full = sp.csr_matrix(
        (
            pruned_weights(coef.T).ravel(),
            (np.repeat(used, coef.shape[0]), np.tile(np.arange(coef.shape[0]), len(used))),
        ),
        shape=(width, coef.shape[0]),
    )
    full.eliminate_zeros()
    return LinearModel(classes, full, intercept.astype(np.float32))
