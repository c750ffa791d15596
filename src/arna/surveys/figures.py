"""The figures of a survey from its responses: weighted shares per question with their 95 %
margins of error, overall or by a raking variable, and the trust index by institution, region
and month. Pure: rows in, plain dicts out (shaped by `arna.surveys.schemas`)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from arna.surveys.estimates import Estimate, estimate
from arna.surveys.forms import Form, Question
from arna.surveys.trust import block_of, scale_of, trusting

SELECTS = ("select_one", "select_multiple")


@dataclass(frozen=True)
class Row:
    answers: dict[str, Any]
    weight: float | None
    region: str | None
    sex: str | None
    settlement: str | None
    age_group: str | None
    submitted_at: datetime


def weighted_sample(rows: Sequence[Row], weighted: bool) -> tuple[list[Row], list[float]]:
    """The weighted respondents and their weights; everyone with weight 1 before a weighting."""
    if not weighted:
        return list(rows), [1.0] * len(rows)
    kept = [r for r in rows if r.weight is not None]
    return kept, [float(r.weight) for r in kept if r.weight is not None]


def question_results(
    form: Form,
    rows: Sequence[Row],
    weights: Sequence[float],
    by: str | None,
    language: str,
    minimum_n: int,
) -> list[dict[str, Any]]:
    """Per select question, per cell: n, deff, effective n, and each choice's share and margin
    (none in a suppressed cell). A select_multiple's shares are of those who answered it."""
    found = []
    for question in form.questions:
        if question.type not in SELECTS or question.repeat is not None:
            continue
        index = [
            i
            for i, r in enumerate(rows)
            if _given(r.answers.get(question.key)) and (by is None or getattr(r, by) is not None)
        ]
        cells = [_cell(rows[i], by) for i in index]
        found.append(
            {
                "key": question.key,
                "type": question.type,
                "label": question.label(language),
                "cells": _cells(question, rows, weights, index, cells, language, minimum_n),
            }
        )
    return found


def trust_index(
    form: Form, rows: Sequence[Row], weights: Sequence[float], minimum_n: int
) -> tuple[list[str], list[dict[str, Any]], list[dict[str, Any]]]:
    """(institutions, cells by country and region, cells by month) of the share trusting."""
    institutions, cells, over_time = [], [], []
    for institution, key, question in block_of(form):
        institutions.append(institution)
        scale = scale_of(question)
        top = trusting(scale)
        index = [i for i, r in enumerate(rows) if str(r.answers.get(key, "")) in scale]
        yes = np.array([str(rows[i].answers[key]) in top for i in index], dtype=bool)
        w = np.array([weights[i] for i in index], dtype=np.float64)
        base = {"institution": institution, "question": key}
        for e in _trusting(yes, w, None, minimum_n):
            cells.append({**base, "level": "country", "region": None, **e})
        regional = [j for j, i in enumerate(index) if rows[i].region is not None]
        regions = [rows[index[j]].region for j in regional]
        for e in _trusting(yes[regional], w[regional], regions, minimum_n):
            cells.append({**base, "level": "region", "region": e.pop("cell"), **e})
        months = [rows[i].submitted_at.strftime("%Y-%m") for i in index]
        for e in _trusting(yes, w, months, minimum_n):
            over_time.append(
                {**base, "level": "country", "region": None, "month": e.pop("cell"), **e}
            )
    return institutions, cells, over_time


def _trusting(
    yes: npt.NDArray[np.bool_], w: npt.NDArray[np.float64], cells: list[Any] | None, minimum_n: int
) -> list[dict[str, Any]]:
    if yes.size == 0:
        return []
    found = estimate(yes, w, cells=cells, categories=[True], minimum_n=minimum_n)
    return [
        {"cell": e.cell, "n": e.n, "share": e.share, "moe": e.moe, "deff": e.deff,
         "suppressed": e.suppressed}
        for e in found
    ]  # fmt: skip


def _cells(
    question: Question,
    rows: Sequence[Row],
    weights: Sequence[float],
    index: list[int],
    cells: list[Any],
    language: str,
    minimum_n: int,
) -> list[dict[str, Any]]:
    if not index:
        return []
    w = np.array([weights[i] for i in index], dtype=np.float64)
    keyed = None if all(c is None for c in cells) else cells
    names = [c.name for c in question.choices]
    per_choice: list[tuple[str, list[Estimate]]] = []
    if question.type == "select_one":
        values = np.array([str(rows[i].answers[question.key]) for i in index], dtype=object)
        found = estimate(values, w, cells=keyed, categories=names, minimum_n=minimum_n)
        per_choice = [(name, [e for e in found if e.category == name]) for name in names]
    else:
        picked = [_picked(rows[i].answers[question.key]) for i in index]
        for name in names:
            yes = np.array([name in p for p in picked], dtype=bool)
            found = estimate(yes, w, cells=keyed, categories=[True], minimum_n=minimum_n)
            per_choice.append((name, found))
    order = [e.cell for e in per_choice[0][1]] if per_choice else []
    result = []
    for position, cell in enumerate(order):
        first = per_choice[0][1][position]
        result.append(
            {
                "cell": cell,
                "n": first.n,
                "deff": first.deff,
                "effective_n": None if first.deff is None else first.n / first.deff,
                "suppressed": first.suppressed,
                "shares": [
                    {
                        "choice": name,
                        "label": _label(question, name, language),
                        "share": estimates[position].share,
                        "moe": estimates[position].moe,
                    }
                    for name, estimates in per_choice
                ],
            }
        )
    return result


def _label(question: Question, name: str, language: str) -> str:
    choice = question.choice(name)
    return choice.label(language) if choice else name


def _picked(value: Any) -> set[str]:
    if isinstance(value, str):
        return set(value.split())
    if isinstance(value, list | tuple):
        return {str(v) for v in value}
    return {str(value)}


def _cell(row: Row, by: str | None) -> Hashable:
    return None if by is None else getattr(row, by)


def _given(value: Any) -> bool:
    return not (value is None or (isinstance(value, str | list | tuple) and len(value) == 0))
