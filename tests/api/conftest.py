"""Fixtures for the HTTP service tests: a REAL ``sarcokg serve`` (uvicorn) in a subprocess.

* ``live_server_factory(**settings)`` starts a server on a free loopback port with a scratch store
  of its own and returns a :class:`LiveServer`; every server it started is stopped at the end of the
  session. Settings are ``Settings`` field names (``max_rows=5``, ``query_timeout_s=1``,
  ``token=None`` for a read-only service); ``prepare=callable(store_path)`` fills the store before
  the server opens it (e.g. loading the examples).
* ``live_server``: one default server per test module (token :data:`TOKEN`), empty at first.
* ``shared_live_server``: one default server for the whole session, for modules whose tests each
  set up (or wipe) the data they need. Starting a server takes a few seconds (imports).
* ``server``: a server holding the two example reports (:mod:`tests.api.research_seed`), one per
  test module; a module that needs other data defines its own ``server``.
* ``client``: an httpx client on the module's ``server``.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

TOKEN = "test-token-0123456789"
_RUNNING = re.compile(r"Uvicorn running on (http://[\w.]+:\d+)")
_NOT_GIVEN: Any = object()


@dataclass
class LiveServer:
    """A running ``sarcokg serve`` process."""

    url: str
    store: Path
    token: str | None
    log: Path
    process: subprocess.Popen[bytes]
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def auth(self) -> dict[str, str]:
        """Headers carrying the writer's bearer token."""
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def client(self, **kwargs: Any) -> httpx.Client:
        """An httpx client on this server (30 s timeout unless given)."""
        kwargs.setdefault("timeout", 30.0)
        return httpx.Client(base_url=self.url, **kwargs)

    def update(self, sparql: str) -> None:
        """Run a SPARQL update with the token; fail the test unless it is applied."""
        response = httpx.post(
            f"{self.url}/update",
            content=sparql.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update", **self.auth},
            timeout=60,
        )
        assert response.status_code == 204, response.text

    def log_text(self) -> str:
        """What the server printed so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self, timeout_s: float = 15.0, sig: int = signal.SIGTERM) -> None:
        """Send ``sig`` (SIGTERM), then SIGKILL if it does not exit in time."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(sig)
        try:
            self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def start_live_server(
    root: Path,
    *,
    token: str | None = _NOT_GIVEN,
    prepare: Callable[[Path], None] | None = None,
    startup_timeout_s: float = 60.0,
    **settings: Any,
) -> LiveServer:
    """Start ``sarcokg serve --port 0`` with a scratch store under ``root``; wait until it answers."""
    token = TOKEN if token is _NOT_GIVEN else token
    store = root / "store"
    if prepare is not None:
        prepare(store)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SARCOKG_")}
    env["SARCOKG_STORE"] = str(store)
    if token:
        env["SARCOKG_TOKEN"] = token
    for name, value in settings.items():
        env[f"SARCOKG_{name.upper()}"] = str(value)
    log = root / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from sarcokg.cli import main; main()",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
            ],
            cwd=root,  # no stray .env from the repository
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + startup_timeout_s
    url = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"sarcokg serve exited with {process.returncode}:\n{log.read_text()}")
        found = _RUNNING.search(log.read_text(encoding="utf-8", errors="replace"))
        if found:
            url = found.group(1)
            break
        time.sleep(0.05)
    server = LiveServer(url or "", store, token, log, process, settings)
    if url is None:
        server.stop()
        raise RuntimeError(f"sarcokg serve did not start in {startup_timeout_s} s:\n{log.read_text()}")
    return server


@pytest.fixture(scope="session")
def live_server_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., LiveServer]]:
    """Start servers with their own settings; all are stopped at the end of the session."""
    servers: list[LiveServer] = []

    def start(**overrides: Any) -> LiveServer:
        server = start_live_server(tmp_path_factory.mktemp("live-server"), **overrides)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def shared_live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A default server (token :data:`TOKEN`) shared by every module that asks for it."""
    server = start_live_server(tmp_path_factory.mktemp("shared-live-server"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def server(live_server_factory: Callable[..., LiveServer]) -> LiveServer:
    """A server holding the example reports, one per test module (modules may override it)."""
    from tests.api.research_seed import load_seeds  # imported here: it loads the whole package

    return live_server_factory(prepare=load_seeds)


@pytest.fixture
def client(server: LiveServer) -> Iterator[httpx.Client]:
    """An httpx client on the module's ``server``."""
    with server.client() as c:
        yield c


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A default server (token :data:`TOKEN`) with an empty store, one per test module."""
    server = start_live_server(tmp_path_factory.mktemp("live-server"))
    yield server
    server.stop()
