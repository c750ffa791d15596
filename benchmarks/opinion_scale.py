"""Opinion groups of a national consultation: time and peak memory, Arna beside red-dwarf.

    .venv/bin/python benchmarks/opinion_scale.py [--participants 20000] [--statements 1000]
        [--votes 1200000]

Makes a consultation with three opinion camps (each participant votes on a random subset of
statements, erring now and then), saves it, and runs in separate processes, one after the other
on the same votes: Arna (one cold run of the maths, then the representative statements and the
consensus) and red-dwarf 0.4.0 (the Python implementation of Pol.is; installed with pip into
benchmarks/.reddwarf-venv on first use), each reporting its time and its process's peak resident
memory. Prints one JSON object with both, their ratios (the issue's goal: Arna at least 10 times
faster at no more than half the peak memory) and the adjusted Rand index between the two
groupings over the participants both placed.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
VENV = HERE / ".reddwarf-venv"
REDDWARF = "red-dwarf==0.4.0"


def make_votes(
    participants: int, statements: int, votes: int, seed: int = 7
) -> dict[str, np.ndarray]:
    """Three camps with their own leaning on each statement; about votes/participants votes
    each, on statements drawn with some more popular than others."""
    rng = np.random.default_rng(seed)
    leaning = rng.choice([-1, 0, 1], size=(3, statements), p=[0.35, 0.3, 0.35])
    camp = rng.choice(3, size=participants, p=[0.5, 0.3, 0.2])
    per = np.maximum(1, rng.poisson(votes / participants, size=participants))
    popularity = rng.dirichlet(np.full(statements, 2.0))
    rows, cols = [], []
    for person, n in enumerate(per):
        chosen = rng.choice(statements, size=min(int(n), statements), replace=False, p=popularity)
        rows.append(np.full(len(chosen), person))
        cols.append(chosen)
    row, col = np.concatenate(rows), np.concatenate(cols)
    lean = leaning[camp[row], col]
    noise = rng.random(len(row))
    value = np.where(noise < 0.15, rng.choice([-1, 0, 1], size=len(row)), lean)
    stamps = 1_700_000_000_000 + np.arange(len(row)) * 10
    return {"rows": row, "cols": col, "values": value.astype(np.int64), "stamps": stamps}


def run_arna(path: str, out: str) -> None:
    """In its own process: the matrix, one cold run and the summary (what the worker does for
    a consultation, from its votes to its page)."""
    from arna.opinion.maths.groups import Memory, run
    from arna.opinion.maths.votetable import vote_arrays
    from arna.opinion.results import summary

    data = np.load(path)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    table = vote_arrays(data["rows"], data["cols"], data["values"])
    out_mask = np.zeros(len(table.statements), dtype=np.bool_)
    _, result = run(Memory(), table, out_mask)
    summary(table, out_mask, result.groups)
    seconds = time.perf_counter() - started
    with open(out, "w", encoding="utf-8") as f:
        json.dump({str(p): g for p, g in result.groups.items()}, f)
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "rss_before_mb": round(before / 1024),
                "groups": result.k,
            }
        )
    )


def reddwarf_python() -> Path | None:
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        installed = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", REDDWARF], capture_output=True, text=True
        )
        if installed.returncode != 0:
            print(installed.stderr[-2000:], file=sys.stderr)
            return None
    return python


def child(command: list[str]) -> dict[str, object]:
    done = subprocess.run(command, capture_output=True, text=True, cwd=HERE.parent)
    if done.returncode != 0:
        raise SystemExit(f"{command[1]} failed:\n{done.stderr[-3000:]}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--statements", type=int, default=1_000)
    parser.add_argument("--votes", type=int, default=1_200_000)
    parser.add_argument("--run-arna", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_arna:
        run_arna(*args.run_arna)
        return
    from sklearn.metrics import adjusted_rand_score

    with tempfile.TemporaryDirectory() as tmp:
        votes = make_votes(args.participants, args.statements, args.votes)
        path = str(Path(tmp) / "votes.npz")
        np.savez(path, **votes)
        arna_out, red_out = str(Path(tmp) / "arna.json"), str(Path(tmp) / "red.json")
        arna = child([sys.executable, __file__, "--run-arna", path, arna_out])
        python = reddwarf_python()
        red = (
            child([str(python), str(HERE / "reddwarf_runner.py"), path, red_out])
            if python
            else None
        )
        report: dict[str, object] = {
            "participants": args.participants,
            "statements": args.statements,
            "votes": len(votes["rows"]),
            "arna": arna,
            "reddwarf": red,
        }
        if red:
            ours = json.loads(Path(arna_out).read_text(encoding="utf-8"))
            theirs = json.loads(Path(red_out).read_text(encoding="utf-8"))
            both = sorted(set(ours) & set(theirs))
            report |= {
                "speedup": round(float(red["seconds"]) / max(float(arna["seconds"]), 1e-9), 1),  # type: ignore[arg-type]
                "peak_memory_ratio": round(
                    float(arna["peak_rss_mb"]) / float(red["peak_rss_mb"]), 2
                ),  # type: ignore[arg-type]
                "placed_by_both": len(both),
                "ari_between_them": round(
                    float(adjusted_rand_score([ours[p] for p in both], [theirs[p] for p in both])),
                    4,
                ),
                "goal": "speedup >= 10 and peak_memory_ratio <= 0.5",
            }
        print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
