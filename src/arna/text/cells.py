"""Corrected shares of tone per cell of texts (region, target, language or fields of the input),
as `arna text shares` and `POST /api/v1/text/shares` give them (docs/methodology.md)."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from functools import cache
from itertools import product
from typing import Any, NamedTuple

import numpy as np

from arna.text import moments, shares, tone
from arna.text.analysis import Analysis, analyze_many

DIMS = ("region", "target", "lang")
_FIELDS = ("cc", "corrected", "low", "high")
BATCH = 512


def unknown_dims(records: Sequence[dict[str, Any]], dims: Sequence[str]) -> list[str]:
    """The cells asked for that are neither region, target, lang nor a field of the records."""
    fields = {f for record in records for f in record}
    return [d for d in dims if d not in DIMS and d not in fields]


def _given(value: Any) -> list[str]:
    """The cells an input value puts a text in: each item of a list, `none` for nothing."""
    items = value if isinstance(value, list) else [value]
    return [str(v) for v in items if v not in (None, "")] or ["none"]


def keys_of(record: dict[str, Any], found: Analysis, dims: list[str]) -> list[tuple[str, ...]]:
    """Every cell a text counts in: the input's own field when it has one, else the analysis."""
    from arna.geo.reference import units

    options = []
    for dim in dims:
        if dim in record or dim not in DIMS:
            options.append(_given(record.get(dim)))
        elif dim == "region":
            unit = units()[found.place.kato] if found.place else None
            region = units()[unit.region_kato].name_en if unit and unit.region_kato else "none"
            options.append([region])
        elif dim == "target":
            options.append(list(found.targets) or ["none"])
        else:
            options.append([found.lang])
    return list(product(*options))


def _share_rows(
    keys: list[tuple[str, ...]], result: shares.Shares, dims: list[str], classes: tuple[str, ...]
) -> list[dict[str, Any]]:
    rows = []
    for c, key in enumerate(keys):
        got = (result.cc, result.share, result.low, result.high)
        per_class = {
            name: {f: round(float(v[c, j]), 4) for f, v in zip(_FIELDS, got, strict=True)}
            for j, name in enumerate(classes)
        }
        rows.append(
            {
                "keys": dict(zip(dims, key, strict=True)),
                "n": int(result.n[c]),
                "reference": result.reference[c],
                "status": result.status[c],
                "shares": per_class,
            }
        )
    return sorted(rows, key=lambda row: (-row["n"], list(row["keys"].values())))


def references(cal: tone.Calibration) -> list[shares.Reference]:
    """All rows, then each genre's, then each language's (where they have enough rows): the
    order `shares.pick` is asked in, genres before languages."""
    by_genre = shares.references(cal.probs, cal.truth, cal.group, cal.group)
    return by_genre + shares.references(cal.probs, cal.truth, cal.lang, cal.group)[1:]


def corrected_shares(
    records: Sequence[dict[str, Any]], dims: list[str], advance: Callable[[int], None]
) -> list[dict[str, Any]]:
    """One row per cell: its keys, size, the reference its errors came from, a status and per
    class the raw share (cc), the corrected share and its 95 % interval. Each record has a
    string `text`; `advance(k)` is called as batches of k texts are read."""
    items: list[Read] = []
    for i in range(0, len(records), BATCH):
        batch = records[i : i + BATCH]
        for record, found in zip(batch, analyze_many([r["text"] for r in batch]), strict=True):
            items.append(Read(keys_of(record, found, dims), found.tone, found.lang, found.genre))
        advance(len(batch))
    return cell_shares(items, dims)


class Read(NamedTuple):
    """One text as the shares need it: the cells it counts in and what the tone model read."""

    cells: list[tuple[str, ...]]
    tone: Sequence[float]  # negative, neutral, positive
    lang: str
    genre: str


def cell_shares(items: Sequence[Read], dims: list[str]) -> list[dict[str, Any]]:
    """`corrected_shares` for texts already read (as listening stores them)."""
    index: dict[tuple[str, ...], int] = {}
    probs, cells = [], []  # per text and cell it counts in
    langs: list[list[str]] = []  # the languages of each cell's texts
    genres: list[list[str]] = []  # the genres (kinds of text) of each cell's texts
    for item in items:
        for key in item.cells:
            if key not in index:
                index[key] = len(index)
                langs.append([])
                genres.append([])
            cells.append(index[key])
            probs.append(item.tone)
            langs[index[key]].append(item.lang)
            genres[index[key]].append(item.genre)
    if not index:
        return []
    refs = references(tone.calibration())
    pool = np.array([shares.pick(refs, g, ls) for g, ls in zip(genres, langs, strict=True)])
    result = shares.estimate(np.array(probs), np.array(cells), len(index), refs, pool)
    return _share_rows(list(index), result, dims, tone.CLASSES)


def moment_shares(
    keys: Sequence[tuple[str, ...]],
    summed: moments.Moments,
    genres: Sequence[Counter[str]],
    langs: Sequence[Counter[str]],
    dims: list[str],
) -> list[dict[str, Any]]:
    """`cell_shares` for cells summed where the texts are stored (moments.Moments), with the
    counts of their texts' genres and languages that pick each cell's reference."""
    if not keys:
        return []
    refs = _default_references()
    pool = np.array([shares.pick(refs, g, ls) for g, ls in zip(genres, langs, strict=True)])
    # A cell's own draws: the same cell gets the same interval whatever else is asked with it
    # and in whatever order the GROUP BY returns them.
    streams = [_stream(key) for key in keys]
    result = moments.estimate_from_moments(summed, refs, pool, streams=streams)
    return _share_rows(list(keys), result, dims, tone.CLASSES)


def _stream(key: tuple[str, ...]) -> int:
    """A number drawn from a cell's name, the same in every process (unlike `hash`)."""
    digest = hashlib.blake2b("\x1f".join(key).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


@cache
def _default_references() -> list[shares.Reference]:
    """The shipped model's references, built once: their resampled matrices are remembered by
    the references themselves (moments.estimate_from_moments)."""
    return references(tone.calibration())
