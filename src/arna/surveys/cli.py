"""`arna surveys …`: load a questionnaire, import responses, weigh them, print the results and
the trust index, export the weighted results."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.table import Table

from arna.core.actors import Actor
from arna.core.console import JsonOpt, err, fail, opened_database, out, print_json, progress_bar

surveys_app = typer.Typer(
    help="Surveys: load XLSForms, import responses, weigh, results, trust index, export.",
    no_args_is_help=True,
)
OPERATOR = Actor("admin", name="system:cli")
BY = ("region", "sex", "settlement", "age_group")


def register(app: typer.Typer) -> None:
    app.add_typer(surveys_app, name="surveys")


def _fail(error: Any) -> NoReturn:
    """An action's refusal: its message (and every bad row), exit 1 when not found, else 2."""
    from arna.core.errors import NotFound

    for row in error.details.get("rows", []):
        err.print(
            f"line {row['line']}: {'; '.join(row['problems'])}", markup=False, highlight=False
        )
    fail(error.message, 1 if isinstance(error, NotFound) else 2)


def _read(path: Path) -> bytes:
    if not path.is_file():
        fail(f"{path} is not a file", 2)
    return path.read_bytes()


@surveys_app.command("load")
def load(
    form: Annotated[Path, typer.Argument(help="An XLSForm: .xlsx, .xls, .csv or .md")],
    title: Annotated[str | None, typer.Option(help="The survey's title (the form's)")] = None,
) -> None:
    """Load a questionnaire; prints the new survey's number."""
    from arna.core.errors import ArnaError
    from arna.surveys.actions.surveys import create_survey

    data = _read(form)
    with opened_database() as db:
        try:
            number = create_survey(db, OPERATOR, data, form.suffix or ".xlsx", title)
        except ArnaError as error:
            _fail(error)
    print(number)


@surveys_app.command("import")
def import_cmd(
    number: str,
    responses: Annotated[Path, typer.Argument(help="A CSV export (KoboToolbox, ODK Central)")],
) -> None:
    """Import responses; a row already there is skipped, so importing again adds nothing. Any
    bad row is reported with its line and then nothing is imported."""
    from arna.core.errors import ArnaError
    from arna.surveys.actions.responses import import_responses

    data = _read(responses)
    progress, task = progress_bar("importing responses", 1)
    with progress, opened_database() as db:
        try:
            done = import_responses(
                db,
                OPERATOR,
                number,
                data,
                lambda n, total: progress.update(task, completed=n, total=total),
            )
        except ArnaError as error:
            progress.stop()
            _fail(error)
    out.print(
        f"{number}: {done.added} added, {done.already_there} already there, "
        f"{done.repeated_in_file} repeated in the file",
        markup=False,
    )
    if done.ignored_columns:
        out.print(f"columns ignored: {', '.join(done.ignored_columns)}", markup=False)


@surveys_app.command("weigh")
def weigh(
    number: str,
    margins: Annotated[
        Path | None, typer.Option(help="A CSV variable,category,share (kept for the survey)")
    ] = None,
    trim: Annotated[str, typer.Option(help="Bounds low,high of weight / mean weight")] = "0.2,5",
    no_trim: Annotated[bool, typer.Option("--no-trim", help="Rake without trimming")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Rake the responses to the population margins, trim and re-rake; print the report."""
    from arna.core.errors import ArnaError
    from arna.surveys.actions.weighing import weigh_survey
    from arna.surveys.margins import MarginsError, read_margins_csv

    try:
        low, high = (float(x) for x in trim.split(","))
    except ValueError:
        fail("--trim is two numbers: low,high (0.2,5)", 2)
    custom = None
    if margins is not None:
        try:
            custom = read_margins_csv(_read(margins))
        except MarginsError as error:
            fail(f"{margins}: {error}", 2)
    if not no_trim and not 0 <= low <= 1 <= high:
        fail("--trim: 0 ≤ low ≤ 1 ≤ high", 2)
    with opened_database() as db:
        try:
            report = weigh_survey(db, OPERATOR, number, custom, None if no_trim else (low, high))
        except ArnaError as error:
            _fail(error)
    if as_json:
        print_json(report.model_dump(mode="json"))
        return
    out.print(
        f"{number}: {report.n} weighted ({report.left_out} left out) on "
        f"{', '.join(report.variables)}; converged {report.converged} in {report.iterations} "
        f"sweeps; deff {report.deff:.3f}, effective n {report.effective_n:.0f}; "
        f"weights {report.min_ratio:.2f}–{report.max_ratio:.2f} × mean, {report.trimmed} trimmed",
        markup=False,
    )


@surveys_app.command("results")
def results_cmd(
    number: str,
    by: Annotated[str | None, typer.Option(help="region, sex, settlement or age_group")] = None,
    language: Annotated[str, typer.Option(help="kk, ru or en")] = "ru",
    minimum_n: Annotated[int, typer.Option(min=1, help="Cells below this are suppressed")] = 30,
    as_json: JsonOpt = False,
) -> None:
    """Weighted shares per question with their 95 % margins of error."""
    found = _results(number, by, language, minimum_n)
    if as_json:
        print_json(found)
        return
    for question in found["questions"]:
        table = Table("cell", "n", "deff", "choice", "share", "± MOE", title=question["key"])
        for cell in question["cells"]:
            for s in cell["shares"]:
                shown = "—" if cell["suppressed"] else f"{s['share']:.1%}"
                moe = "" if cell["suppressed"] else f"{s['moe']:.1%}"
                deff = "" if cell["deff"] is None else f"{cell['deff']:.2f}"
                where = str(cell["cell"] or "all")
                table.add_row(where, str(cell["n"]), deff, s["label"][:40], shown, moe)
        out.print(table)


def _results(number: str, by: str | None, language: str, minimum_n: int) -> dict[str, Any]:
    from arna.core.errors import ArnaError
    from arna.surveys.queries import get_survey, results_of

    if by is not None and by not in BY:
        fail(f"--by is one of {', '.join(BY)}", 2)
    if language not in ("kk", "ru", "en"):
        fail("--language is kk, ru or en", 2)
    with opened_database() as db, db.read() as session:
        try:
            survey = get_survey(session, number)
            return results_of(session, survey, by, language, minimum_n).model_dump(mode="json")
        except ArnaError as error:
            _fail(error)


@surveys_app.command("trust")
def trust_cmd(
    number: str,
    minimum_n: Annotated[int, typer.Option(min=1, help="Cells below this are suppressed")] = 30,
    as_json: JsonOpt = False,
) -> None:
    """The trust index: the share trusting each institution, in the country and per region,
    and per month."""
    from arna.core.errors import ArnaError
    from arna.surveys.queries import get_survey, trust_of

    with opened_database() as db, db.read() as session:
        try:
            found = trust_of(session, get_survey(session, number), minimum_n)
        except ArnaError as error:
            _fail(error)
    if as_json:
        print_json(found.model_dump(mode="json"))
        return
    table = Table("institution", "where", "n", "trusting", "± MOE")
    for c in found.cells:
        shown = "—" if c.share is None else f"{c.share:.1%}"
        moe = "" if c.moe is None else f"{c.moe:.1%}"
        table.add_row(c.institution, c.region or "country", str(c.n), shown, moe)
    out.print(table)


@surveys_app.command("export")
def export_cmd(
    number: str,
    path: Annotated[Path, typer.Argument(help="The file to write")],
    fmt: Annotated[str, typer.Option("--format", help="csv or parquet")] = "csv",
    language: Annotated[str, typer.Option(help="kk, ru or en")] = "ru",
    minimum_n: Annotated[int, typer.Option(min=1, help="Cells below this are suppressed")] = 30,
) -> None:
    """The weighted results, overall and by every raking variable, one row per question,
    breakdown, cell and choice."""
    from arna.surveys.export import FORMATS, rows_of, write

    if fmt not in FORMATS:
        fail(f"--format is one of {', '.join(FORMATS)}", 2)
    rows = []
    for by in (None, *BY):
        rows += rows_of(_results(number, by, language, minimum_n))
    written = write(rows, path, fmt)
    out.print(f"{number}: {written} rows → {path}", markup=False)
