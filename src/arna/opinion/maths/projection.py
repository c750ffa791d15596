"""Where each participant stands: two principal components of the votes, as Pol.is draws them.

Missing votes are filled with the statement's mean vote, so after centring they are exactly zero
and the centred matrix stays sparse: the components come from power iteration on it, without
ever filling the matrix in. Statements moderated out keep their column but weigh nothing (all
zero), as in Pol.is. A participant is projected from the votes they cast alone, and the point is
scaled by sqrt(statements / votes) so that someone who voted on few statements is not drawn to
the centre merely for having said little.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from arna.opinion.maths.votetable import VoteTable

ITERATIONS = 100
Vector = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Projection:
    components: tuple[Vector, ...]  # one vector over the statements per component
    points: npt.NDArray[np.float64]  # participants x 2


def centred(
    table: VoteTable, moderated_out: npt.NDArray[np.bool_], mean_of_votes: bool = True
) -> tuple[sparse.linalg.LinearOperator, sparse.csr_matrix]:
    """The centred matrix the components come from, and each cast vote minus its statement's
    centre (what a participant is projected from); moderated-out statements are all zero.

    Pol.is fills a missing vote with the statement's mean vote (`mean_of_votes`; since 2017-10)
    or, before, with 0, which makes the centre the sum of votes over everyone."""
    n_rows, n_cols = table.shape
    kept = ~moderated_out[table.cols]
    rows, cols, values = table.rows[kept], table.cols[kept], table.values[kept]
    total = np.bincount(cols, weights=values, minlength=n_cols)
    if mean_of_votes:
        centre = total / np.maximum(np.bincount(cols, minlength=n_cols), 1)
    else:
        centre = total / max(n_rows, 1)
    cast = sparse.csr_matrix((values - centre[cols], (rows, cols)), shape=(n_rows, n_cols))
    if mean_of_votes:
        return sparse.linalg.aslinearoperator(cast), cast
    filled = sparse.csr_matrix((values, (rows, cols)), shape=(n_rows, n_cols))
    transposed = filled.T.tocsr()
    ones = np.ones(n_rows)

    def matvec(v: Vector) -> Vector:
        return np.asarray(filled @ v - float(centre @ v), dtype=np.float64)

    def rmatvec(u: Vector) -> Vector:
        return np.asarray(transposed @ u - centre * float(ones @ u), dtype=np.float64)

    operator = sparse.linalg.LinearOperator(
        (n_rows, n_cols), matvec=matvec, rmatvec=rmatvec, dtype=np.float64
    )
    return operator, cast


def power_component(
    gram: sparse.linalg.LinearOperator, start: Vector, iterations: int = ITERATIONS
) -> Vector:
    """The leading eigenvector of XᵀX by power iteration, as Pol.is runs it: at most
    `iterations` + 1 products, stopping early only when the eigenvalue repeats exactly."""
    vector = start
    last = 0.0
    for _ in range(iterations + 1):
        product = gram.matvec(vector)
        value = float(np.linalg.norm(product))
        vector = product / value if value > 0 else product
        if value == last:
            break
        last = value
    return np.asarray(vector, dtype=np.float64)


def components(
    matrix: sparse.linalg.LinearOperator, starts: Sequence[Vector | None] = (), n: int = 2
) -> tuple[Vector, ...]:
    """`n` principal components; each starts from the previous run's (padded with ones for new
    statements) or from ones, and the next is found in the matrix with the found ones removed."""
    n_rows, n_cols = matrix.shape
    found: list[Vector] = []

    def deflated(vector: Vector) -> Vector:
        product = matrix.matvec(vector)
        for component in found:
            product = product - matrix.matvec(component) * float(component @ vector)
        back: Vector = matrix.rmatvec(product)
        for component in found:
            back = back - component * float(matrix.matvec(component) @ product)
        return back

    gram = sparse.linalg.LinearOperator((n_cols, n_cols), matvec=deflated, dtype=np.float64)
    for index in range(min(n, n_rows, n_cols)):
        start = starts[index] if index < len(starts) else None
        found.append(power_component(gram, _padded(start, n_cols)))
    return tuple(found)


def _padded(start: Vector | None, size: int) -> Vector:
    if start is None or not np.any(start):
        return np.ones(size)
    start = np.asarray(start, dtype=np.float64)[:size]
    return np.concatenate([start, np.ones(size - len(start))])


def project(
    table: VoteTable,
    moderated_out: npt.NDArray[np.bool_],
    starts: Sequence[Vector | None] = (),
    mean_of_votes: bool = True,
) -> Projection:
    """Each participant's point on the first two components (zeros when there is too little
    to draw: fewer than two participants or statements)."""
    matrix, cast = centred(table, moderated_out, mean_of_votes)
    found = components(matrix, starts)
    n_rows, n_cols = table.shape
    if len(found) < 2:
        return Projection(found, np.zeros((n_rows, 2)))
    # a moderated-out statement counts as voted on by everyone, as in Pol.is (its zeros are votes)
    votes = (
        table.counts()
        - np.bincount(table.rows[moderated_out[table.cols]], minlength=n_rows)
        + int(moderated_out.sum())
    )
    scale = np.sqrt(n_cols / np.maximum(votes, 1))
    points = np.column_stack([cast @ found[0], cast @ found[1]]) * scale[:, None]
    return Projection(found, points)
