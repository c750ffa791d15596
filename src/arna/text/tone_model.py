"""The tone model: negative, neutral or positive, decided per text for kk, ru and en.

People write differently in a product review, a tweet, a news sentence, a Reddit comment and a
letter to an akimat, and annotators of each kind of text drew the line between neutral and
negative in different places. The model therefore has a shared part learnt from all of them and
one part per kind of text (domain adaptation by feature augmentation, Daumé 2007); which kind a
text is comes from the text itself (a linear "genre" classifier over the same features), never
from where it was filed; a text that reads like two genres gets a mix of both. Per genre the
shared and the genre's own weights are stored added.

Features: the folded character and word n-grams every text model reads, beside character
1–6-grams of the text as written (emoji and punctuation kept: 😍 and "!!!" say how a text
feels). Margins become probabilities through one temperature fitted on tuning data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from arna.text import features
from arna.text.linear import LinearModel, Stack, softmax

CLASSES = ("negative", "neutral", "positive")
_NEGLIGIBLE = 0.01


def tone_vectors(folded_x: sp.csr_matrix, texts: Sequence[str]) -> sp.csr_matrix:
    """The tone model's features: folded tf-idf (already computed) beside tone n-grams."""
    tone_x = features.weigh(features.tone_counts([features.tone_text(t) for t in texts]))
    return sp.hstack([folded_x, tone_x], format="csr")


@dataclass(frozen=True)
class ToneModel:
    genres: tuple[str, ...]
    genre: LinearModel  # which kind of text each text reads like
    per_genre: tuple[LinearModel, ...]  # shared + genre weights, classes in CLASSES order
    temperature: float
    genre_temperature: float

    @cached_property
    def _stack(self) -> Stack:
        return Stack((self.genre, *self.per_genre))

    def margins(self, x: sp.csr_matrix) -> np.ndarray:
        """n × 3 margins: each genre's weights, mixed by how much the text reads like it."""
        return self._read(x)[0]

    def _read(self, x: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        genre_scores, *parts = self._stack.scores(x)
        genres = softmax(genre_scores, self.genre_temperature)
        # A genre that a row gives less than 1 % is left out for that row (the rest
        # renormalised), so a text that plainly reads like one genre gets that genre's part.
        g = genres.copy()
        g[g < _NEGLIGIBLE] = 0.0
        g /= g.sum(axis=1, keepdims=True)
        out = np.zeros((x.shape[0], len(CLASSES)), dtype=np.float64)
        for k, part in enumerate(parts):
            out += g[:, k : k + 1] * part
        return out, genres

    def probabilities(self, x: sp.csr_matrix) -> np.ndarray:
        return softmax(self.margins(x), self.temperature)

    def read(self, x: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """(tone probabilities n × 3, genre probabilities n × genres)."""
        margins, genres = self._read(x)
        return softmax(margins, self.temperature), genres

    def save(self, folder: Path) -> None:
        self.genre.save(folder / "tone_genre.npz")
        for name, model in zip(self.genres, self.per_genre, strict=True):
            model.save(folder / f"tone_{name}.npz")

    @classmethod
    def load(
        cls, folder: Path, genres: Sequence[str], temperature: float, genre_temperature: float
    ) -> ToneModel:
        return cls(
            tuple(genres),
            LinearModel.load(folder / "tone_genre.npz"),
            tuple(LinearModel.load(folder / f"tone_{g}.npz") for g in genres),
            temperature,
            genre_temperature,
        )


def fit_temperature(margins: np.ndarray, truth: np.ndarray) -> float:
    """The factor on the margins that gives the lowest log-loss on tuning data."""
    from scipy.optimize import minimize_scalar

    def loss(t: float) -> float:
        p = softmax(margins, t)[np.arange(len(truth)), truth]
        return float(-np.log(np.clip(p, 1e-12, None)).mean())

    found: Any = minimize_scalar(loss, bounds=(0.05, 50.0), method="bounded")
    return round(float(found.x), 4)
