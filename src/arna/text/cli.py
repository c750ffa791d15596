"""`arna text …`: train the models, analyse JSONL files, evaluate and write the model card, and
count the tone of texts per cell with corrected shares."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, BinaryIO

import typer
from rich.table import Table

from arna.core.console import JsonOpt, err, fail, out, progress_bar
from arna.core.errors import ArnaError

text_app = typer.Typer(
    help="Language, sentiment, toxicity, targets, category and place of texts.",
    no_args_is_help=True,
)
BATCH = 512
_SURROGATE = re.compile("[\ud800-\udfff]")
DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data", help="The repository's data/text folder (found automatically in a checkout)."
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(text_app, name="text")


def _in_steps(data: Path | None, verb: str, total: int, work: Callable[..., Any]) -> Any:
    """Run `work(root, step)` on the repository's data with a progress bar of `total` steps."""
    from arna.text import corpora

    try:
        root = corpora.data_dir(data)
    except ArnaError as exc:
        fail(str(exc), 2)
    progress, task = progress_bar(verb, total)
    with progress:

        def step(name: str) -> None:
            progress.update(task, advance=1, description=f"{verb}: {name}")

        result = work(root, step)
        progress.update(task, completed=total)
    return result


@text_app.command("train")
def train(
    data: DataOpt = None,
    output: Annotated[
        Path | None, typer.Option(help="Where to write the models (default: inside the package).")
    ] = None,
) -> None:
    """Rebuild every model from the data in the repository (fixed seeds: same data, same models)."""
    from arna.text import artifacts, training

    into = output or artifacts.MODELS
    manifest = _in_steps(
        data, "training", 7, lambda root, step: training.train_all(root, into, step)
    )
    sys.stdout.write(json.dumps({"trained": manifest["version"], "into": str(into)}) + "\n")


def _records(stream: BinaryIO, source: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for n, raw in enumerate(stream, start=1):
        try:
            line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise ArnaError(
                f"{source}, line {n}: not UTF-8 (byte {exc.start + 1} of the line); "
                "save the file as UTF-8 and retry"
            ) from exc
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ArnaError(
                f"{source}, line {n}: not valid JSON ({exc.msg} at column {exc.colno})"
            ) from exc
        if not isinstance(obj, dict):
            raise ArnaError(f"{source}, line {n}: expected a JSON object with 'id' and 'text'")
        if "id" not in obj or not isinstance(obj.get("text"), str):
            raise ArnaError(f"{source}, line {n}: each object needs 'id' and a string 'text'")
        if _SURROGATE.search(obj["text"]):
            raise ArnaError(
                f"{source}, line {n}: 'text' holds an unpaired UTF-16 surrogate (\\ud800–\\udfff "
                "escape); fix the escape or drop that character"
            )
        yield n, obj


def _merged(record: dict[str, Any], analysis: dict[str, Any], clashes: set[str]) -> dict[str, Any]:
    """The record with the analysis added; an input field of the same name is kept, renamed."""
    out = dict(record)
    for key, value in analysis.items():
        if key in out:
            clashes.add(key)
            out[f"{key}_input"] = out[key]
        out[key] = value
    return out


def _count_lines(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip())


@text_app.command("analyze")
def analyze(
    input: Annotated[
        Path, typer.Option("--input", help="JSONL: one object per line with id and text.")
    ],
    output: Annotated[
        Path, typer.Option("--output", help="JSONL written with the analysis added.")
    ],
) -> None:
    """Add lang, script, sentiment, toxicity, targets, category and place to every record.

    Every input field is kept; one whose name the analysis uses (say `lang`) is kept as
    `lang_input`. Nothing is written to --output unless the whole file was analysed.
    """
    from arna.text.analysis import analyze_many

    if not input.is_file():
        fail(f"input file not found: {input}", 2)
    total = _count_lines(input)
    progress, task = progress_bar("analysing", total)
    tmp = output.with_name(output.name + ".partial")
    clashes: set[str] = set()
    try:
        with progress, open(input, "rb") as src, open(tmp, "w", encoding="utf-8") as dst:
            batch: list[dict[str, Any]] = []

            def flush() -> None:
                results = analyze_many([r["text"] for r in batch])
                for record, result in zip(batch, results, strict=True):
                    merged = _merged(record, result.as_dict(), clashes)
                    dst.write(json.dumps(merged, ensure_ascii=False) + "\n")
                progress.update(task, advance=len(batch))
                batch.clear()

            for _, record in _records(src, str(input)):
                batch.append(record)
                if len(batch) >= BATCH:
                    flush()
            if batch:
                flush()
    except ArnaError as exc:
        tmp.unlink(missing_ok=True)
        fail(str(exc), 2)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(output)
    if clashes:
        names = ", ".join(sorted(clashes))
        err.print(f"input fields kept under new names: {names} (as <name>_input)")
    err.print(f"{total} records analysed → {output}")


@text_app.command("translit")
def translit(
    text: Annotated[str, typer.Argument(help="Kazakh text in either script.")],
    to: Annotated[
        str, typer.Option(help="cyrl (restores Kazakh letters), latn (2021 alphabet) or ascii.")
    ] = "cyrl",
) -> None:
    """Kazakh between scripts: koshede zharyk zhok → көшеде жарық жоқ, and back."""
    from arna.text import restore
    from arna.text.translit import to_ascii, to_latin

    converters: dict[str, Callable[[str], str]] = {
        "cyrl": restore.latin_to_cyrillic,
        "latn": lambda t: to_latin(restore.restore(t)),
        "ascii": lambda t: to_ascii(restore.restore(t)),
    }
    if to not in converters:
        fail(f"--to must be one of {', '.join(converters)}, not {to!r}", 2)
    sys.stdout.write(converters[to](text) + "\n")


@text_app.command("eval")
def evaluate(
    data: DataOpt = None,
    card: Annotated[Path, typer.Option(help="Where to write the model card.")] = Path(
        "docs/model-card.md"
    ),
) -> None:
    """Measure every model on held-out data, print one JSON object and write the model card."""
    from arna.text import evaluation
    from arna.text.model_card import render

    result = _in_steps(data, "evaluating", 9, evaluation.evaluate)
    card.parent.mkdir(parents=True, exist_ok=True)
    card.write_text(render(result), encoding="utf-8")
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")


def _decoded_lines(path: Path) -> list[str]:
    lines = []
    for n, raw in enumerate(path.read_bytes().splitlines(keepends=True), start=1):
        try:
            lines.append(raw.decode("utf-8-sig" if n == 1 else "utf-8"))
        except UnicodeDecodeError as exc:
            raise ArnaError(
                f"{path}, line {n}: not UTF-8 (byte {exc.start + 1} of the line); "
                "save the file as UTF-8 and retry"
            ) from exc
    return lines


def _share_records(path: Path) -> list[dict[str, Any]]:
    """The records of a CSV file (a `text` column) or a JSONL file (objects with `text`)."""
    import csv

    lines = _decoded_lines(path)
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(lines)
        if "text" not in (reader.fieldnames or []):
            raise ArnaError(f"{path}, line 1: no 'text' column in the header")
        rows = []
        for row in reader:
            if row["text"] is None:
                raise ArnaError(f"{path}, line {reader.line_num}: the row ends before 'text'")
            rows.append(dict(row))
        return rows
    records = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            message = f"not valid JSON ({exc.msg} at column {exc.colno})"
            raise ArnaError(f"{path}, line {n}: {message}") from exc
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise ArnaError(f"{path}, line {n}: expected a JSON object with a string 'text'")
        if _SURROGATE.search(obj["text"]):
            raise ArnaError(f"{path}, line {n}: 'text' holds an unpaired UTF-16 surrogate")
        records.append(obj)
    return records


@text_app.command("shares")
def shares_command(
    input: Annotated[
        Path, typer.Option("--input", help="JSONL (objects with 'text') or CSV (a 'text' column).")
    ],
    by: Annotated[
        str, typer.Option("--by", help="Cells: region, target, lang or fields of the input.")
    ] = "region,target",
    as_json: JsonOpt = False,
) -> None:
    """Share of negative, neutral and positive texts per cell, corrected for the tone model's
    errors, with a 95 % interval (docs/methodology.md, "Corrected shares of tone").

    region, target and lang come from the input when it has that field, otherwise from the
    analysis; a text naming two targets counts in both cells, one naming none in `none`.
    """
    from arna.text import cells, tone

    dims = [d.strip() for d in by.split(",") if d.strip()]
    if not input.is_file():
        fail(f"input file not found: {input}", 2)
    try:
        records = _share_records(input)
    except ArnaError as exc:
        fail(str(exc), 2)
    if not records:
        fail(f"{input}: no texts", 2)
    unknown = cells.unknown_dims(records, dims)
    if unknown or not dims:
        fail(f"--by {by!r}: each must be region, target, lang or a field of the input", 2)
    progress, task = progress_bar("analysing", len(records))
    with progress:
        rows = cells.corrected_shares(records, dims, lambda n: progress.update(task, advance=n))
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    notes = any(row["status"] != "ok" for row in rows)
    table = Table(*dims, "n", *tone.CLASSES, "cc", "reference", *(["note"] if notes else []))
    for row in rows:
        got = row["shares"].values()
        cols = [f"{s['corrected']:.2f} ({s['low']:.2f}–{s['high']:.2f})" for s in got]
        cc = "/".join(f"{s['cc']:.2f}" for s in got)
        note = [row["status"].replace("_", " ")] if notes else []
        table.add_row(*row["keys"].values(), str(row["n"]), *cols, cc, row["reference"], *note)
    out.print(table)
