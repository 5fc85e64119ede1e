"""Small HTTP helpers shared by the protocol routes: capped bodies, media types, ETags, errors."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.errors import PayloadTooLargeError, UnsupportedMediaTypeError

__all__ = [
    "PROCESS_NONCE",
    "add_protocol_routes",
    "error_response",
    "etag_for",
    "etag_matches",
    "media_type",
    "read_body",
    "require_utf8",
]

#: Distinguishes ETags of two server runs that reached the same store generation.
PROCESS_NONCE = secrets.token_hex(4)


def media_type(header: str | None) -> tuple[str, dict[str, str]]:
    """Split a ``Content-Type`` into the lower-case media type and its parameters.

    >>> media_type('application/sparql-query; charset="UTF-8"')
    ('application/sparql-query', {'charset': 'UTF-8'})
    """
    if not header:
        return "", {}
    main, *params = header.split(";")
    out: dict[str, str] = {}
    for param in params:
        key, _, value = param.partition("=")
        if key.strip():
            out[key.strip().lower()] = value.strip().strip('"')
    return main.strip().lower(), out


def require_utf8(params: dict[str, str], what: str) -> None:
    """415 unless the body is UTF-8 (the SPARQL protocol's only encoding for direct POSTs)."""
    charset = params.get("charset", "utf-8").lower().replace("_", "-")
    if charset not in ("utf-8", "utf8", "us-ascii", "ascii"):
        raise UnsupportedMediaTypeError(f"{what} must be encoded in UTF-8, not {params['charset']}")


async def read_body(request: Request, limit: int, what: str = "request body") -> bytes:
    """The request body, refused with 413 as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLargeError(f"the {what} is larger than the {limit}-byte limit")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLargeError(f"the {what} is larger than the {limit}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


def etag_for(generation: int, *parts: object) -> str:
    """A weak ETag for a response derived from the store at ``generation``.

    >>> etag_for(3, "q") == etag_for(3, "q"), etag_for(3, "q") == etag_for(4, "q")
    (True, False)
    """
    digest = hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=8).hexdigest()
    return f'W/"{PROCESS_NONCE}-{generation}-{digest}"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Weak comparison of ``If-None-Match`` with ``etag`` (``*`` matches anything).

    >>> etag_matches('"x", W/"abc"', 'W/"abc"'), etag_matches(None, 'W/"abc"')
    (True, False)
    """
    if not if_none_match:
        return False
    wanted = etag.removeprefix("W/")
    tags: Iterable[str] = (t.strip() for t in if_none_match.split(","))
    return any(t == "*" or t.removeprefix("W/") == wanted for t in tags)


def error_response(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    """An error as JSON ``{"detail": ...}`` under ``/api``, as one line of text elsewhere."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


def add_protocol_routes(
    router: APIRouter,
    path: str,
    endpoint: Callable[..., Any],
    methods: Sequence[str],
    *,
    operation_id: str,
    **route_options: Any,
) -> None:
    """Register ``endpoint`` for each of ``methods`` on ``path``, one route per method.

    One route per method keeps OpenAPI operation ids unique (HEAD is served by the GET route
    through ``api.head``); a hidden last route answers other common methods with 405 and the
    *full* ``Allow`` list (Starlette would only name the first matching route's methods), and
    ``OPTIONS`` with 204.
    """
    methods = [m for m in methods if m != "HEAD"]
    allow = ", ".join([*methods, *(["HEAD"] if "GET" in methods else [])])
    for method in methods:
        router.add_api_route(
            path,
            endpoint,
            methods=[method],
            operation_id=f"{operation_id}_{method.lower()}",
            **route_options,
        )

    async def other_methods(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": allow})
        raise StarletteHTTPException(
            405, f"{request.method} is not allowed on {path}", headers={"Allow": allow}
        )

    others = [m for m in ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS") if m not in methods]
    router.add_api_route(path, other_methods, methods=others, include_in_schema=False)
