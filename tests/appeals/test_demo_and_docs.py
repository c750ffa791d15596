from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select

from arna.app import create_app
from arna.appeals import demo
from arna.appeals.integrity import check_appeals
from arna.appeals.models import Appeal
from arna.core.audit import verify_chain
from arna.core.settings import Settings
from tests.conftest import DatabaseFactory


def _snapshot(db: object) -> list[tuple[str, str, str, int, str]]:
    with db.read() as session:  # type: ignore[attr-defined]
        rows = session.execute(
            select(
                Appeal.number, Appeal.text, Appeal.status, Appeal.escalation_depth, Appeal.body_id
            ).order_by(Appeal.id)
        )
        return [tuple(r) for r in rows]


def test_demo_is_deterministic_and_covers_every_state(
    databases: DatabaseFactory, monkeypatch: object
) -> None:
    import pytest

    mp = pytest.MonkeyPatch()
    mp.setattr(demo, "DAYS", 40)
    try:
        first, second = databases.ready(), databases.ready()
        as_of = date(2026, 11, 27)
        counts = demo.seed(first, 7, as_of)
        demo.seed(second, 7, as_of)
    finally:
        mp.undo()
    assert counts["appeals"] > 100
    snap = _snapshot(first)
    assert snap == _snapshot(second)
    statuses = {s for _, _, s, _, _ in snap}
    assert statuses == {"registered", "in_progress", "answered", "closed"}
    assert any(depth >= 2 for *_, depth, _ in snap)
    with first.read() as session:
        assert verify_chain(session).ok
        assert check_appeals(session, Settings()) == []  # every appeal as its log says
        assert {lang for (lang,) in session.execute(select(Appeal.language))} >= {"kk", "ru"}
    assert demo.seed(first, 7, as_of)["skipped"] == 1  # idempotent


def test_openapi_documents_appeals_with_examples(databases: DatabaseFactory) -> None:
    db = databases.ready()
    with TestClient(create_app(Settings(database_url=db.url), db=db)) as client:
        spec = client.get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    expected = {
        ("/api/v1/appeals", "post"),
        ("/api/v1/appeals", "get"),
        ("/api/v1/appeals/{number}", "get"),
        ("/api/v1/appeals/{number}/answer", "post"),
        ("/api/v1/appeals/{number}/forward", "post"),
        ("/api/v1/appeals/{number}/extend", "post"),
        ("/api/v1/appeals/{number}/feedback", "post"),
        ("/api/v1/appeals/{number}/accept", "post"),
    }
    for path, method in expected:
        assert paths[path][method]["summary"], (path, method)
    schemas = spec["components"]["schemas"]
    assert schemas["AppealCreate"].get("examples")
    for name in ("AnswerIn", "ForwardIn", "ExtendIn", "FeedbackIn", "AppealCreated"):
        props = schemas[name]["properties"]
        assert any("examples" in p for p in props.values()), name
    assert "201" in paths["/api/v1/appeals"]["post"]["responses"]
    assert "AppealCreated" in str(paths["/api/v1/appeals"]["post"]["responses"]["201"])
