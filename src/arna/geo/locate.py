"""Which district and region a point lies in, from the simplified boundaries.

The boundaries are simplified (about 1 km at district borders), so a point in a gap between
simplified polygons goes to the nearest district within `TOLERANCE_DEG`; farther than that it is
outside Kazakhstan.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import shapely
from shapely.geometry import Point, shape
from shapely.strtree import STRtree

from arna.geo.reference import Unit, boundaries, units

TOLERANCE_DEG = 0.05  # ~5 km: generous for simplified borders, far less than any district


@dataclass(frozen=True)
class Located:
    district: Unit | None
    region: Unit
    exact: bool  # False when the point fell in a gap and the nearest unit was taken


class _Layer:
    def __init__(self, level: int) -> None:
        geoms = boundaries(level)
        self.katos = list(geoms)
        self.shapes = [shape(geoms[k]) for k in self.katos]
        shapely.prepare(self.shapes)
        self.tree = STRtree(self.shapes)

    def containing(self, point: Point) -> str | None:
        for i in self.tree.query(point, predicate="intersects"):
            return self.katos[int(i)]
        return None

    def nearest(self, point: Point) -> str | None:
        i = self.tree.nearest(point)
        if i is None or self.shapes[int(i)].distance(point) > TOLERANCE_DEG:
            return None
        return self.katos[int(i)]


@cache
def _layer(level: int) -> _Layer:
    return _Layer(level)


def locate(lat: float, lon: float) -> Located | None:
    """The unit at a point (WGS84), or None outside Kazakhstan."""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError("latitude must be within -90..90 and longitude within -180..180")
    point = Point(lon, lat)
    table = units()
    exact = True
    district = _layer(2).containing(point)
    if district is None:
        exact = False
        district = _layer(2).nearest(point)
    if district is not None:
        unit = table[district]
        return Located(unit, table[unit.parent_kato or ""], exact)
    region = _layer(1).containing(point) or _layer(1).nearest(point)
    if region is None:
        return None
    return Located(None, table[region], False)


def centroid(kato: str) -> tuple[float, float] | None:
    """(lat, lon) of a representative point inside the unit's boundary."""
    unit = units()[kato]
    geoms = boundaries(2 if unit.level == 2 else 1)
    if kato not in geoms:
        return None
    point = shape(geoms[kato]).representative_point()
    return (round(point.y, 4), round(point.x, 4))
