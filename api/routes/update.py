"""``/update``: SPARQL 1.1 Update over the protocol (POST form or ``application/sparql-update``).

Only POST is allowed (``GET /update?update=...`` is a 405, never an update). Every update needs
the bearer token, is checked for LOAD and SERVICE before it runs, and runs on the one writer thread.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.backend import DatasetSpec
from api.deps import RequireWriter, ServiceDep
from api.errors import BadRequestError, UnsupportedMediaTypeError
from api.http import add_protocol_routes, media_type, read_body, require_utf8
from api.routes.sparql import endpoint_url, parse_timeout

__all__ = ["router"]

router = APIRouter(tags=["SPARQL"])
_RESPONSES: dict[int | str, dict[str, Any]] = {
    204: {"description": "Applied"},
    400: {"description": "Bad SPARQL Update (the parser's message) or bad parameters"},
    401: {"description": "Missing or wrong bearer token"},
    403: {"description": "Read-only service, or LOAD/SERVICE refused"},
    413: {"description": "Update over the upload size cap"},
    415: {"description": "Body neither form-encoded nor application/sparql-update (UTF-8)"},
    503: {"description": "The writer is busy"},
    504: {"description": "Ran past its deadline (it may still be applied)"},
}

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-update"


async def sparql_update(
    request: Request,
    _: RequireWriter,
    service: ServiceDep,
    using_graph_uri: list[str] | None = Query(None, alias="using-graph-uri"),
    using_named_graph_uri: list[str] | None = Query(None, alias="using-named-graph-uri"),
    timeout: str | None = Query(None, description="Deadline in seconds (default 30, capped at 120)"),
) -> Response:
    """Apply a SPARQL Update atomically."""
    limit = service.settings.max_upload_bytes
    params = list(request.query_params.multi_items())
    mtype, ctparams = media_type(request.headers.get("content-type"))
    if mtype == FORM:
        body = await read_body(request, limit, "update")
        try:
            params += parse_qsl(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise BadRequestError("the form body is not valid UTF-8") from None
    elif mtype == DIRECT:
        require_utf8(ctparams, "an update sent as application/sparql-update")
        if any(k == "update" for k, _ in params):
            raise BadRequestError("a direct POST carries the update in its body, not in a query parameter")
        try:
            params.append(("update", (await read_body(request, limit, "update")).decode("utf-8")))
        except UnicodeDecodeError:
            raise BadRequestError("the update is not valid UTF-8") from None
    else:
        raise UnsupportedMediaTypeError(
            f"POST an update as {FORM} or {DIRECT}"
            + (f", not {mtype}" if mtype else " (no Content-Type given)")
        )
    names = {k for k, _ in params}
    if "query" in names:
        raise BadRequestError("queries go to /sparql")
    updates = [v for k, v in params if k == "update"]
    if len(updates) != 1:
        raise BadRequestError("give exactly one update" if updates else "no update given")
    using = DatasetSpec(
        default_graphs=tuple(v for k, v in params if k == "using-graph-uri"),
        named_graphs=tuple(v for k, v in params if k == "using-named-graph-uri"),
    )
    timeout_s = parse_timeout([v for k, v in params if k == "timeout"])
    await service.protocol_update(
        updates[0], base_iri=endpoint_url(request), using=using, timeout_s=timeout_s
    )
    return Response(status_code=204)


add_protocol_routes(
    router,
    "/update",
    sparql_update,
    ["POST"],
    operation_id="sparql_update",
    summary="SPARQL 1.1 update",
    status_code=204,
    response_class=Response,
    responses=_RESPONSES,
)
