"""The consultations' pages: the public list, one consultation to vote in and add statements to
(`public`, `voting`), and its opinion groups with the map drawn on the server (`opinion_map`);
moderating, opening and closing them on the officials' workbench (`official`)."""

from fastapi import APIRouter

from arna.opinion.pages import official, public, voting

router = APIRouter(include_in_schema=False)
router.include_router(public.router)
router.include_router(voting.router)
router.include_router(official.router)
