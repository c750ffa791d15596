"""The authorisation matrix (issue 19): every route the application registers × every role, as
`authorisation_table.TABLE` has it, on SQLite and PostgreSQL. A route missing from the table
fails, and so does a row for a route that is gone. Where a role is refused a thing it may not
see, it gets what it would get for a thing that does not exist: the same status and the same
answer, the number aside."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from httpx2 import Response

from arna.app import create_app
from arna.core.db import Database
from arna.core.settings import Settings
from tests.conftest import BACKENDS, _factory
from tests.web.authorisation_table import PRIVATE, TABLE, TOKENS, VALUES, Row
from tests.web.authorisation_world import World, seed

LOGIN = "/official/login"
REFUSALS = {"401", "403", "404", "login"}


def registered(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) the application answers, but its static files and HEAD."""
    routes = set()
    for route in iter_route_contexts(app.routes):
        methods = getattr(route, "methods", None)
        if methods:  # not a mount (/static)
            routes |= {(m, str(route.path)) for m in methods if m != "HEAD"}
    return routes


def test_every_route_is_in_the_table(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'routes.db'}"))
    routes = registered(app)
    missing = sorted(routes - TABLE.keys())
    gone = sorted(TABLE.keys() - routes)
    assert not missing, f"routes missing from tests/web/authorisation_table.py: {missing}"
    assert not gone, f"rows of tests/web/authorisation_table.py for no route: {gone}"


def test_the_table_is_well_formed() -> None:
    """A token per role, each a status or `login`; the workbench sends anybody without a session
    to its login page; a route about one thing has a thing to ask about."""
    for (method, path), row in TABLE.items():
        tokens = row.tokens()
        assert set(tokens.values()) <= TOKENS, (method, path, row.expect)
        if path.startswith("/official/") and path != LOGIN:
            signed_out = [tokens[r] for r in ("anonymous", "wrong_code", "applicant")]
            assert signed_out == ["login"] * 3, (method, path, row.expect)
        if "{number}" in path or "{service_request_id}" in path:
            assert row.thing, (method, path)


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    factory = _factory(str(request.param), tmp_path_factory.mktemp("matrix"))
    try:
        db: Database = factory.ready()
        settings = Settings(database_url=db.url)
        with TestClient(create_app(settings, db=db)) as client:
            yield seed(client, db, settings)
    finally:
        factory.close()


def url_of(path: str, number: str | None, values: dict[str, str]) -> str:
    for name, value in {**VALUES, **values}.items():
        path = path.replace(f"{{{name}}}", value)
    if number is not None:
        path = path.replace("{number}", number).replace("{service_request_id}", number)
    assert "{" not in path, f"fill {path} in authorisation_table.VALUES or give the row a thing"
    return path


def token_of(answer: Response) -> str:
    if answer.status_code in (302, 303, 307) and answer.headers.get("location") == LOGIN:
        return "login"
    return str(answer.status_code)


def ask(
    world: World, method: str, path: str, row: Row, role: str, missing: bool = False
) -> Response:
    """The row's request as `role`, about the row's thing or (`missing`) about a number of the
    same shape that names nothing."""
    thing = world.things[row.thing] if row.thing else None
    number = None if thing is None else (thing.missing if missing else thing.number)
    send = dict(row.send)
    if "data" in send and number is not None:
        send["data"] = {k: v.replace("{number}", number) for k, v in send["data"].items()}
    return world.call(role, method, url_of(path, number, row.values), thing, send)


NOISE = [
    re.compile(r'nonce="[^"]*"'),  # the CSP's, new in every answer
    re.compile(r'name="csrf" value="[^"]*"'),
    re.compile(r'"?request_id"?\s*[:=]\s*"[^"]*"'),
]


def shape(answer: Response, *numbers: str) -> str:
    """An answer with what may differ between two identical refusals taken out: the numbers
    asked about, the CSP nonce, the forms' CSRF tokens."""
    text = answer.text
    for number in numbers:
        text = text.replace(number, "{number}")
    for noise in NOISE:
        text = noise.sub("", text)
    return f"{answer.status_code} {answer.headers.get('content-type')}\n{text}"


def test_every_route_answers_every_role_as_the_table_says(world: World) -> None:
    """One pass over the table, in its order (a row's writes may change what the next rows
    find: the table says what they find then). Mismatches are gathered and reported at once."""
    wrong: list[str] = []
    alike = 0
    for (method, path), row in TABLE.items():
        for role, expected in row.tokens().items():
            answer = ask(world, method, path, row, role)
            got = token_of(answer)
            if got != expected:
                wrong.append(
                    f"{method} {path} as {role}: {got}, not {expected}: {answer.text[:200]}"
                )
                continue
            if row.thing in PRIVATE and (expected in REFUSALS or role in row.alike):
                thing = world.things[row.thing]
                other = ask(world, method, path, row, role, missing=True)
                alike += 1
                if shape(answer, thing.number) != shape(other, thing.missing):
                    wrong.append(
                        f"{method} {path} as {role}: {thing.number} ({got}) is told apart from "
                        f"a number that does not exist ({token_of(other)})"
                    )
    assert not wrong, "\n".join(wrong)
    assert alike > 40  # refusals of private things compared with missing ones
