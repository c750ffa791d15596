"""`arna geo …`: find places named in text, name the units at a point."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from arna.core.console import JsonOpt, err, out, print_json

geo_app = typer.Typer(
    help="Territorial units: find places in text, locate points.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(geo_app, name="geo")


def _unit_line(d: dict[str, Any]) -> str:
    return f"{d['kato']}  {d['name_kk']} / {d['name_ru']} / {d['name_en']}  ({d['unit_type']})"


@geo_app.command("find")
def geo_find(
    text: Annotated[str, typer.Argument(help="Free text naming a place, in kk, ru or en.")],
    show_all: Annotated[bool, typer.Option("--all", help="Every place in the text.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Find the place a text names (exit 1 when none)."""
    from arna.geo.lookup import find, find_all

    matches = find_all(text) if show_all else [m for m in [find(text)] if m]
    if as_json:
        print_json(
            [m.as_dict() for m in matches]
            if show_all
            else (matches[0].as_dict() if matches else None)
        )
    else:
        for m in matches:
            out.print(_unit_line(m.as_dict()) + f'  ← "{m.text}"')
    if not matches:
        if not as_json:
            err.print("no place found")
        raise typer.Exit(1)


@geo_app.command("at")
def geo_at(
    lat: Annotated[float, typer.Argument(help="Latitude (WGS84).")],
    lon: Annotated[float, typer.Argument(help="Longitude (WGS84).")],
    as_json: JsonOpt = False,
) -> None:
    """Name the district and region at a point (exit 1 outside Kazakhstan)."""
    from arna.geo.locate import locate

    try:
        found = locate(lat, lon)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    if found is None:
        if as_json:
            print_json(None)
        else:
            err.print(f"{lat}, {lon} is outside Kazakhstan")
        raise typer.Exit(1)
    units = [u for u in (found.district, found.region) if u is not None]
    if as_json:
        print_json(
            {
                "lat": lat,
                "lon": lon,
                "exact": found.exact,
                "district": _unit_dict(found.district) if found.district else None,
                "region": _unit_dict(found.region),
            }
        )
        return
    for unit in units:
        out.print(_unit_line(_unit_dict(unit)))


def _unit_dict(unit: Any) -> dict[str, Any]:
    return {
        "kato": unit.kato,
        "name_kk": unit.name_kk,
        "name_ru": unit.name_ru,
        "name_en": unit.name_en,
        "unit_type": unit.unit_type,
        "level": unit.level,
        "parent_kato": unit.parent_kato,
    }
