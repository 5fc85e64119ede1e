"""Atomic per report, proved by killing the loader: SIGKILL in the middle of a large batch, then
every report graph must be whole (exactly its mapping) or absent, and the store must open.

The loader is a real separate process (``synthetic_reports.py``) writing a few thousand
reports through the same ReportWriter ``sarcokg load`` uses: new reports in journalled bulk
chunks (the fast path), changed ones through atomic replacement.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import EmbeddedStore
from graph._journal import JOURNAL_NAME
from graph.mapping import document_to_quads
from sarcokg import __version__
from sarcokg.config import Settings
from tests.graph import synthetic_reports

SCRIPT = Path(__file__).with_name("synthetic_reports.py")  # run as the loader process
N = 2000
CHUNK = 200
BASE = Settings(store=Path("unused"), _env_file=None).base_iri
PROV_ENDED = ox.NamedNode("http://www.w3.org/ns/prov#endedAtTime")


def expected_graphs(version: int) -> dict[str, frozenset[ox.Quad]]:
    """graph -> its quads as the loader writes them (the provenance time left out), read back
    from an in-memory pyoxigraph store so that literals come back in the store's canonical form."""
    when = datetime(2000, 1, 1, tzinfo=UTC)
    memory = ox.Store()
    for document, records in synthetic_reports.cases(N, version):
        memory.extend(
            document_to_quads(document, records, base_iri=BASE, generated_at=when, version=__version__)
        )
    out: dict[str, set[ox.Quad]] = {}
    for quad in memory:
        if quad.predicate != PROV_ENDED:
            out.setdefault(quad.graph_name.value, set()).add(quad)
    return {graph: frozenset(quads) for graph, quads in out.items()}


def stored_graphs(store: EmbeddedStore) -> dict[str, frozenset[ox.Quad]]:
    out: dict[str, set[ox.Quad]] = {}
    for quad in store.graph_quads(None):
        assert isinstance(quad.graph_name, ox.NamedNode), f"a quad outside any report graph: {quad}"
        if quad.predicate != PROV_ENDED:
            out.setdefault(quad.graph_name.value, set()).add(quad)
    return {graph: frozenset(quads) for graph, quads in out.items()}


def start_loader(store: Path, version: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(SCRIPT), str(store), str(N), str(version), str(CHUNK)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )


def kill(process: subprocess.Popen[str]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the loader finished before it could be killed"
    process.communicate()


def check(store_path: Path, allowed: list[dict[str, frozenset[ox.Quad]]]) -> tuple[int, list[str]]:
    """Open the store (recovering it) and verify each graph is one allowed version, whole."""
    store = EmbeddedStore(store_path)
    try:
        recovered = store.recovered_graphs
        graphs = stored_graphs(store)
        for graph, quads in graphs.items():
            assert any(quads == version.get(graph) for version in allowed), f"{graph} is not whole"
        return len(graphs), recovered
    finally:
        store.close()


@pytest.mark.slow
def test_sigkill_mid_batch_leaves_each_report_whole_or_absent(tmp_path: Path) -> None:
    v1, v2 = expected_graphs(1), expected_graphs(2)
    store_path = tmp_path / "store"
    rng = random.Random(4)
    killed_mid_chunk = 0
    written_before_kill: list[int] = []

    # 1. The fast path: kill while a bulk chunk is in flight (its journal exists), three times,
    #    each after a random number of reports were already written.
    for _ in range(3):
        loader = start_loader(store_path, 1)
        assert loader.stdout is not None
        after = rng.randrange(0, N - 2 * CHUNK, 100)
        for line in loader.stdout:
            if (line.strip() == "started" and after == 0) or (line.strip().isdigit() and int(line) >= after):
                break
        deadline = time.monotonic() + 60
        while not (store_path / JOURNAL_NAME).exists():
            assert loader.poll() is None, f"the loader ended early: {loader.communicate()}"
            assert time.monotonic() < deadline, "no bulk chunk started"
            time.sleep(0.001)
        time.sleep(rng.uniform(0.0, 0.05))
        kill(loader)
        journal_left = (store_path / JOURNAL_NAME).exists()
        killed_mid_chunk += journal_left
        present, recovered = check(store_path, [v1])
        assert not (store_path / JOURNAL_NAME).exists()
        assert len(recovered) == (CHUNK if journal_left else 0)  # the chunk in flight was dropped whole
        assert present < N
        written_before_kill.append(present)
    assert killed_mid_chunk >= 1, "no kill landed while a chunk was being written"
    assert max(written_before_kill) > 0, "every kill hit the first chunk: nothing was compared"

    # 2. Finish the batch: the reports lost with their chunk are written now, the rest skipped.
    finished = start_loader(store_path, 1)
    _, err = finished.communicate(timeout=120)
    assert finished.returncode == 0, err
    assert check(store_path, [v1])[0] == N

    # 3. Every report changed: replacements (atomic updates), killed part-way through.
    loader = start_loader(store_path, 2)
    assert loader.stdout is not None
    target = rng.randrange(200, N - 500, 100)
    for line in loader.stdout:
        if line.strip().isdigit() and int(line) >= target:
            break
    time.sleep(rng.uniform(0.0, 0.02))
    kill(loader)
    present, _ = check(store_path, [v1, v2])
    assert present == N
    store = EmbeddedStore(store_path)
    versions = stored_graphs(store)
    store.close()
    replaced = sum(versions[g] == v2[g] for g in versions)
    assert 0 < replaced < N

    # 4. And to the end: everything is version 2.
    finished = start_loader(store_path, 2)
    _, err = finished.communicate(timeout=180)
    assert finished.returncode == 0, err
    store = EmbeddedStore(store_path)
    assert stored_graphs(store) == v2
    store.close()
