"""`arna text …`: train the models, analyse JSONL files, evaluate and write the model card."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from arna.core.errors import ArnaError

text_app = typer.Typer(
    help="Language, sentiment, toxicity, targets, category and place of texts.",
    no_args_is_help=True,
)
err = Console(stderr=True)
BATCH = 512
DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data", help="The repository's data/text folder (found automatically in a checkout)."
    ),
]


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[red]{message}[/red]")
    raise typer.Exit(code)


def _steps(title: str, total: int) -> tuple[Progress, Any]:
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
    )
    return progress, progress.add_task(title, total=total)


@text_app.command("train")
def train(
    data: DataOpt = None,
    output: Annotated[
        Path | None, typer.Option(help="Where to write the models (default: inside the package).")
    ] = None,
) -> None:
    """Rebuild every model from the data in the repository (fixed seeds: same data, same models)."""
    from arna.text import artifacts, corpora, training

    try:
        root = corpora.data_dir(data)
    except ArnaError as exc:
        _fail(str(exc))
    progress, task = _steps("training", 7)
    with progress:

        def step(name: str) -> None:
            progress.update(task, advance=1, description=f"training: {name}")

        manifest = training.train_all(root, output or artifacts.MODELS, step)
        progress.update(task, completed=7)
    sys.stdout.write(
        json.dumps({"trained": manifest["version"], "into": str(output or artifacts.MODELS)}) + "\n"
    )


def _records(stream: TextIO, source: str) -> Iterator[dict[str, Any]]:
    for n, line in enumerate(stream, start=1):
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
        yield obj


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
    """Add lang, script, sentiment, toxicity, targets, category and place to every record."""
    from arna.text.analysis import analyze_many

    if not input.is_file():
        _fail(f"input file not found: {input}")
    total = _count_lines(input)
    progress, task = _steps("analysing", total)
    tmp = output.with_name(output.name + ".partial")
    try:
        with (
            progress,
            open(input, encoding="utf-8", errors="strict") as src,
            open(tmp, "w", encoding="utf-8") as dst,
        ):
            batch: list[dict[str, Any]] = []

            def flush() -> None:
                for record, result in zip(
                    batch, analyze_many([r["text"] for r in batch]), strict=True
                ):
                    dst.write(json.dumps({**record, **result.as_dict()}, ensure_ascii=False) + "\n")
                progress.update(task, advance=len(batch))
                batch.clear()

            for record in _records(src, str(input)):
                batch.append(record)
                if len(batch) >= BATCH:
                    flush()
            if batch:
                flush()
    except UnicodeDecodeError as exc:
        tmp.unlink(missing_ok=True)
        _fail(f"{input}: not UTF-8 (byte {exc.start}); save the file as UTF-8 and retry")
    except ArnaError as exc:
        tmp.unlink(missing_ok=True)
        _fail(str(exc))
    tmp.replace(output)
    err.print(f"{total} records analysed → {output}")


@text_app.command("eval")
def evaluate(
    data: DataOpt = None,
    card: Annotated[Path, typer.Option(help="Where to write the model card.")] = Path(
        "docs/model-card.md"
    ),
) -> None:
    """Measure every model on held-out data, print one JSON object and write the model card."""
    from arna.text import corpora, evaluation
    from arna.text.model_card import render

    try:
        root = corpora.data_dir(data)
    except ArnaError as exc:
        _fail(str(exc))
    progress, task = _steps("evaluating", 6)
    with progress:

        def step(name: str) -> None:
            progress.update(task, advance=1, description=f"evaluating: {name}")

        result = evaluation.evaluate(root, step)
        progress.update(task, completed=6)
    card.parent.mkdir(parents=True, exist_ok=True)
    card.write_text(render(result), encoding="utf-8")
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
