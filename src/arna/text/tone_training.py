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
OWN_WEIGHT = 3.0
GENRE_SCALE = {"reviews_kk": 0.5}
Vectors = Callable[[list[str]], sp.csr_matrix]


@dataclass(frozen=True)
class Split:
    train: list[Labelled]
    tune: list[Labelled]
    langs: list[str]  # language of each tuning text


def tone_data(root: Path, sentiment: tuple[list[Labelled], list[Labelled]]) -> dict[str, Split]:
    """Per genre, its training and tuning texts; `sentiment` is KazSAnDRA's (train, tune)."""
    reviews, reviews_tune = sentiment
    own = {ex.text for ex in corpora.training_examples()}
    kept = [r for r in reviews if r.text not in own]
    out = {"reviews_kk": Split(kept, reviews_tune, ["kk"] * len(reviews_tune))}
    for genre, corpus in CORPUS_OF_GENRE.items():
        tune = corpora.sent3(root, corpus, "tune")
        out[genre] = Split(
            corpora.sent3(root, corpus, "train"), tune, [GENRE_LANG[genre]] * len(tune)
        )
    dev = corpora.evaluation_examples("dev")
    out["appeals"] = Split(
        [Labelled(ex.text, ex.sentiment) for ex in corpora.training_examples()],
        [Labelled(ex.text, ex.sentiment) for ex in dev],
        [ex.lang for ex in dev],
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


def train_tone(
    data: dict[str, Split], vectors: Vectors
) -> tuple[ToneModel, Calibration, dict[str, Any]]:
    from sklearn.svm import LinearSVC  # training only

    texts: list[str] = []
    labels: list[str] = []
    genre: list[int] = []
    weights: list[np.ndarray] = []
    for k, name in enumerate(GENRES):
        items = data[name].train
        texts += [i.text for i in items]
        labels += [i.label for i in items]
        genre += [k] * len(items)
        w = _balanced([i.label for i in items]) if name != "reviews_kk" else np.ones(len(items))
        weights.append(w * (OWN_WEIGHT if name == "appeals" else 1.0))
    x = vectors(texts)
    g = np.array(genre)
    width = x.shape[1]
    # Only columns some training text has can carry weight: fitting over them alone keeps the
    # augmented problem small (the hashed space is mostly empty).
    used = np.unique(x.indices)
    compact = sp.csr_matrix(
        (x.data, np.searchsorted(used, x.indices), x.indptr), shape=(x.shape[0], len(used))
    )
    genre_svm = LinearSVC(C=GENRE_C, random_state=0, max_iter=5000, class_weight="balanced").fit(
        compact, g
    )
    svm = LinearSVC(C=C, random_state=0, max_iter=5000)
    scale = np.array([GENRE_SCALE.get(name, 1.0) for name in GENRES])
    svm.fit(_augmented(compact, g, scale), labels, sample_weight=np.concatenate(weights))
    assert tuple(svm.classes_) == CLASSES
    coef = svm.coef_.reshape(len(CLASSES), 1 + len(GENRES), len(used))
    per_genre = tuple(
        _expanded(coef[:, 0] + scale[k] * coef[:, 1 + k], svm.intercept_, used, width, CLASSES)
        for k in range(len(GENRES))
    )
    genre_model = _expanded(genre_svm.coef_, genre_svm.intercept_, used, width, GENRES)
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
    calibration = Calibration(
        truth, model.probabilities(tx), np.array(tune_group), np.array(tune_lang)
    )
    return (
        model,
        calibration,
        {
            "tone_genres": list(GENRES),
            "tone_temperature": temperature,
            "tone_genre_temperature": genre_temperature,
        },
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
