"""Runs red-dwarf (the Python implementation of Pol.is, PyPI `red-dwarf`) on votes saved by
benchmarks/opinion_scale.py, in red-dwarf's own virtualenv; prints one JSON line.

    <venv>/bin/python benchmarks/reddwarf_runner.py VOTES.npz GROUPS.json
"""

from __future__ import annotations

import json
import resource
import sys
import time

import numpy as np
import pandas as pd
from reddwarf.implementations.polis import run_pipeline


def main() -> None:
    data = np.load(sys.argv[1])
    rows, cols, values, stamps = data["rows"], data["cols"], data["values"], data["stamps"]
    votes = [
        {"participant_id": int(r), "statement_id": int(c), "vote": int(v), "modified": int(t)}
        for r, c, v, t in zip(rows, cols, values, stamps, strict=True)
    ]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = run_pipeline(votes=votes, random_state=0)
    seconds = time.perf_counter() - started
    groups = {
        int(p): int(g)
        for p, g in zip(
            result.participants_df.index, result.participants_df["cluster_id"], strict=True
        )
        if not pd.isna(g)  # not clustered
    }
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        json.dump(groups, out)
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "rss_before_mb": round(before / 1024),
                "groups": len(set(groups.values())),
            }
        )
    )


if __name__ == "__main__":
    main()
