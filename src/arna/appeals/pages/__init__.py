"""The appeals' pages: the citizen's (file, track, answer back), the public's (the list, one
appeal) and the officials' workbench."""

from fastapi import APIRouter

from arna.appeals.pages import citizen, official, public, track

router = APIRouter(include_in_schema=False)
router.include_router(citizen.router)  # first: /appeals/new is not the number of an appeal
router.include_router(public.router)
router.include_router(track.router)
router.include_router(official.router)
