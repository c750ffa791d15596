"""Every file the package reads at run time (data, models, templates, static files, catalogs,
migrations) ships in it: each is matched by the package data of pyproject.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "arna"


def test_every_data_file_is_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["arna"]
    shipped = {path for pattern in patterns for path in SRC.glob(pattern) if path.is_file()}
    data = {
        path
        for path in SRC.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    }
    assert sorted(str(p.relative_to(SRC)) for p in data - shipped) == []
