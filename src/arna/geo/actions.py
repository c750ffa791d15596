"""The only writes of geo: loading the territorial units and aliases into the database."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from arna.core.sync import SyncCounts, sync_rows
from arna.geo.aliases import all_aliases
from arna.geo.locate import centroid
from arna.geo.models import KatoUnit, PlaceAlias
from arna.geo.reference import boundaries, units


def unit_rows() -> list[dict[str, Any]]:
    rows = []
    for unit in units().values():  # parents come before children
        geometry = boundaries(unit.level).get(unit.kato) if unit.level else None
        center = centroid(unit.kato) if geometry else None
        rows.append(
            {
                "kato": unit.kato,
                "parent_kato": unit.parent_kato,
                "level": unit.level,
                "unit_type": unit.unit_type,
                "iso_3166_2": unit.iso_3166_2,
                "name_kk": unit.name_kk,
                "name_ru": unit.name_ru,
                "name_en": unit.name_en,
                "valid_from": unit.valid_from,
                "valid_to": unit.valid_to,
                "population": unit.population,
                "population_date": unit.population_date,
                "center_lat": center[0] if center else None,
                "center_lon": center[1] if center else None,
                "boundary": json.dumps(geometry, separators=(",", ":")) if geometry else None,
            }
        )
    return rows


def sync_geo(session: Session) -> list[SyncCounts]:
    units_counts = sync_rows(session, KatoUnit, unit_rows(), key=["kato"])
    alias_rows = [
        {"kato": a.kato, "alias": a.text, "key": a.key, "lang": a.lang, "kind": a.kind}
        for a in all_aliases()
    ]
    alias_counts = sync_rows(session, PlaceAlias, alias_rows, key=["kato", "key"])
    return [units_counts, alias_counts]
