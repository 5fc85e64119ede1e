"""``/.well-known/void``: VoID and DCAT description of the dataset (Turtle, or by ``Accept``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.backend import Backend
from api.backend_select import BackendSelect
from api.deps import ServiceDep, SettingsDep
from api.errors import NotAcceptableError
from api.executor import Deadline
from api.http import etag_for, etag_matches
from api.negotiation import GRAPH_OFFERS, choose, content_type
from api.research_deps import get_and_head
from api.results import serialize_triples
from api.void import VOID_PREFIXES, DatasetCounts, count_dataset, void_triples

__all__ = ["router"]

router = APIRouter(tags=["linked data"])


@get_and_head(
    router,
    "/.well-known/void",
    operation_id="void_description",
    summary="VoID + DCAT description of the dataset",
    response_class=Response,
    responses={
        200: {
            "description": "Turtle by default; N-Triples, JSON-LD or RDF/XML by Accept",
            "content": {
                media: {}
                for media, _ in GRAPH_OFFERS[:1] + GRAPH_OFFERS[2:3] + GRAPH_OFFERS[4:5] + GRAPH_OFFERS[6:7]
            },
        }
    },
)
async def void_description(request: Request, service: ServiceDep, settings: SettingsDep) -> Response:
    """Triples, classes and their instance counts, licence, dumps and the SPARQL endpoint."""
    fmt = choose(request.headers.get("accept"), GRAPH_OFFERS)
    if fmt is None:
        raise NotAcceptableError("the description is available as Turtle, N-Triples, JSON-LD or RDF/XML")
    service_url = str(request.base_url).rstrip("/")
    generation = service.generation
    etag = etag_for(generation, service_url, fmt)
    headers = {"Vary": "Accept", "ETag": etag}
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    cache: dict[int, DatasetCounts] = request.app.state.void_counts
    counts = cache.get(generation)
    if counts is None:

        def job(backend: Backend, deadline: Deadline) -> DatasetCounts:
            return count_dataset(BackendSelect(backend, deadline=deadline))

        counts = await service.read(job, what="dataset count")
        cache.clear()
        cache[generation] = counts
    triples = void_triples(service_url, settings.base_iri, counts)
    body = serialize_triples(triples, fmt, deadline=None, max_rows=len(triples), prefixes=VOID_PREFIXES)
    return Response(body, media_type=content_type(fmt), headers=headers)
