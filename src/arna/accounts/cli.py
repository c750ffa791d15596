"""`arna users …`, `arna tokens …` and `arna apikeys …`: accounts of officials, their API tokens,
and the API keys other systems (Open311 clients) file appeals with."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table

from arna.core.actors import system
from arna.core.console import JsonOpt, database, fail, out, print_json
from arna.core.errors import ArnaError

users_app = typer.Typer(help="Accounts of officials, supervisors and admins.", no_args_is_help=True)
tokens_app = typer.Typer(help="API bearer tokens.", no_args_is_help=True)
apikeys_app = typer.Typer(
    help="API keys of other systems (Open311 GeoReport clients).", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
    app.add_typer(apikeys_app, name="apikeys")


@users_app.command("create")
def users_create(
    role: Annotated[str, typer.Option(help="official, supervisor or admin.")],
    email: Annotated[str, typer.Option(help="Login e-mail.")],
    password: Annotated[str, typer.Option(help="At least 8 characters.")],
    body: Annotated[str | None, typer.Option(help="Body id (officials and supervisors).")] = None,
) -> None:
    """Create an account."""
    from arna.accounts.actions import create_user

    db = database()
    try:
        user = create_user(
            db, email=email, password=password, role=role, body_id=body, actor=system("cli")
        )
        out.print(f"user {user.id} created: {user.email} ({role}{', ' + body if body else ''})")
    except ArnaError as exc:
        fail(exc.message, 2)
    finally:
        db.dispose()


@tokens_app.command("create")
def tokens_create(email: Annotated[str, typer.Option(help="E-mail of the user.")]) -> None:
    """Print a new bearer token for a user (shown once)."""
    from arna.accounts.actions import create_token

    db = database()
    try:
        token = create_token(db, email=email, actor=system("cli"))
    except ArnaError as exc:
        fail(exc.message, 2)
    finally:
        db.dispose()
    sys.stdout.write(token + "\n")


@apikeys_app.command("create")
def apikeys_create(
    name: Annotated[str, typer.Argument(help="Who holds the key, e.g. 'FixMyStreet Almaty'.")],
) -> None:
    """Make a key and print it once: only its digest is kept, so it cannot be shown again."""
    from arna.accounts.actions import create_api_key

    db = database()
    try:
        row, key = create_api_key(db, name=name, actor=system("cli"))
    except ArnaError as exc:
        fail(exc.message, 2)
    finally:
        db.dispose()
    out.print(f"API key {row.id} created for {row.name}; it is shown only now:", markup=False)
    sys.stdout.write(key + "\n")


@apikeys_app.command("list")
def apikeys_list(as_json: JsonOpt = False) -> None:
    """The keys made so far, revoked ones too (never the keys themselves)."""
    from arna.accounts.queries import api_keys

    db = database()
    try:
        with db.read() as session:
            rows = [
                (str(k.id), k.name, _instant(k.created_at), _instant(k.revoked_at))
                for k in api_keys(session)
            ]
    finally:
        db.dispose()
    if as_json:
        names = ("id", "name", "created_at", "revoked_at")
        print_json([{**dict(zip(names, r, strict=True)), "id": int(r[0])} for r in rows])
        return
    table = Table("id", "name", "created", "revoked")
    for r in rows:
        table.add_row(*(value or "" for value in r))
    out.print(table)


def _instant(at: datetime | None) -> str | None:
    return at.isoformat(timespec="seconds") if at else None


@apikeys_app.command("revoke")
def apikeys_revoke(key_id: Annotated[int, typer.Argument(help="The key's id (see list).")]) -> None:
    """Refuse the key from now on (403); its row stays in the list."""
    from arna.accounts.actions import revoke_api_key
    from arna.core.errors import NotFound

    db = database()
    try:
        row = revoke_api_key(db, key_id, actor=system("cli"))
    except NotFound as exc:
        fail(exc.message, 1)
    except ArnaError as exc:
        fail(exc.message, 2)
    finally:
        db.dispose()
    out.print(f"API key {row.id} ({row.name}) revoked", highlight=False, markup=False)
