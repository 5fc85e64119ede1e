"""The embedded store beyond the shared contract: the RocksDB lock, the journalled bulk path
and its recovery, exports."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import EmbeddedStore
from graph._journal import JOURNAL_NAME, BulkJournal
from sarcokg.errors import StoreError, StoreLockedError

EX = "http://test.sarcokg.example/"


def graph_quads(graph: str, n: int) -> list[ox.Quad]:
    g = ox.NamedNode(graph)
    return [
        ox.Quad(ox.NamedNode(f"{graph}/s{i}"), ox.NamedNode(EX + "p"), ox.Literal(str(i)), g)
        for i in range(n)
    ]


HOLDER = textwrap.dedent(
    """
    import sys, time
    from graph import EmbeddedStore
    store = EmbeddedStore(sys.argv[1])
    print("ready", flush=True)
    sys.stdin.readline()
    store.close()
    """
)


def test_a_second_process_gets_a_clear_lock_error(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as holder:
        assert holder.stdin is not None and holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        try:
            with pytest.raises(StoreLockedError) as caught:
                EmbeddedStore(path)
        finally:
            holder.stdin.write("\n")
            holder.stdin.flush()
            holder.wait(timeout=30)
    message = str(caught.value)
    assert "\n" not in message
    assert str(path) in message and "locked by another process" in message
    assert "curl -H 'Authorization: Bearer $SARCOKG_TOKEN' -F file=@report.txt" in message
    assert "http://127.0.0.1:8000/api/reports" in message
    EmbeddedStore(path).close()  # released once the other process let go


def test_close_releases_the_lock_in_process(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s")
    store.close()
    with pytest.raises(StoreError):
        store.count()
    EmbeddedStore(tmp_path / "s").close()


def test_bulk_path_writes_new_graphs_and_clears_its_journal(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s")
    graphs = [f"{EX}g{i}" for i in range(50)]
    quads = [q for g in graphs for q in graph_quads(g, 30)]
    store.add_new_graphs(iter(quads), graphs)  # an iterator: the bulk loader
    assert not (tmp_path / "s" / JOURNAL_NAME).exists()
    assert store.count() == 1500
    assert set(store.named_graphs()) == set(graphs)
    store.close()


def test_bulk_path_refuses_existing_graphs_and_foreign_quads(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s")
    store.replace_graph(f"{EX}old", graph_quads(f"{EX}old", 3))
    with pytest.raises(ValueError, match="already exists"):
        store.add_new_graphs(graph_quads(f"{EX}old", 5), [f"{EX}old"], bulk=True)
    with pytest.raises(ValueError, match="not in one of the graphs"):
        store.add_new_graphs(graph_quads(f"{EX}a", 5) + graph_quads(f"{EX}b", 1), [f"{EX}a"], bulk=True)
    assert store.count() == 3
    assert store.named_graphs() == [f"{EX}old"]
    assert not (tmp_path / "s" / JOURNAL_NAME).exists()
    store.close()


def test_an_error_inside_a_bulk_chunk_leaves_none_of_it(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s")
    store.replace_graph(f"{EX}kept", graph_quads(f"{EX}kept", 4))
    graphs = [f"{EX}n{i}" for i in range(3)]

    def failing() -> object:
        yield from graph_quads(graphs[0], 10)
        yield from graph_quads(graphs[1], 10)
        raise RuntimeError("the mapping broke half-way")

    with pytest.raises(RuntimeError):
        store.add_new_graphs(failing(), graphs)  # type: ignore[arg-type]
    assert store.named_graphs() == [f"{EX}kept"]
    assert store.count() == 4
    assert not (tmp_path / "s" / JOURNAL_NAME).exists()
    store.close()


def test_opening_after_an_interrupted_bulk_chunk_drops_exactly_its_graphs(tmp_path: Path) -> None:
    """A writer that died mid-chunk left its journal and part of the chunk: reopening repairs it."""
    path = tmp_path / "s"
    store = EmbeddedStore(path)
    store.replace_graph(f"{EX}before", graph_quads(f"{EX}before", 5))
    chunk = [f"{EX}c{i}" for i in range(4)]
    BulkJournal(path).begin(chunk)
    store.oxigraph.bulk_extend(graph_quads(chunk[0], 7) + graph_quads(chunk[1], 3))  # half a chunk
    store.close()  # ... and the writer "dies" without ending the journal

    reopened = EmbeddedStore(path)
    assert sorted(reopened.recovered_graphs) == sorted(chunk)
    assert reopened.named_graphs() == [f"{EX}before"]
    assert reopened.count() == 5
    assert not (path / JOURNAL_NAME).exists()
    reopened.close()


def test_an_unreadable_journal_is_reported_not_guessed(tmp_path: Path) -> None:
    path = tmp_path / "s"
    EmbeddedStore(path).close()
    (path / JOURNAL_NAME).write_bytes(b"{not json")
    with pytest.raises(StoreError, match="unreadable bulk-load journal"):
        EmbeddedStore(path)


def test_small_chunks_use_the_transactional_path(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s")
    store.add_new_graphs(graph_quads(f"{EX}small", 10), [f"{EX}small"])  # a short list: extend
    assert store.count(f"{EX}small") == 10
    store.close()


def test_dump_one_graph_and_everything(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s")
    store.replace_graph(f"{EX}a", graph_quads(f"{EX}a", 2))
    store.replace_graph(f"{EX}b", graph_quads(f"{EX}b", 3))
    everything, one = io.BytesIO(), io.BytesIO()
    store.dump(everything, ox.RdfFormat.N_QUADS)
    store.dump(one, ox.RdfFormat.N_TRIPLES, graph_iri=f"{EX}b")
    assert len(list(ox.parse(everything.getvalue(), ox.RdfFormat.N_QUADS))) == 5
    assert {t.subject.value for t in ox.parse(one.getvalue(), ox.RdfFormat.N_TRIPLES)} == {
        f"{EX}b/s{i}" for i in range(3)
    }
    store.close()
