"""Choropleth maps: colour classes of a rate and the GeoJSON the pages' Leaflet maps draw.

Sequential blues (ColorBrewer): no appeals, then up to four quantile classes of the positive
rates; grey where there is no figure. Each place also carries where its label goes (the pole of
inaccessibility of its largest part, inside the shape even for a crescent) and a short name
for it ("Ақмола", "Акмолинская обл.", "Akmola"); a city of republican significance, a few
pixels wide at the scale of the country, is flagged `point` and drawn as a marked point.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from math import ceil
from typing import Any

from shapely.geometry import shape
from shapely.ops import polylabel

from arna.core import i18n

PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_DATA = "#cccccc"


@dataclass(frozen=True)
class MapPlace:
    """What a map shows of a place: its figures and the page it links to."""

    kato: str
    name: str
    url: str
    population: int | None
    appeals: int
    rate: float | None
    on_time_share: float | None
    point: bool = False  # drawn as a marked point too: a city too small to see at this scale


# The generic words of unit names, dropped (or shortened) on the map's labels; the popups and
# the pages keep the full names.
SHORTER = [
    (re.compile(r"\s+(облысы|қаласы|ауданы|Region|District)$"), ""),
    (re.compile(r"\s+\(city\)$"), ""),
    (re.compile(r"^город\s+|^г\.\s*"), ""),
    (re.compile(r"\bобласть\b"), "обл."),
    (re.compile(r"\bрайон\b"), "р-н"),
]


def short_name(name: str) -> str:
    """The name of a place as a map labels it: without "облысы", "Region", "город"…"""
    for pattern, replacement in SHORTER:
        name = pattern.sub(replacement, name)
    return name.strip() or name


@lru_cache(maxsize=512)
def label_point(geometry: str) -> tuple[float, float]:
    """Where a place's label goes (lat, lon): the point of its largest part farthest from its
    edges, so that the label of a crescent or a ring still falls inside it."""
    found = shape(json.loads(geometry))
    if found.geom_type == "MultiPolygon":
        found = max(found.geoms, key=lambda part: part.area)
    centre = polylabel(found, tolerance=0.01)
    return round(centre.y, 4), round(centre.x, 4)


@dataclass(frozen=True)
class Band:
    upper: float
    fill: str
    label: str


def bands(rates: list[float]) -> list[Band]:
    """Classes of the map: no appeals, then up to four quantile classes of the positive rates."""
    found = [Band(0.0, PALETTE[0], i18n.fmt_rate(0))] if any(r == 0 for r in rates) else []
    return found + _quantiles([r for r in rates if r > 0], i18n.fmt_rate)


def count_bands(counts: list[float]) -> list[Band]:
    """Classes of counts: none, then up to four quantile classes of the positive counts."""
    found = [Band(0.0, PALETTE[0], i18n.fmt_number(0))] if any(c == 0 for c in counts) else []
    return found + _quantiles([c for c in counts if c > 0], lambda c: i18n.fmt_number(int(c)))


def share_bands(values: list[float]) -> list[Band]:
    """Up to four quantile classes of shares (0…1), labelled as percentages."""
    return _quantiles(values, i18n.fmt_share)


def _quantiles(values: list[float], label_of: Callable[[float], str]) -> list[Band]:
    """Up to four classes of `values` by their quantiles, shaded from light to dark."""
    ordered = sorted(values)
    if not ordered:
        return []
    k = min(4, len(set(ordered)))
    uppers = sorted({ordered[ceil(i * len(ordered) / k) - 1] for i in range(1, k + 1)})
    found = []
    lower = ordered[0]
    for j, upper in enumerate(uppers):
        shade = PALETTE[1 + j * 3 // max(len(uppers) - 1, 1)] if len(uppers) > 1 else PALETTE[3]
        low, high = label_of(lower), label_of(upper)
        label = high if low == high else f"{low}–{high}"  # "74 %", not "74 %–74 %"
        found.append(Band(upper, shade, label))
        lower = upper
    return found


def fill(rate: float | None, classes: list[Band]) -> str:
    if rate is None:
        return NO_DATA
    for band in classes:
        if rate <= band.upper:
            return band.fill
    return classes[-1].fill if classes else NO_DATA


def feature_collection(places: list[MapPlace], shapes: dict[str, str]) -> dict[str, Any]:
    """GeoJSON of the places that have a shape (GeoJSON text by KATO code), their figures in the
    properties, and the legend of the classes."""
    classes = bands([p.rate for p in places if p.rate is not None])
    features = [
        _feature(
            p.kato, p.name, p.url, p.point, fill(p.rate, classes), shapes[p.kato],
            {
                "population": p.population,
                "appeals": p.appeals,
                "rate": p.rate,
                "on_time_share": p.on_time_share,
                "appeals_text": i18n.fmt_number(p.appeals),
                "rate_text": i18n.fmt_rate(p.rate),
                "on_time_text": i18n.fmt_share(p.on_time_share),
            },
        )
        for p in places
        if p.kato in shapes
    ]  # fmt: skip
    return {"type": "FeatureCollection", "legend": _legend(classes), "features": features}


def _feature(
    kato: str, name: str, url: str, point: bool, shade: str, shape: str, figures: dict[str, Any]
) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": json.loads(shape),
        "properties": {
            "kato": kato,
            "name": name,
            "url": url,
            "label": short_name(name),
            "label_at": label_point(shape),
            "point": point,
            "fill": shade,
        }
        | figures,
    }


def _legend(classes: list[Band]) -> list[dict[str, str]]:
    legend = [{"fill": b.fill, "label": b.label} for b in classes]
    legend.append({"fill": NO_DATA, "label": i18n.gettext_("No data")})
    return legend


@dataclass(frozen=True)
class MapFigure:
    """A place on a map of any figure: the value that colours it and the lines of its popup
    (label, text already formatted in the page's language)."""

    kato: str
    name: str
    url: str
    value: float | None
    lines: tuple[tuple[str, str], ...]
    point: bool = False


def figure_collection(
    places: list[MapFigure], shapes: dict[str, str], classes: list[Band], title: str
) -> dict[str, Any]:
    """GeoJSON of the places that have a shape, coloured by `classes`, with popup lines and
    the legend (titled `title`)."""
    features = [
        _feature(
            p.kato, p.name, p.url, p.point, fill(p.value, classes), shapes[p.kato],
            {"lines": [list(line) for line in p.lines]},
        )
        for p in places
        if p.kato in shapes
    ]  # fmt: skip
    return {
        "type": "FeatureCollection",
        "legend": _legend(classes),
        "legend_title": title,
        "features": features,
    }
