"""`arna apikeys create|list|revoke`: a key is shown once, the database holds only its digest,
and a revoked key is refused (403) from then on."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from arna.accounts.models import ApiKey
from arna.app import create_app
from arna.cli import app
from arna.core.audit import AuditEvent
from arna.core.settings import Settings
from tests.conftest import DatabaseFactory
from tests.open311.conftest import POTHOLE, ROOT

runner = CliRunner()


def test_create_list_revoke(databases: DatabaseFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    db = databases.ready()
    monkeypatch.setenv("ARNA_DATABASE_URL", db.url)

    made = runner.invoke(app, ["apikeys", "create", "FixMyStreet [Almaty]"])
    assert made.exit_code == 0, made.output
    notice, key = made.stdout.strip().splitlines()[-2:]
    assert "API key 1 created for FixMyStreet [Almaty]" in notice and "shown only now" in notice
    assert key.startswith("arna_key_") and len(key) > 40
    other = runner.invoke(app, ["apikeys", "create", "Almaty 109"]).stdout.strip().splitlines()[-1]

    # only a digest is stored: no column of any row holds the key
    with db.read() as session:
        rows = session.scalars(select(ApiKey).order_by(ApiKey.id)).all()
        assert [r.key_hash for r in rows] == [
            hashlib.sha256(k.encode()).hexdigest() for k in (key, other)
        ]
        dumped = " ".join(
            str(v) for r in session.execute(text("SELECT * FROM api_keys")) for v in r
        )
        logged = " ".join(
            f"{e.action} {e.new}"
            for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        )
    assert key not in dumped and other not in dumped and key not in logged
    assert logged.count("api_key.created") == 2

    listed = runner.invoke(app, ["apikeys", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    keys = json.loads(listed.stdout)
    assert [(k["id"], k["name"], k["revoked_at"]) for k in keys] == [
        (1, "FixMyStreet [Almaty]", None), (2, "Almaty 109", None)
    ]  # fmt: skip
    table = runner.invoke(app, ["apikeys", "list"])
    assert table.exit_code == 0 and "Almaty 109" in table.stdout and key not in table.stdout

    with TestClient(create_app(Settings(database_url=db.url), db=db)) as client:

        def post(with_key: str) -> int:
            form = {**POTHOLE, "api_key": with_key, "description": f"шұңқыр {with_key[-4:]}"}
            return client.post(f"{ROOT}/requests.json", data=form).status_code

        assert post(key) == 201
        revoked = runner.invoke(app, ["apikeys", "revoke", "1"])
        assert (
            revoked.exit_code == 0 and "API key 1 (FixMyStreet [Almaty]) revoked" in revoked.stdout
        )
        assert post(key) == 403  # refused from now on
        assert post(other) == 201  # the other key still works
        refused = client.post(f"{ROOT}/requests.xml", data={**POTHOLE, "api_key": key})
        assert "<code>403</code>" in refused.text and "revoked" in refused.text

    again = runner.invoke(app, ["apikeys", "revoke", "1"])
    assert again.exit_code == 2 and "revoked already" in again.output
    missing = runner.invoke(app, ["apikeys", "revoke", "99"])
    assert missing.exit_code == 1 and "no API key 99" in missing.output
    nameless = runner.invoke(app, ["apikeys", "create", "  "])
    assert nameless.exit_code == 2 and "1-100 printable characters" in nameless.output
    after = json.loads(runner.invoke(app, ["apikeys", "list", "--json"]).stdout)
    assert after[0]["revoked_at"] is not None and after[1]["revoked_at"] is None
    with db.read() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity_type == "api_key")
        )
        assert list(actions) == ["api_key.created", "api_key.created", "api_key.revoked"]
