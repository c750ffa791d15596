"""Readers for the training and evaluation data in the repository's `data/text/` folder.

Used only by training and evaluation; the analysis itself never reads these files. Which split
feeds which model is decided in `training.py` and stated in the model card.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from arna.core.errors import NotFound

PACKAGE_DATA = Path(__file__).parent / "data"
REPO_DATA = Path(__file__).resolve().parents[3] / "data" / "text"

csv.field_size_limit(10_000_000)


def data_dir(override: Path | None = None) -> Path:
    root = override or REPO_DATA
    if not (root / "kazsandra").is_dir():
        raise NotFound(
            f"training data not found in {root}: run from a checkout of the Arna repository "
            "or pass --data pointing at its data/text folder"
        )
    return root


@dataclass(frozen=True)
class Labelled:
    text: str
    label: str


def kazsandra(root: Path, name: str) -> list[Labelled]:
    """KazSAnDRA polarity split: 03_pc_train_rus, 04_pc_valid or 05_pc_test."""
    with zipfile.ZipFile(root / "kazsandra" / f"{name}.zip") as z, z.open(f"{name}.csv") as raw:
        rows = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8"))
        return [Labelled(r["text"], "positive" if r["label"] == "1" else "negative") for r in rows]


def kazsandra_stars(root: Path, name: str) -> list[Labelled]:
    """KazSAnDRA score split (08_sc_train_rus or 09_sc_valid) as polarity: 1-2 stars negative,
    4-5 positive; 3 stars, neither, left out."""
    with zipfile.ZipFile(root / "kazsandra" / f"{name}.zip") as z, z.open(f"{name}.csv") as raw:
        rows = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8"))
        return [
            Labelled(r["text"], "negative" if r["label"] in "01" else "positive")
            for r in rows
            if r["label"] in ("0", "1", "3", "4")
        ]


def kaznerd_sentences(root: Path, split: str) -> list[str]:
    """Sentences of KazNERD (`valid` or `test`), tokens joined with spaces."""
    out: list[str] = []
    words: list[str] = []
    with open(root / "kaznerd" / f"IOB2_{split}.txt", encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                if words:
                    out.append(_detokenise(" ".join(words)))
                words = []
            else:
                words.append(line.split(" ")[0])
    if words:
        out.append(_detokenise(" ".join(words)))
    return out


def _detokenise(s: str) -> str:
    return re.sub(r"\s+([.,!?:;»)])", r"\1", re.sub(r"([«(])\s+", r"\1", s))


@dataclass(frozen=True)
class EntitySentiment:
    sentence: str
    entity: str
    start: int
    end: int
    label: str  # negative / neutral / positive


def rusentne(root: Path, split: str) -> list[EntitySentiment]:
    """RuSentNE-2023 `train` or `validation`: sentiment toward one entity in a sentence."""
    name = "train_data.csv" if split == "train" else "validation_data_labeled.csv"
    labels = {"-1": "negative", "0": "neutral", "1": "positive"}
    with open(root / "rusentne2023" / name, encoding="utf-8") as f:
        return [
            EntitySentiment(
                r["sentence"],
                r["entity"],
                int(r["entity_pos_start_rel"]),
                int(r["entity_pos_end_rel"]),
                labels[r["label"].strip()],
            )
            for r in csv.DictReader(f, delimiter="\t")
        ]


def toxicity(root: Path) -> list[Labelled]:
    """Russian VK comments with a toxic (1) / not toxic (0) label."""
    path = root / "ru_distorted_toxicity" / "russian_distorted_toxicity.tsv"
    with open(path, encoding="utf-8") as f:
        return [
            Labelled(r["comments"], "toxic" if r["toxicity"].strip() == "1" else "clean")
            for r in csv.DictReader(f, delimiter="\t")
        ]


def ud_sentences(root: Path, prefix: str) -> list[str]:
    """The `# text =` lines of a Universal Dependencies test file (kk_ktb, ky_ktmu, …)."""
    [path] = (root / "ud_lid_eval").glob(f"{prefix}-ud-test.conllu")
    with open(path, encoding="utf-8") as f:
        return [line[9:].strip() for line in f if line.startswith("# text = ")]


@dataclass(frozen=True)
class LidItem:
    subset: str
    lang: str
    text: str


def lid_eval(root: Path) -> list[LidItem]:
    with open(root / "lid_eval" / "lid_test.json", encoding="utf-8") as f:
        return [LidItem(x["set"], x["lang"], x["text"]) for x in json.load(f)]


def wordlist(root: Path, lang: str) -> list[tuple[str, float]]:
    with open(root / "wordlists" / f"{lang}.tsv", encoding="utf-8") as f:
        return [(w, float(p)) for w, p in (line.rstrip("\n").split("\t") for line in f)]


def wordlist_langs(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "wordlists").glob("*.tsv"))


@dataclass(frozen=True)
class Example:
    text: str
    lang: str
    script: str
    category: str
    sentiment: str
    targets: tuple[str, ...]
    place_kato: str | None


def _examples_in(path: Path, category: str | None) -> Iterator[Example]:
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            yield Example(
                text=r["text"],
                lang=r["lang"],
                script=r["script"],
                category=category or r["category"],
                sentiment=r["sentiment"],
                targets=tuple(t for t in (r.get("targets") or "").split(";") if t),
                place_kato=(r.get("place_kato") or None),
            )


@cache
def training_examples() -> tuple[Example, ...]:
    """The project's own labelled appeals and comments, one file per category."""
    folder = PACKAGE_DATA / "examples" / "train"
    return tuple(
        ex for path in sorted(folder.glob("*.csv")) for ex in _examples_in(path, path.stem)
    )


def evaluation_examples(name: str) -> list[Example]:
    """`dev` (used to choose settings) or `test` (only ever used to report)."""
    return list(_examples_in(PACKAGE_DATA / "examples" / "eval" / f"{name}.csv", None))


def category_keywords() -> list[tuple[str, list[str]]]:
    """Words and phrases typical of each category (kk/ru/en), written by the project."""
    with open(PACKAGE_DATA / "category_keywords.csv", encoding="utf-8", newline="") as f:
        return [(r["category_id"], r["words"].split(";")) for r in csv.DictReader(f)]


# The three-class comment corpora: (folder, training split, tuning split, test split). ru_cedr has
# no validation split upstream: its SOURCE.txt carves one from train by md5(text) % 10 == 1.
TONE_CORPORA: dict[str, tuple[str, str, str]] = {
    "ru_cedr": ("train", "train", "test"),
    "en_goemotions": ("train", "dev", "test"),
    "ru_opensentiment": ("train", "valid", "test"),
}


def _md5_bucket(text: str) -> int:
    import hashlib

    return int(hashlib.md5(text.encode("utf-8")).hexdigest(), 16) % 10


def sent3(root: Path, corpus: str, part: str) -> list[Labelled]:
    """`train`, `tune` or `test` of a three-class corpus (labels negative/neutral/positive)."""
    train, tune, test = TONE_CORPORA[corpus]
    split = {"train": train, "tune": tune, "test": test}[part]
    with open(root / corpus / f"sent3_{split}.csv", encoding="utf-8", newline="") as f:
        rows = [Labelled(r["text"], r["label"]) for r in csv.DictReader(f)]
    if train == tune and part in ("train", "tune"):
        rows = [r for r in rows if (_md5_bucket(r.text) == 1) == (part == "tune")]
    return rows


# What kind of text each corpus is, for the model card's per-domain figures.
TONE_DOMAIN = {"ru_cedr": "comments", "en_goemotions": "comments", "ru_opensentiment": "news"}
# ru_cedr mixes three sources: news sentences (lenta) and posts and tweets (lj, twitter).
SOURCE_DOMAIN = {"lenta": "news", "lj": "comments", "twitter": "comments"}


def sent3_sources(root: Path, corpus: str) -> list[str]:
    """The `source` column of a three-class corpus's test split, when it has one (else empty)."""
    _, _, test = TONE_CORPORA[corpus]
    with open(root / corpus / f"sent3_{test}.csv", encoding="utf-8", newline="") as f:
        return [r.get("source") or "" for r in csv.DictReader(f) if r.get("source")]
