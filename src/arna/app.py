"""create_app(settings): the one place the web application is assembled from the slices."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.routing import Mount

from arna import __version__
from arna.accounts.pages import router as accounts_pages
from arna.accounts.throttle import LoginGuard
from arna.appeals.api import router as appeals_api
from arna.appeals.deps import new_support_quota
from arna.appeals.gauges import GAUGES
from arna.appeals.intake import IntakeQueue
from arna.appeals.integrity import check_appeals
from arna.appeals.pages import router as appeals_pages
from arna.bodies.api import router as bodies_api
from arna.core import audit
from arna.core.api import router as core_api
from arna.core.clock import load_calendar
from arna.core.collector import THRESHOLD
from arna.core.db import Database
from arna.core.settings import Settings
from arna.geo.api import router as geo_api
from arna.listening.api import router as listening_api
from arna.listening.pages import router as listening_pages
from arna.maintenance.upgrade import current_revision, head_revision
from arna.open311.api import PREFIX as OPEN311_PREFIX
from arna.open311.api import error_response as open311_error
from arna.open311.api import router as open311_api
from arna.opinion.api import router as opinion_api
from arna.opinion.pages import router as opinion_pages
from arna.oversight.api import router as oversight_api
from arna.oversight.pages import router as oversight_pages
from arna.oversight.pages.problems import router as problem_pages
from arna.petitions.api import router as petitions_api
from arna.petitions.deps import SigningGuard
from arna.petitions.integrity import check_petitions
from arna.petitions.pages import router as petitions_pages
from arna.petitions.signing_queue import SigningQueue
from arna.representatives.api import router as representatives_api
from arna.representatives.pages import router as representatives_pages
from arna.surveys.api import router as surveys_api
from arna.surveys.pages import router as surveys_pages
from arna.text.api import router as text_api
from arna.text.readers import Readers, default_processes
from arna.web import errors, observability
from arna.web.headers import SecurityHeaders
from arna.web.language import LanguageMiddleware
from arna.web.limits import BodySizeLimit
from arna.web.metrics import Metrics, add_gauge

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
    metrics = Metrics(database)
    intake = IntakeQueue(database, settings, readers, on_batch=metrics.observe_batch)
    signing = SigningQueue(database, load_calendar(settings.calendar_file))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        readers.start()
        await readers.warmed(timeout=120)
        yield
        await intake.stop()
        await signing.stop()
        readers.stop()
        if db is None:  # we made it, we close it
            database.dispose()

    app = FastAPI(
        title="Arna",
        version=__version__,
        summary="A channel from the people of Kazakhstan to their state.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # FastAPI's takes Swagger UI from a CDN with inline script: see serve_files
        redoc_url=None,
        lifespan=lifespan,
    )
    warm_up()
    audit.add_state_check("appeals", check_appeals)
    audit.add_state_check("petitions", check_petitions)
    for name, doc, read in GAUGES:  # /metrics reads them at each scrape
        add_gauge(name, doc, read)
    app.state.settings = settings
    app.state.db = database
    app.state.intake = intake
    app.state.login_guard = LoginGuard()
    app.state.support_quota = new_support_quota()
    app.state.signing_queue = signing
    app.state.signing_guard = SigningGuard(settings)
    errors.install(app, {"/open311/": open311_error})  # GeoReport errors, its own format
    # Routes are matched in order, each included router costing tens of microseconds: the
    # busiest writes (appeals, signatures) come first (0.27 ms to match a signature last, 0.02
    # first; benchmarks/petition_signing.py).
    routers = (
        core_api, appeals_api, petitions_api, opinion_api, geo_api, bodies_api, text_api,
        listening_api, oversight_api, representatives_api, surveys_api,
    )  # fmt: skip
    for router in routers:
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(open311_api, prefix=OPEN311_PREFIX)  # GeoReport's own addresses
    pages = (
        oversight_pages, problem_pages, appeals_pages, accounts_pages, listening_pages,
        representatives_pages, petitions_pages, opinion_pages, surveys_pages,
    )  # fmt: skip
    for router in pages:
        app.include_router(router)
    app.add_middleware(LanguageMiddleware)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(SecurityHeaders)  # its headers reach every response
    # the outermost: request ids, access log, metrics; /healthz, /readyz, /metrics
    observability.install(app, database, metrics, current_revision, head_revision)
    static = resources.files("arna.web").joinpath("static")
    # first, not last: matched after every router, a file cost 0.8 ms of matching
    app.router.routes.insert(0, Mount("/static", StaticFiles(directory=str(static)), name="static"))
    serve_files(app, str(static))
    return app


def serve_files(app: FastAPI, static: str) -> None:
    """Two files at the addresses where people and browsers look for them: the interactive API
    documentation (Swagger UI from the package, started by a script file: no CDN, no inline
    script) and the favicon."""
    day = {"Cache-Control": "public, max-age=86400"}

    @app.get(f"{API_PREFIX}/docs", include_in_schema=False)
    def api_docs() -> FileResponse:
        return FileResponse(f"{static}/swagger-ui/docs.html", media_type="text/html")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(f"{static}/favicon.ico", media_type="image/x-icon", headers=day)


def app_factory() -> FastAPI:
    """What `arna serve` runs in each worker process; settings come from its ARNA_ environment."""
    app = create_app()
    tune_garbage_collector()
    return app


def tune_garbage_collector() -> None:
    """Keep the collector's pauses out of request latency.

    The reference data, alias indexes and caches built at start are long-lived: frozen, the
    collector never walks them again; and a higher first threshold makes collections rarer.
    Measured with benchmarks/appeals_intake.py (SQLite, 16 clients): p99 181 ms -> 60 ms at
    the same throughput.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLD)
