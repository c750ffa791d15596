"""Kazakhstan's working-day clock: holidays by law, moved days off and the Government's transfers.

Legal terms (APPC art. 76: 15 working days, forwarding within 3) are counted in working days in
Kazakhstan's time (Asia/Almaty, UTC+5 since 2024-03-01). A term of N working days that starts on
day D ends on the N-th working day after D.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache, cached_property, lru_cache
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

from arna.core.errors import ValidationFailed

KZ_TZ = ZoneInfo("Asia/Almaty")
_WEEKEND = (5, 6)


@dataclass(frozen=True)
class Holiday:
    id: str
    month_days: tuple[tuple[int, int], ...]
    name_kk: str
    name_ru: str
    name_en: str
    moves: bool
    from_year: int | None = None
    to_year: int | None = None

    def dates(self, year: int) -> list[date]:
        if self.from_year is not None and year < self.from_year:
            return []
        if self.to_year is not None and year > self.to_year:
            return []
        return [date(year, m, d) for m, d in self.month_days]


@dataclass(frozen=True)
class DayOff:
    day: date
    reason: str
    kind: str  # holiday | moved | transfer | kurban_ait


@dataclass(eq=False)
class WorkingCalendar:
    holidays: list[Holiday]
    kurban_ait: dict[int, date]
    transfers: list[tuple[date, date, str]]  # (day_off, work_day, decree)
    _year_cache: dict[int, dict[date, DayOff]] = field(default_factory=dict, repr=False)

    @cached_property
    def covered_years(self) -> range:
        """Years for which the religious holiday dates are known (so the calendar is complete)."""
        years = sorted(self.kurban_ait)
        return range(years[0], years[-1] + 1) if years else range(0)

    @cached_property
    def _transfer_work_days(self) -> set[date]:
        return {work for _, work, _ in self.transfers}

    def days_off(self, year: int) -> dict[date, DayOff]:
        """Every non-weekend day off of a year, and weekend days with a holiday, with the reason."""
        if year not in self._year_cache:
            self._year_cache[year] = self._compute_year(year)
        return self._year_cache[year]

    def _compute_year(self, year: int) -> dict[date, DayOff]:
        off: dict[date, DayOff] = {}
        movable: list[tuple[date, Holiday]] = []
        for holiday in self.holidays:
            for day in holiday.dates(year):
                off[day] = DayOff(day, holiday.name_en, "holiday")
                if holiday.moves and day.weekday() in _WEEKEND:
                    movable.append((day, holiday))
        if year in self.kurban_ait:
            day = self.kurban_ait[year]
            off[day] = DayOff(day, "Kurban Ait", "kurban_ait")
        # Each holiday that falls on a weekend gives the next free working day off, in date order,
        # so 21-23 March on Sat-Mon moves two days: to Tuesday and Wednesday.
        for day, holiday in sorted(movable, key=lambda item: item[0]):
            try:
                candidate = day + timedelta(days=1)
                while candidate.weekday() in _WEEKEND or candidate in off:
                    candidate += timedelta(days=1)
            except OverflowError:  # after 9999-12-31: no day to move it to
                continue
            off[candidate] = DayOff(candidate, f"{holiday.name_en} (moved day off)", "moved")
        # Transfers decided for this year override the rules above; a decree can also move a day
        # off across the New Year, so look at transfers of neighbouring years too.
        for day_off, work_day, decree in self.transfers:
            if work_day.year == year:
                off.pop(work_day, None)
            if day_off.year == year:
                off[day_off] = DayOff(day_off, f"transferred day off (decree {decree})", "transfer")
        return off

    def is_working_day(self, day: date) -> bool:
        if day in self._transfer_work_days:
            return True
        if day.weekday() in _WEEKEND:
            return False
        return day not in self.days_off(day.year)

    def day_off_reason(self, day: date) -> str | None:
        if self.is_working_day(day):
            return None
        found = self.days_off(day.year).get(day)
        return found.reason if found else "weekend"

    def add_working_days(self, start: date | datetime, n: int) -> date:
        """The date of the n-th working day after `start` (before it when n < 0); n=0: start."""
        return self._add(to_local_date(start), n)

    @lru_cache(maxsize=65_536)  # noqa: B019  (calendars live as long as the process)
    def _add(self, day: date, n: int) -> date:
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        start = day
        while remaining:
            try:
                day += timedelta(days=step)
            except OverflowError:
                raise _beyond_dates(start, n) from None
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date | datetime, end: date | datetime) -> int:
        """Working days d with start < d <= end; when end is before start, minus those with
        end <= d < start.

        `working_days_between(x, add_working_days(x, n)) == n` for every n.
        """
        a, b = to_local_date(start), to_local_date(end)
        if b == a:
            return 0
        if b < a:  # going back: working days d with end <= d < start
            return -sum(1 for day in _days(b, a - timedelta(days=1)) if self.is_working_day(day))
        return sum(1 for day in _days(a + timedelta(days=1), b) if self.is_working_day(day))

    def is_covered(self, day: date) -> bool:
        return day.year in self.covered_years


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        if day == last:  # the day after 9999-12-31 does not exist
            return
        day += timedelta(days=1)


def _beyond_dates(start: date, n: int) -> ValidationFailed:
    return ValidationFailed(
        f"{n} working days from {start.isoformat()} falls outside the dates the calendar can "
        f"count ({date.min.isoformat()} to {date.max.isoformat()})",
        field="days",
    )


def to_local_date(value: date | datetime) -> date:
    """The calendar date in Kazakhstan of an instant (naive datetimes are taken as UTC)."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=ZoneInfo("UTC"))
        return aware.astimezone(KZ_TZ).date()
    return value


def parse_calendar(text: str) -> WorkingCalendar:
    raw = tomllib.loads(text)
    holidays = [
        Holiday(
            id=h["id"],
            month_days=tuple((int(md[:2]), int(md[3:])) for md in h["month_days"]),
            name_kk=h["name_kk"],
            name_ru=h["name_ru"],
            name_en=h["name_en"],
            moves=bool(h["moves"]),
            from_year=h.get("from_year"),
            to_year=h.get("to_year"),
        )
        for h in raw.get("holiday", [])
    ]
    kurban = {int(y): date.fromisoformat(d) for y, d in raw.get("kurban_ait", {}).items()}
    transfers = [
        (date.fromisoformat(t["day_off"]), date.fromisoformat(t["work_day"]), t.get("decree", ""))
        for t in raw.get("transfer", [])
    ]
    return WorkingCalendar(holidays=holidays, kurban_ait=kurban, transfers=transfers)


@cache
def load_calendar(path: Path | None = None) -> WorkingCalendar:
    """The bundled calendar, or an operator's file (ARNA_CALENDAR_FILE)."""
    if path is not None:
        return parse_calendar(path.read_text(encoding="utf-8"))
    bundled = resources.files("arna.core").joinpath("data/kz_calendar.toml")
    return parse_calendar(bundled.read_text(encoding="utf-8"))


def now_utc() -> datetime:
    return datetime.now(tz=ZoneInfo("UTC"))
