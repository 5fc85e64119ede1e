"""``sarcokg serve`` as a process: one owner per store, and a runaway query cannot keep it alive."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable

import httpx

from tests.api.conftest import LiveServer


def test_a_second_server_on_the_same_store_is_a_one_line_error(shared_live_server: LiveServer) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SARCOKG_")}
    env["SARCOKG_STORE"] = str(shared_live_server.store)
    done = subprocess.run(
        [sys.executable, "-c", "from sarcokg.cli import main; main()", "serve", "--port", "0"],
        env=env,
        cwd=shared_live_server.store.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("sarcokg: error: ") and "locked" in lines[0]
    assert "Traceback" not in done.stderr + done.stdout
    assert httpx.get(f"{shared_live_server.url}/sparql", params={"query": "ASK {}"}).status_code == 200


def test_shutdown_does_not_wait_for_a_runaway_query(live_server_factory: Callable[..., LiveServer]) -> None:
    server = live_server_factory(max_concurrent_queries=2)
    triples = " ".join(f"<http://example.org/s{i}> <http://example.org/p> {i} ." for i in range(2000))
    server.update(f"INSERT DATA {{ {triples} }}")
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"  # 8e9 rows: hours
    response = httpx.post(f"{server.url}/sparql", data={"query": endless, "timeout": "1"}, timeout=30)
    assert response.status_code == 504
    started = time.monotonic()
    server.stop(timeout_s=30, sig=signal.SIGINT)  # Ctrl-C: Python would join the busy thread for hours
    assert time.monotonic() - started < 15
    assert server.process.returncode == 0
    assert "still running at shutdown" in server.log_text()
