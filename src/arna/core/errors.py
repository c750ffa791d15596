"""One error tree. The web layer turns each into a problem-details response with its status."""

from __future__ import annotations

from typing import Any


class ArnaError(Exception):
    status = 400
    code = "error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(ArnaError):
    """Also raised for rows the actor may not see: "not found" and "forbidden" look the same."""

    status = 404
    code = "not_found"


class Unauthorized(ArnaError):
    """No credentials, or credentials that do not identify anybody."""

    status = 401
    code = "unauthorized"


class Forbidden(ArnaError):
    status = 403
    code = "forbidden"


class ValidationFailed(ArnaError):
    status = 422
    code = "validation_failed"


class Conflict(ArnaError):
    status = 409
    code = "conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"
