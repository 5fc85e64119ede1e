"""``sarcokg serve``: the HTTP service (SPARQL, Graph Store, researcher API) on one embedded store.

One process owns the store: it is opened here, before uvicorn starts, so a store held by another
process is a one-line error (exit 1) rather than a failed start-up inside the server.
"""

from __future__ import annotations

import logging
import os
import sys
import time

import typer

__all__ = ["serve"]

log = logging.getLogger("sarcokg.serve")


def serve(
    host: str | None = typer.Option(
        None, "--host", help="Interface to bind (default: SARCOKG_HOST or 127.0.0.1)."
    ),
    port: int | None = typer.Option(
        None, "--port", min=0, max=65535, help="Port (default: SARCOKG_PORT or 8000; 0 picks a free one)."
    ),
) -> None:
    """Serve SPARQL 1.1 (/sparql, /update), the Graph Store Protocol (/store) and /api over HTTP."""
    import uvicorn

    from api.app import create_app
    from api.service import SparqlService
    from sarcokg.config import get_settings

    settings = get_settings()
    service = SparqlService.open(settings)  # StoreLockedError -> "sarcokg: error: ..." and exit 1
    app = create_app(settings, service=service)
    mode = "read-write (bearer token)" if settings.token else "read-only (no SARCOKG_TOKEN)"
    print(f"sarcokg: serving {settings.store} {mode}", file=sys.stderr, flush=True)
    try:
        uvicorn.run(
            app,
            host=host or settings.host,
            port=settings.port if port is None else port,
            log_level="info",
            timeout_graceful_shutdown=5,
            # h11 refuses request heads over 16 KiB by default: let GET queries up to the query
            # cap (URL-encoded) reach the endpoint, which answers 413 past it.
            h11_max_incomplete_event_size=3 * settings.max_query_bytes + 16 * 1024,
        )
    finally:
        _exit_despite_runaways(service)


def _exit_despite_runaways(service: object, grace_s: float = 3.0) -> None:
    """pyoxigraph cannot cancel a query, and Python joins worker threads at exit: after Ctrl-C a
    runaway query would keep the process alive until it ends. Give running work a short grace
    period, then leave without waiting (an unfinished write is simply not committed). SIGTERM
    needs no help: uvicorn re-raises it after its own shutdown, which ends the process at once.
    """
    executor = getattr(service, "executor", None)
    if executor is None:
        return
    end = time.monotonic() + grace_s
    while executor.running_threads() and time.monotonic() < end:
        time.sleep(0.05)
    if executor.running_threads():
        print(
            f"sarcokg: {executor.running_threads()} queries still running at shutdown; exiting without them",
            file=sys.stderr,
            flush=True,
        )
        sys.stderr.flush()
        sys.stdout.flush()
        os._exit(0)
