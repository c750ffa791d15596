"""The officials' workbench: login, the inbox of a body, acting on an appeal, the supervisor's
overview."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
