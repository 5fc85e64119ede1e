"""HEAD wherever GET is: HEAD requests are served by the GET route, without the body.

FastAPI routes do not answer HEAD on their own (405), so every GET endpoint (SPARQL, Graph
Store, researcher API, linked data, dumps) would need a twin. This middleware runs HEAD as GET
and sends only the status line and headers (``Content-Type``, ``Content-Length``, ``ETag``...).
A streamed body (a dump) is abandoned at its first chunk instead of being generated in full.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["HeadAsGetMiddleware"]


class _HeadDone(Exception):
    """Raised from ``send`` to stop a streaming response once its headers are out."""


class HeadAsGetMiddleware:
    """Pure ASGI middleware: see the module docstring."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        finished = False

        async def send_headers_only(message: Message) -> None:
            nonlocal finished
            if message["type"] != "http.response.body":
                await send(message)
                return
            if finished:
                return
            finished = True
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            if message.get("more_body", False):
                raise _HeadDone

        try:
            await self.app(dict(scope, method="GET"), receive, send_headers_only)
        except* _HeadDone:
            pass
