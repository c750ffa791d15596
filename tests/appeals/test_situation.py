"""The true state of an appeal (`appeals.situation`) and its human history (`appeals.timeline`),
over plain data: the stage, the body and since when, the due date, the levels climbed and the
working days overdue, in the words of each language."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest

from arna.appeals.situation import Facts, facts_of, situation, situation_of
from arna.appeals.timeline import body_ids, steps
from arna.core import i18n
from arna.core.clock import load_calendar

CALENDAR = load_calendar()
DEC_3 = datetime(2026, 12, 3, 5, 0, tzinfo=UTC)  # 10:00 in Kazakhstan
DUE = date(2026, 12, 24)  # a Thursday
FOUR_DAYS_LATE = date(2026, 12, 30)  # Fri 25, Mon 28, Tue 29, Wed 30


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    i18n.use("en")
    yield
    i18n.use("en")


def _plain(text: str) -> str:
    """Babel's dates hold (narrow) no-break spaces: "2026\u202fг."."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def _facts(**changes: Any) -> Facts:
    base: dict[str, Any] = {
        "status": "registered",
        "body_id": "akimat-100000000",
        "due_date": DUE,
        "escalation_depth": 0,
        "held_since": DEC_3,
    }
    return Facts(**{**base, **changes})


def test_a_fresh_appeal_is_being_handled() -> None:
    found = situation(_facts(), date(2026, 12, 10), CALENDAR)
    assert (found.stage, found.overdue_days, found.levels) == ("handling", 0, 0)
    assert found.since == date(2026, 12, 3) and found.due_date == DUE
    assert found.label() == "Being handled"
    assert found.badge_class == "badge badge-handling"
    assert found.sentence("the Akimat of Abai Region") == (
        "Handled by the Akimat of Abai Region since 3 December 2026; "
        "answer due by 24 December 2026."
    )


def test_escalated_twice_and_overdue_is_not_registered() -> None:
    """The bug this module fixes: the stored status is "registered" after every escalation."""
    facts = _facts(escalation_depth=2, held_reason="escalated", body_id="government")
    found = situation(facts, FOUR_DAYS_LATE, CALENDAR)
    assert found.stage == "overdue" and found.overdue_days == 4 and found.is_open
    assert found.label() == "Overdue by 4 working days"
    assert found.sentence("the Government") == (
        "Handled by the Government since 3 December 2026; answer due by 24 December 2026; "
        "escalated 2 levels; overdue by 4 working days."
    )
    within = situation(facts, DUE, CALENDAR)  # the due date itself is not late
    assert within.stage == "escalated" and within.overdue_days == 0
    assert within.label() == "Escalated to the body above"


def test_overdue_at_the_top_is_stalled() -> None:
    found = situation(_facts(escalation_depth=2, stalled=True), FOUR_DAYS_LATE, CALENDAR)
    assert found.stage == "stalled" and found.is_overdue
    assert found.label() == "Overdue at the top by 4 working days"
    assert found.sentence("the Government").endswith(
        "overdue by 4 working days; no body above is left to send it to."
    )


def test_a_weekend_after_the_due_date_is_overdue_by_no_working_day() -> None:
    friday = date(2026, 12, 4)
    found = situation(_facts(due_date=friday), date(2026, 12, 5), CALENDAR)
    assert found.stage == "overdue" and found.overdue_days == 0
    assert found.label() == "Overdue"
    assert found.sentence("X").endswith("; overdue.")


def test_a_disputed_answer_sends_it_above_with_its_own_stage() -> None:
    """After "not solved" the status is "registered" again; the stage says why it climbed."""
    facts = _facts(escalation_depth=1, held_reason="disputed", feedback_resolved=False)
    found = situation(facts, date(2026, 12, 10), CALENDAR)
    assert found.stage == "disputed"
    assert found.label() == "Disputed: sent above"
    assert found.sentence("X").endswith(
        "escalated 1 level; the applicant said the previous answer did not solve the problem."
    )


@pytest.mark.parametrize(
    ("status", "resolved", "outcome", "stage", "label"),
    [
        ("answered", None, "explained", "answered", "Answered: awaiting the applicant's verdict"),
        ("closed", True, "resolved", "solved", "Closed: solved"),
        ("answered", False, "refused", "not_solved", "Closed: not solved"),
        ("closed", None, "duplicate", "closed", "Closed"),
    ],
)
def test_answered_and_closed(
    status: str, resolved: bool | None, outcome: str, stage: str, label: str
) -> None:
    answered = datetime(2026, 12, 20, 10, tzinfo=UTC)
    facts = _facts(status=status, feedback_resolved=resolved, outcome=outcome, answered_at=answered)
    found = situation(facts, FOUR_DAYS_LATE, CALENDAR)  # past the due date: no longer counts
    assert (found.stage, found.label(), found.overdue_days) == (stage, label, 0)
    assert found.due_date is None and not found.is_open and found.outcome == outcome
    assert found.sentence("the Akimat").startswith("Answered by the Akimat on 20 December 2026")


@pytest.mark.parametrize(
    ("lang", "days", "label"),
    [
        ("ru", 1, "Просрочено на 1 рабочий день"),
        ("ru", 3, "Просрочено на 3 рабочих дня"),
        ("ru", 4, "Просрочено на 4 рабочих дня"),
        ("kk", 4, "Мерзімі 4 жұмыс күнге өтті"),
        ("en", 1, "Overdue by 1 working day"),
    ],
)
def test_labels_in_each_language(lang: str, days: int, label: str) -> None:
    i18n.use(lang)
    today = CALENDAR.add_working_days(DUE, days)
    found = situation(_facts(escalation_depth=2), today, CALENDAR)
    assert found.overdue_days == days
    assert found.label() == label


def test_sentences_in_kazakh_and_russian() -> None:
    facts = _facts(escalation_depth=2, body_id="government")
    i18n.use("ru")
    ru = _plain(situation(facts, FOUR_DAYS_LATE, CALENDAR).sentence("Правительство"))
    assert ru == (
        "Рассматривает Правительство с 3 декабря 2026 г.; ответ до 24 декабря 2026 г.; "
        "поднято выше на 2 уровня; просрочено на 4 рабочих дня."
    )
    i18n.use("kk")
    kk = situation(facts, FOUR_DAYS_LATE, CALENDAR).sentence("Үкімет")
    assert "Үкімет" in kk and "2 деңгей жоғары жіберілді" in kk
    assert "мерзімі 4 жұмыс күнге өтті" in kk


# --- from a view: the public view's assignments and events --------------------------------------


@dataclass
class _Body:
    id: str
    name: str = ""


@dataclass
class _Held:
    body: _Body
    started_at: datetime
    reason: str


@dataclass
class _Event:
    type: str
    at: str = "2026-12-03T05:00:00+00:00"
    new: Any = None
    reason: str | None = None


@dataclass
class _View:
    status: str
    body: _Body
    due_date: date
    escalation_depth: int
    assignments: list[_Held]
    events: list[_Event] = field(default_factory=list)
    outcome: str | None = None
    answered_at: datetime | None = None
    feedback_resolved: bool | None = None


def test_facts_of_a_view_take_the_last_hold_and_a_stall_after_the_last_move() -> None:
    view = _View(
        "registered",
        _Body("government"),
        DUE,
        2,
        [
            _Held(_Body("akimat-101800000"), datetime(2026, 11, 2, tzinfo=UTC), "routed"),
            _Held(_Body("akimat-100000000"), datetime(2026, 11, 24, tzinfo=UTC), "escalated"),
            _Held(_Body("government"), DEC_3, "disputed"),
        ],
        [_Event("appeal.submitted"), _Event("appeal.escalated"), _Event("appeal.stalled")],
    )
    facts = facts_of(view)
    assert facts.held_since == DEC_3 and facts.held_reason == "disputed" and facts.stalled
    assert situation_of(view, FOUR_DAYS_LATE, CALENDAR).stage == "stalled"
    view.events.append(_Event("appeal.forwarded"))  # moved on since: no longer stalled
    assert not facts_of(view).stalled
    assert situation_of(view, FOUR_DAYS_LATE, CALENDAR).stage == "overdue"


# --- the human history ---------------------------------------------------------------------------


def test_steps_tell_the_history_without_hashes_and_redact_the_applicants_reason() -> None:
    events = [
        _Event("appeal.submitted", new={"body_id": "akimat-101800000", "due_date": "2026-11-23"}),
        _Event("appeal.escalated", new={"body_id": "akimat-100000000", "cause": "overdue"}),
        _Event("appeal.answered", new={"body_id": "akimat-100000000", "outcome": "explained"}),
        _Event(
            "appeal.disputed",
            new={"body_id": "akimat-100000000"},
            reason="Ничего не сделано, звоните +7 701 234 56 78",
        ),
        _Event(
            "appeal.escalated",
            new={"body_id": "government", "cause": "disputed", "due_date": "2026-12-24"},
            reason="the applicant says the answer did not solve the problem",
        ),
    ]
    names = {"akimat-101800000": "Akimat of Kurchatov", "government": "Government"}
    told = steps(events, names)  # type: ignore[arg-type]
    assert [s.kind for s in told] == ["submitted", "escalated", "answered", "disputed", "escalated"]
    assert told[0].body == "Akimat of Kurchatov" and told[0].due_date == date(2026, 11, 23)
    assert told[1].note == "because no answer came by the due date"
    assert told[1].body == "akimat-100000000"  # no name given: the id
    assert told[2].note == "Explained"
    assert told[3].reason == "Ничего не сделано, звоните [phone]" and told[3].body is None
    assert told[4].note == "because the applicant said the answer did not solve the problem"
    assert told[4].reason == ""  # the system's note is not quoted: the step's words say it
    assert told[4].body == "Government" and told[4].due_date == DUE
    assert not any(hasattr(s, "hash") for s in told)
    assert body_ids(events) == {"akimat-101800000", "akimat-100000000", "government"}  # type: ignore[arg-type]


def test_a_russian_sentence_ends_with_one_full_stop() -> None:
    i18n.use("ru")
    sentence = situation(_facts(), date(2026, 12, 10), CALENDAR).sentence("акимат")
    assert _plain(sentence).endswith("24 декабря 2026 г.")
    assert not sentence.endswith("..")
