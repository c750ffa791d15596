"""State bodies built from the bundled data: central bodies, committees and, generated for every
territorial unit, akimats, maslikhats and the regional departments of central bodies."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from arna.core.hierarchy import lineage
from arna.geo.reference import Unit, units

# kz_central_bodies.csv `body_kind` -> Arna's body kind (kz_body_types.csv + a few national ones)
_CENTRAL_KIND = {
    "ministry": "central_ministry",
    "agency": "central_agency",
    "law_enforcement": "central_agency",
    "oversight": "oversight_body",
    "ombudsman": "ombudsman",
    "electoral": "electoral_commission",
    "central_bank": "central_bank",
    "quasi_state": "quasi_state_org",
}
_SUBORDINATION_PARENT = {
    "government": "government",
    "president": "presidential_administration",
    "national_bank": "nbk",
    "constitutional": None,
}
# Kinds that are not in kz_body_types.csv: the tops of the hierarchy and bodies of their own kind.
EXTRA_KINDS = {
    "government": ("republican", "Үкімет", "Правительство", "Government"),
    "presidential_administration": (
        "republican",
        "Президент Әкімшілігі",
        "Администрация Президента",
        "Presidential Administration",
    ),
    "oversight_body": ("republican", "бақылау органы", "орган контроля", "oversight body"),
    "ombudsman": ("republican", "уәкіл", "уполномоченный", "ombudsman"),
    "electoral_commission": (
        "republican",
        "сайлау комиссиясы",
        "избирательная комиссия",
        "election commission",
    ),
    "central_bank": ("republican", "ұлттық банк", "национальный банк", "central bank"),
}


@dataclass(frozen=True)
class BodyKind:
    id: str
    level: str
    name_kk: str
    name_ru: str
    name_en: str


@dataclass(frozen=True)
class BodyRow:
    id: str
    kind: str
    parent_id: str | None
    kato: str | None  # jurisdiction; None = the whole republic
    central_id: str | None  # for regional departments: the central body or committee they serve
    name_kk: str
    name_ru: str
    name_en: str
    valid_from: date | None
    valid_to: date | None
    origin: str  # data file or "generated"

    def name(self, lang: str) -> str:
        return {"kk": self.name_kk, "ru": self.name_ru}.get(lang, self.name_en)


def _rows(name: str) -> list[dict[str, str]]:
    with resources.files("arna.bodies").joinpath("data", name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


@cache
def body_kinds() -> dict[str, BodyKind]:
    kinds = {
        r["body_type"]: BodyKind(
            r["body_type"], r["level"], r["name_kk"], r["name_ru"], r["name_en"]
        )
        for r in _rows("body_kinds.csv")
    }
    for kind, (level, kk, ru, en) in EXTRA_KINDS.items():
        kinds[kind] = BodyKind(kind, level, kk, ru, en)
    return kinds


def ru_case(unit: Unit, case: str) -> str:
    """Russian genitive ("gen") or dative ("dat") of a region's name, for generated names."""
    name = unit.name_ru
    if name.endswith("ская область"):
        return name.removesuffix("ская область") + "ской области"
    if name.startswith("область "):
        return "области " + name.removeprefix("область ")
    if name.startswith("город "):
        return ("города " if case == "gen" else "городу ") + name.removeprefix("город ")
    return name


def _akimat_names(unit: Unit) -> tuple[str, str, str]:
    kk, ru, en = unit.name_kk, unit.name_ru, unit.name_en.replace(" (city)", "")
    if unit.unit_type == "oblast":
        return (f"{kk} әкімдігі", f"Акимат {ru_case(unit, 'gen')}", f"Akimat of {unit.name_en}")
    if unit.unit_type == "city_republican_significance":
        return (f"{kk} әкімдігі", f"Акимат {ru_case(unit, 'gen')}", f"Akimat of {en} city")
    if unit.unit_type == "city_oblast_significance":
        return (f"{kk} қаласының әкімдігі", f"Акимат города {ru}", f"Akimat of {en} city")
    parent = units()[unit.parent_kato or ""]
    if unit.unit_type == "city_district":
        city_ru = parent.name_ru.removeprefix("город ")
        return (
            f"{parent.name_kk} {kk} ауданының әкімдігі",
            f"Акимат {_ru_district_gen(ru)} района города {city_ru}",
            f"Akimat of {en} district, {parent.name_en.replace(' (city)', ' city')}",
        )
    return (
        f"{parent.name_kk} {kk} ауданының әкімдігі",
        f"Акимат {_ru_district_gen(ru)} района {ru_case(parent, 'gen')}",
        f"Akimat of {en} district, {parent.name_en}",
    )


def _maslikhat_names(unit: Unit) -> tuple[str, str, str]:
    kk_akimat, ru_akimat, en_akimat = _akimat_names(unit)
    return (
        kk_akimat.replace("әкімдігі", "мәслихаты"),
        ru_akimat.replace("Акимат", "Маслихат", 1),
        en_akimat.replace("Akimat", "Maslikhat", 1),
    )


def _ru_district_gen(adjective: str) -> str:
    """Абайский -> Абайского, Бурабай -> Бурабай (non-adjectival names do not decline here)."""
    for ending, replacement in (("ский", "ского"), ("цкий", "цкого"), ("ной", "ного")):
        if adjective.endswith(ending):
            return adjective.removesuffix(ending) + replacement
    return adjective


def akimat_id(kato: str) -> str:
    return f"akimat-{kato}"


def maslikhat_id(kato: str) -> str:
    return f"maslikhat-{kato}"


def department_id(central_id: str, kato: str) -> str:
    return f"{central_id}-{kato}"


_AKIMAT_KIND = {
    "oblast": "oblast_akimat",
    "city_republican_significance": "city_rs_akimat",
    "city_oblast_significance": "district_akimat",
    "district": "district_akimat",
    "city_district": "city_district_akimat",
}


@cache
def bodies() -> dict[str, BodyRow]:
    out: dict[str, BodyRow] = {}

    def add(row: BodyRow) -> None:
        if row.id in out:
            raise ValueError(f"duplicate body id {row.id}")
        out[row.id] = row

    for r in _rows("committees.csv"):
        add(
            BodyRow(
                r["id"],
                r["kind"],
                r["parent_id"] or None,
                None,
                None,
                r["name_kk"],
                r["name_ru"],
                r["name_en"],
                _date(r["valid_from"]),
                _date(r["valid_to"]),
                "committees.csv",
            )
        )
    for r in _rows("central_bodies.csv"):
        kind = "prosecutor_office" if r["id"] == "prosecutor" else _CENTRAL_KIND[r["body_kind"]]
        add(
            BodyRow(
                r["id"],
                kind,
                _SUBORDINATION_PARENT[r["subordination"]],
                None,
                None,
                r["name_kk"],
                r["name_ru"],
                r["name_en"],
                _since(r["since_or_change"]),
                None,
                "central_bodies.csv",
            )
        )
    templates = _rows("territorial_departments.csv")
    for unit in units().values():
        if unit.level == 0:
            continue

        parent_akimat = "government" if unit.level == 1 else akimat_id(unit.parent_kato or "")
        add(_local_body(unit, akimat_id(unit.kato), _AKIMAT_KIND[unit.unit_type], parent_akimat,
                        _akimat_names(unit)))  # fmt: skip
        if unit.unit_type != "city_district":  # city districts have no maslikhat of their own
            parent = None if unit.level == 1 else maslikhat_id(unit.parent_kato or "")
            add(_local_body(unit, maslikhat_id(unit.kato), "maslikhat", parent,
                            _maslikhat_names(unit)))  # fmt: skip
        if unit.level == 1:
            for t in templates:
                fill = {
                    "kk": unit.name_kk,
                    "ru_gen": ru_case(unit, "gen"),
                    "ru_dat": ru_case(unit, "dat"),
                    "en": unit.name_en.replace(" (city)", " city"),
                }
                add(
                    BodyRow(
                        department_id(t["central_id"], unit.kato),
                        t["kind"],
                        t["central_id"],
                        unit.kato,
                        t["central_id"],
                        t["name_kk"].format(**fill),
                        t["name_ru"].format(**fill),
                        t["name_en"].format(**fill),
                        unit.valid_from,
                        unit.valid_to,
                        "generated",
                    )
                )
    return out


def _local_body(
    unit: Unit, body_id: str, kind: str, parent: str | None, names: tuple[str, str, str]
) -> BodyRow:
    kk, ru, en = names
    return BodyRow(body_id, kind, parent, unit.kato, None, kk, ru, en, unit.valid_from,
                   unit.valid_to, "generated")  # fmt: skip


def _since(note: str) -> date | None:
    """'created 2023-09 from ...' -> 2023-09-01; other notes carry no start date."""
    words = note.split()
    if len(words) >= 2 and words[0] == "created" and len(words[1]) == 7 and words[1][4] == "-":
        return date.fromisoformat(words[1] + "-01")
    return None


def parent_chain(body_id: str) -> list[BodyRow]:
    """The body and every body above it (the escalation path), top last."""
    table = bodies()
    return lineage(table[body_id], lambda b: table[b.parent_id] if b.parent_id else None)
