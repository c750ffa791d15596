"""Fuzzing the whole API at full size: schemathesis over every operation of the OpenAPI, then its
stateful runs (requests chained by the links it finds or infers), against the real app.

    .venv/bin/python benchmarks/openapi_fuzz.py [--examples 60] [--stateful 300] [--seed N]
        [--database-url URL]

The database is a new SQLite file unless --database-url names an empty database (PostgreSQL:
use a database or schema of its own; the run writes to it). Requests carry an administrator's
token. Prints one JSON object: requests sent, answers by status class, server errors (the goal
is 0 in ≥ 5,000 requests), undocumented statuses, and the first failures with the operation
and the seed to replay them. The bounded form of this run stays in the suite
(tests/web/test_openapi_fuzz.py).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from hypothesis.errors import FlakyStrategyDefinition, Unsatisfiable
from hypothesis.stateful import run_state_machine_as_test
from rich.progress import Progress
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from arna.accounts.actions import create_token, create_user
from arna.app import create_app
from arna.core.actors import system
from arna.core.db import Database
from arna.core.settings import Settings
from arna.maintenance.upgrade import upgrade

CHECKS = [not_a_server_error, status_code_conformance]
ROUND = 25  # stateful runs per round (see `stateful`)


class Tally:
    """What the run saw: every answer's status, and the failures (kept to the first few)."""

    def __init__(self, run_seed: int) -> None:
        self.seed = run_seed
        self.statuses: Counter[int] = Counter()
        self.server_errors = 0
        self.undocumented = 0
        self.failures: list[dict[str, Any]] = []

    def call(self, case: schemathesis.Case, headers: dict[str, str]) -> None:
        response = case.call(headers=headers)
        self.statuses[response.status_code] += 1
        self.check(case, response)

    def check(self, case: schemathesis.Case, response: Any, where: str = "") -> None:
        """Run the checks on an answer: a failure is counted and kept, and fuzzing goes on."""
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as exc:
            if response.status_code >= 500:
                self.server_errors += 1
            else:
                self.undocumented += 1
            if len(self.failures) < 20:
                self.failures.append(
                    {
                        "operation": f"{case.method.upper()} {case.path}{where}",
                        "status": response.status_code,
                        "problem": str(exc).splitlines()[0][:300],
                        "seed": self.seed,
                    }
                )

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())


def _app(database_url: str | None) -> tuple[Any, str]:
    url = database_url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='arna-fuzz-')) / 'fuzz.db'}"
    db = Database(url)
    upgrade(db)
    create_user(
        db,
        email="fuzz@admin.kz",
        password="fuzz-password",
        role="admin",
        body_id=None,
        actor=system("benchmark"),
    )
    token = create_token(db, email="fuzz@admin.kz", actor=system("benchmark"))
    return create_app(Settings(database_url=url), db=db), token


def stateless(
    schema: Any, tally: Tally, headers: dict[str, str], examples: int, progress: Progress
) -> int:
    """Every operation, `examples` generated cases each (valid and invalid). Returns how many
    operations were fuzzed."""
    operations = [result.ok() for result in schema.get_all_operations()]
    task = progress.add_task("operations", total=len(operations))
    for operation in operations:

        @seed(tally.seed)
        @settings(
            max_examples=examples,
            deadline=None,
            derandomize=False,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        @given(case=operation.as_strategy())
        def fuzz(case: schemathesis.Case) -> None:
            tally.call(case, headers)

        with contextlib.suppress(Unsatisfiable):  # an operation with no valid case left
            fuzz()
        progress.advance(task)
    return len(operations)


def stateful(
    schema: Any, tally: Tally, headers: dict[str, str], steps: int, progress: Progress
) -> str:
    """Chains of calls along the schema's links (schemathesis infers them from the answers
    where the schema declares none), in rounds of ROUND runs, each from its own seed.

    The app's database keeps what every chain did, so a chain hypothesis replays can take
    another path (a link that was allowed no longer is) and hypothesis stops that round with
    FlakyStrategyDefinition. That says nothing about the app: the round's requests were sent
    and checked, and the next round goes on; how many rounds ended so is reported."""
    try:
        machine = schema.as_state_machine()
    except Exception as exc:  # no links to follow
        return f"not run: {str(exc).splitlines()[0]}"

    class Machine(machine):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"headers": headers}

        def call(self, case: schemathesis.Case, **kwargs: Any) -> Any:
            response = case.call(**kwargs)
            tally.statuses[response.status_code] += 1
            return response

        def validate_response(self, response: Any, case: schemathesis.Case, **kwargs: Any) -> None:
            tally.check(case, response, " (stateful)")

    before, cut_short = tally.requests, 0
    rounds = -(-steps // ROUND)
    task = progress.add_task("chains", total=rounds)
    for k in range(rounds):
        # the machine's own seed: run_state_machine_as_test reads it off the class
        seeded = seed(tally.seed + 1 + k)(type(f"Machine{k}", (Machine,), {}))
        try:
            run_state_machine_as_test(
                seeded,
                settings=settings(
                    max_examples=min(ROUND, steps - k * ROUND),
                    deadline=None,
                    derandomize=False,
                    database=None,
                    suppress_health_check=list(HealthCheck),
                    stateful_step_count=10,
                ),
            )
        except FlakyStrategyDefinition:
            cut_short += 1
        progress.advance(task)
    return (
        f"{tally.requests - before} requests in chains, {rounds} rounds of up to {ROUND} runs, "
        f"{cut_short} cut short by a replay that took another path"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=60, help="cases per operation")
    parser.add_argument("--stateful", type=int, default=300, help="stateful runs")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    run_seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    app, token = _app(args.database_url)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"}
    tally = Tally(run_seed)
    started = time.perf_counter()
    with Progress(transient=True) as progress:
        operations = stateless(schema, tally, headers, args.examples, progress)
        stateless_requests = tally.requests
        chains = stateful(schema, tally, headers, args.stateful, progress)
    print(
        json.dumps(
            {
                "seed": run_seed,
                "operations": operations,
                "requests": tally.requests,
                "stateless_requests": stateless_requests,
                "stateful": chains,
                "by_status_class": {
                    f"{k}xx": sum(n for s, n in tally.statuses.items() if s // 100 == k)
                    for k in (2, 3, 4, 5)
                },
                "server_errors": tally.server_errors,
                "undocumented_statuses": tally.undocumented,
                "goal": "server_errors == 0 over >= 5,000 requests",
                "seconds": round(time.perf_counter() - started, 1),
                "failures": tally.failures,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
