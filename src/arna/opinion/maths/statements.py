"""What groups say: representative statements, consensus, group-aware consensus (Pol.is).

Counts per statement: A agreed, D disagreed, S saw it (voted, passes included). With pseudo-counts
p = (A+1)/(S+2). One-proportion test z = 2·sqrt(S+1)·((A+1)/(S+1) − 1/2); two-proportion test
of a group against everyone else in the other groups, each count plus one. A statement represents
a group when both its z for the group and its z against the rest pass 1.2816 (90 %, one-sided),
for agreement or for disagreement. Moderated-out statements never represent anyone.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Z90 = 1.2816
PER_GROUP = 5


def prop_test(successes: float, n: float) -> float:
    successes, n = successes + 1, n + 1
    return 2 * math.sqrt(n) * (successes / n - 0.5)


def two_prop_test(succ_in: float, succ_out: float, pop_in: float, pop_out: float) -> float:
    succ_in, succ_out, pop_in, pop_out = succ_in + 1, succ_out + 1, pop_in + 1, pop_out + 1
    p_in, p_out = succ_in / pop_in, succ_out / pop_out
    pooled = (succ_in + succ_out) / (pop_in + pop_out)
    if pooled == 1:
        return 0.0
    return (p_in - p_out) / math.sqrt(pooled * (1 - pooled) * (1 / pop_in + 1 / pop_out))


@dataclass(frozen=True)
class Tally:
    agree: npt.NDArray[np.int64]  # per statement
    disagree: npt.NDArray[np.int64]
    seen: npt.NDArray[np.int64]


def tally(values: npt.NDArray[np.float64], cols: npt.NDArray[np.int64], n: int) -> Tally:
    """Counts per statement from the votes (value, statement column) of some participants."""
    return Tally(
        np.bincount(cols[values > 0], minlength=n),
        np.bincount(cols[values < 0], minlength=n),
        np.bincount(cols, minlength=n),
    )


@dataclass(frozen=True)
class Representative:
    statement: Hashable
    stance: str  # "agree" or "disagree"
    count: int  # members who agreed (or disagreed)
    seen: int
    share: float  # p with pseudo-counts
    test: float  # z for the group
    ratio: float  # p in the group over p in the rest
    ratio_test: float  # z against the rest
    best_agree: bool = False


def _stats(hits: int, seen: int, rest_hits: int, rest_seen: int) -> tuple[float, ...]:
    share = (hits + 1) / (seen + 2)
    ratio = share / ((rest_hits + 1) / (rest_seen + 2))
    return share, prop_test(hits, seen), ratio, two_prop_test(hits, rest_hits, seen, rest_seen)


def representative(
    group: Tally, rest: Tally, statements: Sequence[Hashable], moderated_out: npt.NDArray[np.bool_]
) -> list[Representative]:
    """Up to PER_GROUP statements that set a group apart, as Pol.is selects them: the best
    agreed statement first, then the rest by ratio·z·share·z, agreement before disagreement."""
    sufficient: list[Representative] = []
    best: Representative | None = None
    best_agree: Representative | None = None
    for col, statement in enumerate(statements):
        if moderated_out[col]:
            continue
        na, nd, ns = int(group.agree[col]), int(group.disagree[col]), int(group.seen[col])
        pa, pat, ra, rat = _stats(na, ns, int(rest.agree[col]), int(rest.seen[col]))
        pd, pdt, rd, rdt = _stats(nd, ns, int(rest.disagree[col]), int(rest.seen[col]))
        agreeing = Representative(statement, "agree", na, ns, pa, pat, ra, rat)
        chosen = (
            agreeing
            if rat > rdt
            else Representative(statement, "disagree", nd, ns, pd, pdt, rd, rdt)
        )
        if (rat > Z90 and pat > Z90) or (rdt > Z90 and pdt > Z90):
            sufficient.append(chosen)
        elif not sufficient and (best is None or max(rat, rdt) > best.ratio_test):
            best = chosen
        if na or nd:
            if best_agree is None:
                beats = pat > Z90 or (ra > 1.0 and pa > 0.5)
            elif best_agree.ratio > 1:
                beats = ra * rat * pa * pat > _metric(best_agree)
            else:
                beats = pa * pat > best_agree.share * best_agree.test
            if beats:
                best_agree = agreeing
    if not sufficient:
        fallback = best_agree or best
        return [fallback] if fallback else []
    rest_sorted = sorted(
        (r for r in sufficient if best_agree is None or r.statement != best_agree.statement),
        key=_metric,
        reverse=True,
    )
    chosen_list = ([_flag(best_agree)] if best_agree else []) + rest_sorted
    chosen_list = chosen_list[:PER_GROUP]
    return [r for r in chosen_list if r.stance == "agree"] + [
        r for r in chosen_list if r.stance == "disagree"
    ]


def _metric(r: Representative) -> float:
    return r.ratio * r.ratio_test * r.share * r.test


def _flag(r: Representative) -> Representative:
    return Representative(
        r.statement, r.stance, r.count, r.seen, r.share, r.test, r.ratio, r.ratio_test, True
    )


@dataclass(frozen=True)
class Consensus:
    statement: Hashable
    stance: str
    count: int
    seen: int
    share: float
    test: float


def consensus(
    everyone: Tally, statements: Sequence[Hashable], moderated_out: npt.NDArray[np.bool_]
) -> list[Consensus]:
    """Up to PER_GROUP statements most agreed with and most disagreed with by all participants:
    p > 1/2 and its z > 1.2816, ranked by p·z."""
    found: dict[str, list[Consensus]] = {"agree": [], "disagree": []}
    for col, statement in enumerate(statements):
        if moderated_out[col]:
            continue
        ns = int(everyone.seen[col])
        for stance, hits in (("agree", everyone.agree[col]), ("disagree", everyone.disagree[col])):
            share, test = (int(hits) + 1) / (ns + 2), prop_test(int(hits), ns)
            if share > 0.5 and test > Z90:
                found[stance].append(Consensus(statement, stance, int(hits), ns, share, test))
    return [
        c
        for stance in ("agree", "disagree")
        for c in sorted(found[stance], key=lambda c: c.share * c.test, reverse=True)[:PER_GROUP]
    ]


def group_aware_consensus(
    groups: Mapping[int, Tally],
    statements: Sequence[Hashable],
    moderated_out: npt.NDArray[np.bool_],
) -> dict[Hashable, float]:
    """Per statement, the product over groups of (A_g+1)/(S_g+2): high only when every group
    agrees."""
    product = np.ones(len(statements))
    for tally_g in groups.values():
        product *= (tally_g.agree + 1) / (tally_g.seen + 2)
    return {
        s: float(p) for s, p, out in zip(statements, product, moderated_out, strict=True) if not out
    }
