"""The demo season of listening, imported once per test process and shared (read only: a test
that changes the store works on a copy)."""

from __future__ import annotations

from datetime import date

import pytest

from arna.core.settings import Settings
from arna.listening import demo

AS_OF = date(2026, 12, 6)


@pytest.fixture(scope="session")
def season(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("listening")
    settings = Settings(data_dir=root, secret_key="s" * 40)
    found = demo.seed(settings, 7, AS_OF)
    assert found["posts"] > 5000 and found["copies"] > 100 and found["topics"] >= 2
    return settings
