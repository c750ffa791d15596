from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from arna.cli import app
from arna.geo.locate import centroid, locate
from arna.geo.reference import units

runner = CliRunner()


@pytest.mark.parametrize(
    ("lat", "lon", "district", "region"),
    [
        (43.238, 76.889, "751110000", "750000000"),  # Almaty, Almaly district
        (51.128, 71.430, "711210000", "710000000"),  # Astana, Esil district
        (50.411, 80.227, "101000000", "100000000"),  # Semey
        (43.650, 51.170, "471000000", "470000000"),  # Aktau
        (47.800, 67.700, None, "620000000"),  # the Ulytau steppe
    ],
)
def test_points_land_in_their_units(
    lat: float, lon: float, district: str | None, region: str
) -> None:
    found = locate(lat, lon)
    assert found is not None
    assert found.region.kato == region
    if district:
        assert found.district is not None and found.district.kato == district


def test_every_district_contains_its_own_inner_point() -> None:
    for unit in units().values():
        if unit.level != 2:
            continue
        point = centroid(unit.kato)
        assert point is not None, unit.kato
        found = locate(*point)
        assert found is not None and found.district is not None
        assert found.district.kato == unit.kato, unit.name_en


@pytest.mark.parametrize(("lat", "lon"), [(55.75, 37.62), (0.0, 0.0), (39.9, 116.4)])
def test_points_abroad(lat: float, lon: float) -> None:
    assert locate(lat, lon) is None


def test_out_of_range_coordinates_are_rejected() -> None:
    with pytest.raises(ValueError, match="latitude"):
        locate(91, 0)


def test_cli_at_json() -> None:
    result = runner.invoke(app, ["geo", "at", "43.238", "76.889", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["district"]["kato"] == "751110000"
    assert data["region"]["kato"] == "750000000"


def test_cli_at_abroad_exits_1() -> None:
    result = runner.invoke(app, ["geo", "at", "55.75", "37.62"])
    assert result.exit_code == 1
