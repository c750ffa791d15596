"""The documented shape of every error: RFC 9457 problem details as `application/problem+json`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

_MEANING = {
    400: "The body is not valid JSON in UTF-8",
    401: "No or invalid bearer token",
    403: "Your role may not do this",
    404: "Not found (or not visible to you)",
    409: "Conflict: the action is not allowed in the current state",
    413: "The request body is too large",
    422: "Invalid input; `detail` says what to fix",
    429: "Too many requests from your address: wait the seconds in Retry-After",
    503: "Nothing was stored; send it again after the seconds in Retry-After",
}


class Problem(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str = Field(examples=["https://arna.kz/problems/validation_failed"])
    title: str = Field(examples=["validation failed"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["kato: String should match pattern '^\\d{9}$'"])
    errors: list[dict[str, str | int]] | None = Field(
        default=None,
        examples=[[{"field": "applicant.iin", "message": "the check digit of this IIN is wrong"}]],
    )


_SCHEMA = Problem.model_json_schema()


def problem_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {
        code: {
            "description": _MEANING[code],
            "content": {"application/problem+json": {"schema": _SCHEMA}},
        }
        for code in codes
    }
