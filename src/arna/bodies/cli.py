"""`arna route`: the competent body for a problem at a place."""

from __future__ import annotations

from typing import Annotated

import typer

from arna.core.console import JsonOpt, fail, out, parse_date, print_json


def register(app: typer.Typer) -> None:
    app.command("route")(route_cmd)


def route_cmd(
    category: Annotated[str, typer.Option(help="Appeal category id, e.g. roads_local.")],
    kato: Annotated[str, typer.Option(help="9-digit KATO code of the place.")],
    on: Annotated[str | None, typer.Option(help="Date of the appeal (default today).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Print the competent body for a category of problem at a place, and the bodies above it."""
    from arna.bodies.competence import route
    from arna.core.errors import ArnaError

    try:
        decided = route(category, kato, parse_date(on) if on else None)
    except ArnaError as exc:
        fail(exc.message, 2)
    body = {
        "id": decided.body.id,
        "kind": decided.body.kind,
        "name_kk": decided.body.name_kk,
        "name_ru": decided.body.name_ru,
        "name_en": decided.body.name_en,
        "kato": decided.body.kato,
    }
    chain = [
        {
            "id": b.id,
            "kind": b.kind,
            "name_en": b.name_en,
            "name_ru": b.name_ru,
            "name_kk": b.name_kk,
            "kato": b.kato,
        }
        for b in decided.chain[1:]
    ]
    if as_json:
        print_json(
            {
                "category": category,
                "kato": kato,
                "place": decided.place.name_en,
                "body": body,
                "chain": chain,
                "reason": decided.reason,
                "basis": decided.category.basis,
            }
        )
        return
    out.print(f"[bold]{decided.body.name_en}[/bold] ({decided.body.id}, {decided.body.kind})")
    for level, b in enumerate(decided.chain[1:], start=1):
        out.print("  " * level + f"↑ {b.name_en} ({b.id})")
    out.print(f"[dim]{decided.reason}\nbasis: {decided.category.basis}[/dim]")
