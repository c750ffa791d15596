"""Petitions in every state, made through the actions (the test's own setup), for the page tests,
the page sweep, the redaction test and the browser test: a draft with its code, one gathering
co-signers, one in moderation, one open with signatures from several regions over several days,
one whose threshold was reached, one answered and one rejected."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from arna.core.actors import Actor
from arna.core.clock import now_utc
from arna.core.db import Database
from arna.core.settings import Settings
from arna.petitions.actions import lifecycle
from arna.petitions.actions.lifecycle import person_key
from arna.petitions.actions.signing import Signing, sign_batch
from arna.petitions.confirmation import Pending
from arna.petitions.schemas import PetitionCreate
from tests.petitions.conftest import ALMATY, CITY, PETITION, iins

ADMIN = Actor("admin", name="system:test-moderator")
ASTANA, SHYMKENT, ABAI = "710000000", "790000000", "100000000"
ANSWER = "Өткел 2027 жылдың көктемінде салынады: жоба қаржыландырылды, мердігер таңдалды."


def file(
    db: Database,
    settings: Settings,
    title: str = PETITION["title"],
    addressee: str = CITY,
    now: datetime | None = None,
) -> tuple[str, str]:
    """A draft: its number and the author's code."""
    data = PetitionCreate.model_validate({**PETITION, "title": title, "addressee_id": addressee})
    done = lifecycle.create_petition(db, settings, data, now=now)
    return done.number, done.code


def bulk(
    db: Database,
    settings: Settings,
    number: str,
    how_many: int,
    start: int,
    region: str = ALMATY,
    now: datetime | None = None,
    name: str = "Асқар Б.",
) -> None:
    """Signatures as the queue writes them (from one network: "net")."""
    far = (now or now_utc()) + timedelta(hours=1)
    batch = [
        Signing(Pending(number, person_key(settings, iin), name, region, far), "net")
        for iin in iins(how_many, start)
    ]
    for i in range(0, len(batch), 500):
        for outcome in sign_batch(db, batch[i : i + 500], now=now):
            assert not isinstance(outcome, Exception), outcome


def to_moderation(db: Database, settings: Settings, number: str, code: str, when: datetime) -> None:
    lifecycle.send_for_cosigning(db, settings, number, code, now=when)
    bulk(db, settings, number, 50, start=0, now=when + timedelta(hours=1))


def opened(db: Database, settings: Settings, title: str, when: datetime) -> str:
    number, code = file(db, settings, title, now=when)
    to_moderation(db, settings, number, code, when)
    lifecycle.moderate_petition(
        db, settings, ADMIN, number, approve=True, now=when + timedelta(hours=2)
    )
    return number


@dataclass
class Site:
    draft: tuple[str, str]  # number, code
    cosigning: str
    moderation: str
    open: str
    response_due: str
    answered: str
    rejected: str

    @property
    def public(self) -> list[str]:
        """Every petition anyone may read (the draft only with its code)."""
        return [
            self.cosigning, self.moderation, self.open, self.response_due, self.answered,
            self.rejected,
        ]  # fmt: skip


def seed_site(db: Database, settings: Settings, threshold_reached: bool = True) -> Site:
    """One petition in each state (`threshold_reached=False` leaves out the two that need
    2,500 signatures, for speed)."""
    now = now_utc()
    start = now - timedelta(days=12)
    draft = file(db, settings, "Жаңа саябақ салу туралы өтініш жобасы", now=start)
    number, code = file(db, settings, "Аулаларға балалар алаңдарын салу", now=start)
    lifecycle.send_for_cosigning(db, settings, number, code, now=start)
    bulk(db, settings, number, 7, start=0, now=start + timedelta(hours=1))
    cosigning = number
    number, code = file(db, settings, "Қала көшелерін жарықтандыруды жақсарту", now=start)
    to_moderation(db, settings, number, code, start)
    moderation = number
    number, code = file(db, settings, "Тұрғын үй аулаларында тұрақ салуды тоқтату", now=start)
    to_moderation(db, settings, number, code, start)
    lifecycle.moderate_petition(
        db, settings, ADMIN, number, approve=False, reason="duplicate",
        note="Осы тақырыпта петиция ашық.", now=start + timedelta(hours=3),
    )  # fmt: skip
    rejected = number

    shown = opened(db, settings, "Қалада велосипед жолдарын салу", start)
    for day, (region, n) in enumerate([(ALMATY, 40), (ASTANA, 25), (SHYMKENT, 12), (ABAI, 3)]):
        when = start + timedelta(days=day + 1)
        bulk(db, settings, shown, n, start=1000 + day * 100, region=region, now=when)
    due = answered = shown
    if threshold_reached:
        due = opened(db, settings, "Мектеп жанына жаяу жүргіншілер өткелін салу", start)
        bulk(db, settings, due, 2450, start=50, now=start + timedelta(days=2))
        answered = opened(db, settings, "Қалалық саябақта жарық орнату", start)
        bulk(db, settings, answered, 2450, start=50, now=start + timedelta(days=3))
        lifecycle.answer_petition(
            db, settings, ADMIN, answered, ANSWER, now=start + timedelta(days=4)
        )
    return Site(draft, cosigning, moderation, shown, due, answered, rejected)
