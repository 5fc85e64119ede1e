"""``/sparql``: SPARQL 1.1 Protocol queries (GET, POST form, POST ``application/sparql-query``).

Without a query, ``GET /sparql`` answers with the Service Description (Turtle by default) or, for
a browser, the query page. Results are negotiated per query kind, carry ``Vary: Accept`` and a weak
``ETag`` derived from the store generation (``If-None-Match`` gives 304 without running the query).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.backend import DatasetSpec, ResultFormats
from api.deps import ServiceDep
from api.description import service_description
from api.errors import BadRequestError, NotAcceptableError, PayloadTooLargeError, UnsupportedMediaTypeError
from api.http import add_protocol_routes, etag_for, etag_matches, media_type, read_body, require_utf8
from api.negotiation import (
    BOOLEAN_OFFERS,
    GRAPH_OFFERS,
    TABULAR_OFFERS,
    choose,
    content_type,
    format_override,
    prefers_html,
)

__all__ = ["parse_timeout", "router"]

router = APIRouter(tags=["SPARQL"])
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Query results (SELECT/ASK: SPARQL JSON, XML, CSV, TSV; CONSTRUCT/DESCRIBE: "
        "Turtle, N-Triples, JSON-LD, RDF/XML), or the service description / query page without a query."
    },
    304: {"description": "Not modified since the ETag given in If-None-Match"},
    400: {"description": "Bad SPARQL (the parser's message) or bad parameters"},
    403: {"description": "SERVICE is not allowed"},
    406: {"description": "No acceptable format for this kind of result"},
    413: {"description": "Query text over the size cap"},
    415: {"description": "POST body neither form-encoded nor application/sparql-query (UTF-8)"},
    422: {"description": "Result over the row cap (never silently cut)"},
    503: {"description": "All query slots busy (Retry-After)"},
    504: {"description": "The query ran past its deadline"},
}

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "templates"),
    autoescape=select_autoescape(["html"]),
)
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"


def parse_timeout(values: list[str]) -> float | None:
    """The ``timeout`` parameter in seconds (``None`` if absent).

    >>> parse_timeout(["2.5"]), parse_timeout([])
    (2.5, None)
    """
    if not values:
        return None
    if len(values) > 1:
        raise BadRequestError("give the timeout parameter once")
    try:
        seconds = float(values[0])
    except ValueError:
        raise BadRequestError(f"timeout must be a number of seconds, not {values[0]!r}") from None
    if not seconds > 0:
        raise BadRequestError("timeout must be a positive number of seconds")
    return seconds


def endpoint_url(request: Request) -> str:
    """The URL of the endpoint itself (the base IRI of queries and of the description)."""
    return str(request.url.replace(query="", fragment=""))


async def _request_params(request: Request, max_bytes: int) -> list[tuple[str, str]]:
    """Protocol parameters from the URL and, for POST, the body (a direct query becomes ``query``)."""
    params = list(request.query_params.multi_items())
    if request.method != "POST":
        return params
    mtype, ctparams = media_type(request.headers.get("content-type"))
    if mtype == FORM:
        body = await read_body(request, 3 * max_bytes + 4096, "form body")
        try:
            return params + parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError:
            raise BadRequestError("the form body is not valid UTF-8") from None
    if mtype == DIRECT:
        require_utf8(ctparams, "a query sent as application/sparql-query")
        body = await read_body(request, max_bytes, "query")
        if any(k == "query" for k, _ in params):
            raise BadRequestError("a direct POST carries the query in its body, not in a query parameter")
        try:
            return [*params, ("query", body.decode("utf-8"))]
        except UnicodeDecodeError:
            raise BadRequestError("the query is not valid UTF-8") from None
    raise UnsupportedMediaTypeError(
        f"POST a query as {FORM} or {DIRECT}" + (f", not {mtype}" if mtype else " (no Content-Type given)")
    )


def _negotiate(request: Request, format_param: str | None) -> ResultFormats:
    accept = request.headers.get("accept")
    if format_param:
        return ResultFormats(
            tabular=format_override(format_param, TABULAR_OFFERS),
            boolean=format_override(format_param, BOOLEAN_OFFERS),
            graph=format_override(format_param, GRAPH_OFFERS),
        )
    return ResultFormats(
        tabular=choose(accept, TABULAR_OFFERS),
        boolean=choose(accept, BOOLEAN_OFFERS),
        graph=choose(accept, GRAPH_OFFERS),
    )


def _describe(request: Request) -> Response:
    accept = request.headers.get("accept")
    if prefers_html(accept, "text/turtle"):
        page = TEMPLATES.get_template("query.html").render(endpoint=endpoint_url(request))
        return HTMLResponse(page, headers={"Vary": "Accept"})
    fmt = choose(accept, GRAPH_OFFERS)
    if fmt is None:
        raise NotAcceptableError(
            "the service description is available as Turtle, N-Triples, JSON-LD or RDF/XML"
        )
    body = service_description(endpoint_url(request), fmt)
    return Response(body, media_type=content_type(fmt), headers={"Vary": "Accept"})


async def sparql_query(
    request: Request,
    service: ServiceDep,
    query: str | None = Query(None, description="The SPARQL query (GET, or POST form)"),
    default_graph_uri: list[str] | None = Query(
        None, alias="default-graph-uri", description="Default graph(s)"
    ),
    named_graph_uri: list[str] | None = Query(None, alias="named-graph-uri", description="Named graph(s)"),
    timeout: str | None = Query(None, description="Deadline in seconds (default 30, capped at 120)"),
    format: str | None = Query(
        None, description="Override Accept: json, xml, csv, tsv, ttl, nt, jsonld, rdfxml"
    ),
) -> Response:
    """Run a SPARQL query; see the SPARQL 1.1 Protocol."""
    settings = service.settings
    params = await _request_params(request, settings.max_query_bytes)
    names = [k for k, _ in params]
    if "update" in names or "using-graph-uri" in names or "using-named-graph-uri" in names:
        raise BadRequestError("updates go to POST /update")
    queries = [v for k, v in params if k == "query"]
    if len(queries) > 1:
        raise BadRequestError("give exactly one query")
    if not queries:
        if request.method == "POST":
            raise BadRequestError("no query given")
        return _describe(request)
    sparql = queries[0]
    if len(sparql.encode("utf-8")) > settings.max_query_bytes:
        raise PayloadTooLargeError(f"the query is larger than the {settings.max_query_bytes}-byte limit")
    dataset = DatasetSpec(
        default_graphs=tuple(v for k, v in params if k == "default-graph-uri"),
        named_graphs=tuple(v for k, v in params if k == "named-graph-uri"),
    )
    timeout_s = parse_timeout([v for k, v in params if k == "timeout"])
    format_values = [v for k, v in params if k == "format"]
    formats = _negotiate(request, format_values[0] if format_values else None)
    if formats.tabular is None and formats.boolean is None and formats.graph is None:
        raise NotAcceptableError("none of the formats in the Accept header can carry SPARQL results")
    accept = request.headers.get("accept")
    etag = etag_for(service.generation, sparql, dataset, accept, format_values, endpoint_url(request))
    headers = {"Vary": "Accept", "ETag": etag}
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    fmt, body = await service.protocol_query(
        sparql, base_iri=endpoint_url(request), dataset=dataset, formats=formats, timeout_s=timeout_s
    )
    return Response(body, media_type=content_type(fmt), headers=headers)


add_protocol_routes(
    router,
    "/sparql",
    sparql_query,
    ["GET", "HEAD", "POST"],
    operation_id="sparql_query",
    summary="SPARQL 1.1 query",
    response_class=Response,
    responses=_RESPONSES,
)
