"""Every table, imported once so that Alembic and tests see the whole schema."""

from arna.appeals.models import Appeal, Assignment, Counter, OutboxMessage
from arna.bodies.models import AppealCategory, Body, BodyType
from arna.core.audit import AuditEvent, AuditHead
from arna.core.auth import ApiToken, User
from arna.core.db import Base
from arna.core.sessions import LoginThrottle, WebSession
from arna.geo.models import KatoUnit, PlaceAlias

__all__ = [
    "ApiToken",
    "Appeal",
    "AppealCategory",
    "Assignment",
    "AuditEvent",
    "AuditHead",
    "Base",
    "Body",
    "BodyType",
    "Counter",
    "KatoUnit",
    "LoginThrottle",
    "OutboxMessage",
    "PlaceAlias",
    "User",
    "WebSession",
]
