"""Consultations for `make demo`, through the actions: one open in Almaty with three camps of
voters over three weeks (and statements waiting for moderation), one closed in Semey, and a real
Pol.is conversation imported (data/polis, CC BY 4.0). Deterministic for a seed and a day."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from arna.core.actors import ANONYMOUS, Actor
from arna.core.db import Database
from arna.opinion.actions import consultations, groups, voting
from arna.opinion.actions.polis_import import import_polis
from arna.opinion.models import Consultation
from arna.opinion.polis_format import read_conversation
from arna.opinion.schemas import ConsultationCreate

ADMIN = Actor("admin", name="system:demo")
POLIS = Path(__file__).parent / "data" / "polis" / "brexit-consensus"
VOTE = {1: "agree", -1: "disagree", 0: "pass"}


@dataclass(frozen=True)
class Story:
    title: str
    question: str
    body_id: str | None
    statements: tuple[tuple[str, tuple[int, int, int]], ...]  # text, leaning of camps A, B, C
    camps: tuple[float, float, float]  # share of participants in each camp
    participants: int
    age_days: int
    closed: bool
    proposals: tuple[str, ...] = ()  # participants' statements left for moderation


STORIES = (
    Story(
        "Алматыдағы қоғамдық көлік",
        "Қала көлігін қалай жақсартамыз? Пікіріңізді білдіріңіз, өз ұсынысыңызды қосыңыз.",
        "akimat-750000000",
        (
            ("Автобустар қарбалас уақытта 5 минут сайын жүруі керек", (1, 1, 0)),
            ("Выделенные полосы для автобусов нужно продлить на все проспекты", (-1, 1, 0)),
            ("Жеке көлікке қала орталығына кіру ақылы болуы керек", (-1, 1, -1)),
            ("Велосипед жолдары көлік жолдарын тарылтпауы керек", (1, -1, 0)),
            ("Проезд в автобусе не должен дорожать в этом году", (0, 1, 1)),
            ("Метро желісін Алатау ауданына дейін созу керек", (1, 1, -1)),
            ("Новые развязки важнее новых автобусов", (1, -1, 0)),
            ("Аялдамаларда жылытылатын күту орны болуы керек", (1, 1, 1)),
            ("Бюджет денег на метро лучше потратить на ремонт дорог во дворах", (1, -1, 1)),
            ("Такси мен автобус бір картамен төленуі керек", (0, 1, 1)),
            ("Парковка в центре должна стоить дороже", (-1, 1, -1)),
            ("Night buses should run on the main lines", (0, 1, 0)),
            ("Мектеп маңында көлік жылдамдығы 30 км/сағ болсын", (1, 1, 1)),
            ("Электробусы нужно покупать даже если они дороже", (-1, 1, -1)),
        ),
        (0.4, 0.4, 0.2),
        150,
        21,
        False,
        (
            "Трамвайды қайта іске қосу керек",
            "Нужно больше парковок у станций метро",
        ),
    ),
    Story(
        "Семейдегі жаңа саябақ",
        "Какой должна быть новая набережная Иртыша в Семее?",
        "akimat-101000000",
        (
            ("Жағалауда велосипед жолы болуы керек", (1, 1, 0)),
            ("Кафе на набережной испортят вид", (-1, 1, 1)),
            ("Саябақта балалар алаңы міндетті", (1, 1, 1)),
            ("Освещение важнее новых скамеек", (1, -1, 0)),
            ("Жағалауда көлік тұрағы болмауы керек", (-1, 1, 0)),
            ("Набережную нужно строить поэтапно, не закрывая её целиком", (0, 1, 1)),
            ("Ағаштарды кесуге болмайды", (-1, 1, 1)),
            ("Летом нужны фонтаны", (1, 0, -1)),
        ),
        (0.5, 0.35, 0.15),
        70,
        60,
        True,
    ),
)


def seed(db: Database, seed_value: int, now: datetime | None = None) -> dict[str, int]:
    """Idempotent: a database that has consultations is left as it is."""
    with db.read() as session:
        if session.scalar(select(func.count()).select_from(Consultation)):
            return {"consultations": 0, "skipped": 1}
    rng = random.Random(seed_value)
    now = now or datetime.now(UTC)
    votes = sum(_replay(db, rng, story, now) for story in STORIES)
    import_polis(db, ADMIN, read_conversation(POLIS), now=now)
    return {"consultations": len(STORIES) + 1, "votes": votes}


def _replay(db: Database, rng: random.Random, story: Story, now: datetime) -> int:
    opened = now - timedelta(days=story.age_days)
    number = consultations.create_consultation(
        db,
        ADMIN,
        ConsultationCreate(
            title=story.title,
            question=story.question,
            body_id=story.body_id,
            statements=[text for text, _ in story.statements],
        ),
        now=opened,
    )
    span = timedelta(days=min(story.age_days, 20))
    cast = 0
    for person in range(story.participants):
        joined_at = opened + span * (person / story.participants)
        token = consultations.join(db, number, now=joined_at).token
        camp = rng.choices(range(3), weights=story.camps)[0]
        seen = rng.sample(range(len(story.statements)), k=rng.randint(5, len(story.statements)))
        ballot = []
        for order, statement in enumerate(seen):
            leaning = story.statements[statement][1][camp]
            value = leaning if rng.random() > 0.15 else rng.choice((-1, 0, 1))
            ballot.append((statement, VOTE[value], joined_at + timedelta(seconds=20 * (order + 1))))
        voting.cast_votes(db, number, token, ballot)
        cast += len(ballot)
        if person % 50 == 49:  # the worker's runs as the votes come
            groups.compute_groups(db, number, now=joined_at + timedelta(minutes=10))
        if person == 10:
            for text in story.proposals:
                consultations.add_statement(db, ANONYMOUS, number, text, token, joined_at)
    groups.compute_groups(db, number, now=opened + span + timedelta(minutes=10))
    if story.closed:
        consultations.close_consultation(db, ADMIN, number, now=opened + span + timedelta(hours=1))
    return cast
