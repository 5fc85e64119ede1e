"""Real SPARQL servers for tests: ``oxigraph serve``, Virtuoso 7 and an HTTP Basic auth proxy.

Plain helpers (no fixtures): the session fixtures in ``tests/conftest.py`` start one server of
each kind for the whole session, and a test may start its own (e.g. ``oxigraph serve`` with a
timeout). Each server runs on a free loopback port with its data in a given folder, and is waited
for until it answers a query.
"""

from __future__ import annotations

import base64
import configparser
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from graph import RemoteStore

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
VIRTUOSO_USER = ("dba", "dba")  # a fresh Virtuoso database's login


def free_port() -> int:
    """A loopback TCP port nothing listens on (at the time of asking)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_sparql(url: str, process: subprocess.Popen[bytes], log: Path, timeout_s: float = 60.0) -> None:
    """Poll ``url`` with ``ASK {}`` until it answers 200 (or the server died / time ran out)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"server exited with {process.returncode}: {log.read_text(errors='replace')[-2000:]}"
            )
        try:
            response = httpx.post(
                url,
                data={"query": "ASK {}"},
                headers={"Accept": "application/sparql-results+json"},
                timeout=2,
            )
            if response.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout_s:g} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL if the server has not exited within 15 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def oxigraph_binary() -> str:
    """The ``oxigraph`` server of this virtualenv (else of PATH); a failure if there is none."""
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if found is None:
        pytest.fail("the `oxigraph` server binary is missing (pip install oxigraph)")
    return found


@dataclass
class SparqlServer:
    """A server process and its SPARQL query URL."""

    query_url: str
    process: subprocess.Popen[bytes]


def launch(command: list[str], url: str, log: Path, cwd: Path | None = None) -> SparqlServer:
    """Run ``command`` (output to ``log``) and wait until ``url`` answers; stop it if it never does."""
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_sparql(url, process, log)
    except Exception:
        stop(process)
        raise
    return SparqlServer(url, process)


def start_oxigraph(folder: Path, *extra: str) -> SparqlServer:
    """``oxigraph serve`` with its data in ``folder`` on a free loopback port."""
    port = free_port()
    command = [oxigraph_binary(), "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}"]
    return launch([*command, *extra], f"http://127.0.0.1:{port}/query", folder / "oxigraph.log")


def virtuoso_binary() -> str:
    """``virtuoso-t``; if it is missing, the test is skipped with the reason, or fails when CI=true."""
    binary = shutil.which("virtuoso-t")
    if binary is None or not VIRTUOSO_INI.exists():
        reason = "virtuoso-t (Debian package virtuoso-opensource) is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}, but CI=true requires the Virtuoso tests to run")
        pytest.skip(f"{reason}; Virtuoso compliance tests skipped")
    return binary


def virtuoso_ini(folder: Path, sql_port: int, http_port: int) -> Path:
    """A copy of Debian's virtuoso.ini with its database in ``folder`` and loopback ports."""
    config = configparser.ConfigParser(strict=False, interpolation=None, inline_comment_prefixes=(";",))
    config.optionxform = str  # type: ignore[assignment,method-assign]
    config.read_string(VIRTUOSO_INI.read_text())
    for key, name in {
        "DatabaseFile": "virtuoso.db",
        "ErrorLogFile": "virtuoso.log",
        "LockFile": "virtuoso.lck",
        "TransactionFile": "virtuoso.trx",
        "xa_persistent_file": "virtuoso.pxa",
    }.items():
        config["Database"][key] = str(folder / name)
    config["TempDatabase"]["DatabaseFile"] = str(folder / "virtuoso-temp.db")
    config["TempDatabase"]["TransactionFile"] = str(folder / "virtuoso-temp.trx")
    config["Parameters"]["ServerPort"] = f"127.0.0.1:{sql_port}"
    config["Parameters"]["DirsAllowed"] = f"., {folder}, /usr/share/virtuoso-opensource-7/vad"
    config["HTTPServer"]["ServerPort"] = f"127.0.0.1:{http_port}"
    # Keep Virtuoso's silent 10,000-row cap, so the tests exercise paging through it.
    config["SPARQL"]["ResultSetMaxRows"] = "10000"
    if config.has_section("Plugins"):
        config.remove_section("Plugins")
    ini = folder / "virtuoso.ini"
    with open(ini, "w") as out:
        config.write(out)
    return ini


def start_virtuoso(folder: Path) -> SparqlServer:
    """Virtuoso 7 with a fresh database in ``folder`` on free loopback ports (see :func:`virtuoso_binary`
    for what happens when it is not installed)."""
    binary = virtuoso_binary()
    http_port = free_port()
    ini = virtuoso_ini(folder, free_port(), http_port)
    command = [binary, "+foreground", "+configfile", str(ini)]
    return launch(command, f"http://127.0.0.1:{http_port}/sparql", folder / "stdout.log", cwd=folder)


class RemoteTestStore:
    """A RemoteStore on a session server; graphs a test creates are dropped after it."""

    def __init__(self, store: RemoteStore) -> None:
        self.store = store
        self.baseline = set(store.named_graphs())

    def cleanup(self) -> None:
        for graph in set(self.store.named_graphs()) - self.baseline:
            self.store.drop_graph(graph)


@dataclass
class BasicAuthProxy:
    url: str
    server: ThreadingHTTPServer
    thread: threading.Thread


def start_basic_auth_proxy(upstream: str, user: str, password: str) -> BasicAuthProxy:
    """A reverse proxy demanding HTTP Basic auth in front of a real server (as nginx's
    ``auth_basic`` would be): Virtuoso only ever challenges with Digest."""
    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    client = httpx.Client(timeout=30)

    class Handler(BaseHTTPRequestHandler):
        def _forward(self) -> None:
            if self.headers.get("Authorization") != expected:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="sparql"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "authorization")}
            reply = client.request(self.command, upstream + self.path, content=body, headers=headers)
            self.send_response(reply.status_code)
            for key, value in reply.headers.items():
                if key.lower() not in (
                    "transfer-encoding",
                    "content-length",
                    "connection",
                    "content-encoding",
                ):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(reply.content)))
            self.end_headers()
            self.wfile.write(reply.content)

        do_GET = do_POST = do_PUT = do_DELETE = _forward

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server_close = server.server_close

    def close() -> None:
        server_close()
        client.close()

    server.server_close = close  # type: ignore[method-assign]
    return BasicAuthProxy(f"http://127.0.0.1:{server.server_address[1]}", server, thread)
