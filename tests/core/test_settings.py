from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from arna.core.settings import Settings

DOCS = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def test_every_setting_is_documented_and_nothing_else() -> None:
    settings_section = DOCS.read_text(encoding="utf-8").split("## Tests")[0]
    documented = set(re.findall(r"^\| `(ARNA_[A-Z_]+)` \|", settings_section, re.M))
    fields = {f"ARNA_{name.upper()}" for name in Settings.model_fields}
    assert documented == fields


def test_defaults_give_an_embedded_database() -> None:
    settings = Settings(_env_file=None)
    assert settings.effective_database_url.startswith("sqlite:///")
    assert settings.effective_database_url.endswith("arna.db")


def test_bad_values_fail_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARNA_DATABASE_URL", "mysql://root@localhost/arna")
    with pytest.raises(ValidationError, match="must start with"):
        Settings()
    monkeypatch.setenv("ARNA_DATABASE_URL", "sqlite:///x.db")
    monkeypatch.setenv("ARNA_PORT", "70000")
    with pytest.raises(ValidationError):
        Settings()


def test_plain_postgresql_urls_use_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARNA_DATABASE_URL", "postgresql://u@h/db")
    assert Settings().effective_database_url == "postgresql+psycopg://u@h/db"
