"""The trained models shipped in `arna/text/models/`, loaded lazily once per process."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from arna.core.errors import NotFound
from arna.text.features import load_idf
from arna.text.linear import LinearModel, Stack
from arna.text.tone_model import ToneModel

MODELS = Path(__file__).parent / "models"


@dataclass(frozen=True)
class Bundle:
    manifest: dict[str, object]
    lid: LinearModel
    idf: np.ndarray
    tone: ToneModel
    toxicity: LinearModel
    category: LinearModel
    entity_sentiment: LinearModel
    # The category and toxicity models read the same folded vectors: applied in one pass.
    category_and_toxicity: Stack = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "category_and_toxicity", Stack((self.category, self.toxicity)))


def load_bundle(folder: Path) -> Bundle:
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise NotFound(f"no trained text models in {folder}: run `arna text train`")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    return Bundle(
        manifest=manifest,
        lid=LinearModel.load(folder / "lid.npz"),
        idf=load_idf(folder / "folded_idf.npz"),
        tone=ToneModel.load(
            folder,
            manifest["tone_genres"],
            float(manifest["tone_temperature"]),
            float(manifest["tone_genre_temperature"]),
        ),
        toxicity=LinearModel.load(folder / "toxicity.npz"),
        category=LinearModel.load(folder / "category.npz"),
        entity_sentiment=LinearModel.load(folder / "entity_sentiment.npz"),
    )


@cache
def bundle() -> Bundle:
    return load_bundle(MODELS)


@cache
def bundle_id() -> str:
    """Names the shipped models by their contents: what a text was read with (stored
    readings made with other models are read again, `arna listen reread`)."""
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(MODELS.iterdir()):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
