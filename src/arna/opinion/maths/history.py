"""Groups as they grew: the votes replayed in the order they came, one run per batch.

Pol.is ran its maths on every new batch of votes, and each run started from the last one, so
the groups a conversation ends with depend on its history (who joined first, which k kept
winning). Replaying the votes batch by batch, each batch being the votes of one `window`, gives
Arna the same path; within a batch the votes are taken by statement, then participant, as Pol.is
read them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import UTC, datetime, timedelta

import numpy as np

from arna.opinion.maths.groups import CURRENT, Maths, Memory, Result, run
from arna.opinion.maths.votetable import VoteBuilder, VoteTable

WINDOW = timedelta(hours=1)
# Pol.is kept a conversation's groupings and its k smoother in memory only: after a pause its
# maths started again from what it stored (placed people, components, base clusters)
POLIS_PAUSE = timedelta(days=1)
# What Pol.is had stored before its maths was reworked on 2017-10-21 did not carry over: the
# conversations it ran again afterwards publish exactly the participants with 7 votes as placed,
# where the earlier maths (which counted the filled-in matrix) had placed everyone
POLIS_RESTARTS = (datetime(2017, 10, 21, tzinfo=UTC),)

# The dated changes of Pol.is's maths that move groups (its math/ history, newest first).
POLIS_ERAS: tuple[tuple[datetime, Maths], ...] = (
    (datetime(2017, 10, 21, tzinfo=UTC), CURRENT),
    # before: a missing vote was 0, and votes were counted in that filled matrix (all placed)
    (datetime(2017, 4, 14, tzinfo=UTC), Maths(mean_of_votes=False, counts_filled=True)),
    (datetime(2017, 2, 27, tzinfo=UTC), Maths(False, True, 50, True)),  # 50 base clusters
    (datetime.min.replace(tzinfo=UTC), Maths(False, False, 50, True)),  # moderation ignored
)


def polis_maths(moment: datetime) -> Maths:
    """The maths Pol.is ran on that day."""
    return next(maths for since, maths in POLIS_ERAS if moment >= since)


Vote = tuple[datetime, Hashable, Hashable, int]  # when, participant, statement, value


def batches(votes: Sequence[Vote], window: timedelta = WINDOW) -> list[list[Vote]]:
    """Votes (sorted by time) cut into consecutive windows of `window`, empty ones skipped."""
    out: list[list[Vote]] = []
    edge: datetime | None = None
    for vote in votes:
        if edge is None or vote[0] >= edge:
            out.append([])
            start = vote[0] if edge is None else edge + ((vote[0] - edge) // window) * window
            edge = start + window
        out[-1].append(vote)
    return out


def replay(
    votes: Sequence[Vote],
    moderated_out: Callable[[Hashable], bool],
    window: timedelta = WINDOW,
    progress: Callable[[int, int], None] | None = None,
    maths: Callable[[datetime], Maths] = lambda _: CURRENT,
    forget_after: timedelta | None = None,
    restarts: Sequence[datetime] = (),
) -> tuple[Memory, Result, VoteTable]:
    """The last run's memory and result after replaying `votes` (sorted by time); each batch's
    run follows `maths(time of its last vote)`; after a pause longer than `forget_after` a run
    starts from `Memory.reloaded()`, and the first run after a moment in `restarts` from
    nothing."""
    builder = VoteBuilder()
    memory = Memory()
    result = Result(None, {}, {}, {})
    table = builder.table()
    cut = batches(votes, window)
    last: datetime | None = None
    for done, batch in enumerate(cut, start=1):
        if last is not None and any(last < moment <= batch[0][0] for moment in restarts):
            memory = Memory()
        elif forget_after is not None and last is not None and batch[0][0] - last > forget_after:
            memory = memory.reloaded()
        last = batch[-1][0]
        for _, participant, statement, value in sorted(
            batch, key=lambda v: (_key(v[2]), _key(v[1]))
        ):
            builder.add(participant, statement, value)
        table = builder.table()
        out = np.array([moderated_out(s) for s in table.statements], dtype=bool)
        memory, result = run(memory, table, out, maths(last))
        if progress:
            progress(done, len(cut))
    return memory, result, table


def _key(value: Hashable) -> tuple[int, object]:
    """Numbers in numeric order, anything else after them as text."""
    return (0, value) if isinstance(value, int) else (1, str(value))


def once(
    votes: Iterable[tuple[Hashable, Hashable, int]], moderated_out: Callable[[Hashable], bool]
) -> Result:
    """One cold run over all the votes (no history)."""
    builder = VoteBuilder()
    for participant, statement, value in votes:
        builder.add(participant, statement, value)
    table = builder.table()
    return run(Memory(), table, np.array([moderated_out(s) for s in table.statements], dtype=bool))[
        1
    ]


def polis_replay(
    votes: Sequence[Vote],
    moderated_out: Callable[[Hashable], bool],
    window: timedelta = WINDOW,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Memory, Result, VoteTable]:
    """A Pol.is conversation as Pol.is lived it: each day's maths, and a fresh start of the
    groupings after each pause (docs/methodology.md, "Opinion groups of an imported
    conversation")."""
    return replay(votes, moderated_out, window, progress, polis_maths, POLIS_PAUSE, POLIS_RESTARTS)
