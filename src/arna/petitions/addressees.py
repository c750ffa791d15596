"""Who a petition may be addressed to, and the threshold each would apply today: the bodies of
the reference data joined with the territory they serve and its population (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from arna.bodies.reference import BodyRow, bodies
from arna.geo.reference import units
from arna.petitions.rules import Threshold, threshold_for


@dataclass(frozen=True)
class Addressee:
    body: BodyRow
    rule: Threshold
    threshold: int
    region_kato: str | None


def addressee(body_id: str, day: date) -> Addressee | None:
    """The body with its threshold on `day`; None when no petition can be addressed to it."""
    body = bodies().get(body_id)
    if body is None or not _in_force(body, day):
        return None
    unit = units().get(body.kato) if body.kato else None
    found = threshold_for(
        body.kind, unit.unit_type if unit else None, unit.population if unit else None, day
    )
    if found is None:
        return None
    rule, needed = found
    return Addressee(body, rule, needed, unit.region_kato if unit else None)


def _in_force(body: BodyRow, day: date) -> bool:
    return (body.valid_from is None or body.valid_from <= day) and (
        body.valid_to is None or day <= body.valid_to
    )


def addressees(day: date) -> list[Addressee]:
    """Every body a petition may be addressed to on `day`, the Government first."""
    found = (addressee(body_id, day) for body_id in bodies())
    return sorted(
        (a for a in found if a is not None),
        key=lambda a: (a.body.kato is not None, a.body.kato or "", a.body.kind),
    )
