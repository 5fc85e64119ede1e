"""The FastAPI application: one store opened at start-up, the routers, one error handler, CORS for reads."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from api.cors import ReadOnlyCORSMiddleware
from api.errors import headers_for, status_for
from api.head import HeadAsGetMiddleware
from api.http import error_response
from api.routes import research
from api.routes.sparql import router as sparql_router
from api.routes.store import router as store_router
from api.routes.update import router as update_router
from api.service import SparqlService
from sarcokg import __version__
from sarcokg.config import Settings, get_settings
from sarcokg.errors import SarcoKGError

__all__ = ["create_app"]

log = logging.getLogger("sarcokg.api")

STATIC_DIR = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None, *, service: SparqlService | None = None) -> FastAPI:
    """Build the app. The store is opened once, when the app starts (or pass an opened ``service``).

    >>> app = create_app(Settings(store=Path("/tmp/never-opened"), _env_file=None))
    >>> sorted(p for p in app.openapi()["paths"] if p in ("/sparql", "/update", "/store"))
    ['/sparql', '/store', '/update']
    """
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = service or SparqlService.open(settings)
        app.state.service = opened
        try:
            yield
        finally:
            opened.close()

    app = FastAPI(
        title="SarcoKG",
        version=__version__,
        summary="An open knowledge graph of sarcoma metastasis case reports",
        description=(
            "SPARQL 1.1 Protocol at `/sparql` and `/update`, Graph Store Protocol at `/store`, "
            "researcher endpoints under `/api`. Writes need `Authorization: Bearer <token>`."
        ),
        lifespan=lifespan,
    )
    app.state.settings = settings
    if service is not None:
        app.state.service = service

    @app.exception_handler(SarcoKGError)
    async def sarcokg_error(request: Request, exc: SarcoKGError) -> Response:
        status = status_for(exc)
        if status >= 500 and status not in (503, 504):
            log.error("%s %s: %s", request.method, request.url.path, exc)
        return error_response(request, status, " ".join(str(exc).split()), headers_for(exc))

    app.include_router(sparql_router)
    app.include_router(update_router)
    app.include_router(store_router)
    app.include_router(research.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(HeadAsGetMiddleware)
    app.add_middleware(ReadOnlyCORSMiddleware)  # outermost: sees the real method (HEAD is a read)
    return app
