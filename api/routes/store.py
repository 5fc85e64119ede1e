"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol.

Indirect identification: ``/store?default`` and ``/store?graph=<IRI>``. Direct identification:
``/store/<path>`` names the graph whose IRI is that very URL. ``GET /store`` alone returns the
whole dataset (N-Quads or TriG); ``POST /store`` alone creates a graph with a fresh IRI under
``/store/`` (201 + ``Location``). GET and HEAD are reads (a query slot, the deadline, the row cap,
ETags); PUT, POST (including ``multipart/form-data``) and DELETE need the bearer token and run on
the writer thread. Bodies are parsed before the writer is involved, so a bad body changes nothing.
"""

from __future__ import annotations

import asyncio
import codecs
import uuid
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.backend import Backend, rows_to_triples
from api.deps import ServiceDep, require_writer
from api.errors import BadRequestError, NotAcceptableError, NotFoundError, UnsupportedMediaTypeError
from api.executor import Deadline
from api.http import add_protocol_routes, etag_for, etag_matches, media_type, read_body
from api.negotiation import DATASET_OFFERS, GRAPH_OFFERS, choose, content_type
from api.service import SparqlService

__all__ = ["parse_graph_body", "router"]

router = APIRouter(tags=["Graph Store"])

GRAPH_INPUT_FORMATS = frozenset(
    {ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD, ox.RdfFormat.N3}
)
_XML_FORMATS = frozenset({ox.RdfFormat.RDF_XML})
_RESPONSES: dict[int | str, dict[str, str]] = {
    200: {"description": "The graph (Turtle by default; N-Triples, JSON-LD, RDF/XML), or the dataset"},
    201: {"description": "Graph created (Location names a graph created by POST /store)"},
    204: {"description": "Done"},
    304: {"description": "Not modified"},
    400: {"description": "Unparsable body or bad graph IRI"},
    401: {"description": "Missing or wrong bearer token"},
    403: {"description": "Read-only service"},
    404: {"description": "No such graph"},
    406: {"description": "No acceptable format"},
    413: {"description": "Body over the upload cap"},
    415: {"description": "Body in a media type or charset that is not an RDF graph syntax"},
}

_Target = tuple[str | None, bool]  # (graph IRI or None for the default graph, whether one was named)


def _target(request: Request, path: str | None) -> _Target:
    """Which graph the request is about: (IRI or ``None`` for the default graph, named at all?)."""
    params = request.query_params
    graphs = params.getlist("graph")
    has_default = "default" in params
    if path:
        if graphs or has_default:
            raise BadRequestError(
                "a graph URL under /store/ names its graph itself: drop ?graph= and ?default"
            )
        raw = request.scope.get("raw_path") or request.url.path.encode()
        iri = (
            f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}{raw.decode('latin-1')}"
        )
        return _checked_iri(iri), True
    if has_default and graphs:
        raise BadRequestError("give either ?default or ?graph=, not both")
    if len(graphs) > 1:
        raise BadRequestError("give ?graph= once")
    if graphs:
        return _checked_iri(graphs[0]), True
    return None, has_default


def _checked_iri(iri: str) -> str:
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise BadRequestError(f"bad graph IRI {iri!r}: {exc}") from None
    return iri


def _input_format(header: str | None) -> tuple[ox.RdfFormat, str]:
    mtype, params = media_type(header)
    fmt = ox.RdfFormat.from_media_type(mtype) if mtype else None
    if fmt is None or fmt not in GRAPH_INPUT_FORMATS:
        raise UnsupportedMediaTypeError(
            "send a graph as Turtle, N-Triples, RDF/XML, JSON-LD or N3"
            + (f", not {mtype}" if mtype else " (no Content-Type given)")
        )
    return fmt, params.get("charset", "utf-8")


def parse_graph_body(data: bytes, content_type_header: str | None, base_iri: str | None) -> list[ox.Triple]:
    """Parse one RDF graph (honouring a non-UTF-8 ``charset``); 400/415 on bad input.

    >>> parse_graph_body(b'<a> <b> "c" .', "text/turtle", "http://ex/")[0].subject
    <NamedNode value=http://ex/a>
    >>> utf16 = '<http://a> <http://b> "é" .'.encode("utf-16")
    >>> parse_graph_body(utf16, "text/turtle; charset=utf-16", None)[0].object
    <Literal value=é datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
    """
    fmt, charset = _input_format(content_type_header)
    if charset.lower().replace("_", "-") not in ("utf-8", "utf8") and fmt not in _XML_FORMATS:
        try:
            data = data.decode(codecs.lookup(charset).name).encode("utf-8")
        except LookupError:
            raise UnsupportedMediaTypeError(f"unknown charset {charset!r}") from None
        except UnicodeDecodeError as exc:
            raise BadRequestError(f"the body is not valid {charset}: {exc}") from None
    try:
        return rows_to_triples(
            ox.parse(data, format=fmt, base_iri=base_iri, without_named_graphs=True, rename_blank_nodes=True)
        )
    except (SyntaxError, ValueError) as exc:
        raise BadRequestError(f"cannot parse the {fmt.name} body: {' '.join(str(exc).split())}") from None


def _multipart_graphs(body: bytes, header: str, base_iri: str | None) -> list[ox.Triple]:
    """Every file part of a ``multipart/form-data`` body, each parsed by its own Content-Type."""
    message: EmailMessage = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + header.encode("latin-1") + b"\r\n\r\n" + body
    )
    if not message.is_multipart():
        raise BadRequestError("malformed multipart/form-data body")
    triples: list[ox.Triple] = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            raise BadRequestError("malformed part in the multipart/form-data body")
        triples.extend(parse_graph_body(payload, part.get("Content-Type"), base_iri))
    return triples


async def _body_triples(request: Request, service: SparqlService, graph: str | None) -> list[ox.Triple]:
    body = await read_body(request, service.settings.max_upload_bytes, "upload")
    header = request.headers.get("content-type")
    base = graph or str(request.url.replace(query=""))
    if media_type(header)[0] == "multipart/form-data":
        assert header is not None
        return await asyncio.to_thread(_multipart_graphs, body, header, base)
    return await asyncio.to_thread(parse_graph_body, body, header, base)


async def _read(request: Request, service: SparqlService, graph: str | None, whole_dataset: bool) -> Response:
    accept = request.headers.get("accept")
    offers = DATASET_OFFERS if whole_dataset else GRAPH_OFFERS
    fmt = choose(accept, offers)
    if fmt is None:
        raise NotAcceptableError("acceptable formats: " + ", ".join(m for m, _ in offers))
    etag = etag_for(service.generation, "store", graph, whole_dataset, fmt)
    headers = {"Vary": "Accept", "ETag": etag}
    max_rows = service.settings.max_rows

    def job(backend: Backend, deadline: Deadline) -> bytes:
        if whole_dataset:
            return backend.dataset_bytes(fmt, deadline=deadline, max_rows=max_rows)
        if not backend.graph_exists(graph):
            raise NotFoundError(f"no graph <{graph}> in the store")
        return backend.graph_bytes(graph, fmt, deadline=deadline, max_rows=max_rows)

    if etag_matches(request.headers.get("if-none-match"), etag):
        exists = await service.read(lambda b, d: whole_dataset or b.graph_exists(graph), what="graph read")
        if exists:
            return Response(status_code=304, headers=headers)
    body = await service.read(job, what="graph read")
    return Response(body, media_type=content_type(fmt), headers=headers)


async def _write(request: Request, service: SparqlService, graph: str | None, named: bool) -> Response:
    require_writer(request)
    method = request.method
    if method == "DELETE":
        if not named:
            raise BadRequestError("name the graph to delete: ?default or ?graph=<IRI>")

        def delete(backend: Backend, deadline: Deadline) -> None:
            if not backend.graph_exists(graph):
                raise NotFoundError(f"no graph <{graph}> in the store")
            backend.drop_graph(graph)

        await service.write(delete, what="graph delete")
        return Response(status_code=204)
    location: str | None = None
    if not named:
        if method == "PUT":
            raise BadRequestError("name the graph to replace: ?default or ?graph=<IRI>")
        location = str(request.url.replace(query="", fragment="")).rstrip("/") + "/" + uuid.uuid4().hex
        graph = location
    triples = await _body_triples(request, service, graph)

    def store(backend: Backend, deadline: Deadline) -> bool:
        created = not backend.graph_exists(graph)
        if method == "PUT":
            backend.replace_graph(graph, triples)
        else:
            backend.add_to_graph(graph, triples)
        return created

    created = await service.write(store, what=f"graph {method}")
    if location is not None:
        return Response(status_code=201, headers={"Location": location})
    return Response(status_code=201 if created else 204)


async def graph_store(request: Request, service: ServiceDep) -> Response:
    """Read or write the default graph (``?default``), a named graph (``?graph=``), or the dataset."""
    graph, named = _target(request, None)
    if request.method in ("GET", "HEAD"):
        return await _read(request, service, graph, whole_dataset=not named)
    return await _write(request, service, graph, named)


async def graph_store_direct(request: Request, path: str, service: ServiceDep) -> Response:
    """Read or write the graph named by this URL."""
    graph, _ = _target(request, path)
    if request.method in ("GET", "HEAD"):
        return await _read(request, service, graph, whole_dataset=False)
    return await _write(request, service, graph, True)


_METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE"]
add_protocol_routes(
    router,
    "/store",
    graph_store,
    _METHODS,
    operation_id="graph_store",
    summary="Graph Store Protocol (indirect identification: ?default, ?graph=IRI)",
    response_class=Response,
    responses=_RESPONSES,
)
add_protocol_routes(
    router,
    "/store/{path:path}",
    graph_store_direct,
    _METHODS,
    operation_id="graph_store_direct",
    summary="Graph Store Protocol (direct identification: the URL is the graph IRI)",
    response_class=Response,
    responses=_RESPONSES,
)
