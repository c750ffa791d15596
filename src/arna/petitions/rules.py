"""The rules of petitions as reference data (`data/*.csv`): thresholds by addressee with their
legal basis and validity dates, the terms (co-signers, moderation, collection, response) and the
public reason codes of moderation. Pure: plain data in, plain data out."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

CENTRAL_KINDS = frozenset({"government"})


@dataclass(frozen=True)
class Threshold:
    id: str
    addressee_kind: str
    unit_types: frozenset[str]
    min_population: int | None
    rule: str  # signatures | population_share
    value: float
    basis: str
    valid_from: date | None
    valid_to: date | None

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def applies(self, kind: str, unit_type: str | None, population: int | None) -> bool:
        if kind != self.addressee_kind:
            return False
        if self.unit_types and unit_type not in self.unit_types:
            return False
        return self.min_population is None or (population or 0) >= self.min_population

    def signatures(self, population: int | None) -> int | None:
        """The number of signatures this rule asks for; None when it needs an unknown
        population."""
        if self.rule == "signatures":
            return int(self.value)
        if population is None:
            return None
        return math.ceil(population * self.value)


@dataclass(frozen=True)
class Term:
    term: str
    value: int
    unit: str  # people | working_days | months
    basis: str


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("arna.petitions").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


@lru_cache(maxsize=1)
def thresholds() -> tuple[Threshold, ...]:
    return tuple(
        Threshold(
            r["id"],
            r["addressee_kind"],
            frozenset(t for t in r["unit_types"].split("|") if t),
            int(r["min_population"]) if r["min_population"] else None,
            r["rule"],
            float(r["value"]),
            r["basis"],
            _day(r["valid_from"]),
            _day(r["valid_to"]),
        )
        for r in _rows("thresholds.csv")
    )


@lru_cache(maxsize=1)
def _terms() -> dict[str, Term]:
    return {
        r["term"]: Term(r["term"], int(r["value"]), r["unit"], r["basis"])
        for r in _rows("terms.csv")
        if not r["valid_to"]
    }


def term(name: str) -> int:
    return _terms()[name].value


def terms() -> list[Term]:
    return list(_terms().values())


@lru_cache(maxsize=1)
def reason_codes() -> dict[str, str]:
    """Moderation's public reason codes, each with the rule it stands for."""
    return {r["code"]: r["basis"] for r in _rows("reasons.csv")}


def threshold_for(
    kind: str, unit_type: str | None, population: int | None, day: date
) -> tuple[Threshold, int] | None:
    """The rule in force on `day` for an addressee of this kind over a unit of this type and
    population, and the signatures it asks for; None: not an addressee of petitions."""
    for rule in thresholds():
        if rule.valid_on(day) and rule.applies(kind, unit_type, population):
            needed = rule.signatures(population)
            if needed is not None:
                return rule, needed
    return None


def response_days(kind: str) -> int:
    return term("response_central" if kind in CENTRAL_KINDS else "response_local")


def shown_name(first_name: str, last_name: str) -> str:
    """How a signer or an author appears in public: first name and the initial of the last."""
    first = " ".join(first_name.split())
    last = last_name.strip()
    return f"{first} {last[0].upper()}." if last else first
