"""Shares of tone in cells of texts, corrected for the classifier's errors, with intervals.

Counting each text's most probable class (classify and count, CC) is biased wherever the
classifier errs. Probabilistic adjusted classify and count (PACC) undoes that bias: in a cell
whose true class shares are π, the mean posterior is q = M π, where M[j, k] is the mean
probability of class j the model gives a text of true class k, estimated on held-out data (the
reference). The corrected share is the π on the simplex closest to q (least squares). ACC is the
same with counts of predicted classes in place of posteriors. The interval is a percentile
bootstrap that resamples the cell's texts and the reference (its corpora, then its rows within
each corpus and true class): the sampling, the uncertainty of the error rates and how they vary
from one kind of text to another all reach it. See docs/methodology.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import combinations

import numpy as np

METHODS = ("cc", "acc", "pacc")
MIN_PER_CLASS = 20  # rows of every class a genre or language needs for a matrix of its own
REPLICATES = 1000
LEVEL = 0.95
FEW = 20  # below this many texts a percentile bootstrap interval covers less than it says
COND_LIMIT = 1e6  # a misclassification matrix this ill-conditioned cannot be inverted usefully
CELLS_PER_CHUNK = 256
_GATHER_BUDGET = 1 << 22  # resampled rows held in memory at once


@dataclass(frozen=True)
class Reference:
    """Held-out predictions with their truth, from which the classifier's errors are read."""

    name: str
    probs: np.ndarray  # n × k
    truth: np.ndarray  # n, index of the true class
    group: np.ndarray | None = None  # n, the corpus (domain) of each row; None: one corpus

    def groups(self) -> np.ndarray:
        return np.zeros(len(self.truth), dtype=np.int64) if self.group is None else self.group


@dataclass(frozen=True)
class Shares:
    """Per cell: its size, the raw share (CC), the estimate, the interval and a status: `ok`,
    `empty` (all NaN), `one_text` (interval 0–1: one text says nothing about a share), `few`
    (fewer than `FEW` texts: the interval is too narrow) or `singular` (the reference's matrix
    cannot be inverted: the estimate is CC)."""

    n: np.ndarray  # C
    cc: np.ndarray  # C × k
    share: np.ndarray  # C × k
    low: np.ndarray  # C × k
    high: np.ndarray  # C × k
    status: tuple[str, ...]
    reference: tuple[str, ...]  # name of the reference each cell was corrected with


def references(
    probs: np.ndarray, truth: np.ndarray, langs: np.ndarray, groups: np.ndarray | None = None
) -> list[Reference]:
    """All rows first (`all`), then each language with `MIN_PER_CLASS` rows of every class."""
    k = probs.shape[1]
    groups = np.zeros(len(truth), dtype=np.int64) if groups is None else groups
    out = [Reference("all", probs, truth, groups)]
    for lang in sorted(set(langs.tolist())):
        keep = langs == lang
        if np.bincount(truth[keep], minlength=k).min() >= MIN_PER_CLASS:
            out.append(Reference(str(lang), probs[keep], truth[keep], groups[keep]))
    return out


def pick(refs: Sequence[Reference], *labels: Sequence[str] | Counter[str]) -> int:
    """The reference for a cell: for each sequence of labels in turn (say the texts' genres,
    then their languages; or their counts), the most common label's reference when it has one;
    else all rows (refs[0]). Ties go to the alphabetically first label."""
    for values in labels:
        if not values:
            continue
        counts = values if isinstance(values, Counter) else Counter(values)
        top = min(counts, key=lambda v: (-counts[v], v))
        found = next((i for i, r in enumerate(refs) if r.name == top), None)
        if found is not None:
            return found
    return 0


def features(probs: np.ndarray, method: str) -> np.ndarray:
    """What is averaged over a cell: posteriors for PACC, one-hot predictions for CC and ACC."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    if method == "pacc":
        return probs
    onehot: np.ndarray = np.eye(probs.shape[1])[probs.argmax(axis=1)]
    return onehot


def misclassification(x: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """M[j, k]: mean of feature j over the rows of true class k (NaN column if k has none)."""
    k = x.shape[1]
    sums = np.zeros((k, k))
    np.add.at(sums.T, truth, x)
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / np.bincount(truth, minlength=k)


@cache
def _faces(k: int) -> tuple[tuple[int, ...], ...]:
    # Largest first, so that on a tie (a flat objective) the interior solution is kept.
    return tuple(s for size in range(k, 0, -1) for s in combinations(range(k), size))


def simplex_lstsq(m: np.ndarray, q: np.ndarray) -> np.ndarray:
    """argmin ‖M π − q‖² over π ≥ 0, Σπ = 1, for stacks of problems (M: … × k × k, q: … × k,
    broadcast). Exact: the optimum is the best feasible solution of the problem restricted to
    one face of the simplex with the equality constraint only, and a face's solution comes from
    its KKT system. The pseudo-inverse keeps a singular face harmless: it is either infeasible or
    no better than one of its sub-faces, which are tried too. Where the whole simplex's solution
    is feasible it is the optimum (every face lies in it), so only the other problems try the
    faces: most cells are inside the simplex, and this is most of the work of an interval."""
    k = q.shape[-1]
    shape = np.broadcast_shapes(m.shape[:-2], q.shape[:-1])
    faces = _faces(k)
    maps = [_face_map(m, face) for face in faces]
    if not shape:  # one problem: as a stack of one
        one: np.ndarray = simplex_lstsq(m[None], q[None])[0]
        return one
    p, c, _, _ = maps[0]
    x = _affine(p, c, q)  # the whole simplex: only whether its solution is feasible matters
    best = np.zeros((*shape, k))
    inside = _feasible(x)
    best[inside] = np.clip(x, 0, None)[inside]
    rest = np.nonzero(~inside)
    if len(rest[0]):
        # The problems left, one row each: their q and the index of their M in m's stack.
        batch = m.shape[:-2]
        which = np.broadcast_to(np.arange(int(np.prod(batch))).reshape(batch), shape)[rest]
        qs = np.broadcast_to(q, (*shape, k))[rest]
        found = np.zeros((len(qs), k))
        found_err = np.full(len(qs), np.inf)
        for face, face_map in zip(faces[1:], maps[1:], strict=True):
            picked = tuple(a.reshape(-1, *a.shape[len(batch) :])[which] for a in face_map)
            fx, err = _face_solution(picked, qs)
            ok = _feasible(fx) & (err < found_err)
            full = np.zeros((len(qs), k))
            full[:, list(face)] = np.clip(fx, 0, None)
            found = np.where(ok[:, None], full, found)
            found_err = np.where(ok, err, found_err)
        best[rest] = found
    total: np.ndarray = best / best.sum(axis=-1, keepdims=True)
    return total


def _face_map(
    m: np.ndarray, face: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The face's solution is affine in q, x = P q + c, and so is its residual, R q + d: (P, c,
    R, d), worked out once per matrix and applied to every cell and replicate at once."""
    k = m.shape[-1]
    s = len(face)
    a = m[..., :, face]
    at = np.swapaxes(a, -1, -2)
    kkt = np.zeros((*a.shape[:-2], s + 1, s + 1))
    kkt[..., :s, :s] = 2 * at @ a
    kkt[..., :s, s] = 1
    kkt[..., s, :s] = 1
    inv = np.linalg.pinv(kkt)
    p = 2 * inv[..., :s, :s] @ at
    c = inv[..., :s, s]
    r = a @ p - np.eye(k)
    d = (a @ c[..., None])[..., 0]
    return p, c, r, d


def _face_solution(
    face_map: tuple[np.ndarray, ...], q: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    p, c, r, d = face_map
    return _affine(p, c, q), (_affine(r, d, q) ** 2).sum(axis=-1)


def _affine(a: np.ndarray, b: np.ndarray, q: np.ndarray) -> np.ndarray:
    """a q + b for stacks of tiny matrices, a column at a time: three times faster than
    numpy's batched matmul on 3 × 3 blocks."""
    out: np.ndarray = b + a[..., :, 0] * q[..., None, 0]
    for j in range(1, q.shape[-1]):
        out = out + a[..., :, j] * q[..., None, j]
    return out


def _feasible(x: np.ndarray) -> np.ndarray:
    ok: np.ndarray = (x >= -1e-9).all(axis=-1) & (np.abs(x.sum(axis=-1) - 1) < 1e-6)
    return ok


def _resampled_matrices(
    x: np.ndarray, truth: np.ndarray, group: np.ndarray, replicates: int, rng: np.random.Generator
) -> np.ndarray:
    """replicates × k × k misclassification matrices from the reference resampled in two stages:
    its corpora with replacement, then the rows of each corpus within each true class. A class
    that none of a replicate's corpora holds takes the rows of all of them."""
    k = x.shape[1]
    names = np.unique(group)
    picks = rng.multinomial(len(names), np.full(len(names), 1 / len(names)), size=replicates)
    sums, counts = np.zeros((replicates, k, k)), np.zeros((replicates, k))
    every_sum, every_count = np.zeros((replicates, k, k)), np.zeros(k)
    for g, name in enumerate(names):
        for c in range(k):
            rows = x[(group == name) & (truth == c)]
            if len(rows) == 0:
                continue
            draws = rng.multinomial(len(rows), np.full(len(rows), 1 / len(rows)), size=replicates)
            total = draws @ rows
            sums[:, :, c] += picks[:, g, None] * total
            counts[:, c] += picks[:, g] * len(rows)
            every_sum[:, :, c] += total
            every_count[c] += len(rows)
    with np.errstate(invalid="ignore", divide="ignore"):
        own = sums / counts[:, None, :]
    out: np.ndarray = np.where(counts[:, None, :] > 0, own, every_sum / every_count)
    return out


def _resampled_means(
    x: np.ndarray, sizes: np.ndarray, replicates: int, rng: np.random.Generator
) -> np.ndarray:
    """cells × replicates × k means of the cells' rows resampled with replacement; `x` holds the
    rows cell after cell, `sizes` how many each cell has (all ≥ 1)."""
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    slot_start = np.repeat(starts, sizes)
    slot_size = np.repeat(sizes, sizes)
    columns = np.ascontiguousarray(x.T)  # one column at a time: the gathers stay in cache
    out = np.empty((len(sizes), replicates, x.shape[1]))
    step = max(1, _GATHER_BUDGET // len(x))
    for b in range(0, replicates, step):
        nb = min(step, replicates - b)
        rows = slot_start + (rng.random((nb, len(x))) * slot_size).astype(np.int64)
        for j, column in enumerate(columns):
            sums = np.add.reduceat(np.take(column, rows), starts, axis=1)
            out[:, b : b + nb, j] = (sums / sizes).T
    return out


def matrices(
    ref: Reference, method: str, replicates: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray | None]:
    """The reference's matrix and its bootstrap replicates; the identity and None (count as CC)
    for CC and for a matrix that cannot be inverted usefully."""
    k = ref.probs.shape[1]
    if method == "cc":
        return np.eye(k), None
    rx = features(ref.probs, method)
    m = misclassification(rx, ref.truth)
    if not np.isfinite(m).all() or np.linalg.cond(m) > COND_LIMIT:
        return np.eye(k), None
    return m, _resampled_matrices(rx, ref.truth, ref.groups(), replicates, rng)


def status_of(n: int) -> str:
    return "empty" if n == 0 else "one_text" if n == 1 else "few" if n < FEW else "ok"


def estimate(
    probs: np.ndarray,
    cell: np.ndarray,
    n_cells: int,
    refs: Sequence[Reference],
    pool: np.ndarray | None = None,
    *,
    method: str = "pacc",
    replicates: int = REPLICATES,
    level: float = LEVEL,
    seed: int = 0,
) -> Shares:
    """Shares of each class in each cell. `probs` (n × k) are the texts' posteriors, `cell` (n)
    the cell of each text (0 … n_cells − 1; a text in two cells is given twice), `pool` (n_cells)
    the reference of each cell (default: refs[0]). Same input and seed, same output."""
    k = probs.shape[1]
    if len(cell) and (cell.min() < 0 or cell.max() >= n_cells):
        raise ValueError(f"cells must be numbered 0 … {n_cells - 1}")
    pool = np.zeros(n_cells, dtype=np.int64) if pool is None else np.asarray(pool)
    order = np.argsort(cell, kind="stable")
    x = features(probs, method)[order]
    hard = features(probs, "cc")[order]
    sizes = np.bincount(cell, minlength=n_cells)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    rng = np.random.default_rng(seed)
    nan = np.full((n_cells, k), np.nan)
    cc, share, low, high = nan.copy(), nan.copy(), nan.copy(), nan.copy()
    status = [status_of(int(n)) for n in sizes]
    tail = (1 - level) / 2
    for g, ref in enumerate(refs):
        members = np.flatnonzero((pool == g) & (sizes > 0))
        if len(members) == 0:
            continue
        m, boot_m = matrices(ref, method, replicates, rng)
        if boot_m is None and method != "cc":
            for c in members:
                status[c] = "singular"
        xs = hard if boot_m is None else x
        boot_m = m if boot_m is None else boot_m
        for chunk in np.array_split(members, -(-len(members) // CELLS_PER_CHUNK)):
            rows = np.concatenate([np.arange(starts[c], starts[c] + sizes[c]) for c in chunk])
            sz = sizes[chunk]
            first = np.concatenate([[0], np.cumsum(sz)[:-1]])
            cc[chunk] = np.add.reduceat(hard[rows], first, axis=0) / sz[:, None]
            q = np.add.reduceat(xs[rows], first, axis=0) / sz[:, None]
            share[chunk] = simplex_lstsq(m, q)
            boot = simplex_lstsq(boot_m, _resampled_means(xs[rows], sz, replicates, rng))
            low[chunk], high[chunk] = np.quantile(boot, [tail, 1 - tail], axis=1)
    one = sizes == 1
    low[one], high[one] = 0.0, 1.0
    return Shares(
        n=sizes,
        cc=cc,
        share=share,
        low=low,
        high=high,
        status=tuple(status),
        reference=tuple(refs[int(g)].name if n else "" for g, n in zip(pool, sizes, strict=True)),
    )
