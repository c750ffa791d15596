"""The `arna` command. Commands call services and print; they never write SQL themselves."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from arna.core.settings import Settings
from arna.text.cli import text_app

app = typer.Typer(
    pretty_exceptions_enable=False,
    help="Arna: a channel from the people of Kazakhstan to their state.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Database schema, reference data and demo data.", no_args_is_help=True)
clock_app = typer.Typer(help="Kazakhstan's working-day clock.", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
geo_app = typer.Typer(
    help="Territorial units: find places in text, locate points.", no_args_is_help=True
)
app.add_typer(db_app, name="db")
app.add_typer(clock_app, name="clock")
app.add_typer(audit_app, name="audit")
app.add_typer(geo_app, name="geo")
users_app = typer.Typer(help="Accounts of officials, supervisors and admins.", no_args_is_help=True)
tokens_app = typer.Typer(help="API bearer tokens.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.add_typer(text_app, name="text")

out = Console()
err = Console(stderr=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _settings() -> Settings:
    try:
        return Settings()
    except ValueError as exc:
        err.print(f"[red]Bad configuration:[/red] {exc}")
        raise typer.Exit(2) from exc


def _database() -> Any:
    from arna.core.db import Database

    return Database(_settings().effective_database_url)


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def _fail(message: str, code: int = 1) -> None:
    err.print(f"[red]{message}[/red]")
    raise typer.Exit(code)


# --- serve -------------------------------------------------------------------------------------


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (ARNA_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (ARNA_PORT).")] = None,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (PostgreSQL; SQLite wants 1).")
    ] = 1,
    access_log: Annotated[bool, typer.Option(help="Log every request.")] = True,
) -> None:
    """Serve the web app and the API."""
    from arna.text.readers import default_processes
    from arna.web.serving import run

    settings = _settings()
    if settings.text_readers is None:
        # Worker processes read their settings from the environment.
        os.environ["ARNA_TEXT_READERS"] = str(default_processes(workers))
    run(
        "arna.web.asgi:app_factory",
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        access_log=access_log,
    )


# --- db ----------------------------------------------------------------------------------------


def _report_table(tables: list[dict[str, Any]]) -> Table:
    table = Table("table", "inserted", "updated", "unchanged", "stale")
    for t in tables:
        table.add_row(
            t["table"], *(str(t[k]) for k in ("inserted", "updated", "unchanged", "stale"))
        )
    return table


@db_app.command("upgrade")
def db_upgrade(as_json: JsonOpt = False) -> None:
    """Create or migrate the schema and load the reference data (idempotent)."""
    from arna.maintenance import upgrade

    database = _database()
    with err.status("Migrating the schema and loading reference data…"):
        report = upgrade(database)
    database.dispose()
    if as_json:
        _print_json(report.as_dict())
        return
    out.print(_report_table(report.as_dict()["tables"]))
    out.print(
        f"schema at revision {report.revision}: {report.inserted} inserted, "
        f"{report.updated} updated"
    )


@db_app.command("seed-demo")
def db_seed_demo(
    seed: Annotated[int, typer.Option(help="Seed of the deterministic generator.")] = 2026,
    as_json: JsonOpt = False,
) -> None:
    """Fill the database with the demo data set (reference data first)."""
    from arna.maintenance import seed_demo

    database = _database()
    err.print("Preparing the demo data set…")
    result = seed_demo(database, seed)
    database.dispose()
    if as_json:
        _print_json(result)
        return
    for name, counts in result.items():
        out.print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    from arna.appeals.demo import DEMO_PASSWORD

    out.print(
        f"demo logins (password {DEMO_PASSWORD}): official.almaty@demo.arna.kz, "
        "supervisor.government@demo.arna.kz, admin@demo.arna.kz"
    )


@db_app.command("status")
def db_status() -> None:
    """Show the database URL and the schema revision."""
    from arna.maintenance import current_revision, head_revision

    database = _database()
    current = current_revision(database)
    database.dispose()
    out.print(f"database: {database.engine.url.render_as_string(hide_password=True)}")
    out.print(f"revision: {current or 'none (run arna db upgrade)'} (head {head_revision()})")
    if current != head_revision():
        raise typer.Exit(1)


# --- clock -------------------------------------------------------------------------------------


def _calendar() -> Any:
    from arna.core.clock import load_calendar

    return load_calendar(_settings().calendar_file)


def _warn_uncovered(*days: date) -> None:
    calendar = _calendar()
    missing = sorted({d.year for d in days if not calendar.is_covered(d)})
    if missing:
        err.print(
            f"[yellow]warning: the calendar has no Kurban Ait or transfers for "
            f"{', '.join(map(str, missing))}; add them to the calendar file[/yellow]"
        )


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None


@clock_app.command("add")
def clock_add(
    start: Annotated[str, typer.Argument(help="Start date, YYYY-MM-DD.")],
    days: Annotated[int, typer.Argument(help="Working days to add (negative: go back).")],
) -> None:
    """Print the date N working days after START (the legal-term end date)."""
    first = _parse_date(start)
    result = _calendar().add_working_days(first, days)
    _warn_uncovered(first, result)
    out.print(result.isoformat())


@clock_app.command("between")
def clock_between(
    start: Annotated[str, typer.Argument(help="First date, YYYY-MM-DD.")],
    end: Annotated[str, typer.Argument(help="Second date, YYYY-MM-DD.")],
) -> None:
    """Count working days after START up to and including END."""
    a, b = _parse_date(start), _parse_date(end)
    _warn_uncovered(a, b)
    out.print(str(_calendar().working_days_between(a, b)))


@clock_app.command("check")
def clock_check(day: Annotated[str, typer.Argument(help="Date, YYYY-MM-DD.")]) -> None:
    """Say whether DAY is a working day, and why not."""
    d = _parse_date(day)
    _warn_uncovered(d)
    reason = _calendar().day_off_reason(d)
    out.print(f"{d.isoformat()}: " + ("working day" if reason is None else f"day off ({reason})"))


@clock_app.command("holidays")
def clock_holidays(
    year: Annotated[int, typer.Argument(help="Year.")], as_json: JsonOpt = False
) -> None:
    """List the days off of a year other than ordinary weekends."""
    calendar = _calendar()
    _warn_uncovered(date(year, 1, 1))
    days = sorted(calendar.days_off(year).values(), key=lambda d: d.day)
    if as_json:
        _print_json([{"date": d.day.isoformat(), "reason": d.reason, "kind": d.kind} for d in days])
        return
    table = Table("date", "weekday", "reason")
    for d in days:
        table.add_row(d.day.isoformat(), d.day.strftime("%a"), d.reason)
    out.print(table)
    transfers = [t for t in calendar.transfers if t[1].year == year]
    for _, work, decree in transfers:
        out.print(f"working day by transfer: {work.isoformat()} ({work.strftime('%a')}, {decree})")


# --- audit -------------------------------------------------------------------------------------


@audit_app.command("verify")
def audit_verify(
    anchor: Annotated[
        list[str] | None,
        typer.Option(help="A head hash published earlier that must still be in the log."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Check the whole hash chain; name the first broken event (exit 1 when broken)."""
    from arna.core.audit import verify_chain

    database = _database()
    with database.read() as session, err.status("Verifying the audit chain…"):
        report = verify_chain(session, anchor or ())
    database.dispose()
    if as_json:
        _print_json(report.as_dict())
    elif report.ok:
        out.print(f"audit chain intact: {report.events} events, head {report.head_hash}")
    else:
        where = f"at event {report.broken_event_id}" if report.broken_event_id else ""
        err.print(
            f"[red]audit chain BROKEN {where}: {report.problem}[/red] "
            f"({report.events} events verified)"
        )
    if not report.ok:
        raise typer.Exit(1)


# --- geo ---------------------------------------------------------------------------------------


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
        _print_json(
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
            _print_json(None)
        else:
            err.print(f"{lat}, {lon} is outside Kazakhstan")
        raise typer.Exit(1)
    units = [u for u in (found.district, found.region) if u is not None]
    if as_json:
        _print_json(
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


# --- route -------------------------------------------------------------------------------------


@app.command("route")
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
        decided = route(category, kato, _parse_date(on) if on else None)
    except ArnaError as exc:
        _fail(exc.message, 2)
        return
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
        _print_json(
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


# --- users, tokens ------------------------------------------------------------------------------


@users_app.command("create")
def users_create(
    role: Annotated[str, typer.Option(help="official, supervisor or admin.")],
    email: Annotated[str, typer.Option(help="Login e-mail.")],
    password: Annotated[str, typer.Option(help="At least 8 characters.")],
    body: Annotated[str | None, typer.Option(help="Body id (officials and supervisors).")] = None,
) -> None:
    """Create an account."""
    from arna.core.auth import create_user, system
    from arna.core.errors import ArnaError

    database = _database()
    try:
        with database.write() as session:
            user = create_user(
                session,
                email=email,
                password=password,
                role=role,
                body_id=body,
                actor=system("cli"),
            )
            out.print(f"user {user.id} created: {user.email} ({role}{', ' + body if body else ''})")
    except ArnaError as exc:
        _fail(exc.message, 2)
    finally:
        database.dispose()


@tokens_app.command("create")
def tokens_create(email: Annotated[str, typer.Option(help="E-mail of the user.")]) -> None:
    """Print a new bearer token for a user (shown once)."""
    from arna.core.auth import create_token, system
    from arna.core.errors import ArnaError

    database = _database()
    try:
        with database.write() as session:
            token = create_token(session, email=email, actor=system("cli"))
    except ArnaError as exc:
        _fail(exc.message, 2)
        return
    finally:
        database.dispose()
    sys.stdout.write(token + "\n")


# --- worker --------------------------------------------------------------------------------------


@app.command()
def worker(
    once: Annotated[bool, typer.Option("--once", help="One sweep, then exit.")] = False,
    now: Annotated[
        str | None,
        typer.Option(
            help="Sweep as of this ISO instant (with --once), e.g. 2027-01-05T09:00+05:00."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Escalate overdue appeals, remind bodies and deliver notifications (loop or --once)."""
    import time
    from datetime import UTC, datetime

    from arna.appeals.worker import sweep

    settings = _settings()
    instant = None
    if now is not None:
        try:
            instant = datetime.fromisoformat(now)
        except ValueError:
            raise typer.BadParameter(
                f"{now!r} is not an ISO instant, e.g. 2027-01-05T09:00+05:00"
            ) from None
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=UTC)
    database = _database()
    try:
        while True:
            report = sweep(database, settings, instant or datetime.now(UTC))
            if as_json:
                _print_json(report.as_dict())
            else:
                out.print(", ".join(f"{k} {v}" for k, v in report.as_dict().items()))
            if once or instant is not None:
                return
            time.sleep(settings.worker_interval)
    except KeyboardInterrupt:
        return
    finally:
        database.dispose()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
