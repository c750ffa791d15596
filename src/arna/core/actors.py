"""Who is acting: the identity every action, audit event and access check is given."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ActorKind = Literal["anonymous", "applicant", "official", "supervisor", "admin", "system"]


@dataclass(frozen=True)
class Actor:
    """Who is acting. `label` is what the audit log records (never an e-mail or a name)."""

    kind: ActorKind
    user_id: int | None = None
    body_id: str | None = None
    name: str = ""

    @property
    def label(self) -> str:
        if self.user_id is not None:
            return f"user:{self.user_id}"
        return self.name or self.kind


ANONYMOUS = Actor("anonymous")
APPLICANT = Actor("applicant")


def system(name: str) -> Actor:
    return Actor("system", name=f"system:{name}")
