"""Every way a unit is written: official names, short forms with and without the type word,
other scripts and old names. Keys are built by `keys.phrase_key`, so one alias covers Cyrillic,
Kazakh Latin, ASCII and Russian transliteration alike."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from arna.geo.keys import fold, phrase_key
from arna.geo.reference import Unit, units

# Type words by unit kind, in their dictionary form (inflected forms match through keys.ENDINGS).
REGION_WORDS = {"kk": "облысы", "ru": "область", "en": "Region"}
CITY_WORDS = {"kk": "қаласы", "ru": "город", "en": "city"}
DISTRICT_WORDS = {"kk": "ауданы", "ru": "район", "en": "district"}
_KIND_OF_TYPE = {
    "country": "country",
    "oblast": "region",
    "city_republican_significance": "city",
    "city_oblast_significance": "city",
    "district": "district",
    "city_district": "district",
}
# Bare names that are everyday words ("май" is May, "шет" abroad): only found with a type word.
BARE_STOPLIST = {fold(w) for w in ("Май", "Шет", "Темір", "Ұлан", "Қазақстан", "Жақсы", "Ұйғыр")}
_PARENS = re.compile(r"\s*\(([^)]*)\)")


@dataclass(frozen=True)
class Alias:
    kato: str
    text: str
    key: str
    lang: str
    kind: str  # name (bare name) | typed (with a type word) | old (former or unofficial name)

    @property
    def typed(self) -> bool:
        return self.kind == "typed"


def type_of(unit: Unit) -> str:
    return _KIND_OF_TYPE[unit.unit_type]


def _strip(name: str, words: tuple[str, ...]) -> str:
    out = name
    for word in words:
        out = re.sub(rf"(?i)(^|\s){re.escape(word)}(\s|$)", " ", out)
    return " ".join(out.split())


def _variants(name: str) -> list[str]:
    """'Jetisu (Zhetysu) Region' -> ['Jetisu Region', 'Zhetysu Region']; '(city)' is dropped."""
    inner = _PARENS.findall(name)
    plain = _PARENS.sub("", name).strip()
    out = [plain]
    for alt in inner:
        if alt.lower() != "city":
            out.append(plain.replace(plain.split()[0], alt, 1))
    return out


def _unit_aliases(unit: Unit) -> list[tuple[str, str, str]]:
    """(text, lang, kind) for one unit, generated from its official names."""
    out: list[tuple[str, str, str]] = []
    kind = type_of(unit)
    if kind == "country":
        return [
            (unit.name_kk, "kk", "typed"),
            (unit.name_ru, "ru", "typed"),
            (unit.name_en, "en", "typed"),
            ("Қазақстан", "kk", "name"),
            ("Казахстан", "ru", "name"),
            ("Kazakhstan", "en", "name"),
        ]
    names = {"kk": [unit.name_kk], "ru": [unit.name_ru], "en": _variants(unit.name_en)}
    if unit.name_ru_alt:
        names["ru"].append(unit.name_ru_alt)
    type_words = {"region": REGION_WORDS, "city": CITY_WORDS, "district": DISTRICT_WORDS}[kind]
    for lang, forms in names.items():
        for form in forms:
            base = _strip(
                form, ("облысы", "область", "Region", "қаласы", "город", "ауданы", "район", "city")
            )
            has_type_word = base != form
            if has_type_word:
                out.append((form, lang, "typed"))
            adjective = lang == "ru" and re.search(r"(ский|ская|цкий|цкая)$", base)
            if adjective:
                # "Абайский" alone is rarely a place; "Абайский район" is.
                out.append((f"{base} {type_words['ru']}", lang, "typed"))
                continue
            out.append((base, lang, "name"))
            word = type_words[lang]
            typed = f"{word} {base}" if lang == "ru" and kind != "district" else f"{base} {word}"
            out.append((typed, lang, "typed"))
            if lang == "en":
                out.append(
                    (
                        f"{base} {dict(region='oblast', city='qalasy', district='audany')[kind]}",
                        "kk-latn",
                        "typed",
                    )
                )
    return out


@cache
def all_aliases() -> list[Alias]:
    seen: set[tuple[str, str]] = set()
    result: list[Alias] = []

    def add(kato: str, text: str, lang: str, kind: str) -> None:
        key = phrase_key(text)
        if not key or (kato, key) in seen:
            return
        if kind == "name" and key in BARE_STOPLIST:
            return
        seen.add((kato, key))
        result.append(Alias(kato, text, key, lang, kind))

    for unit in units().values():
        for text, lang, kind in _unit_aliases(unit):
            add(unit.kato, text, lang, kind)
    with resources.files("arna.geo").joinpath("data", "aliases.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            add(row["kato"], row["alias"], row["lang"], row["kind"])
    return result
