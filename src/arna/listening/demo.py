"""The demo season of listening: four months of public comments in kk, ru and en, generated from
a seed, so that trends, the map, topics and alerts are alive on first run.

Comments are put together from pieces written for the demo (`data/demo_comments.tsv`): an
opening of a theme and a tone, a detail with a number, sometimes a closing and a hashtag of
the city. Each theme has its own usual tone; heating is talked about once the heating season
starts. Three bot accounts repost one slogan many times (copies, counted once), and in the
last two weeks the water utility of Atyrau region draws a rising share of angry comments: the
episode the alerts should find. Authors are handles of a made-up pool, stored as pseudonyms
like any import.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from arna.core.clock import KZ_TZ
from arna.core.settings import Settings
from arna.listening import actions
from arna.listening.sources import Post, pseudonym
from arna.listening.store import store_of
from arna.listening.terms import DATA

DAYS = 120
PER_DAY = 110
EPISODE_DAYS = 14
EPISODE_REGION = "230000000"  # Atyrau region
HEATING_STARTS = (10, 15)  # month, day
REGIONS = {  # KATO: (share of comments, hashtags by language)
    "750000000": (0.24, {"ru": "#Алматы", "kk": "#Алматы", "en": "#Almaty"}),
    "710000000": (0.20, {"ru": "#Астана", "kk": "#Астана", "en": "#Astana"}),
    "790000000": (0.12, {"ru": "#Шымкент", "kk": "#Шымкент", "en": "#Shymkent"}),
    "350000000": (0.12, {"ru": "#Караганда", "kk": "#Қарағанды", "en": "#Karaganda"}),
    "230000000": (0.12, {"ru": "#Атырау", "kk": "#Атырау", "en": "#Atyrau"}),
    "550000000": (0.10, {"ru": "#Павлодар", "kk": "#Павлодар", "en": "#Pavlodar"}),
    "610000000": (0.10, {"ru": "#Туркестан", "kk": "#Түркістан", "en": "#Turkistan"}),
}
LANGS = {"kk": 0.46, "ru": 0.44, "en": 0.10}
THEMES = {  # share of comments, (negative, neutral, positive)
    "water": (0.20, (0.45, 0.35, 0.20)),
    "heat": (0.15, (0.55, 0.30, 0.15)),
    "roads": (0.22, (0.55, 0.30, 0.15)),
    "buses": (0.16, (0.45, 0.35, 0.20)),
    "clinic": (0.15, (0.50, 0.35, 0.15)),
    "parks": (0.12, (0.15, 0.30, 0.55)),
}
SOURCES = ("t.me/city_news_chat", "news-site-comments", "instagram-city")
AUTHORS = 2400
BOTS = ("bot_vesna_01", "bot_vesna_02", "bot_vesna_03")
SLOGAN = "Акимат работает для людей, всё идёт по плану, не верьте паникёрам!"
TONES = ("negative", "neutral", "positive")


def _pieces() -> dict[tuple[str, str, str, str], list[str]]:
    found: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    with (DATA / "demo_comments.tsv").open(encoding="utf-8") as file:
        rows = csv.reader((line for line in file if not line.startswith("#")), delimiter="\t")
        for theme, piece, lang, tone, text in rows:
            found[(theme, piece, lang, tone)].append(text)
    return found


def posts(seed: int, as_of: date, key: bytes) -> list[Post]:
    """The demo season ending at `as_of`: the same posts for the same seed and day."""
    rng = random.Random(seed)
    pieces = _pieces()
    regions = list(REGIONS)
    out: list[Post] = []
    numbers: dict[str, int] = defaultdict(int)

    def post(day: date, source: str, author: str, text: str, region: str) -> None:
        numbers[source] += 1
        moment = datetime.combine(day, time(rng.randint(7, 23), rng.randint(0, 59)), KZ_TZ)
        out.append(
            Post(
                source=source,
                post_id=str(numbers[source]),
                published_at=moment.astimezone(UTC),
                text=text,
                author=pseudonym(author, key),
                region=region,
                likes=int(rng.paretovariate(1.5)) - 1,
            )
        )

    start = as_of - timedelta(days=DAYS - 1)
    for offset in range(DAYS):
        day = start + timedelta(days=offset)
        episode = region_day = offset >= DAYS - EPISODE_DAYS
        heating = (day.month, day.day) >= HEATING_STARTS or day.month < 4
        count = int(PER_DAY * (0.8 if day.weekday() >= 5 else 1.0) * rng.uniform(0.85, 1.15))
        for _ in range(count):
            region = rng.choices(regions, [REGIONS[r][0] for r in regions])[0]
            lang = rng.choices(list(LANGS), list(LANGS.values()))[0]
            weights = {t: w for t, (w, _) in THEMES.items() if t != "heat" or heating}
            region_day = episode and region == EPISODE_REGION
            if region_day:
                weights["water"] *= 4
            theme = rng.choices(list(weights), list(weights.values()))[0]
            tones = THEMES[theme][1]
            if region_day and theme == "water":
                # The episode: the angry share jumps to 0.75 and climbs to 0.95 in two weeks.
                rise = (offset - (DAYS - EPISODE_DAYS) + 1) / EPISODE_DAYS
                negative = 0.75 + 0.2 * rise
                tones = (negative, (1 - negative) * 0.7, (1 - negative) * 0.3)
            tone = rng.choices(TONES, tones)[0]
            text = _comment(rng, pieces, theme, lang, tone, region)
            if text is None:
                continue
            author = f"user{min(int(rng.paretovariate(0.9)), AUTHORS)}_{rng.randrange(AUTHORS)}"
            post(day, rng.choice(SOURCES), author, text, region)
        if rng.random() < 0.6:  # the bots, on most days, in the big cities
            for bot in BOTS:
                region = rng.choice(regions[:3])
                tail = rng.choice(["", "!", " 👍", "!!"])
                post(
                    day,
                    "t.me/city_news_chat",
                    bot,
                    f"{SLOGAN}{tail} {REGIONS[region][1]['ru']}",
                    region,
                )
    return out


def _comment(
    rng: random.Random,
    pieces: dict[tuple[str, str, str, str], list[str]],
    theme: str,
    lang: str,
    tone: str,
    region: str,
) -> str | None:
    openings = pieces.get((theme, "open", lang, tone))
    if not openings:
        return None

    def fitting(piece: str, kind: str = "*") -> list[str]:
        return pieces.get((kind, piece, lang, tone), []) + pieces.get((kind, piece, lang, "-"), [])

    number = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 17, 20, 25, 30, 40]
    leads, contexts, details = fitting("lead"), fitting("context"), fitting("detail", theme)
    parts = [rng.choice(leads).format(n=rng.choice(number))] if leads and rng.random() < 0.6 else []
    parts.append(rng.choice(openings))
    if details and rng.random() < 0.75:
        parts.append(rng.choice(details).format(n=rng.choice(number)))
    for _ in range(rng.choice([0, 1, 1, 2]) if contexts else 0):
        parts.insert(rng.randint(1, len(parts)), rng.choice(contexts).format(n=rng.choice(number)))
    closings = fitting("close")
    if closings and rng.random() < 0.5:
        parts.append(rng.choice(closings))
    if rng.random() < 0.3:
        parts.append(REGIONS[region][1][lang])
    if len(parts) > 2 and rng.random() < 0.5:
        parts[-2], parts[-1] = parts[-1], parts[-2]
    return " ".join(parts)


def seed(settings: Settings, seed_value: int, as_of: date | None = None) -> dict[str, int]:
    """Import the demo season into this installation's listening store and place its posts in
    topics. A store that holds posts already is left as it is."""
    as_of = as_of or datetime.now(KZ_TZ).date()
    store = store_of(settings)
    if store.query("SELECT count(*) FROM posts"):
        return {"posts": 0, "copies": 0, "unchanged": 0, "topics": 0, "skipped": 1}
    done = actions.import_posts(store, posts(seed_value, as_of, actions.author_key(settings)))
    placed = actions.update_topics(store, settings.min_cell, as_of)
    return {
        "posts": done.inserted,
        "copies": done.duplicate,
        "unchanged": done.unchanged,
        "topics": len(placed.proposed),
    }
