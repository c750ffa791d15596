"""Entry point for ASGI servers that start several worker processes (`arna serve --workers N`)."""

from __future__ import annotations

from fastapi import FastAPI

from arna.web.app import create_app


def app_factory() -> FastAPI:
    """Settings come from the ARNA_ environment of each worker process."""
    return create_app()
