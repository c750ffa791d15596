"""create_app(settings): the one place the web application is assembled."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from arna import __version__
from arna.appeals.api import router as appeals_api
from arna.appeals.intake import IntakeQueue
from arna.appeals.official_pages import router as official_pages
from arna.appeals.pages import router as appeals_pages
from arna.appeals.public_pages import router as public_pages
from arna.bodies.api import router as bodies_api
from arna.core.api import router as core_api
from arna.core.db import Database
from arna.core.settings import Settings
from arna.geo.api import router as geo_api
from arna.text.api import router as text_api
from arna.text.readers import Readers, default_processes
from arna.web import errors, pages
from arna.web.i18n import LanguageMiddleware
from arna.web.limits import BodySizeLimit

API_PREFIX = "/api/v1"


def warm_up() -> None:
    """Load reference data and indexes now, not inside the first requests."""
    from arna.bodies.competence import categories
    from arna.bodies.reference import bodies
    from arna.text.analysis import analyze

    bodies(), categories(), analyze("Алматыда жол бұзылған")


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    settings = settings or Settings()
    database = db or Database(settings.effective_database_url)

    readers = Readers(
        default_processes() if settings.text_readers is None else settings.text_readers
    )
    intake = IntakeQueue(database, settings, readers)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        readers.start()
        await readers.warmed(timeout=120)
        yield
        await intake.stop()
        readers.stop()
        if db is None:  # we made it, we close it
            database.dispose()

    app = FastAPI(
        title="Arna",
        version=__version__,
        summary="A channel from the people of Kazakhstan to their state.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    warm_up()
    app.state.settings = settings
    app.state.db = database
    app.state.intake = intake
    errors.install(app)
    for router in (core_api, geo_api, bodies_api, appeals_api, text_api):
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(pages.router)
    app.include_router(appeals_pages)
    app.include_router(public_pages)
    app.include_router(official_pages)
    app.add_middleware(LanguageMiddleware)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)
    static = resources.files("arna.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    return app
