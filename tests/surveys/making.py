"""A survey loaded and answered through the API, for the tests: the demo's questionnaire (the
trust block, kk/ru/en labels) and its generated responses as a Kobo CSV export."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

from arna.surveys import demo
from tests.appeals.conftest import Env

START = datetime(2026, 3, 1, tzinfo=UTC)


def load_survey(site: Env, token: str) -> str:
    made = site.client.post(
        "/api/v1/surveys",
        files={"file": ("trust.xlsx", demo.form_xlsx(), "application/octet-stream")},
        headers=site.auth(token),
    )
    assert made.status_code == 201, made.text
    return str(made.json()["number"])


def generated(n: int, seed: int = 7) -> list[dict[str, Any]]:
    return demo.responses(random.Random(seed), n, START)


def csv_of(rows: list[dict[str, Any]]) -> bytes:
    return demo.to_csv(rows)
