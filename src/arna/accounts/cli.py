"""`arna users …` and `arna tokens …`: accounts of officials and their API tokens."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from arna.core.actors import system
from arna.core.console import database, fail, out
from arna.core.errors import ArnaError

users_app = typer.Typer(help="Accounts of officials, supervisors and admins.", no_args_is_help=True)
tokens_app = typer.Typer(help="API bearer tokens.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")


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
