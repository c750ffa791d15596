"""A season of petitions for `make demo`, replayed through the actions at the instants they
happened: one answered after it climbed to the oblast, one whose answer is due, two collecting
(one with a surge set aside), one gathering co-signers, one waiting for moderation, one
rejected, one lapsed, one closed below its threshold. Deterministic for a seed and a day."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from arna.core import sealing
from arna.core.actors import Actor
from arna.core.clock import KZ_TZ, load_calendar
from arna.core.db import Database
from arna.core.iin import iin_check_digit
from arna.core.settings import Settings
from arna.petitions.actions import lifecycle
from arna.petitions.actions.signing import Signing, invalidate_signatures, sign_batch
from arna.petitions.actions.sweep import sweep_petitions
from arna.petitions.confirmation import Pending
from arna.petitions.models import Petition
from arna.petitions.schemas import PetitionCreate

ADMIN = Actor("admin", name="system:demo-moderator")
FIRST = [
    "Айгерім",
    "Нұрлан",
    "Дәурен",
    "Әсел",
    "Ерлан",
    "Мадина",
    "Иван",
    "Ольга",
    "Сергей",
    "Гүлнар",
    "Бауыржан",
    "Жанар",
    "Алексей",
    "Дина",
    "Тимур",
    "Аружан",
]
LAST = "СНАОИКПЖБТЕМДЛ"
REGIONS = [
    "750000000",
    "710000000",
    "790000000",
    "100000000",
    "350000000",
    "550000000",
    "110000000",
    "390000000",
    "620000000",
    "630000000",
]


@dataclass(frozen=True)
class Story:
    key: str
    addressee: str
    home: str  # the region most signers live in
    lang: str
    title: str
    text: str
    fate: str  # answered | due | open | surge | cosigning | moderation | rejected | lapsed | closed
    signers: int
    age_days: int  # filed this many days before today
    answer: str = ""


STORIES = (
    Story(
        "crossing",
        "akimat-101000000",
        "100000000",
        "kk",
        "№12 мектептің жанына реттелетін жаяу жүргіншілер өткелін салу",
        "Семейдегі №12 мектептің жанындағы Абай көшесінде өткел жоқ: балалар таңертең жолды "
        "көліктердің арасынан кесіп өтеді, былтыр екі оқиға болды. Мектеп алдына бағдаршамы "
        "бар жаяу жүргіншілер өткелін салуды және жылдамдықты 40 км/сағ дейін шектеуді сұраймыз.",
        "answered",
        2500,
        120,
        "Өтінішіңіз қаралды. Абай облысының әкімдігі Семей қаласының әкімдігімен бірге "
        "№12 мектеп алдындағы бағдаршамы бар өткелді 2027 жылғы мамырға дейін салуды "
        "қаржыландырды; жылдамдық шектеуі белгілері осы айда орнатылады.",
    ),
    Story(
        "bus",
        "akimat-101000000",
        "100000000",
        "ru",
        "Вернуть автобусный маршрут №7 в микрорайон Восточный",
        "С сентября маршрут №7 больше не заходит в микрорайон Восточный: пожилым людям и "
        "школьникам приходится идти до остановки больше двух километров вдоль трассы без "
        "тротуара. Просим восстановить маршрут хотя бы в часы пик и опубликовать расписание.",
        "due",
        2500,
        60,
    ),
    Story(
        "budget",
        "government",
        "710000000",
        "ru",
        "Публиковать исполнение местных бюджетов каждый месяц в открытых данных",
        "Акиматы публикуют отчёты об исполнении бюджета раз в год и в PDF. Просим Правительство "
        "обязать все акиматы ежемесячно публиковать исполнение местных бюджетов по программам "
        "в машиночитаемом виде на портале открытых данных, с расшифровкой по подрядчикам.",
        "open",
        3200,
        45,
    ),
    Story(
        "air",
        "maslikhat-352400000",
        "350000000",
        "ru",
        "Установить датчики качества воздуха во всех районах Темиртау",
        "В Темиртау всего два поста наблюдения за воздухом, оба далеко от жилых кварталов у "
        "комбината. Просим маслихат предусмотреть в бюджете 2027 года установку датчиков PM2.5 "
        "в каждом районе города и публикацию их показаний в реальном времени.",
        "surge",
        1800,
        30,
    ),
    Story(
        "library",
        "akimat-111000000",
        "110000000",
        "kk",
        "Қалалық кітапхананы демалыс күндері де ашық ұстау",
        "Көкшетаудың орталық кітапханасы сенбі мен жексенбіде жабық, ал студенттер мен "
        "жұмыс істейтін адамдар тек демалыста келе алады. Кітапхананы сенбі және жексенбі "
        "күндері 10:00-ден 18:00-ге дейін ашуды сұраймыз.",
        "cosigning",
        23,
        3,
    ),
    Story(
        "park",
        "akimat-552200000",
        "550000000",
        "en",
        "Keep the Ekibastuz central park open to pedestrians in winter",
        "Every winter the paths of the central park are left under snow and the park is "
        "closed to pedestrians from December to March. We ask the akimat to clear the main "
        "paths and keep the lighting on so that residents can walk there all year.",
        "moderation",
        50,
        12,
    ),
    Story(
        "merge",
        "akimat-392400000",
        "390000000",
        "ru",
        "Передать Рудный в состав Костанайского района",
        "Предлагаем изменить административно-территориальное устройство и передать город "
        "Рудный в состав Костанайского района, объединив их акиматы ради экономии бюджета.",
        "rejected",
        50,
        40,
    ),
    Story(
        "dogs",
        "akimat-351600000",
        "350000000",
        "kk",
        "Қаңғыбас иттерге арналған баспана салу",
        "Балқашта қаңғыбас иттер көбейді, балалар мектепке барғанда қорқады. Қалада "
        "жануарларға арналған баспана салып, иттерді стерилизациялау бағдарламасын бастауды "
        "сұраймыз.",
        "lapsed",
        12,
        30,
    ),
    Story(
        "heating",
        "maslikhat-621000000",
        "620000000",
        "ru",
        "Снизить тариф на отопление для пенсионеров Жезказгана",
        "Тариф на отопление в Жезказгане вырос за два года на 60 процентов. Просим маслихат "
        "ввести жилищную помощь на оплату отопления для одиноких пенсионеров и людей с "
        "инвалидностью, как это сделано в соседних городах.",
        "closed",
        900,
        215,
    ),
)


def _iin(rng: random.Random) -> str:
    while True:
        born = date(rng.randint(1950, 2006), rng.randint(1, 12), rng.randint(1, 28))
        first = f"{born:%y%m%d}{3 if born.year < 2000 else 5}{rng.randrange(10**4):04d}"
        check = iin_check_digit(first)
        if check is not None:
            return first + str(check)


def seed(
    db: Database, seed_value: int, as_of: date | None = None, settings: Settings | None = None
) -> dict[str, int]:
    """Idempotent: a database that has petitions is left as it is."""
    settings = settings or Settings()
    with db.read() as session:
        if session.scalar(select(func.count()).select_from(Petition)):
            return {"petitions": 0, "skipped": 1}
    rng = random.Random(seed_value)
    as_of = as_of or datetime.now(KZ_TZ).date()
    signatures = 0
    for story in STORIES:
        signatures += _replay(db, settings, rng, story, as_of)
    return {"petitions": len(STORIES), "signatures": signatures}


def _at(day: date, hour: float) -> datetime:
    local = datetime.combine(day, time(int(hour), int(hour % 1 * 60)), tzinfo=KZ_TZ)
    return local.astimezone(UTC)


def _replay(db: Database, settings: Settings, rng: random.Random, story: Story, as_of: date) -> int:
    filed = as_of - timedelta(days=story.age_days)
    calendar = load_calendar(settings.calendar_file)
    data = PetitionCreate(
        title=story.title,
        text=story.text,
        addressee_id=story.addressee,
        language=story.lang,
        author_iin=_iin(rng),
        author_first_name=rng.choice(FIRST),
        author_last_name=rng.choice(["Сапарова", "Ахметов", "Иванова", "Ким", "Омаров"]),
    )
    made = lifecycle.create_petition(db, settings, data, now=_at(filed, 10))
    lifecycle.send_for_cosigning(db, settings, made.number, made.code, now=_at(filed, 11))
    cosigners = min(story.signers, 50)
    days = 2 if story.fate != "lapsed" else 3
    _sign(db, settings, rng, story, made.number, cosigners, filed, days)
    if story.fate in ("cosigning", "lapsed"):
        sweep_petitions(db, settings, _at(as_of, 9))
        return cosigners
    if story.fate == "moderation":
        return cosigners
    decided = calendar.add_working_days(filed, 5)
    if story.fate == "rejected":
        lifecycle.moderate_petition(
            db,
            settings,
            ADMIN,
            made.number,
            approve=False,
            reason="banned_topic",
            note="Changing the administrative-territorial structure is not a subject of petitions.",
            now=_at(decided, 15),
        )
        return cosigners
    lifecycle.moderate_petition(
        db, settings, ADMIN, made.number, approve=True, now=_at(decided, 15)
    )
    rest = story.signers - cosigners
    collect_days = min(story.age_days - 8, 40)
    if story.fate == "closed":
        collect_days = 120
    if story.fate in ("answered", "due"):
        rest -= 1  # the last one signs through the queue's path below, crossing the threshold
    _sign(db, settings, rng, story, made.number, rest, decided + timedelta(days=1), collect_days)
    if story.fate in ("answered", "due"):
        reached = decided + timedelta(days=collect_days + 1)
        _sign(db, settings, rng, story, made.number, 1, reached, 1)
        if story.fate == "answered":
            overdue = calendar.add_working_days(reached, 21)
            sweep_petitions(db, settings, _at(overdue, 9))  # up to the oblast's akimat
            oblast = Actor("official", body_id="akimat-100000000", name="system:demo-official")
            answered = calendar.add_working_days(overdue, 6)
            lifecycle.answer_petition(
                db, settings, oblast, made.number, story.answer, now=_at(answered, 16)
            )
    if story.fate == "open":  # a surge the moderators have not decided on yet
        start = _at(as_of - timedelta(days=2), 14.25)
        office = _source(settings, "198.51.100.0/24")
        sign_batch(
            db,
            [
                Signing(_pending(settings, rng, made.number, story.home, start), office)
                for _ in range(45)
            ],
            now=start,
            calendar=calendar,
        )
    if story.fate == "surge":
        start = _at(as_of - timedelta(days=4), 3.5)
        bot = _source(settings, "192.0.2.0/24")
        bots = [
            Signing(_pending(settings, rng, made.number, "350000000", start), bot)
            for _ in range(120)
        ]
        sign_batch(db, bots, now=start, calendar=calendar)
        invalidate_signatures(
            db,
            ADMIN,
            made.number,
            source=bot,
            reason="120 signatures within 6 minutes at night from one network",
            now=_at(as_of - timedelta(days=3), 11),
        )
    sweep_petitions(db, settings, _at(as_of, 9))
    return story.signers + {"surge": 120, "open": 45}.get(story.fate, 0)


def _source(settings: Settings, network: str) -> str:
    return sealing.keyed_digest(settings, f"petition-source:{network}")


def _pending(
    settings: Settings, rng: random.Random, number: str, region: str, at: datetime
) -> Pending:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}."
    person = lifecycle.person_key(settings, _iin(rng))
    return Pending(number, person, name, region, at + timedelta(hours=1))


def _sign(
    db: Database,
    settings: Settings,
    rng: random.Random,
    story: Story,
    number: str,
    count: int,
    first_day: date,
    days: int,
) -> None:
    """`count` signatures over `days` days, most in the first days, most from the home region."""
    weights = [1 / (1 + d * 0.35) for d in range(days)]
    per_day = [0] * days
    for _ in range(count):
        per_day[rng.choices(range(days), weights)[0]] += 1
    for d, n in enumerate(per_day):
        if not n:
            continue
        at = _at(first_day + timedelta(days=d), 9 + rng.random() * 12)
        batch = []
        for _ in range(n):
            region = story.home if rng.random() < 0.7 else rng.choice(REGIONS)
            batch.append(
                Signing(
                    _pending(settings, rng, number, region, at),
                    _source(settings, f"10.{rng.randrange(60)}.{rng.randrange(250)}.0/24"),
                )
            )
        for i in range(0, len(batch), 1000):
            sign_batch(
                db, batch[i : i + 1000], now=at, calendar=load_calendar(settings.calendar_file)
            )
