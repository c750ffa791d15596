"""`arna oversight …`: the public figures about how bodies answer, from the command line."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from arna.core.console import JsonOpt, database, fail, out, print_json

oversight_app = typer.Typer(
    help="Oversight: how high solved problems had to climb, per body, region, category, month.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(oversight_app, name="oversight")


@oversight_app.command("depth")
def depth_cmd(
    by: Annotated[str, typer.Option(help="body, region, category or month")] = "body",
    lang: Annotated[str, typer.Option(help="language of the names: kk, ru or en")] = "en",
    as_json: JsonOpt = False,
) -> None:
    """The escalation depth index: of the problems solved (in their applicant's words), the
    shares that climbed no level, one, two or more, and that a national body solved."""
    from arna.oversight.queries import depth

    db = database()
    try:
        with db.read() as session:
            found = depth.index(session, by, lang)
    except ValueError as exc:
        fail(str(exc), 2)
    finally:
        db.dispose()
    if as_json:
        print_json(found)
        return
    table = Table(by, "solved", "no climb", "one", "two or more", "to national")
    columns = ("climbed_none", "climbed_once", "climbed_twice_or_more", "to_national")
    for r in found["rows"]:
        table.add_row(
            r["name"],
            f"{r['solved']}{' (too few)' if r['too_few'] else ''}",
            *(f"{s['share']:.0%} ({s['low']:.0%}–{s['high']:.0%})" for s in map(r.get, columns)),
        )
    out.print(table)
