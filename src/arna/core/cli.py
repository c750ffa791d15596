"""`arna clock …` and `arna audit …`: the working-day clock and the audit chain."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from arna.core.audit import AuditReport
from arna.core.clock import WorkingCalendar, load_calendar
from arna.core.console import JsonOpt, database, err, out, parse_date, print_json, settings

clock_app = typer.Typer(help="Kazakhstan's working-day clock.", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(clock_app, name="clock")
    app.add_typer(audit_app, name="audit")


def _calendar() -> WorkingCalendar:
    return load_calendar(settings().calendar_file)


def _warn_uncovered(*days: date) -> None:
    calendar = _calendar()
    missing = sorted({d.year for d in days if not calendar.is_covered(d)})
    if missing:
        err.print(
            f"[yellow]warning: the calendar has no Kurban Ait or transfers for "
            f"{', '.join(map(str, missing))}; add them to the calendar file[/yellow]"
        )


@clock_app.command("add")
def clock_add(
    start: Annotated[str, typer.Argument(help="Start date, YYYY-MM-DD.")],
    days: Annotated[int, typer.Argument(help="Working days to add (negative: go back).")],
) -> None:
    """Print the date N working days after START (the legal-term end date)."""
    first = parse_date(start)
    result = _calendar().add_working_days(first, days)
    _warn_uncovered(first, result)
    out.print(result.isoformat())


@clock_app.command("between")
def clock_between(
    start: Annotated[str, typer.Argument(help="First date, YYYY-MM-DD.")],
    end: Annotated[str, typer.Argument(help="Second date, YYYY-MM-DD.")],
) -> None:
    """Count working days after START up to and including END."""
    a, b = parse_date(start), parse_date(end)
    _warn_uncovered(a, b)
    out.print(str(_calendar().working_days_between(a, b)))


@clock_app.command("check")
def clock_check(day: Annotated[str, typer.Argument(help="Date, YYYY-MM-DD.")]) -> None:
    """Say whether DAY is a working day, and why not."""
    d = parse_date(day)
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
        print_json([{"date": d.day.isoformat(), "reason": d.reason, "kind": d.kind} for d in days])
        return
    table = Table("date", "weekday", "reason")
    for d in days:
        table.add_row(d.day.isoformat(), d.day.strftime("%a"), d.reason)
    out.print(table)
    transfers = [t for t in calendar.transfers if t[1].year == year]
    for _, work, decree in transfers:
        out.print(f"working day by transfer: {work.isoformat()} ({work.strftime('%a')}, {decree})")


@audit_app.command("verify")
def audit_verify(
    anchor: Annotated[
        list[str] | None,
        typer.Option(help="A head hash published earlier that must still be in the log."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Check the whole hash chain, then every stored appeal against the state its audit events
    record; name each problem (exit 1 when there is any)."""
    from arna.core.audit import verify

    db = database()
    with db.read() as session, err.status("Verifying the audit chain and the stored state…"):
        report = verify(session, settings(), anchor or ())
    db.dispose()
    if as_json:
        print_json(report.as_dict())
    else:
        print_audit_report(report)
    if not report.ok:
        raise typer.Exit(1)


def print_audit_report(report: AuditReport) -> None:
    """What `arna audit verify` says (and `arna restore` after restoring): the chain's length
    and head when all is well, else each problem on stderr."""
    chain = report.chain
    if report.ok:
        out.print(
            f"audit chain intact: {chain.events} events, head {chain.head_hash}; stored state "
            f"matches the log ({', '.join(report.checked) or 'no state checks'})"
        )
    else:
        if not chain.ok:
            where = f"at event {chain.broken_event_id}" if chain.broken_event_id else ""
            err.print(
                f"[red]audit chain BROKEN {where}: {chain.problem}[/red] "
                f"({chain.events} events verified)"
            )
        for mismatch in report.mismatches:
            err.print(f"[red]{mismatch.entity_type} {mismatch.entity_id}: {mismatch.problem}[/red]")
        if report.mismatches:
            err.print(f"[red]{len(report.mismatches)} stored rows do not match the log[/red]")
