"""The opinion maths on plain data: hand-computed cases, the published rules, determinism."""

from __future__ import annotations

import numpy as np
import pytest

from arna.opinion.maths import kmeans
from arna.opinion.maths.groups import GREEDY, Memory, max_k, place, run
from arna.opinion.maths.history import once, replay
from arna.opinion.maths.projection import centred, components
from arna.opinion.maths.statements import (
    Z90,
    consensus,
    group_aware_consensus,
    prop_test,
    representative,
    tally,
    two_prop_test,
)
from arna.opinion.maths.votetable import vote_arrays, vote_table


def test_tests_by_hand() -> None:
    # (3+1)/(3+1) = 1: 2·sqrt(4)·(1 − 0.5) = 2
    assert prop_test(3, 3) == pytest.approx(2.0)
    # 4/4 against 1/4 with the pooled 5/8: 0.75 / sqrt(0.625·0.375·(1/4 + 1/4))
    assert two_prop_test(3, 0, 3, 3) == pytest.approx(0.75 / np.sqrt(0.625 * 0.375 * 0.5))
    assert two_prop_test(5, 5, 5, 5) == 0.0  # everyone agrees: no difference to test


def _two_camps() -> tuple[list[tuple[str, str, int]], list[str]]:
    """Three people agree with s0 and three disagree; all six agree with s1; s2 is split."""
    votes = []
    for person in ("a1", "a2", "a3"):
        votes += [(person, "s0", 1), (person, "s1", 1), (person, "s2", 1)]
    for person in ("b1", "b2", "b3"):
        votes += [(person, "s0", -1), (person, "s1", 1), (person, "s2", -1)]
    return votes, ["a1", "a2", "a3"]


def test_representative_and_consensus_by_hand() -> None:
    votes, camp_a = _two_camps()
    table = vote_table(votes)
    members = np.isin(np.array(table.participants)[table.rows], camp_a)
    n = len(table.statements)
    mine = tally(table.values[members], table.cols[members], n)
    rest = tally(table.values[~members], table.cols[~members], n)
    out = np.zeros(n, dtype=bool)

    found = representative(mine, rest, table.statements, out)
    first = found[0]
    assert (first.statement, first.stance, first.count, first.seen) == ("s0", "agree", 3, 3)
    assert first.share == pytest.approx(4 / 5)  # (3+1)/(3+2)
    assert first.test == pytest.approx(2.0)
    assert first.ratio == pytest.approx((4 / 5) / (1 / 5))  # against (0+1)/(3+2)
    assert first.ratio_test == pytest.approx(0.75 / np.sqrt(0.625 * 0.375 * 0.5))
    assert first.best_agree
    assert all(r.test > Z90 and r.ratio_test > Z90 for r in found[1:])
    # s1: everyone agrees, so it sets nobody apart
    assert "s1" not in {r.statement for r in found}

    everyone = tally(table.values, table.cols, n)
    agreed = consensus(everyone, table.statements, out)
    assert [(c.statement, c.stance) for c in agreed] == [("s1", "agree")]
    assert agreed[0].share == pytest.approx(7 / 8)
    assert agreed[0].test == pytest.approx(np.sqrt(7))

    by_group = group_aware_consensus({0: mine, 1: rest}, table.statements, out)
    assert by_group["s1"] == pytest.approx((4 / 5) ** 2)
    assert by_group["s0"] == pytest.approx((4 / 5) * (1 / 5))


def test_moderated_out_statements_represent_nobody() -> None:
    votes, camp_a = _two_camps()
    table = vote_table(votes)
    members = np.isin(np.array(table.participants)[table.rows], camp_a)
    n = len(table.statements)
    out = np.array([s in ("s0", "s2") for s in table.statements])
    mine = tally(table.values[members], table.cols[members], n)
    rest = tally(table.values[~members], table.cols[~members], n)
    assert {r.statement for r in representative(mine, rest, table.statements, out)} <= {"s1"}
    assert group_aware_consensus({0: mine}, table.statements, out).keys() == {"s1"}


def _camps(n_each: int, n_statements: int, seed: int) -> list[tuple[str, int, int]]:
    """Two camps that disagree on every statement, each person skipping some and erring on a few."""
    rng = np.random.default_rng(seed)
    votes = []
    for camp, sign in (("left", 1), ("right", -1)):
        for i in range(n_each):
            for s in range(n_statements):
                if rng.random() < 0.3:
                    continue
                value = sign if rng.random() > 0.1 else -sign
                votes.append((f"{camp}-{i}", s, value))
    order = rng.permutation(len(votes))
    return [votes[i] for i in order]


def test_two_camps_become_two_groups() -> None:
    votes = _camps(60, 20, seed=1)
    result = once(votes, lambda s: False)
    assert result.k == 2
    left = {result.groups[p] for p in result.groups if p.startswith("left")}
    right = {result.groups[p] for p in result.groups if p.startswith("right")}
    assert len(left) == len(right) == 1 and left != right
    assert len(result.groups) == 120


def test_same_input_same_output() -> None:
    votes = _camps(50, 15, seed=2)
    first, second = once(votes, lambda s: s == 3), once(votes, lambda s: s == 3)
    assert first == second


def test_votes_on_moderated_out_statements_move_nobody() -> None:
    votes = _camps(40, 12, seed=3)
    flipped = [(p, s, -v if s == 5 else v) for p, s, v in votes]
    a, b = once(votes, lambda s: s == 5), once(flipped, lambda s: s == 5)
    assert a.points == b.points and a.groups == b.groups


def test_who_is_placed() -> None:
    # 20 statements: 7 votes place a participant, 6 do not
    votes = [(f"p{i}", s, 1) for i in range(20) for s in range(7)]
    votes += [("few", s, 1) for s in range(6)] + [("x", s, -1) for s in range(7, 20)]
    table = vote_table(votes)
    placed = {table.participants[r] for r in place(Memory(), table)}
    assert "few" not in placed and "x" in placed and len(placed) == 21
    # fewer than 15 would qualify: the most active voters make up 15
    small = vote_table([(f"p{i}", s, 1) for i in range(30) for s in range(i % 10 + 1)])
    assert len(place(Memory(), small)) == GREEDY
    # once placed, always placed
    memory = Memory(placed={"gone-quiet"})
    place(memory, table)
    assert "gone-quiet" in memory.placed


def test_power_iteration_finds_the_principal_components() -> None:
    # two axes of unequal weight: 30 + 30 people split s0-5 against s6-11, 10 + 10 split
    # s0-2 and s6-8 against s3-5 and s9-11
    axis1 = np.array([1] * 6 + [-1] * 6)
    axis2 = np.array([1, 1, 1, -1, -1, -1] * 2)
    people = [(axis1, 30), (-axis1, 30), (axis2, 10), (-axis2, 10)]
    votes = [
        (f"{n}-{i}", s, int(row[s]))
        for n, (row, count) in enumerate(people)
        for i in range(count)
        for s in range(12)
        if (i + s) % 4
    ]
    table = vote_table(votes)
    operator, matrix = centred(table, np.zeros(len(table.statements), dtype=bool))
    found = components(operator)
    _, _, vt = np.linalg.svd(matrix.toarray(), full_matrices=False)
    for mine, exact in zip(found, vt[:2], strict=True):
        assert abs(float(mine @ exact)) == pytest.approx(1.0, abs=1e-6)


def test_kmeans_keeps_ids_and_splits_the_farthest_point() -> None:
    points = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.1, 5.0], [10.0, 0.0]])
    first = kmeans.cold(points[:4], 2)
    assert first.ids == (0, 1)
    previous = [(cid, members) for cid, members in zip(first.ids, first.members(), strict=True)]
    grown = kmeans.warm(points, previous, 3)
    assert set(grown.ids) == {0, 1, 2}
    assert grown.labels[4] == grown.ids.index(2)  # the new far point got the new id


def test_silhouette_by_hand() -> None:
    points = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 0.0]])
    labels = np.array([0, 0, 1])
    # the lone point scores 0; the pair: a = 1, b = 10 and sqrt(101) → (b − a) / b
    expected = ((10 - 1) / 10 + (np.sqrt(101) - 1) / np.sqrt(101) + 0) / 3
    assert kmeans.silhouette(points, labels) == pytest.approx(expected)


def test_k_range_and_no_lone_group() -> None:
    assert [max_k(n) for n in (1, 11, 12, 24, 36, 100)] == [2, 2, 3, 4, 5, 5]
    # one far-off participant: a group of one is never chosen
    votes = _camps(30, 10, seed=5) + [("odd", s, 0) for s in range(10)]
    result = once(votes, lambda s: False)
    sizes = np.bincount(list(result.groups.values()))
    assert sizes[sizes > 0].min() > 1


def test_replay_keeps_group_ids_and_needs_k_to_win_repeatedly() -> None:
    from datetime import UTC, datetime, timedelta

    start = datetime(2026, 1, 1, tzinfo=UTC)
    votes = [
        (start + timedelta(minutes=i), p, s, v)
        for i, (p, s, v) in enumerate(_camps(40, 12, seed=6))
    ]
    memory, result, table = replay(votes, lambda s: False, window=timedelta(hours=1))
    counts = dict(zip(table.participants, table.counts(), strict=True))
    assert result.k == 2 and set(result.groups) >= {p for p, n in counts.items() if n >= 7}
    _again, same, _ = replay(votes, lambda s: False, window=timedelta(hours=1))
    assert same == result
    # one more run over the same votes changes nothing: the groups are where they were
    _memory2, result2 = run(memory, table, np.zeros(len(table.statements), dtype=bool))
    assert result2.groups == result.groups


def test_the_matrix_from_arrays_is_the_matrix_from_votes() -> None:
    rng = np.random.default_rng(8)
    people, things, values = (
        rng.integers(0, 40, 3000),
        rng.integers(0, 25, 3000),
        rng.integers(-1, 2, 3000),
    )
    fast = vote_arrays(people, things, values)
    slow = vote_table(zip(people.tolist(), things.tolist(), values.tolist(), strict=True))
    assert (fast.participants, fast.statements) == (slow.participants, slow.statements)
    cells = lambda t: sorted(zip(t.rows.tolist(), t.cols.tolist(), t.values.tolist(), strict=True))  # noqa: E731
    assert cells(fast) == cells(slow)  # the last vote of each cell counts
