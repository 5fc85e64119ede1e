"""Dependencies of the researcher and linked-data routes: the ontology, the statistics service,
the dump files, the cache of case searches, and a JSON response helper with ETags.

The statistics service lives in ``app.state.stats``; :func:`research_lifespan` creates it when
the app starts (after the app's own lifespan has opened the store) and starts building its cubes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import Response

from api.backend_select import BackendSelect
from api.deps import state_dependency
from api.dumps import DumpFiles
from api.http import etag_for, etag_matches
from api.service import SparqlService
from api.stats_service import GenerationCache, StatsService
from ontology import Ontology, load_ontology

__all__ = [
    "CaseListsDep",
    "DumpsDep",
    "OntologyDep",
    "StatsDep",
    "get_and_head",
    "get_case_lists",
    "get_dumps",
    "get_ontology",
    "get_stats",
    "json_response",
    "research_lifespan",
]

F = TypeVar("F", bound=Callable[..., Any])


def get_and_head(router: APIRouter, path: str, **options: Any) -> Callable[[F], F]:
    """Register an endpoint for GET (documented, with its operation id) and HEAD (hidden).

    One route per method keeps operation ids unique in the OpenAPI schema.
    """

    def register(endpoint: F) -> F:
        router.add_api_route(path, endpoint, methods=["GET"], **options)
        hidden = {k: v for k, v in options.items() if k not in ("operation_id", "summary")}
        router.add_api_route(path, endpoint, methods=["HEAD"], include_in_schema=False, **hidden)
        return endpoint

    return register


def get_ontology(request: Request) -> Ontology:
    """The ontology of the settings (``SARCOKG_ONTOLOGY`` or the bundled file), cached by its loader."""
    return load_ontology(request.app.state.settings.ontology)


get_stats = state_dependency("stats", StatsService, "The process's :class:`StatsService`.")
get_case_lists = state_dependency(
    "case_lists",
    GenerationCache,
    "The cache of case searches: filters -> sorted (case id, patient IRI) matches, per generation.",
)
get_dumps = state_dependency("dumps", DumpFiles, "The process's dump files.")


def json_response(request: Request, body: bytes, *, generation: int, key: object) -> Response:
    """JSON bytes with a weak ``ETag`` from the store generation (304 on ``If-None-Match``)."""
    etag = etag_for(generation, request.url.path, key)
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


@asynccontextmanager
async def research_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Create the statistics service and start building its cubes (the store is open by now);
    create the dumps folder. Both are cleaned up at shutdown."""
    service: SparqlService = app.state.service
    stats = StatsService(
        BackendSelect(service.backend),
        load_ontology(app.state.settings.ontology),
        generation=lambda: service.generation,
    )
    app.state.stats = stats
    app.state.dumps = DumpFiles()
    app.state.case_lists = GenerationCache(16)
    app.state.void_counts = {}  # generation -> api.void.DatasetCounts
    stats.start()
    try:
        yield
    finally:
        stats.close()
        app.state.dumps.close()


OntologyDep = Annotated[Ontology, Depends(get_ontology)]
StatsDep = Annotated[StatsService, Depends(get_stats)]
DumpsDep = Annotated[DumpFiles, Depends(get_dumps)]
CaseListsDep = Annotated[GenerationCache, Depends(get_case_lists)]
