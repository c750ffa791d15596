"""Groups made readable and storable (pure): the run's memory as JSON, and the summary the pages
and the API show (each group's size and representative statements, the consensus, the
group-aware consensus), computed from the last votes and the groups of one run."""

from __future__ import annotations

import json
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import asdict
from typing import Any

import numpy as np
import numpy.typing as npt

from arna.opinion.maths.groups import Memory
from arna.opinion.maths.statements import (
    consensus,
    group_aware_consensus,
    representative,
    tally,
)
from arna.opinion.maths.votetable import VoteTable

GROUP_LABELS = "ABCDEFGHIJ"
TOP_GROUP_AWARE = 10


def memory_json(memory: Memory) -> str:
    return json.dumps(
        {
            "placed": sorted(memory.placed, key=str),
            "components": [list(c.items()) for c in memory.components],
            "base": memory.base,
            "groupings": {str(k): v for k, v in memory.groupings.items()},
            "last_k": memory.last_k,
            "last_k_runs": memory.last_k_runs,
            "k": memory.k,
        },
        separators=(",", ":"),
    )


def memory_from_json(text: str | None) -> Memory:
    if not text:
        return Memory()
    data = json.loads(text)
    return Memory(
        placed=set(data["placed"]),
        components=[{key: value for key, value in c} for c in data["components"]],
        base=[(cid, list(members)) for cid, members in data["base"]],
        groupings={
            int(k): [(gid, list(members)) for gid, members in v]
            for k, v in data["groupings"].items()
        },
        last_k=data["last_k"],
        last_k_runs=data["last_k_runs"],
        k=data["k"],
    )


def labels_of(group_ids: Sequence[int]) -> dict[int, str]:
    """Groups are shown as A, B, C … in the order of their ids (which last from run to run)."""
    return {gid: GROUP_LABELS[i % len(GROUP_LABELS)] for i, gid in enumerate(sorted(group_ids))}


def summary(
    table: VoteTable,
    moderated_out: npt.NDArray[np.bool_],
    groups: Mapping[Hashable, int],
) -> dict[str, Any]:
    """Each group's representative statements, the consensus of everyone, the group-aware
    consensus: statements are given by their key in `table.statements`."""
    n = len(table.statements)
    everyone = tally(table.values, table.cols, n)
    member_group = np.array([groups.get(p, -1) for p in table.participants])[table.rows]
    ids = sorted(set(groups.values()))
    tallies = {}
    for gid in ids:
        mine = member_group == gid
        tallies[gid] = tally(table.values[mine], table.cols[mine], n)
    out_groups = []
    labels = labels_of(ids)
    for gid in ids:
        rest_mask = (member_group >= 0) & (member_group != gid)
        rest = tally(table.values[rest_mask], table.cols[rest_mask], n)
        chosen = representative(tallies[gid], rest, table.statements, moderated_out)
        out_groups.append(
            {
                "id": gid,
                "label": labels[gid],
                "size": sum(1 for g in groups.values() if g == gid),
                "representative": [asdict(r) for r in chosen],
            }
        )
    aware = group_aware_consensus(tallies, table.statements, moderated_out) if ids else {}
    top = sorted(aware.items(), key=lambda item: item[1], reverse=True)[:TOP_GROUP_AWARE]
    return {
        "groups": out_groups,
        "consensus": [asdict(c) for c in consensus(everyone, table.statements, moderated_out)],
        "group_aware_consensus": [{"statement": s, "score": score} for s, score in top],
    }
