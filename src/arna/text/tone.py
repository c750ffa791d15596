"""The tone of texts as probabilities, and the held-out predictions that say how the model errs.

`probabilities` is what quantification (`arna.text.shares`) reads; `calibration` is the tone
model's predictions on tuning data it never trained on, shipped beside it
(`models/tone_calibration.npz`), from which the rates of its errors are estimated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from arna.text.artifacts import MODELS, bundle
from arna.text.tone_model import CLASSES as CLASSES  # re-exported: the tone classes


def probabilities(texts: Sequence[str]) -> np.ndarray:
    """n × 3 probabilities in `CLASSES` order."""
    from arna.text.analysis import tone_probabilities

    return tone_probabilities(bundle(), texts)


def read(texts: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """(probabilities n × 3, the genre each text reads like most)."""
    from arna.text.analysis import tone_and_genre

    return tone_and_genre(bundle(), texts)


@dataclass(frozen=True)
class Calibration:
    truth: np.ndarray  # index into CLASSES, per held-out text
    probs: np.ndarray  # n × 3, the model's probabilities for the same texts
    group: np.ndarray  # the genre (kind of text) each comes from: social_ru, …, appeals
    lang: np.ndarray  # its language: kk, ru or en

    def where(self, keep: np.ndarray) -> Calibration:
        return Calibration(self.truth[keep], self.probs[keep], self.group[keep], self.lang[keep])


def save_calibration(c: Calibration, path: object) -> None:
    np.savez_compressed(
        path,  # type: ignore[arg-type]
        allow_pickle=False,
        truth=c.truth.astype(np.int8),
        probs=c.probs.astype(np.float32),
        group=c.group.astype(str),
        lang=c.lang.astype(str),
    )


@cache
def calibration() -> Calibration:
    with np.load(MODELS / "tone_calibration.npz", allow_pickle=False) as z:
        return Calibration(
            z["truth"].astype(np.int64), z["probs"].astype(np.float64), z["group"], z["lang"]
        )
