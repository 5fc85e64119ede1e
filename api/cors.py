"""CORS for reads only: a page on another origin may query, never write.

Reads are GET and HEAD anywhere and POST to ``/sparql`` (a query). For those, responses carry
``Access-Control-Allow-Origin: *`` and preflights succeed. A preflight for anything else (a POST
to ``/update``, a PUT or DELETE on ``/store``, ``POST /api/reports``) gets a bare 403 without CORS
headers, so the browser never sends the write. (Oxigraph's ``--cors`` let a cross-origin ``DROP
ALL`` through.) No credentials are allowed: writes use a bearer token a browser never adds on its own.

>>> is_read("GET", "/store"), is_read("POST", "/sparql")
(True, True)
>>> is_read("POST", "/update"), is_read("DELETE", "/store")
(False, False)
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ReadOnlyCORSMiddleware", "is_read"]

READ_METHODS = frozenset({"GET", "HEAD"})
QUERY_POST_PATHS = frozenset({"/sparql", "/sparql/"})
ALLOW_HEADERS = "Accept, Content-Type, If-None-Match"
EXPOSE_HEADERS = "ETag, Link, Location, Retry-After, Vary"


def is_read(method: str, path: str) -> bool:
    """Whether a request with ``method`` on ``path`` only reads (and may be cross-origin)."""
    method = method.upper()
    return method in READ_METHODS or (method == "POST" and path in QUERY_POST_PATHS)


class ReadOnlyCORSMiddleware:
    """Pure ASGI middleware implementing the policy of the module docstring."""

    def __init__(self, app: ASGIApp, *, max_age: int = 600) -> None:
        self.app = app
        self.max_age = max_age

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        method = scope["method"]
        path = scope["path"]
        if origin is None:
            await self.app(scope, receive, send)
            return
        wanted = headers.get("access-control-request-method")
        if method == "OPTIONS" and wanted:
            await self._preflight(send, path, wanted)
            return
        if not is_read(method, path):
            await self.app(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                out["Access-Control-Allow-Origin"] = "*"
                out["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
                out.add_vary_header("Origin")
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _preflight(self, send: Send, path: str, wanted: str) -> None:
        if is_read(wanted, path):
            allowed = "GET, HEAD, POST" if path in QUERY_POST_PATHS else "GET, HEAD"
            headers = [
                (b"access-control-allow-origin", b"*"),
                (b"access-control-allow-methods", allowed.encode()),
                (b"access-control-allow-headers", ALLOW_HEADERS.encode()),
                (b"access-control-max-age", str(self.max_age).encode()),
                (b"vary", b"Origin"),
                (b"content-length", b"0"),
            ]
            await send({"type": "http.response.start", "status": 204, "headers": headers})
        else:
            body = b"cross-origin writes are not allowed\n"
            headers = [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ]
            await send({"type": "http.response.start", "status": 403, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await send({"type": "http.response.body", "body": b""})
