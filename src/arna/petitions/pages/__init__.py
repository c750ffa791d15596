"""The petitions' pages: browse, read and sign (`public`, `signing`), start one and send it out
(`citizen`), and what awaits officials on the workbench (`official`)."""

from fastapi import APIRouter

from arna.petitions.pages import citizen, official, public, signing

router = APIRouter(include_in_schema=False)
router.include_router(citizen.router)  # first: /petitions/new is not the number of a petition
router.include_router(public.router)
router.include_router(signing.router)
router.include_router(official.router)
