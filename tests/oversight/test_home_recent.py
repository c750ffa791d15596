"""The home page keeps its figures for `public_figures_seconds`, through HTTP on both databases:
a new appeal shows once they are read again, at once when the setting is 0 (as in the rest of
the suite)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from arna.app import create_app
from arna.appeals.actions.submit import submit_appeal
from arna.appeals.schemas import AppealCreate, Applicant
from arna.core.settings import Settings
from tests.conftest import DatabaseFactory


def _this_month(client: TestClient) -> str:
    found = re.search(r'<dd id="this-month">([^<]*)</dd>', client.get("/?lang=en").text)
    assert found
    return found.group(1)


def test_home_figures_are_kept_then_read_again(databases: DatabaseFactory) -> None:
    db = databases.ready()
    kept = Settings(database_url=db.url, public_figures_seconds=3600)
    appeal = AppealCreate(
        text="Көшеде жарық жанбайды, балалар қараңғыда жүреді.",
        kind="complaint",
        kato="751110000",
        applicant=Applicant(name="Айгерім Сапарова", email="aigerim@example.kz"),
    )
    with TestClient(create_app(kept, db=db)) as client:
        before = _this_month(client)
        submit_appeal(db, kept, appeal)
        assert _this_month(client) == before  # kept: the figures are read once an hour
    live = Settings(database_url=db.url, public_figures_seconds=0)
    with TestClient(create_app(live, db=db)) as client:
        assert int(_this_month(client)) == int(before) + 1
