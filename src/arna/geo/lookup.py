"""Finding places in free text: "Алматыда", "в Шымкенте", "Есіл ауданы, СҚО", "Aqtöbe".

Every alias is matched as a phrase of words; a text word matches an alias word when it is that
word inflected (keys.word_matches). Overlapping matches are resolved longest-first. A name shared
by several units goes to the most likely one: a unit named with its type word ("Ақтөбе облысы")
is that unit; a bare name prefers a region mentioned elsewhere in the text, then current names
over old ones, then cities over regions over districts (people call cities by bare names and
regions and districts with the type word), then population.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache

from arna.geo.aliases import Alias, all_aliases
from arna.geo.keys import MIN_STEM, Token, stem, tokens, word_key, word_matches, written_words
from arna.geo.reference import Unit, units

# Folded stems of everyday words that inflect into the shape of a place name.
_EVERYDAY_STEMS = ("koshe",)
_BARE_RANK = {
    "city_republican_significance": 5,
    "city_oblast_significance": 4,
    "oblast": 3,
    "district": 2,
    "city_district": 1,
    "country": 0,
}


@dataclass(frozen=True)
class PlaceMatch:
    unit: Unit
    start: int
    end: int
    text: str
    alias: Alias
    alternatives: tuple[str, ...]  # KATO of other units the same words could mean

    def as_dict(self) -> dict[str, object]:
        u = self.unit
        return {
            "kato": u.kato,
            "name": u.name_en,
            "name_kk": u.name_kk,
            "name_ru": u.name_ru,
            "name_en": u.name_en,
            "unit_type": u.unit_type,
            "level": u.level,
            "region_kato": u.region_kato,
            "span": [self.start, self.end],
            "matched": self.text,
            "alias": self.alias.text,
            "alternatives": list(self.alternatives),
        }


class _Index:
    def __init__(self, aliases: list[Alias]) -> None:
        self.by_prefix: dict[str, list[tuple[tuple[str, ...], Alias]]] = defaultdict(list)
        for alias in aliases:
            words = tuple(alias.key.split())
            self.by_prefix[self._prefix(words[0])].append((words, alias))

    @staticmethod
    def _prefix(key: str) -> str:
        return stem(key)[:MIN_STEM] if len(key) >= MIN_STEM else key

    def candidates(self, toks: list[Token], i: int) -> list[tuple[int, Alias]]:
        """(number of words, alias) for every alias matching the text from word i."""
        out = []
        for words, alias in self.starting_with(toks[i].key):
            n = len(words)
            if i + n <= len(toks) and all(
                word_matches(words[k], toks[i + k].key) for k in range(1, n)
            ):
                out.append((n, alias))
        return out

    @lru_cache(maxsize=100_000)  # noqa: B019  (one index per process, never collected)
    def starting_with(self, word: str) -> tuple[tuple[tuple[str, ...], Alias], ...]:
        """Aliases whose first word this text word can be (inflection allowed)."""
        found = []
        for prefix in {word[:MIN_STEM], word}:
            for words, alias in self.by_prefix.get(prefix, ()):
                if word_matches(words[0], word):
                    found.append((words, alias))
        return tuple(found)


@cache
def _index() -> _Index:
    return _Index(all_aliases())


@lru_cache(maxsize=100_000)
def _may_start(word: str) -> bool:
    """Can this word, as written, be the first word of some alias? Most words cannot."""
    key = word_key(word)
    if not key:
        return False
    index = _index()
    if key[:MIN_STEM] not in index.by_prefix and key not in index.by_prefix:
        return False  # settled without filling starting_with's cache
    return bool(index.starting_with(key))


def _score(alias: Alias, unit: Unit, regions_in_text: set[str]) -> tuple[int, ...]:
    typed = alias.kind == "typed"
    in_context = unit.region_kato in regions_in_text and unit.level == 2
    return (
        int(typed),
        int(in_context),
        int(alias.kind != "old"),
        _BARE_RANK[unit.unit_type],
        unit.population or 0,
    )


def find_all(text: str) -> list[PlaceMatch]:
    """Every place named in the text, in order, without overlaps."""
    # Most texts name no place: one cached test per word settles them without building tokens.
    if not any(map(_may_start, written_words(text))):
        return []
    toks = tokens(text)
    index = _index()
    table = units()
    spans: list[tuple[int, int, list[Alias]]] = []  # (first word, words, aliases)
    i = 0
    for start in [k for k, t in enumerate(toks) if index.starting_with(t.key)]:
        if start < i:
            continue  # inside the previous match
        i = start
        found = index.candidates(toks, i)
        if found and toks[i].key.startswith(_EVERYDAY_STEMS):
            # "көшеде" (in the street) folds to the same stem as Қосшы: a bare one-word name
            # never matches an everyday word; a typed name ("Қосшы қаласы") still does.
            found = [(n, a) for n, a in found if n > 1 or a.kind != "name"]
        if not found:
            continue
        longest = max(n for n, _ in found)
        aliases = [a for n, a in found if n == longest]
        spans.append((i, longest, aliases))
        i += longest
    pools = [(first, n, aliases, _typed_first(aliases)) for first, n, aliases in spans]
    # Words that can only mean places of one region ("Ақмола облысы", "Шымкентте") steer the
    # choice between same-named districts elsewhere in the text ("Есіл ауданы").
    named_region: list[str | None] = []
    for _, _, _, pool in pools:
        regions = {table[a.kato].region_kato for a in pool}
        named_region.append(regions.pop() if len(regions) == 1 else None)
    matches = []
    for i, (first, n, aliases, pool) in enumerate(pools):
        context = {r for j, r in enumerate(named_region) if j != i and r is not None}
        best = max(pool, key=lambda a: _score(a, table[a.kato], context))
        start, end = toks[first].start, toks[first + n - 1].end
        others = tuple(sorted({a.kato for a in aliases} - {best.kato}))
        matches.append(PlaceMatch(table[best.kato], start, end, text[start:end], best, others))
    return matches


def _typed_first(aliases: list[Alias]) -> list[Alias]:
    """When some of the words' meanings carry the type word ("облысы"), only those count."""
    typed = [a for a in aliases if a.typed]
    return typed or aliases


def find(text: str) -> PlaceMatch | None:
    """The most specific place in the text (a district beats its region; first wins on a tie)."""
    everything = find_all(text)
    matches = [m for m in everything if m.unit.level > 0] or everything
    if not matches:
        return None
    return max(matches, key=lambda m: (m.unit.level, -m.start))
