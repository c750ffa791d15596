"""Schemathesis generates requests from our OpenAPI (valid and invalid) against the real app on
SQLite: whatever it sends, no answer is a server error, and every answer is documented.

Two runs: the first follows the hypothesis profile (in CI the same examples every time, so that
a change's result does not depend on luck); the second draws new ones from a new seed every run,
a bounded number per operation (~10 s in all), and a failure names its seed: rerun it with
ARNA_FUZZ_SEED=<seed>.
"""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from arna.accounts.actions import create_token, create_user
from arna.app import create_app
from arna.core.actors import system
from arna.core.db import Database
from arna.core.settings import Settings
from arna.maintenance.upgrade import upgrade

_db = Database(f"sqlite:///{Path(tempfile.mkdtemp(prefix='arna-fuzz-')) / 'fuzz.db'}")
upgrade(_db)
create_user(
    _db,
    email="fuzz@admin.kz",
    password="fuzz-password",
    role="admin",
    body_id=None,
    actor=system("test"),
)
TOKEN = create_token(_db, email="fuzz@admin.kz", actor=system("test"))
app = create_app(Settings(database_url=_db.url), db=_db)
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_only_documented_statuses(case: schemathesis.Case) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {TOKEN}"},
        checks=(not_a_server_error, status_code_conformance),
    )


SEED = int(os.environ.get("ARNA_FUZZ_SEED") or random.SystemRandom().randrange(2**32))


@schema.parametrize()
@seed(SEED)
@settings(
    derandomize=False,
    max_examples=15,
    deadline=None,
    print_blob=True,
    suppress_health_check=list(HealthCheck),
)
def test_random_requests_from_a_new_seed(case: schemathesis.Case) -> None:
    try:
        case.call_and_validate(
            headers={"Authorization": f"Bearer {TOKEN}"},
            checks=(not_a_server_error, status_code_conformance),
        )
    except Exception as exc:
        exc.add_note(f"random fuzz run with seed {SEED}: rerun with ARNA_FUZZ_SEED={SEED}")
        raise
