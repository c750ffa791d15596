"""The GeoReport services Arna offers: its categories of problems tied to a place that neighbours
share (those public by default, `appeals.policy.PUBLIC_BY_DEFAULT`), each with the same
attributes. Personal matters (pensions, health, documents) are not offered: a GeoReport request
is public, and those are private appeals filed through Arna's own API and pages.

Texts the reference data does not hold (groups, attribute descriptions, notices) are written
here in the three languages, as the categories' names are in their CSV.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from arna.appeals.labels import kind_names
from arna.appeals.policy import PUBLIC_BY_DEFAULT, TERM_WORKING_DAYS
from arna.bodies.competence import Category, categories
from arna.core.i18n import LANGUAGES

Texts = dict[str, str]  # language -> text

_GROUPS: dict[str, Texts] = {
    "transport": {"kk": "Жол және көлік", "ru": "Дороги и транспорт", "en": "Roads and transport"},
    "housing": {
        "kk": "Тұрғын үй және коммуналдық қызметтер",
        "ru": "Жильё и коммунальные услуги",
        "en": "Housing and utilities",
    },
    "environment": {
        "kk": "Қоршаған орта және қауіпсіздік",
        "ru": "Экология и безопасность",
        "en": "Environment and safety",
    },
    "city": {"kk": "Қала және қызметтер", "ru": "Город и услуги", "en": "City and services"},
    "prices": {"kk": "Бағалар", "ru": "Цены", "en": "Prices"},
}
_GROUP_OF = {
    "roads_republican": "transport",
    "roads_local": "transport",
    "public_transport": "transport",
    "housing_utilities": "housing",
    "utility_tariffs": "housing",
    "electricity_gas_supply": "housing",
    "environment": "environment",
    "irrigation_water": "environment",
    "emergencies": "environment",
    "sanitary": "environment",
    "telecom_internet": "city",
    "construction": "city",
    "sport_tourism": "city",
    "fuel_prices": "prices",
    "food_prices": "prices",
}

# What a client shows before the form is sent: an informational attribute (variable false).
_NOTICE: Texts = {
    "kk": (
        "Хабарлама «Әкімшілік рәсімдік-процестік кодексі» бойынша мемлекеттік органға өтініш "
        "ретінде тіркеледі, жауап {days} жұмыс күні ішінде беріледі. Мәтін мен жауап жария "
        "болады (жеке деректер жасырылады); атыңыз бен байланысыңыз жарияланбайды."
    ),
    "ru": (
        "Сообщение регистрируется как обращение в государственный орган по "
        "Административному процедурно-процессуальному кодексу, ответ — в течение {days} "
        "рабочих дней. Текст и ответ публичны (личные данные скрыты); имя и контакты не "
        "публикуются."
    ),
    "en": (
        "Your report is registered as an appeal to a state body under the Administrative "
        "Procedural and Process Code and answered within {days} working days. Its text and the "
        "answer are public (personal data masked); your name and contacts are never published."
    ),
}
_ATTRIBUTES: dict[str, Texts] = {
    "kind": {
        "kk": "Өтініштің түрі (әдепкі: мәселе туралы хабарлама)",
        "ru": "Вид обращения (по умолчанию: сообщение о проблеме)",
        "en": "Kind of appeal (default: report of a problem)",
    },
    "iin": {
        "kk": "Өтініш берушінің ЖСН-і (12 цифр; міндетті емес, ешқашан жарияланбайды)",
        "ru": "ИИН заявителя (12 цифр; необязательно, никогда не публикуется)",
        "en": "The applicant's IIN (12 digits; optional, never published)",
    },
    "language": {
        "kk": "Мәтіннің тілі (әдепкі: мәтіннен анықталады)",
        "ru": "Язык текста (по умолчанию: определяется по тексту)",
        "en": "Language of the text (default: read from the text)",
    },
}
_LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
_SENT: Texts = {
    "kk": "{number} нөмірімен тіркелді, {body} органына жіберілді; жауап мерзімі: {due}.",
    "ru": "Зарегистрировано под номером {number} и направлено в {body}; срок ответа: {due}.",
    "en": "Registered as appeal {number} and sent to {body}; the answer is due by {due}.",
}

KINDS = ("report", "complaint", "request", "proposal")
DEFAULT_KIND = "report"


def text(texts: Texts, lang: str) -> str:
    return texts.get(lang) or texts["en"]


def offered() -> dict[str, Category]:
    """The categories served as GeoReport services, in the reference data's order."""
    return {code: c for code, c in categories().items() if code in PUBLIC_BY_DEFAULT}


@dataclass(frozen=True)
class Value:
    key: str
    name: str


@dataclass(frozen=True)
class Attribute:
    variable: bool
    code: str
    datatype: str
    required: bool
    datatype_description: str | None
    order: int
    description: str
    values: tuple[Value, ...] = ()


def service_fields(category: Category, lang: str) -> dict[str, object]:
    """One service of `GET services`, by the spec's names."""
    name = category.name(lang)
    return {
        "service_code": category.id,
        "service_name": name,
        "description": name,
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(p.strip() for p in name.replace(";", ",").split(",")),
        "group": text(_GROUPS[_GROUP_OF.get(category.id, "city")], lang),
    }


def attributes(lang: str) -> list[Attribute]:
    """The attributes of every service: all optional, so a client that sends none still files."""
    kinds = kind_names()
    return [
        Attribute(
            False,
            "notice",
            "text",
            False,
            None,
            1,
            text(_NOTICE, lang).format(days=TERM_WORKING_DAYS),
        ),
        Attribute(
            True,
            "kind",
            "singlevaluelist",
            False,
            None,
            2,
            text(_ATTRIBUTES["kind"], lang),
            tuple(Value(k, kinds[k]) for k in KINDS),
        ),
        Attribute(
            True,
            "iin",
            "string",
            False,
            "12 digits",
            3,
            text(_ATTRIBUTES["iin"], lang),
        ),
        Attribute(
            True,
            "language",
            "singlevaluelist",
            False,
            None,
            4,
            text(_ATTRIBUTES["language"], lang),
            tuple(Value(code, _LANGUAGE_NAMES[code]) for code in LANGUAGES),
        ),
    ]


def service_notice(number: str, body: str, due: date, lang: str) -> str:
    return text(_SENT, lang).format(number=number, body=body, due=due.isoformat())
