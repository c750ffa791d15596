"""Forms are validated by the slice's schemas; this turns what a schema rejected into the
messages a page shows beside its fields."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ValidationError

from arna.core.errors import ArnaError


class FormError(ArnaError):
    """A form value to correct; its message is already in the page's language."""

    status = 422


def rejected(exc: ValidationError) -> list[tuple[str, str]]:
    """(field, kind of error) of each rejected value, in the schema's order: `applicant.email`,
    `string_too_short`."""
    return [(".".join(str(p) for p in e["loc"]), e["type"]) for e in exc.errors()]


def form_errors(
    exc: ValidationError, field_of: Mapping[str, str], messages: Mapping[str, str], default: str
) -> dict[str, str]:
    """The form's fields a schema rejected (schema field -> form field, `default` for any
    other), each with its message in the page's language."""
    errors = {}
    for where, _kind in rejected(exc):
        field = field_of.get(where, default)
        errors[field] = messages[field]
    return errors
