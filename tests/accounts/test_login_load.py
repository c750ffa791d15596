"""One slow login must not stall the server (issue 12, defect 2): a real `arna serve` on SQLite,
4 threads posting wrong logins to the login form and 2 submitting appeals, while /api/v1/health
is sampled. The issue's target is p99 under 100 ms; the bound here is generous, for a busy CI
machine. Before the fix argon2 ran inside the SQLite writer lock, which the intake's batch write
waits for on the event loop: p50 638-742 ms, p99 792-1,026 ms on 2 cores; now p99 70-85 ms
(benchmarks/login_stall.py, docs/accounts.md).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "login_stall.py"
BOUND_MS = 250


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("login_stall", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_wrong_logins_do_not_stall_health_on_sqlite(tmp_path: Path) -> None:
    bench = _benchmark()
    with bench.serving(tmp_path) as port:
        result = bench.measure(port, seconds=3, logins=4, submitters=2, idle=1)
    print(json.dumps(result))  # pytest -s shows the figures
    load = result["load"]
    # every attempt reached the password check (none throttled), and appeals went in meanwhile
    # (how many logins are answered depends on the CPU the machine has left for their checks)
    assert set(load["logins_by_status"]) == {"401"}, result
    assert load["appeals_accepted"] >= 5, result
    health = result["health_with_load"]
    assert health["p99_ms"] < BOUND_MS, result
    assert health["n"] >= 30, result  # one sample every ~10 ms when nothing stalls
