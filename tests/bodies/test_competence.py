from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from arna.bodies.competence import categories, route
from arna.bodies.reference import bodies
from arna.cli import app
from arna.core.errors import NotFound, ValidationFailed
from arna.geo.reference import units

runner = CliRunner()
TOPS = {"government", "presidential_administration", "parliament", "kurultai", "prosecutor",
        "ombudsman_hr", "cec", "nbk", "audit_chamber"}  # fmt: skip


def test_local_roads_in_a_district_go_to_the_district_akimat() -> None:
    decided = route("roads_local", "103200000")  # Abay district, Abai Region
    assert decided.body.id == "akimat-103200000"
    assert decided.body.kind == "district_akimat"
    assert [b.id for b in decided.chain] == ["akimat-103200000", "akimat-100000000", "government"]


def test_local_roads_in_a_city_of_oblast_significance() -> None:
    decided = route("roads_local", "101800000")  # Kurchatov city
    assert decided.body.id == "akimat-101800000"


def test_local_roads_in_a_district_of_almaty_go_to_the_city_akimat() -> None:
    decided = route("roads_local", "751110000")  # Almaly district of Almaty
    assert decided.body.id == "akimat-750000000"
    assert decided.body.kind == "city_rs_akimat"


def test_a_republican_highway_goes_to_the_ministry_of_transport_side() -> None:
    decided = route("roads_republican", "103200000")
    assert decided.body.id == "transport_roads"
    assert [b.id for b in decided.chain] == ["transport_roads", "transport", "government"]


def test_police_goes_to_the_regional_police_department() -> None:
    decided = route("police_public_order", "751110000")
    assert decided.body.id == "mvd-750000000"
    assert [b.id for b in decided.chain][1:] == ["mvd", "government"]


def test_parliament_changes_on_1_july_2026() -> None:
    assert route("deputies", "750000000", date(2026, 6, 30)).body.id == "parliament"
    assert route("deputies", "750000000", date(2026, 7, 1)).body.id == "kurultai"


def test_every_category_routes_everywhere_up_to_a_national_top() -> None:
    for category in categories():
        for kato in units():
            rule = categories()[category]
            if kato == "000000000" and rule.central_id is None and rule.lowest_level != "national":
                with pytest.raises(ValidationFailed, match="region or district"):
                    route(category, kato)
                continue
            decided = route(category, kato, date(2026, 11, 28))
            assert decided.chain[0] is decided.body
            assert decided.chain[-1].id in TOPS, (category, kato, decided.chain[-1].id)
            if decided.body.kato is not None:  # a local body serves the place or a unit above
                assert kato.startswith(decided.body.kato[:2]) or kato == "000000000"


def test_body_names_exist_in_three_languages_and_parents_resolve() -> None:
    table = bodies()
    for body in table.values():
        assert body.name_kk and body.name_ru and body.name_en, body.id
        assert body.parent_id is None or body.parent_id in table


def test_unknown_inputs_are_clear_errors() -> None:
    with pytest.raises(NotFound, match="unknown category"):
        route("potholes", "103200000")
    with pytest.raises(ValidationFailed, match="9-digit"):
        route("roads_local", "12")


def test_cli_route_json_shows_body_and_chain() -> None:
    result = runner.invoke(
        app, ["route", "--category", "roads_local", "--kato", "103200000", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["body"]["id"] == "akimat-103200000"
    assert [b["id"] for b in data["chain"]] == ["akimat-100000000", "government"]
    assert "245-II" in data["basis"]


def test_cli_route_unknown_category_exits_2() -> None:
    result = runner.invoke(app, ["route", "--category", "nope", "--kato", "103200000"])
    assert result.exit_code == 2
    assert "unknown category" in result.stderr
