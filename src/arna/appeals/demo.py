"""A realistic demo data set: a few hundred appeals across regions, categories and languages, in
every state, made by replaying a season of work through the real service functions and worker.

The words come from `demo_texts` (what people write, what bodies answer, in the appeal's
language); the timeline from here: some answered in time and then accepted or disputed, some
taken into work and extended, some forwarded to the competent body, the rest left to the worker,
which escalates them when their term passes (and a body above answers some of them).

Deterministic for a seed and an as-of date: the same pair gives the same appeals and history.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from rich.progress import Progress

from arna.accounts.actions import create_user
from arna.accounts.queries import user_emails
from arna.appeals import demo_texts, queries
from arna.appeals.actions import lifecycle as actions
from arna.appeals.actions.submit import submit_appeal
from arna.appeals.actions.support import support_appeal
from arna.appeals.actions.sweep import sweep
from arna.appeals.schemas import AppealCreate, Applicant
from arna.bodies.reference import bodies
from arna.core.actors import Actor, system
from arna.core.clock import KZ_TZ, load_calendar, to_local_date
from arna.core.db import Database
from arna.core.errors import ArnaError
from arna.core.iin import iin_check_digit
from arna.core.settings import Settings
from arna.geo.reference import Unit, units

DAYS = 75
PER_DAY = 4
NEIGHBOURS = 0.15  # of appeals: a neighbour's, about a problem filed before
SUPPORTED = 0.2  # of appeals: some neighbours join it with "me too" (public ones only count)
DEMO_PASSWORD = "arna-demo-2026"
# The accounts to log in with (role, body, e-mail): officials of busy bodies, a supervisor of a
# region and one of the Government (who see what climbed up to them), an admin. `arna db
# seed-demo` prints this list; nothing else repeats it.
DEMO_USERS: tuple[tuple[str, str | None, str], ...] = (
    ("official", "akimat-790000000", "official.shymkent@demo.arna.kz"),
    ("official", "akimat-750000000", "official.almaty@demo.arna.kz"),
    ("official", "akimat-710000000", "official.astana@demo.arna.kz"),
    ("official", "akimat-101000000", "official.semey@demo.arna.kz"),
    ("supervisor", "akimat-100000000", "supervisor.abai@demo.arna.kz"),
    ("supervisor", "government", "supervisor.government@demo.arna.kz"),
    ("admin", None, "admin@demo.arna.kz"),
)
FIRST = [
    "Айгерім", "Нұрлан", "Дәурен", "Әсел", "Ерлан", "Мадина", "Иван", "Ольга",
    "Сергей", "Гүлнар", "Бауыржан", "Жанар", "Алексей", "Дина", "Тимур", "Аружан",
]  # fmt: skip
LAST = [
    "Сапарова", "Ахметов", "Жұмабаев", "Омарова", "Иванов", "Ким",
    "Петрова", "Нұрғалиев", "Серікова", "Байжанов", "Смағұлов", "Ли",
]  # fmt: skip


@dataclass(order=True)
class _Step:
    at: datetime
    order: int
    run: Callable[[], None] = field(compare=False)


def demo_iin(rng: random.Random) -> str:
    """A valid IIN of an adult born 1950-2005 (a fictional person: no register is asked)."""
    while True:
        born = date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))
        century = (3 if born.year < 2000 else 5) + rng.randint(0, 1)
        first = f"{born:%y%m%d}{century}{rng.randrange(10**4):04d}"
        check = iin_check_digit(first)
        if check is not None:  # no IIN is issued whose check digit would be 10
            return first + str(check)


def demo_logins() -> list[tuple[str, str, str]]:
    """(role, e-mail, what the account holds) of the demo accounts, for the one list printed."""
    table = bodies()
    return [
        (role, email, table[body].name("en") if body in table else "all bodies")
        for role, body, email in DEMO_USERS
    ]


def _demo_users(db: Database) -> int:
    """Creates the demo accounts that are missing; how many there are."""
    with db.read() as session:
        existing = user_emails(session)
    for role, body, email in DEMO_USERS:
        if email not in existing:
            create_user(
                db,
                email=email,
                password=DEMO_PASSWORD,
                role=role,
                body_id=body,
                actor=system("demo"),
            )
    return len(DEMO_USERS)


def seed(
    db: Database, seed_value: int, as_of: date | None = None, settings: Settings | None = None
) -> dict[str, int]:
    """Replay DAYS days of appeals ending at `as_of` (default: today). Idempotent: a database
    that already has appeals is left as it is."""
    settings = (settings or Settings()).model_copy(update={"smtp_host": None})
    users = _demo_users(db)
    with db.read() as session:
        if queries.count(session):
            return {"appeals": 0, "users": users, "skipped": 1}
    rng = random.Random(seed_value)
    as_of = as_of or datetime.now(KZ_TZ).date()
    start = as_of - timedelta(days=DAYS)
    calendar = load_calendar(settings.calendar_file)
    places = [u for u in units().values() if u.level == 2]
    weights = [u.population or 20_000 for u in places]
    actor = Actor("admin", name="system:demo-official")
    steps: list[_Step] = []
    counter = iter(range(10**9))
    stories: dict[str, demo_texts.Story] = {}
    codes: dict[str, str] = {}  # access codes, for the applicants' later verdicts
    placed: dict[str, Unit] = {}
    recent: list[str] = []  # numbers in the order filed: what neighbours may report again

    def at(day: date, hour: float) -> datetime:
        local = datetime.combine(day, time(int(hour), int(hour % 1 * 60)), tzinfo=KZ_TZ)
        return local.astimezone(UTC)

    def schedule(when: datetime, run: Callable[[], None]) -> None:
        if when.astimezone(KZ_TZ).date() <= as_of:
            heapq.heappush(steps, _Step(when, next(counter), run))

    def tolerate(fn: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            # The appeal may have moved on (escalated, answered) before this step came.
            with suppress(ArnaError):
                fn()

        return run

    def answer_later(number: str, when: datetime, outcome: str) -> Callable[[], None]:
        """The body holding the appeal at `when` answers it, in the applicant's language, as
        a body above when it climbed there."""

        def run() -> None:
            with db.read() as session:
                appeal = queries.require_appeal(session, number)
                if appeal.status not in ("registered", "in_progress"):
                    return
                body, depth = appeal.body_id, appeal.escalation_depth
                registered, disputed = appeal.registered_at, appeal.feedback_resolved is False
            story = stories[number]
            came_up = ("disputed" if disputed else "overdue") if depth else None
            holder = bodies().get(body)
            text = demo_texts.answer_text(
                rng,
                story,
                outcome,
                number=number,
                registered=to_local_date(registered),
                answered=to_local_date(when),
                body=holder.name(story.lang) if holder else body,
                came_up=came_up,
            )
            actions.answer_appeal(db, settings, actor, number, outcome=outcome, text=text, now=when)

        return run

    def plan_appeal(day: date) -> None:
        lang = rng.choices(["kk", "ru", "en"], weights=[50, 44, 6])[0]
        place = rng.choices(places, weights=weights)[0]
        story, text = demo_texts.new_story(rng, lang, place)
        contact = rng.random()
        applicant = Applicant(
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            email=f"citizen{rng.randrange(10**6)}@example.kz" if contact < 0.6 else None,
            phone=f"+7 70{rng.randrange(8)} {rng.randrange(10**7):07d}" if contact > 0.4 else None,
        )
        data = AppealCreate(
            text=text,
            kind=rng.choices(["complaint", "request", "proposal", "report"], [65, 25, 6, 4])[0],
            category=story.topic.category,
            kato=place.kato,
            applicant=applicant,
            language=lang,
        )
        submitted_at = at(day, rng.uniform(8, 20))
        fate = rng.random()

        def submit() -> None:
            written, told = data, story
            if recent and rng.random() < NEIGHBOURS:  # a neighbour reports a problem again
                earlier = rng.choice(recent[-40:])
                told, text = demo_texts.neighbour_story(
                    rng, stories[earlier], lang, placed[earlier]
                )
                written = data.model_copy(
                    update={
                        "text": text,
                        "kato": placed[earlier].kato,
                        "category": told.topic.category,
                    }
                )
            created, _ = submit_appeal(db, settings, written, now=submitted_at)
            number, code = created.number, created.access_code
            stories[number] = told
            codes[number] = code
            placed[number] = place if written is data else placed[earlier]
            recent.append(number)
            if rng.random() < SUPPORTED:  # neighbours say "me too" over the next days
                for _ in range(rng.randint(1, 9)):
                    said = submitted_at + timedelta(hours=rng.uniform(2, 240))
                    schedule(said, tolerate(me_too(number, said)))
            answer_day = calendar.add_working_days(submitted_at, rng.randint(2, 14))
            if fate < 0.5:  # answered in time; the applicant is satisfied or disputes
                outcome = rng.choices(demo_texts.OUTCOMES, [60, 30, 10])[0]
                when = at(answer_day, rng.uniform(9, 18))
                schedule(when, tolerate(answer_later(number, when, outcome)))
                feedback_at = when + timedelta(days=rng.randint(1, 5))
                resolved = rng.random() < 0.7
                why = None if resolved else demo_texts.dispute_reason(rng, lang)
                schedule(
                    feedback_at,
                    tolerate(
                        lambda: actions.give_feedback(
                            db,
                            settings,
                            number,
                            code,
                            resolved=resolved,
                            rating=rng.randint(4, 5) if resolved else rng.randint(1, 2),
                            reason=why,
                            now=feedback_at,
                        )
                    ),
                )
            elif fate < 0.6:  # taken into work, extended, answered later
                when = at(calendar.add_working_days(submitted_at, 1), 10)
                schedule(
                    when,
                    tolerate(lambda: actions.accept_appeal(db, settings, actor, number, now=when)),
                )
                until = calendar.add_working_days(submitted_at, 30)
                reason = demo_texts.extension_reason(rng, lang)
                schedule(
                    when + timedelta(hours=2),
                    tolerate(
                        lambda: actions.extend_appeal(
                            db,
                            settings,
                            actor,
                            number,
                            until=until,
                            reason=reason,
                            now=when + timedelta(hours=2),
                        )
                    ),
                )
                late = at(calendar.add_working_days(submitted_at, 25), 11)
                schedule(late, tolerate(answer_later(number, late, "resolved")))
            elif fate < 0.68:  # sent to the wrong body first: forwarded to the region's akimat
                when = at(calendar.add_working_days(submitted_at, rng.randint(1, 4)), 12)
                target = f"akimat-{place.region_kato}"
                competent = bodies().get(target)
                reason = demo_texts.forward_reason(
                    rng, lang, competent.name(lang) if competent else target
                )
                schedule(
                    when,
                    tolerate(
                        lambda: actions.forward_appeal(
                            db, settings, actor, number, body_id=target, reason=reason, now=when
                        )
                    ),
                )
            # else: nobody answers; the worker escalates it when the term passes

        schedule(submitted_at, submit)

    answered_higher: set[str] = set()

    def me_too(number: str, when: datetime) -> Callable[[], None]:
        def run() -> None:
            support_appeal(db, settings, number, iin=demo_iin(rng), now=when)

        return run

    def verdict(number: str, when: datetime, resolved: bool) -> Callable[[], None]:
        def run() -> None:
            lang = stories[number].lang
            why = None if resolved else demo_texts.dispute_reason(rng, lang)
            rating = rng.randint(4, 5) if resolved else rng.randint(1, 2)
            actions.give_feedback(
                db, settings, number, codes[number], resolved=resolved, rating=rating,
                reason=why, now=when,
            )  # fmt: skip

        return run

    def sweep_and_follow_up(when: datetime) -> Callable[[], None]:
        """The nightly sweep; then some bodies that just received escalated appeals answer
        them (a higher body solves more often than the one that failed)."""

        def run() -> None:
            sweep(db, settings, when)
            with db.read() as session:
                climbed = queries.waiting_above(session)
            for number in climbed:
                if number in answered_higher:
                    continue
                answered_higher.add(number)
                if rng.random() < 0.45:
                    reply = at(calendar.add_working_days(when, rng.randint(2, 12)), 11)
                    outcome = rng.choices(demo_texts.OUTCOMES, [65, 28, 7])[0]
                    schedule(reply, tolerate(answer_later(number, reply, outcome)))
                    # Most applicants then say whether the higher body's answer solved it: the
                    # problems solved only after climbing (the escalation depth index).
                    if rng.random() < 0.8:
                        said = reply + timedelta(days=rng.randint(1, 4))
                        schedule(said, tolerate(verdict(number, said, rng.random() < 0.75)))

        return run

    day = start
    while day <= as_of:
        for _ in range(rng.randint(PER_DAY - 2, PER_DAY + 2)):
            plan_appeal(day)
        schedule(at(day, 23.5), sweep_and_follow_up(at(day, 23.5)))
        day += timedelta(days=1)

    with Progress(transient=True) as progress:
        task = progress.add_task("Replaying the demo season", total=None)
        done = 0
        while steps:
            heapq.heappop(steps).run()
            done += 1
            progress.update(task, completed=done)
    with db.read() as session:
        total = queries.count(session)
    return {"appeals": total, "users": users, "skipped": 0}
