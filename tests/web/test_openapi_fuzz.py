"""Schemathesis generates requests from our OpenAPI (valid and invalid) against the real app on
SQLite: whatever it sends, no answer is a server error, and every answer is documented."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
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
