"""The sums beside each posts file (`Store._write_cells`): per day × region × institution ×
language × genre, the texts, copies and sums of the tone posteriors, of their pairwise products
and of the raw counts, which the public aggregates add up instead of reading every post."""

from __future__ import annotations

from typing import Any

TONES = ("tone_negative", "tone_neutral", "tone_positive")
PAIRS = tuple((i, j) for i in range(3) for j in range(i, 3))
SUMS = ("s0", "s1", "s2", *(f"s{i}{j}" for i, j in PAIRS), "c0", "c1", "c2")


def summed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Posts rows added up per cell (store.Store._write_cells). The tones are taken as stored
    (float32), so the sums and the raw counts are those of the stored posts exactly."""
    import numpy as np

    if not rows:
        return []
    tone = np.array([[row[t] for t in TONES] for row in rows], dtype=np.float32).astype(float)
    copy = np.array([row["copy_of"] is not None for row in rows])
    own = ~copy
    # texts, copies, then SUMS: the tones, their pairwise products, the likeliest tone counted
    # (the first on a tie, as argmax); a copy adds to `copies` only.
    figures = np.zeros((len(rows), 2 + len(SUMS)))
    figures[:, 0], figures[:, 1] = own, copy
    figures[:, 2:5] = tone
    figures[:, 5:11] = np.stack([tone[:, i] * tone[:, j] for i, j in PAIRS], axis=1)
    figures[np.arange(len(rows)), 11 + tone.argmax(axis=1)] = 1.0
    figures[copy, 2:] = 0.0
    cell: dict[tuple[Any, ...], int] = {}
    cells_of: list[int] = []
    posts_of: list[int] = []
    for k, row in enumerate(rows):
        for target in ["*", *(row["targets"] or ["none"])]:
            key = (row["day"], row["region_kato"], target, row["lang"], row["genre"])
            cells_of.append(cell.setdefault(key, len(cell)))
            posts_of.append(k)
    totals = np.zeros((len(cell), figures.shape[1]))
    np.add.at(totals, cells_of, figures[posts_of])  # in the rows' order, as a loop would add
    names = ("day", "region_kato", "target", "lang", "genre")
    return [
        dict(zip(names, key, strict=True))
        | {"texts": int(t[0]), "copies": int(t[1])}
        | dict(zip(SUMS, t[2:], strict=True))
        for key, t in zip(cell, totals.tolist(), strict=True)
    ]


def cells_schema() -> Any:
    import pyarrow as pa

    return pa.schema(
        [("day", pa.date32()), ("region_kato", pa.string()), ("target", pa.string()),
         ("lang", pa.string()), ("genre", pa.string()), ("texts", pa.int64()),
         ("copies", pa.int64()), *((name, pa.float64()) for name in SUMS)]
    )  # fmt: skip
