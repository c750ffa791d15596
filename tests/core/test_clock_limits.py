"""The clock's API at the ends of the calendar: a date it cannot count to is a 422 with a
reason, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from arna.app import create_app
from arna.core.clock import load_calendar
from arna.core.db import Database
from arna.core.errors import ValidationFailed
from arna.core.settings import Settings


@pytest.fixture(scope="module")
def client(shared_db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=shared_db.url), db=shared_db)) as c:
        yield c


@pytest.mark.parametrize(
    ("start", "days"),
    [("0002-01-01", -248), ("0001-01-01", -1), ("9999-12-30", 10), ("9999-12-31", 1)],
)
def test_adding_past_the_ends_of_the_calendar_is_a_422(
    client: TestClient, start: str, days: int
) -> None:
    r = client.get("/api/v1/clock/add", params={"date": start, "days": days})
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["field"] == "days"
    assert "outside the dates the calendar can count" in problem["detail"]
    assert "0001-01-01 to 9999-12-31" in problem["detail"]


@pytest.mark.parametrize(
    ("start", "end"), [("0001-02-01", "0001-01-01"), ("9999-12-01", "9999-12-31")]
)
def test_adding_up_to_the_ends_still_works(client: TestClient, start: str, end: str) -> None:
    days = load_calendar().working_days_between(date.fromisoformat(start), date.fromisoformat(end))
    r = client.get("/api/v1/clock/add", params={"date": start, "days": days})
    assert r.status_code == 200, r.text
    assert min(start, end) <= r.json()["result"] <= max(start, end)
    beyond = client.get("/api/v1/clock/add", params={"date": start, "days": days * 2})
    assert beyond.status_code == 422


@pytest.mark.parametrize("day", ["0001-01-01", "0001-01-02", "9999-12-30", "9999-12-31"])
def test_the_first_and_last_days_can_be_asked_about(client: TestClient, day: str) -> None:
    r = client.get("/api/v1/clock/working-day", params={"date": day})
    assert r.status_code == 200, r.text
    assert r.json()["calendar_complete"] is False


def test_counting_working_days_up_to_the_last_day() -> None:
    calendar = load_calendar()
    assert calendar.working_days_between(date.max, date.max) == 0
    last = calendar.working_days_between(date(9999, 12, 1), date.max)
    assert calendar.add_working_days(date(9999, 12, 1), last) <= date.max
    assert calendar.working_days_between(date.max, date(9999, 12, 1)) == -last
    with pytest.raises(ValidationFailed, match="outside the dates"):
        calendar.add_working_days(date.max, last + 1)
