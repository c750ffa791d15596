"""k-means as Pol.is runs it: clusters keep their ids from run to run.

Lloyd's steps with Euclidean distance: every point joins the nearest centre, a cluster left
empty is dropped, centres move to the (weighted) mean of their members, until no centre moves by
`TOLERANCE` or the steps run out. A cold start takes the first k distinct points as centres; a
warm start recentres the previous clusters on their members' new places, merges clusters that
coincide, and splits off the point farthest from any centre (it leaves its cluster, whose centre
moves) until there are k clusters (or as many as there are distinct points).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

TOLERANCE = 0.01
Points = npt.NDArray[np.float64]
Labels = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Clusters:
    ids: tuple[int, ...]
    centres: Points  # one row per cluster
    labels: Labels  # per point: the index (not the id) of its cluster

    def members(self) -> list[npt.NDArray[np.int64]]:
        return [np.flatnonzero(self.labels == index) for index in range(len(self.ids))]

    def by_id(self) -> Clusters:
        """The same clusters in the order of their ids (Pol.is keeps them so: a cold start of
        the next level takes its first points in this order)."""
        order = np.argsort(self.ids, kind="stable")
        index = np.empty_like(order)
        index[order] = np.arange(len(order))
        return Clusters(tuple(self.ids[i] for i in order), self.centres[order], index[self.labels])


def first_distinct(points: Points, k: int) -> Points:
    """The first k distinct points, in their order."""
    _, first = np.unique(points, axis=0, return_index=True)
    return points[np.sort(first)[:k]]


def nearest(points: Points, centres: Points) -> tuple[Labels, Points]:
    """Each point's nearest centre (the first on a tie) and its distance."""
    squared = (
        (points * points).sum(1)[:, None]
        - 2 * points @ centres.T
        + (centres * centres).sum(1)[None, :]
    )
    labels = squared.argmin(1)
    return labels, np.sqrt(np.maximum(squared[np.arange(len(points)), labels], 0))


def _means(points: Points, labels: Labels, weights: Points, used: Labels) -> Points:
    """The weighted mean of each used cluster's members."""
    n = int(used.max()) + 1
    total = np.bincount(labels, weights=weights, minlength=n)[used]
    x = np.bincount(labels, weights=weights * points[:, 0], minlength=n)[used]
    y = np.bincount(labels, weights=weights * points[:, 1], minlength=n)[used]
    return np.column_stack([x, y]) / total[:, None]


def _same(before: Points, after: Points) -> bool:
    """Pol.is's test: the centres, each list sorted, pairwise closer than the tolerance."""
    first = before[np.lexsort(before.T[::-1])]
    second = after[np.lexsort(after.T[::-1])]
    n = min(len(first), len(second))
    return bool(np.all(np.linalg.norm(first[:n] - second[:n], axis=1) < TOLERANCE))


def lloyd(
    points: Points,
    centres: Points,
    ids: Sequence[int],
    weights: Points | None = None,
    max_iterations: int = 20,
) -> Clusters:
    weights = np.ones(len(points)) if weights is None else weights
    ids = tuple(ids)
    for step in range(max_iterations + 1):
        labels, _ = nearest(points, centres)
        used = np.unique(labels)
        moved = _means(points, labels, weights, used)
        index = np.full(len(centres), -1)
        index[used] = np.arange(len(used))
        done = step == max_iterations or _same(centres, moved)
        centres, ids, labels = moved, tuple(ids[i] for i in used), index[labels]
        if done:
            break
    return Clusters(ids, centres, labels)


def cold(
    points: Points, k: int, weights: Points | None = None, max_iterations: int = 20
) -> Clusters:
    centres = first_distinct(points, k)
    return lloyd(points, centres, range(len(centres)), weights, max_iterations)


def warm(
    points: Points,
    previous: Sequence[tuple[int, npt.NDArray[np.int64]]],
    k: int,
    weights: Points | None = None,
    max_iterations: int = 20,
) -> Clusters:
    """Start from `previous` clusters: (id, indices of their members among `points` now)."""
    weights = np.ones(len(points)) if weights is None else weights
    kept = [(cid, members) for cid, members in previous if len(members)]
    if not kept:
        return cold(points, k, weights, max_iterations)
    ids, groups = _merged(points, weights, kept)
    possible = min(k, len(np.unique(points, axis=0)))
    centres = _centres(points, weights, groups)
    while len(centres) < possible:
        _, distance = nearest(points, centres)
        farthest = int(len(distance) - 1 - distance[::-1].argmax())  # the last, as Clojure's
        if distance[farthest] <= 0:
            break
        # the farthest point leaves its cluster to start one of its own, and the centres move
        groups = [members[members != farthest] for members in groups]
        groups.append(np.array([farthest], dtype=np.int64))
        ids.append(max(ids) + 1)
        centres = _centres(points, weights, groups)
    return lloyd(points, centres, ids, weights, max_iterations)


def _centres(points: Points, weights: Points, groups: Sequence[npt.NDArray[np.int64]]) -> Points:
    return np.array(
        [np.average(points[members], axis=0, weights=weights[members]) for members in groups]
    )


def _merged(
    points: Points, weights: Points, kept: Sequence[tuple[int, npt.NDArray[np.int64]]]
) -> tuple[list[int], list[npt.NDArray[np.int64]]]:
    """Clusters that came to the same place are one, where the first of them was; it keeps the
    id of the one with more members (the later on a tie)."""
    ids: list[int] = []
    groups: list[npt.NDArray[np.int64]] = []
    places: list[tuple[float, ...]] = []
    for cid, members in kept:
        place = tuple(np.average(points[members], axis=0, weights=weights[members]))
        if place in places:
            at = places.index(place)
            if len(members) >= len(groups[at]):
                ids[at] = cid
            groups[at] = np.concatenate([groups[at], members])
        else:
            ids.append(cid)
            groups.append(members)
            places.append(place)
    return ids, groups


def silhouette(points: Points, labels: Labels) -> float:
    """The mean silhouette of the points, unweighted; a point alone in its cluster scores 0."""
    groups = np.unique(labels)
    if len(groups) < 2:
        return 0.0
    distance = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(-1))
    sums = np.column_stack([distance[:, labels == g].sum(1) for g in groups])
    sizes = np.array([(labels == g).sum() for g in groups])
    own = np.searchsorted(groups, labels)
    alone = sizes[own] == 1
    a = sums[np.arange(len(points)), own] / np.maximum(sizes[own] - 1, 1)
    others = sums / sizes[None, :]
    others[np.arange(len(points)), own] = np.inf
    b = others.min(1)
    width = np.maximum(a, b)
    score = np.where(alone | (width == 0), 0.0, (b - a) / np.where(width == 0, 1, width))
    return float(score.mean())
