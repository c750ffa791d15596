"""Consultations' test setting: the app on a fresh database (the appeals' `env`)."""

from __future__ import annotations

from tests.appeals.conftest import env

__all__ = ["env"]
