"""Corrected shares of cells summed where they are stored (listening's GROUP BY): PACC from each
cell's moments rather than its texts (docs/methodology.md, "Cells summed where they are
stored")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from arna.text.shares import (
    CELLS_PER_CHUNK,
    LEVEL,
    REPLICATES,
    Reference,
    Shares,
    matrices,
    simplex_lstsq,
    status_of,
)


@dataclass(frozen=True)
class Moments:
    """What PACC needs of each cell's texts, summed where they are stored (a database's GROUP
    BY), so that no text has to be read out: per cell C the number of texts, the mean posterior,
    the mean of the posteriors' outer products and the raw (classify-and-count) share."""

    n: np.ndarray  # C
    mean: np.ndarray  # C × k
    second: np.ndarray  # C × k × k
    cc: np.ndarray  # C × k


def estimate_from_moments(
    cells: Moments,
    refs: Sequence[Reference],
    pool: np.ndarray | None = None,
    *,
    replicates: int = REPLICATES,
    level: float = LEVEL,
    seed: int = 0,
    streams: Sequence[int] | None = None,
) -> Shares:
    """`estimate` (PACC) from each cell's moments instead of its texts: the bootstrap of the
    cell's mean posterior is replaced by its normal limit, N(mean, Σ/n) with Σ the posteriors'
    covariance, which is what resampling n texts gives for all but small n (cells under `FEW`
    texts are flagged `few` either way); the reference is resampled exactly as in `estimate`.
    With `streams` (a number per cell, say from its name), each cell draws its own normals, so
    its interval does not depend on which other cells were asked with it, nor their order."""
    n_cells, k = cells.mean.shape
    pool = np.zeros(n_cells, dtype=np.int64) if pool is None else np.asarray(pool)
    rng = np.random.default_rng(seed)
    nan = np.full((n_cells, k), np.nan)
    share, low, high = nan.copy(), nan.copy(), nan.copy()
    status = [status_of(int(n)) for n in cells.n]
    tail = (1 - level) / 2
    cov = cells.second - cells.mean[:, :, None] * cells.mean[:, None, :]
    # A covariance of posteriors is singular (they sum to 1): its square root comes from its
    # eigenvalues, negative rounding errors set to zero.
    values, vectors = np.linalg.eigh(cov)
    roots = vectors * np.sqrt(np.clip(values, 0, None))[:, None, :]
    for g, ref in enumerate(refs):
        members = np.flatnonzero((pool == g) & (cells.n > 0))
        if len(members) == 0:
            continue
        m, boot_m = _remembered_matrices(ref, replicates, (seed, g))
        if boot_m is None:
            for c in members:
                status[c] = "singular"
            share[members] = low[members] = high[members] = cells.cc[members]
            continue
        share[members] = simplex_lstsq(m, cells.mean[members])
        for chunk in np.array_split(members, -(-len(members) // CELLS_PER_CHUNK)):
            if streams is None:
                z = rng.standard_normal((len(chunk), replicates, k))
            else:
                z = np.stack(
                    [
                        np.random.default_rng((seed, streams[c])).standard_normal((replicates, k))
                        for c in chunk
                    ]
                )
            scale = np.sqrt(cells.n[chunk])[:, None, None]
            spread = z @ np.swapaxes(roots[chunk], 1, 2) / scale
            boot = simplex_lstsq(boot_m, cells.mean[chunk][:, None, :] + spread)
            low[chunk], high[chunk] = np.quantile(boot, [tail, 1 - tail], axis=1)
    one = cells.n == 1
    low[one], high[one] = 0.0, 1.0
    return Shares(
        n=cells.n,
        cc=np.where(cells.n[:, None] > 0, cells.cc, np.nan),
        share=share,
        low=low,
        high=high,
        status=tuple(status),
        reference=tuple(refs[int(g)].name if n else "" for g, n in zip(pool, cells.n, strict=True)),
    )


_MATRICES: dict[tuple[int, int, tuple[int, int]], tuple[Reference, np.ndarray, np.ndarray | None]]
_MATRICES = {}


def _remembered_matrices(
    ref: Reference, replicates: int, seed: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray | None]:
    """`matrices` (PACC) of a reference, resampled once per reference, replicates and seed:
    listening asks for the same references on every request. An entry holds its reference, so
    the id it is found by cannot be given to another one while it is kept."""
    key = (id(ref), replicates, seed)
    found = _MATRICES.get(key)
    if found is None or found[0] is not ref:
        if len(_MATRICES) > 64:
            _MATRICES.clear()
        found = (ref, *matrices(ref, "pacc", replicates, np.random.default_rng(seed)))
        _MATRICES[key] = found
    return found[1], found[2]
