"""Public pages of appeals: the list with filters, one public appeal, a body's page, a region's
page with its map, and the figures on the home page."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
