"""Every table, imported once so that Alembic and the maintenance commands see the whole schema.

Only migrations and maintenance import this registry; a slice imports the models it uses (and a
models module the models its foreign keys point at).
"""

from arna.accounts.models import ApiKey, ApiToken, User, WebSession
from arna.appeals.models import (
    Appeal,
    Assignment,
    Counter,
    IdempotencyKey,
    OutboxMessage,
    Supporter,
    WorkerSweep,
)
from arna.bodies.models import AppealCategory, Body, BodyType
from arna.core.audit import AuditEvent, AuditHead
from arna.core.db import Base
from arna.geo.models import KatoUnit, PlaceAlias
from arna.opinion.models import Consultation, Participant, Statement, Vote
from arna.petitions.models import Invalidation, Petition, Signature
from arna.representatives.models import (
    Attendance,
    CostFigure,
    Deputy,
    Legislature,
    Party,
    RollCall,
    VoteRecord,
)
from arna.surveys.models import Survey, SurveyResponse

__all__ = [
    "ApiKey",
    "ApiToken",
    "Appeal",
    "AppealCategory",
    "Assignment",
    "Attendance",
    "AuditEvent",
    "AuditHead",
    "Base",
    "Body",
    "BodyType",
    "Consultation",
    "CostFigure",
    "Counter",
    "Deputy",
    "IdempotencyKey",
    "Invalidation",
    "KatoUnit",
    "Legislature",
    "OutboxMessage",
    "Participant",
    "Party",
    "Petition",
    "PlaceAlias",
    "RollCall",
    "Signature",
    "Statement",
    "Supporter",
    "Survey",
    "SurveyResponse",
    "User",
    "Vote",
    "VoteRecord",
    "WebSession",
    "WorkerSweep",
]
