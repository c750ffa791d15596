"""Arna's opinion groups against the groups Pol.is computed, on real conversations.

    .venv/bin/python benchmarks/opinion_groups.py [--dir DIR] [--window-minutes 60]

For each Pol.is export under --dir (github.com/compdemocracy/openData, CC BY 4.0): the votes are
replayed in the order they were cast, one run of the maths per window (as Pol.is ran it on every
batch of new votes), and once cold over all the votes. The adjusted Rand index compares Arna's
groups with the `group-id` of participants-votes.csv over the participants Pol.is placed in a
group (those Arna did not place count as a group of their own). Prints one JSON object; the
issue's goal is an index of at least 0.9 on each conversation.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import timedelta
from pathlib import Path

from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from arna.opinion.maths.groups import Result
from arna.opinion.maths.history import once, polis_replay
from arna.opinion.polis_format import PolisConversation, read_conversation

HERE = Path(__file__).resolve().parents[1]


def agreement(conversation: PolisConversation, result: Result) -> dict[str, object]:
    placed = sorted(p for p, g in conversation.groups.items() if g is not None)
    theirs = [conversation.groups[p] for p in placed]
    ours = [result.groups.get(p, -1) for p in placed]
    only_ours = sum(1 for p in result.groups if conversation.groups.get(p) is None)
    return {
        "ari": round(float(adjusted_rand_score(theirs, ours)), 4),
        "k": result.k,
        "placed_by_polis": len(placed),
        "placed_by_polis_not_arna": sum(1 for g in ours if g == -1),
        "placed_by_arna_not_polis": only_ours,
    }


def measure(folder: Path, window: timedelta) -> dict[str, object]:
    conversation = read_conversation(folder)
    out = {s.id for s in conversation.statements if s.moderated == -1}
    votes = [(v.at, v.participant, v.statement, v.value) for v in conversation.votes]
    started = time.perf_counter()
    _, replayed, _ = polis_replay(votes, out.__contains__, window)
    replay_seconds = time.perf_counter() - started
    started = time.perf_counter()
    cold = once(
        ((v[1], v[2], v[3]) for v in sorted(votes, key=lambda v: (v[2], v[1]))), out.__contains__
    )
    return {
        "participants": len(conversation.groups),
        "statements": len(conversation.statements),
        "votes": len(votes),
        "polis_groups": len({g for g in conversation.groups.values() if g is not None}),
        "replayed": agreement(conversation, replayed) | {"seconds": round(replay_seconds, 2)},
        "once": agreement(conversation, cold)
        | {"seconds": round(time.perf_counter() - started, 2)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=HERE / "tests/opinion/data/polis")
    parser.add_argument("--window-minutes", type=float, default=60)
    args = parser.parse_args()
    window = timedelta(minutes=args.window_minutes)
    folders = sorted(p for p in args.dir.iterdir() if (p / "votes.csv").is_file())
    results = {folder.name: measure(folder, window) for folder in folders}
    reaching = sum(float(r["replayed"]["ari"]) >= 0.9 for r in results.values())  # type: ignore[index]
    print(
        json.dumps(
            {
                "window_minutes": args.window_minutes,
                "conversations": results,
                "goal": 0.9,
                "replayed_reaching_goal": reaching,
                "of": len(results),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
