"""Opinion groups, computed run after run as Pol.is does (docs/methodology.md, "Opinion groups").

Each run takes the whole vote matrix and what the previous run left (`Memory`), so groups keep
their ids and move smoothly as votes arrive:

1. Who is placed: participants who voted on at least min(7, statements) statements; while fewer
   than 15 qualify, the most active voters make up the 15. Once placed, always placed.
2. Where they stand: `projection.project`, warm-started from the previous components.
3. Base clusters: k-means with k = 100 on the placed participants (at most 100 steps).
4. Groups: weighted k-means of the base clusters' centres (weights = members), for each k from 2
   to min(5, 2 + base clusters // 12), 20 steps; each k's silhouette over the base clusters.
5. The k in use changes only when another k has had the best silhouette for `K_BUFFER` runs in a
   row. A k that would leave someone alone in a group is never chosen.
A participant's group is the group of their base cluster.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from arna.opinion.maths import kmeans
from arna.opinion.maths.projection import project
from arna.opinion.maths.votetable import VoteTable

MIN_VOTES = 7
GREEDY = 15
BASE_K = 100
BASE_ITERATIONS = 100
GROUP_ITERATIONS = 20
MAX_K = 5
K_BUFFER = 4


@dataclass(frozen=True)
class Maths:
    """Which of Pol.is's maths a run follows. Arna's own consultations run the current one; an
    imported conversation is replayed with the one Pol.is ran on each day (`history.polis_maths`).
    """

    mean_of_votes: bool = True  # a missing vote counts as the statement's mean (else as 0)
    zero_moderated: bool = True  # moderated-out statements weigh nothing on the map
    base_k: int = BASE_K
    counts_filled: bool = False  # votes counted after filling the missing ones: all are placed


CURRENT = Maths()


@dataclass
class Memory:
    """What one run hands the next (all plain data, kept with the consultation)."""

    placed: set[Hashable] = field(default_factory=set)
    components: list[dict[Hashable, float]] = field(default_factory=list)
    base: list[tuple[int, list[Hashable]]] = field(default_factory=list)
    groupings: dict[int, list[tuple[int, list[int]]]] = field(default_factory=dict)
    last_k: int | None = None
    last_k_runs: int = 0
    k: int | None = None

    def reloaded(self) -> Memory:
        """What Pol.is kept when it loaded a conversation again: who is placed, the components and
        the base clusters; the groupings and the k smoother lived in memory only."""
        return Memory(set(self.placed), self.components, self.base)


@dataclass(frozen=True)
class Result:
    k: int | None
    groups: dict[Hashable, int]  # placed participant -> group id
    points: dict[Hashable, tuple[float, float]]  # every participant's place on the map
    silhouettes: dict[int, float]


def min_votes(n_statements: int) -> int:
    return min(MIN_VOTES, n_statements)


def max_k(n_base: int) -> int:
    return min(MAX_K, 2 + n_base // 12)


def place(
    memory: Memory, table: VoteTable, extra_votes: int | npt.NDArray[np.int64] = 0
) -> list[int]:
    """Rows of the participants placed on the map, in table order (updates `memory.placed`)."""
    counts = table.counts() + extra_votes
    threshold = min_votes(len(table.statements))
    memory.placed.update(
        p for p, n in zip(table.participants, counts, strict=True) if n >= threshold
    )
    if len(memory.placed) < GREEDY:
        for row in np.argsort(-counts, kind="stable"):
            if len(memory.placed) >= GREEDY:
                break
            memory.placed.add(table.participants[row])
    return [row for row, p in enumerate(table.participants) if p in memory.placed]


def run(
    memory: Memory,
    table: VoteTable,
    moderated_out: npt.NDArray[np.bool_],
    maths: Maths = CURRENT,
) -> tuple[Memory, Result]:
    """One run over the whole matrix; `memory` is the previous run's and is not changed."""
    memory = Memory(
        set(memory.placed),
        memory.components,
        memory.base,
        dict(memory.groupings),
        memory.last_k,
        memory.last_k_runs,
        memory.k,
    )
    starts = [np.array([c.get(s, 1.0) for s in table.statements]) for c in memory.components]
    zeroed = moderated_out if maths.zero_moderated else np.zeros_like(moderated_out)
    projection = project(table, zeroed, starts, maths.mean_of_votes)
    memory.components = [
        dict(zip(table.statements, map(float, c), strict=True)) for c in projection.components
    ]
    points = {
        p: (float(x), float(y))
        for p, (x, y) in zip(table.participants, projection.points, strict=True)
    }
    filled = len(table.statements) - table.counts() if maths.counts_filled else 0
    rows = place(memory, table, filled)
    if len(projection.components) < 2 or len(rows) < 2:
        return memory, Result(None, {}, points, {})
    placed = [table.participants[r] for r in rows]
    xy = projection.points[rows]
    base = _base_clusters(memory, placed, xy, maths.base_k)
    memory.base = [
        (cid, [placed[i] for i in members])
        for cid, members in zip(base.ids, base.members(), strict=True)
    ]
    weights = np.bincount(base.labels, minlength=len(base.ids)).astype(np.float64)
    groupings, silhouettes = _groupings(memory, base, weights)
    k = _smoothed_k(memory, groupings, silhouettes, weights)
    if k is None:
        return memory, Result(None, {}, points, silhouettes)
    grouping = groupings[k]
    group_of_base = np.array(grouping.ids)[grouping.labels]
    groups = {p: int(group_of_base[b]) for p, b in zip(placed, base.labels, strict=True)}
    return memory, Result(k, groups, points, silhouettes)


def _base_clusters(
    memory: Memory, placed: Sequence[Hashable], xy: kmeans.Points, k: int
) -> kmeans.Clusters:
    if not memory.base:
        return kmeans.cold(xy, k, max_iterations=BASE_ITERATIONS).by_id()
    where = {p: i for i, p in enumerate(placed)}
    previous = [
        (cid, np.array([where[p] for p in members if p in where], dtype=np.int64))
        for cid, members in memory.base
    ]
    return kmeans.warm(xy, previous, k, max_iterations=BASE_ITERATIONS).by_id()


def _groupings(
    memory: Memory, base: kmeans.Clusters, weights: kmeans.Points
) -> tuple[dict[int, kmeans.Clusters], dict[int, float]]:
    where = {cid: i for i, cid in enumerate(base.ids)}
    groupings: dict[int, kmeans.Clusters] = {}
    silhouettes: dict[int, float] = {}
    for k in range(2, max_k(len(base.ids)) + 1):
        before = memory.groupings.get(k)
        if before:
            previous = [
                (gid, np.array([where[b] for b in members if b in where], dtype=np.int64))
                for gid, members in before
            ]
            grouping = kmeans.warm(base.centres, previous, k, weights, GROUP_ITERATIONS)
        else:
            grouping = kmeans.cold(base.centres, k, weights, GROUP_ITERATIONS)
        groupings[k] = grouping.by_id()
        silhouettes[k] = kmeans.silhouette(base.centres, grouping.labels)
    memory.groupings = {
        k: [
            (gid, [base.ids[i] for i in members])
            for gid, members in zip(g.ids, g.members(), strict=True)
        ]
        for k, g in groupings.items()
    }
    return groupings, silhouettes


def _smoothed_k(
    memory: Memory,
    groupings: dict[int, kmeans.Clusters],
    silhouettes: dict[int, float],
    weights: kmeans.Points,
) -> int | None:
    """The best k by silhouette (the larger on a tie), kept back until it has won K_BUFFER runs."""
    eligible = [
        k
        for k, g in groupings.items()
        if len(g.ids) > 1 and np.bincount(g.labels, weights=weights).min() > 1
    ]
    if not eligible:
        memory.last_k, memory.last_k_runs = None, 0
        return None
    best = max(eligible, key=lambda k: (silhouettes[k], k))
    memory.last_k_runs = memory.last_k_runs + 1 if best == memory.last_k else 1
    memory.last_k = best
    if memory.k is None or memory.k not in eligible or memory.last_k_runs >= K_BUFFER:
        memory.k = best
    return memory.k
