from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from arna.cli import app
from arna.core.clock import load_calendar, parse_calendar

calendar = load_calendar()
runner = CliRunner()


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        ("2026-11-27", 15, "2026-12-21"),  # Independence Day 16 Dec inside the term
        ("2026-12-15", 1, "2026-12-17"),
        ("2026-07-03", 1, "2026-07-07"),  # Capital Day on Monday 6 July
        ("2026-03-20", 1, "2026-03-26"),  # Nauryz Sat-Mon moves two days off to Tue, Wed
        ("2025-01-03", 1, "2025-01-05"),  # Sunday 5 Jan 2025 was a working day by decree
        ("2024-05-07", 1, "2024-05-10"),  # 8 May 2024 transferred, 9 May Victory Day
        ("2026-05-26", 1, "2026-05-28"),  # Kurban Ait 2026
        ("2026-12-21", -15, "2026-11-27"),
        ("2026-11-28", 0, "2026-11-28"),
    ],
)
def test_add_working_days(start: str, days: int, expected: str) -> None:
    assert calendar.add_working_days(date.fromisoformat(start), days).isoformat() == expected


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-01-07", False),  # Orthodox Christmas
        ("2027-01-07", False),
        ("2023-01-07", False),  # Christmas on Saturday does not move
        ("2023-01-09", True),
        ("2023-06-28", False),  # Kurban Ait
        ("2021-12-01", False),  # First President Day until 2021
        ("2022-12-01", True),
        ("2021-12-17", False),  # second day of Independence until 2021
        ("2022-12-17", False),  # Saturday
        ("2023-12-18", False),  # 16 Dec 2023 was a Saturday -> Monday off
        ("2022-10-25", False),  # Republic Day restored in 2022
        ("2021-10-25", True),
        ("2023-07-01", True),  # Saturday worked by decree
        ("2023-07-07", False),
        ("2020-05-11", True),  # moved day off transferred to 8 May 2020
        ("2020-05-08", False),
        ("2026-11-30", True),
    ],
)
def test_is_working_day(day: str, working: bool) -> None:
    assert calendar.is_working_day(date.fromisoformat(day)) is working


def test_calendar_covers_2020_to_2027() -> None:
    assert {2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027} <= set(calendar.covered_years)


def test_instants_count_in_kazakhstan_time() -> None:
    # 20:00 UTC on 27 Nov is 01:00 on 28 Nov in Almaty (UTC+5): the term starts a day later.
    late = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
    assert calendar.add_working_days(late, 1) == date(2026, 11, 30)
    early = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
    assert calendar.add_working_days(early, 1) == date(2026, 11, 30)
    assert calendar.working_days_between(early, late) == 0
    # 18:59 UTC on Sunday 29 Nov is 23:59 in Almaty; 19:00 UTC is already Monday 30 Nov.
    friday = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
    assert calendar.working_days_between(friday, datetime(2026, 11, 29, 18, 59, tzinfo=UTC)) == 0
    assert calendar.working_days_between(friday, datetime(2026, 11, 29, 19, 0, tzinfo=UTC)) == 1


days = st.dates(min_value=date(2019, 1, 1), max_value=date(2027, 6, 30))


@given(start=days, n=st.integers(min_value=-60, max_value=60))
def test_between_inverts_add(start: date, n: int) -> None:
    end = calendar.add_working_days(start, n)
    assert calendar.working_days_between(start, end) == n
    if n:
        assert calendar.is_working_day(end)


@given(start=days, n=st.integers(min_value=1, max_value=60))
def test_adding_is_monotonic_and_skips_only_days_off(start: date, n: int) -> None:
    a = calendar.add_working_days(start, n)
    b = calendar.add_working_days(start, n + 1)
    assert a < b
    skipped = [a + timedelta(days=i) for i in range(1, (b - a).days)]
    assert not any(calendar.is_working_day(d) for d in skipped)


def test_operator_can_extend_the_calendar_without_code() -> None:
    text = """
[[holiday]]
id = "new_year"
month_days = ["01-01"]
name_kk = "Жаңа жыл"
name_ru = "Новый год"
name_en = "New Year"
moves = true

[kurban_ait]
2028 = "2028-05-05"

[[transfer]]
day_off = "2028-01-03"
work_day = "2028-01-08"
decree = "test"
"""
    custom = parse_calendar(text)
    assert 2028 in custom.covered_years
    assert not custom.is_working_day(date(2028, 5, 5))
    assert not custom.is_working_day(date(2028, 1, 3))  # transferred day off
    assert custom.is_working_day(date(2028, 1, 8))  # Saturday made a working day


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["2026-11-27", "15"], "2026-12-21"),
        (["2026-12-15", "1"], "2026-12-17"),
        (["2026-07-03", "1"], "2026-07-07"),
    ],
)
def test_cli_clock_add(args: list[str], expected: str) -> None:
    result = runner.invoke(app, ["clock", "add", *args])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == expected


def test_cli_rejects_a_bad_date() -> None:
    result = runner.invoke(app, ["clock", "add", "27.11.2026", "15"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_cli_warns_beyond_the_calendar() -> None:
    result = runner.invoke(app, ["clock", "add", "2031-03-02", "1"])
    assert result.exit_code == 0
    assert "2031" in result.stderr


def test_cli_holidays_lists_moved_days() -> None:
    result = runner.invoke(app, ["clock", "holidays", "2026", "--json"])
    assert result.exit_code == 0
    assert '"2026-03-25"' in result.stdout
