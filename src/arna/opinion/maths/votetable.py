"""The vote matrix: who voted what on which statement, sparse.

Rows are participants and columns statements, both in the order they first appear in the votes
given (Pol.is keeps that order, and its clustering starts from the first distinct points in it).
A participant's last vote on a statement is the one that counts. Agree is +1, disagree -1, pass 0;
a pass is a vote (it counts towards taking part), a statement not seen is no entry at all.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

AGREE, PASS, DISAGREE = 1, 0, -1


@dataclass(frozen=True)
class VoteTable:
    participants: tuple[Hashable, ...]
    statements: tuple[Hashable, ...]
    rows: npt.NDArray[np.int64]
    cols: npt.NDArray[np.int64]
    values: npt.NDArray[np.float64]

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.participants), len(self.statements)

    def counts(self) -> npt.NDArray[np.int64]:
        """How many statements each participant voted on (passes included)."""
        return np.bincount(self.rows, minlength=len(self.participants))


@dataclass
class VoteBuilder:
    """Votes gathered in the order they were cast; `table()` is the matrix so far."""

    people: dict[Hashable, int] = field(default_factory=dict)
    statements: dict[Hashable, int] = field(default_factory=dict)
    cells: dict[tuple[int, int], int] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)
    cols: list[int] = field(default_factory=list)
    values: list[int] = field(default_factory=list)

    def add(self, participant: Hashable, statement: Hashable, value: int) -> None:
        if value not in (AGREE, PASS, DISAGREE):
            raise ValueError(f"a vote is 1, 0 or -1, not {value!r}")
        row = self.people.setdefault(participant, len(self.people))
        col = self.statements.setdefault(statement, len(self.statements))
        at = self.cells.setdefault((row, col), len(self.values))
        if at == len(self.values):
            self.rows.append(row)
            self.cols.append(col)
            self.values.append(value)
        else:
            self.values[at] = value

    def table(self) -> VoteTable:
        return VoteTable(
            tuple(self.people),
            tuple(self.statements),
            np.array(self.rows, dtype=np.int64),
            np.array(self.cols, dtype=np.int64),
            np.array(self.values, dtype=np.float64),
        )


def vote_table(votes: Iterable[tuple[Hashable, Hashable, int]]) -> VoteTable:
    """A table from (participant, statement, vote) in the order they were cast."""
    builder = VoteBuilder()
    for participant, statement, value in votes:
        builder.add(participant, statement, value)
    return builder.table()


def vote_arrays(
    participants: npt.NDArray[np.int64],
    statements: npt.NDArray[np.int64],
    values: npt.NDArray[np.int64],
) -> VoteTable:
    """The same table as `vote_table` from three arrays of votes in the order cast (numbered
    participants and statements), without a Python object per vote."""
    people, first_person, rows = np.unique(participants, return_index=True, return_inverse=True)
    things, first_thing, cols = np.unique(statements, return_index=True, return_inverse=True)
    # number rows and columns in the order of first appearance
    row_rank = np.empty(len(people), dtype=np.int64)
    row_rank[np.argsort(first_person, kind="stable")] = np.arange(len(people))
    col_rank = np.empty(len(things), dtype=np.int64)
    col_rank[np.argsort(first_thing, kind="stable")] = np.arange(len(things))
    rows, cols = row_rank[rows], col_rank[cols]
    cell = rows * max(len(things), 1) + cols
    # the last vote of each cell: the first one met going backwards
    _, last_from_end = np.unique(cell[::-1], return_index=True)
    keep = np.sort(len(cell) - 1 - last_from_end)
    order = np.argsort(first_person, kind="stable")
    thing_order = np.argsort(first_thing, kind="stable")
    return VoteTable(
        tuple(int(p) for p in people[order]),
        tuple(int(s) for s in things[thing_order]),
        rows[keep],
        cols[keep],
        values[keep].astype(np.float64),
    )
