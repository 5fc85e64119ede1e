"""``/dumps/``: the whole store as gzip-compressed N-Quads, TriG or Turtle, streamed from a file.

A dump is written on first request after each change of the store (by the dump thread, into a
temporary file) and then served to everyone from that file. A request waits for it up to the
query deadline; a dump that takes longer (minutes for 100k cases) answers 503 with
``Retry-After`` while it is being written.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from api.deps import ServiceDep
from api.dumps import DUMPS
from api.errors import NotFoundError, ServiceBusyError
from api.html_pages import render
from api.negotiation import prefers_html
from api.research_deps import DumpsDep, get_and_head
from api.stats_service import collect_outcome

__all__ = ["router"]

router = APIRouter(prefix="/dumps", tags=["linked data"])


@get_and_head(
    router,
    "/",
    operation_id="list_dumps",
    summary="The dumps on offer",
    response_class=Response,
    responses={
        200: {
            "description": "HTML for browsers, JSON otherwise",
            "content": {"text/html": {}, "application/json": {}},
        }
    },
)
def list_dumps(request: Request, service: ServiceDep, dumps: DumpsDep) -> Response:
    """Every dump with its URL, media type and, once written for this store generation, its size."""
    generation = service.generation
    items: list[dict[str, Any]] = []
    for dump in DUMPS.values():
        ready = dumps.ready(dump.name, generation)
        items.append(
            {
                "name": dump.name,
                "url": f"/dumps/{dump.name}",
                "media_type": dump.format.value,
                "compression": "gzip",
                "description": dump.description,
                "bytes": ready.stat().st_size if ready else None,
            }
        )
    if prefers_html(request.headers.get("accept"), "application/json"):
        return HTMLResponse(
            render("dumps.html", dumps=items, generation=generation), headers={"Vary": "Accept"}
        )
    return JSONResponse({"generation": generation, "dumps": items}, headers={"Vary": "Accept"})


@get_and_head(
    router,
    "/{name}",
    operation_id="get_dump",
    summary="Download a dump",
    response_class=FileResponse,
    responses={
        200: {"description": "the gzip-compressed dump", "content": {"application/gzip": {}}},
        404: {"description": "no such dump"},
        503: {"description": "the dump is being written (Retry-After)"},
    },
)
async def get_dump(
    service: ServiceDep,
    dumps: DumpsDep,
    name: Annotated[str, Path(description="sarcokg.nq.gz, sarcokg.trig.gz or sarcokg.ttl.gz")],
) -> FileResponse:
    """The store as it is now, written once per store generation and streamed from that file."""
    if name not in DUMPS:
        raise NotFoundError(f"no dump {name!r}; the dumps are {', '.join(DUMPS)}")
    generation = service.generation
    path = dumps.ready(name, generation)
    if path is None:
        job = asyncio.wrap_future(dumps.start(service.backend, name, generation))
        try:
            path = await asyncio.wait_for(asyncio.shield(job), timeout=service.settings.query_timeout_s)
        except TimeoutError:
            job.add_done_callback(collect_outcome)
            raise ServiceBusyError(
                f"the dump {name} is being written; try again in a minute", retry_after_s=60
            ) from None
    return FileResponse(
        path,
        media_type="application/gzip",
        filename=name,
        headers={"X-Content-Media-Type": DUMPS[name].format.value, "Cache-Control": "no-cache"},
    )
