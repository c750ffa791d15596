"""The words of the demo season: what citizens write and what bodies answer, in the appeal's
language, read from `data/demo_season.txt` and filled from the appeal (its place, a street, the
dates of the season).

An answer reads like a letter: an opener naming the appeal and its date (or, from a body above,
why it answers), the core matching the problem and the outcome (what was done and when, the
rule and where to go, the reason and the law), a closer and the body's signature. A topic's
appeal may carry a variant tag (`appeal#b`): it is then answered only with lines of the same
tag or with untagged ones, so the roof-leak complaint is never answered about heating.

Pure: plain data in, text out; the randomness is the demo's seeded generator.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources

from arna.core.i18n import fmt_date
from arna.geo.reference import Unit, units

LANGS = ("kk", "ru", "en")
OUTCOMES = ("resolved", "explained", "refused")
COMMON_KINDS = (
    "opener",
    "opener_above",
    "opener_disputed",
    "close_resolved",
    "close_other",
    "sign",
    "extension",
    "forward",
    "dispute",
)
TOPIC_KINDS = ("appeal", *OUTCOMES)


@dataclass(frozen=True)
class Line:
    kind: str
    tag: str  # "" when the line fits every appeal of its topic
    lang: str
    text: str


@dataclass(frozen=True)
class Topic:
    name: str
    category: str
    lines: tuple[Line, ...]

    def appeals(self, lang: str) -> list[Line]:
        return [x for x in self.lines if x.kind == "appeal" and x.lang == lang]

    def answers(self, outcome: str, lang: str, tag: str) -> list[str]:
        """The cores of answers with `outcome` in `lang` that fit an appeal tagged `tag`."""
        return [
            x.text
            for x in self.lines
            if x.kind == outcome and x.lang == lang and x.tag in ("", tag)
        ]


@dataclass(frozen=True)
class Season:
    topics: tuple[Topic, ...]
    common: dict[tuple[str, str], tuple[str, ...]]
    streets: tuple[tuple[str, ...], ...]  # (kk, ru, en)
    contractors: tuple[tuple[str, ...], ...]


@dataclass
class Story:
    """What the demo remembers of an appeal to answer it in kind."""

    topic: Topic
    tag: str
    lang: str
    fields: dict[str, str] = field(default_factory=dict)


def _parse(text: str) -> Season:
    topics: list[Topic] = []
    common: dict[tuple[str, str], list[str]] = defaultdict(list)
    triples: dict[str, list[tuple[str, ...]]] = {"street": [], "contractor": []}
    current: tuple[str, str] | None = None
    lines: list[Line] = []

    def close() -> None:
        if current and current[0] != "common":
            topics.append(Topic(current[0], current[1], tuple(lines)))

    for number, raw in enumerate(text.splitlines(), 1):
        row = raw.strip()
        if not row or row.startswith("#"):
            continue
        if row.startswith("== "):
            close()
            name, category = row[3:].split()
            current, lines = (name, category), []
            continue
        head, _, body = row.partition(": ")
        kind_tag, _, lang = head.partition(" ")
        kind, _, tag = kind_tag.partition("#")
        if current is None or not body:
            raise ValueError(f"demo_season.txt:{number}: not '<kind> <lang>: <text>'")
        if kind in triples:
            parts = tuple(p.strip() for p in body.split("|"))
            if len(parts) != len(LANGS):
                raise ValueError(f"demo_season.txt:{number}: want kk | ru | en")
            triples[kind].append(parts)
        elif current[0] == "common" and kind in COMMON_KINDS and lang in LANGS:
            common[(kind, lang)].append(body)
        elif current[0] != "common" and kind in TOPIC_KINDS and lang in LANGS:
            lines.append(Line(kind, tag, lang, body))
        else:
            raise ValueError(f"demo_season.txt:{number}: unknown kind or language {head!r}")
    close()
    return Season(
        tuple(topics),
        {key: tuple(texts) for key, texts in common.items()},
        tuple(triples["street"]),
        tuple(triples["contractor"]),
    )


@cache
def season() -> Season:
    path = resources.files("arna.appeals").joinpath("data", "demo_season.txt")
    return _parse(path.read_text(encoding="utf-8"))


def place_label(unit: Unit, lang: str) -> str:
    """A district or city as an address starts: "Абай облысы, Ақсуат ауданы", "город Алматы,
    Медеуский район", "Kurchatov, Abai Region" (names as the reference data spell them)."""
    parent = units().get(unit.parent_kato or "")
    above = parent.name(lang) if parent else ""
    if lang == "en":
        above = above.removesuffix(" (city)")
    name = unit.name(lang)
    if unit.unit_type in ("district", "city_district"):
        own = {"kk": f"{name} ауданы", "ru": f"{name} район", "en": f"{name} District"}[lang]
    elif lang == "kk":
        own = f"{name} қаласы"
    else:
        own = name if lang == "en" else f"г. {name}"
    if not above:
        return own
    return f"{own}, {above}" if lang == "en" else f"{above}, {own}"


_RU_FORMS = {
    "days": ("день", "дня", "дней"),
    "weeks": ("неделю", "недели", "недель"),
    "months": ("месяц", "месяца", "месяцев"),
    "years": ("год", "года", "лет"),
}
_EN_FORMS = {"days": "day", "weeks": "week", "months": "month", "years": "year"}
_KK_FORMS = {"days": "күн", "weeks": "апта", "months": "ай", "years": "жыл"}


def count_of(n: int, unit: str, lang: str) -> str:
    """ "3 дня", "5 дней", "21 день"; "3 weeks"; "3 апта" (Kazakh nouns after a number stay
    singular)."""
    if lang == "ru":
        one, few, many = _RU_FORMS[unit]
        teens, last = n % 100 // 10 == 1, n % 10
        form = one if last == 1 and not teens else few if 2 <= last <= 4 and not teens else many
        return f"{n} {form}"
    if lang == "en":
        return f"{n} {_EN_FORMS[unit]}" + ("" if n == 1 else "s")
    return f"{n} {_KK_FORMS[unit]}"


def new_story(rng: random.Random, lang: str, unit: Unit) -> tuple[Story, str]:
    """A problem a resident of `unit` writes about in `lang`, and the text they write."""
    topic = rng.choice(season().topics)
    line = rng.choice(topic.appeals(lang))
    street = rng.choice(season().streets)[LANGS.index(lang)]
    numbers = {
        "days": rng.randint(2, 9),
        "weeks": rng.randint(2, 6),
        "months": rng.randint(2, 5),
        "years": rng.randint(2, 6),
    }
    fields = {
        "place": place_label(unit, lang),
        "street": street,
        "house": str(rng.randint(1, 120)),
        "route": str(rng.choice([3, 7, 12, 15, 21, 34, 45, 52, 101])),
        "school": str(rng.randint(1, 45)),
        "area": str(rng.randint(8, 140)),
        "km": str(rng.randint(3, 40)),
        "n_lamps": str(rng.randint(4, 26)),
        "n_trucks": str(rng.randint(3, 18)),
        "contractor": rng.choice(season().contractors)[LANGS.index(lang)],
    }
    for unit_name, n in numbers.items():
        fields[unit_name] = count_of(n, unit_name, lang)
        fields[f"n_{unit_name}"] = str(n)
    story = Story(topic, line.tag, lang, fields)
    return story, line.text.format(**fields)


def neighbour_story(rng: random.Random, earlier: Story, lang: str, unit: Unit) -> tuple[Story, str]:
    """A neighbour of the author of `earlier` writes about the same problem (same topic, same
    street, a house nearby), in `lang`, in words of their own."""
    story, _ = new_story(rng, lang, unit)
    lines = [x for x in earlier.topic.appeals(lang) if x.tag in ("", earlier.tag)]
    line = rng.choice(lines or earlier.topic.appeals(lang))
    street = next(
        (s for s in season().streets if earlier.fields["street"] in s), (story.fields["street"],)
    )
    house = int(earlier.fields["house"]) + rng.randint(-4, 4)
    fields = {**story.fields, "street": street[min(LANGS.index(lang), len(street) - 1)]}
    fields["house"] = str(max(1, house))
    neighbour = Story(earlier.topic, line.tag, lang, fields)
    return neighbour, line.text.format(**fields)


def _pick(rng: random.Random, kind: str, lang: str) -> str:
    return rng.choice(season().common[(kind, lang)])


def answer_text(
    rng: random.Random,
    story: Story,
    outcome: str,
    *,
    number: str,
    registered: date,
    answered: date,
    body: str,
    came_up: str | None = None,
) -> str:
    """The answer of `body` on `answered` to the appeal `number`: opener, what was done (or the
    rule, or the refusal and its basis), closer, signature. `came_up` is "overdue" or
    "disputed" when a body above answers an escalated appeal."""
    lang = story.lang
    done = registered + timedelta(days=rng.randint(1, max(1, (answered - registered).days)))
    values = {
        **story.fields,
        "number": number,
        "registered": fmt_date(registered, lang),
        "done": fmt_date(min(done, answered), lang),
        "until": fmt_date(answered + timedelta(days=rng.randint(10, 45)), lang),
        "year": str(answered.year + 1),
        "body": body,
    }
    kind = {"overdue": "opener_above", "disputed": "opener_disputed"}.get(came_up or "", "opener")
    opener = _pick(rng, kind, lang)
    core = rng.choice(story.topic.answers(outcome, lang, story.tag))
    closer = _pick(rng, "close_resolved" if outcome == "resolved" else "close_other", lang)
    sign = _pick(rng, "sign", lang)
    text = "\n\n".join((f"{opener} {core}", closer, sign)).format(**values)
    return text.replace("г..", "г.")  # a Russian date ending a sentence: "2026 г.", not "г.."


def forward_reason(rng: random.Random, lang: str, target: str) -> str:
    """Why a body sends an appeal on, naming the competent body `target`."""
    return _pick(rng, "forward", lang).format(target=target)


def extension_reason(rng: random.Random, lang: str) -> str:
    return _pick(rng, "extension", lang)


def dispute_reason(rng: random.Random, lang: str) -> str:
    """What an applicant writes when the answer did not solve the problem."""
    return _pick(rng, "dispute", lang)
