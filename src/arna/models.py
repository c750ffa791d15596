"""Every table, imported once so that Alembic and tests see the whole schema."""

from arna.bodies.models import AppealCategory, Body, BodyType
from arna.core.audit import AuditEvent, AuditHead
from arna.core.db import Base
from arna.geo.models import KatoUnit, PlaceAlias

__all__ = [
    "AppealCategory",
    "AuditEvent",
    "AuditHead",
    "Base",
    "Body",
    "BodyType",
    "KatoUnit",
    "PlaceAlias",
]
