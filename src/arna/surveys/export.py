"""Weighted results as a table (one row per question, breakdown, cell and choice), written as
CSV or Parquet. Pure: dicts in, a file out."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

COLUMNS = (
    "survey", "weighted", "question", "type", "by", "cell", "choice", "label", "n", "share",
    "moe", "deff", "effective_n", "suppressed",
)  # fmt: skip
FORMATS = ("csv", "parquet")


def rows_of(results: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The rows of one `ResultsOut` (as a dict); `by` is "all" for everyone."""
    rows = []
    for question in results["questions"]:
        for cell in question["cells"]:
            for share in cell["shares"]:
                rows.append(
                    {
                        "survey": results["survey"],
                        "weighted": results["weighted"],
                        "question": question["key"],
                        "type": question["type"],
                        "by": results["by"] or "all",
                        "cell": cell["cell"],
                        "choice": share["choice"],
                        "label": share["label"],
                        "n": cell["n"],
                        "share": share["share"],
                        "moe": share["moe"],
                        "deff": cell["deff"],
                        "effective_n": cell["effective_n"],
                        "suppressed": cell["suppressed"],
                    }
                )
    return rows


def write(rows: Iterable[Mapping[str, Any]], path: Path, fmt: str) -> int:
    """Write the rows; returns how many."""
    table = [dict(r) for r in rows]
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, COLUMNS)
            writer.writeheader()
            writer.writerows(table)
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema(
            [
                ("survey", pa.string()), ("weighted", pa.bool_()), ("question", pa.string()),
                ("type", pa.string()), ("by", pa.string()), ("cell", pa.string()),
                ("choice", pa.string()), ("label", pa.string()), ("n", pa.int64()),
                ("share", pa.float64()), ("moe", pa.float64()), ("deff", pa.float64()),
                ("effective_n", pa.float64()), ("suppressed", pa.bool_()),
            ]
        )  # fmt: skip
        pq.write_table(pa.Table.from_pylist(table, schema=schema), path)
    else:
        raise ValueError(f"a format is one of {', '.join(FORMATS)}, not {fmt}")
    return len(table)
