"""The officials' workbench: the inbox of a body and the supervisor's overview (`workbench`,
`overview`), one appeal on the desk (`appeal_desk`) and what its forms send (`acting`).

Every action goes through the same actions as the API, so the audit log and the notifications
are the same whichever door an official uses; the forms are validated by the API's schemas.
Logging in and out is the accounts slice's (`arna.accounts.pages`).
"""

from __future__ import annotations

from fastapi import APIRouter

from arna.appeals.pages import acting, appeal_desk, overview, workbench

router = APIRouter(include_in_schema=False)
router.include_router(workbench.router)
router.include_router(overview.router)
router.include_router(appeal_desk.router)
router.include_router(acting.router)
