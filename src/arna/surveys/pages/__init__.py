"""The surveys' pages: the list and one survey's weighted figures (`public`), the respondent's
form (`respond`), and the analyst's workbench: load a questionnaire, import responses, weigh,
close (`official`)."""

from fastapi import APIRouter

from arna.surveys.pages import official, public, respond

router = APIRouter(include_in_schema=False)
router.include_router(public.router)
router.include_router(respond.router)
router.include_router(official.router)
