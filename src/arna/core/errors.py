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
        self.headers: dict[str, str] = {}  # HTTP headers the answer carries (Retry-After)


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


class Unavailable(ArnaError):
    """The server cannot take the request now and kept nothing of it: send it again after
    `retry_after` seconds (the answer carries Retry-After)."""

    status = 503
    code = "unavailable"

    def __init__(self, message: str, *, retry_after: int = 5, **details: Any) -> None:
        super().__init__(message, retry_after=retry_after, **details)
        self.headers = {"Retry-After": str(retry_after)}


class TooManyRequests(ArnaError):
    """Refused before any work was done: try again after `retry_after` seconds."""

    status = 429
    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, retry_after=retry_after)
        self.headers = {"Retry-After": str(retry_after)}
