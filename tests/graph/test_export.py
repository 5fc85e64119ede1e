"""``sarcokg export`` and graph.export: every format parses back to what the store holds,
--graph limits the output, --gzip compresses it, and the output is written as it is read."""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from graph import EmbeddedStore, Store
from graph.export import ExportFormat, export
from graph.loading import load_document
from graph.mapping import graph_iri
from ontology import load_ontology
from sarcokg.config import Settings
from tests.graph import seed_records as seeds
from tests.servers import RemoteTestStore

SARCOKG = str(Path(sys.executable).with_name("sarcokg"))
RDFLIB_FORMATS = {
    ExportFormat.NQUADS: "nquads",
    ExportFormat.TRIG: "trig",
    ExportFormat.TURTLE: "turtle",
    ExportFormat.NTRIPLES: "nt",
    ExportFormat.JSONLD: "json-ld",
    ExportFormat.RDFXML: "xml",
}


def load_seeds(store: Store, settings: Settings) -> None:
    onto = load_ontology()
    for document, records in (seeds.seed_000(onto), seeds.seed_001(onto)):
        load_document(store, document, records, settings=settings)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Settings]]:
    """A store folder with the ontology graphs and the two seed reports (closed: the CLI opens it)."""
    settings = Settings(store=tmp_path_factory.mktemp("export") / "store", _env_file=None)
    store = EmbeddedStore(settings.store)
    load_seeds(store, settings)
    store.close()
    yield settings.store, settings


def ground(quads: set[ox.Quad]) -> set[tuple[str, str, str, str]]:
    """Quads without blank nodes, as strings (blank node labels are not kept across syntaxes)."""
    return {
        (str(q.subject), str(q.predicate), str(q.object), str(q.graph_name))
        for q in quads
        if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
    }


def as_triples(quads: set[ox.Quad]) -> set[ox.Quad]:
    return {ox.Quad(q.subject, q.predicate, q.object) for q in quads}


def named_graphs_of(store_path: Path) -> list[str]:
    store = EmbeddedStore(store_path)
    try:
        return store.named_graphs()
    finally:
        store.close()


def run_export(store_path: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SARCOKG_")}
    env["SARCOKG_STORE"] = str(store_path)
    env["COLUMNS"] = "400"  # help text on one line per option
    return subprocess.run([SARCOKG, "export", *args], env=env, cwd=cwd, capture_output=True, timeout=120)


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_each_format_parses_back_to_the_store(
    seeded: tuple[Path, Settings], tmp_path: Path, fmt: ExportFormat
) -> None:
    store_path, _ = seeded
    target = tmp_path / f"dump.{fmt.extension}"
    result = run_export(store_path, "--format", fmt.value, "--output", str(target), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    store = EmbeddedStore(store_path)
    expected = set(store.graph_quads(None))
    store.close()

    parsed = set(ox.parse(path=target, format=fmt.rdf_format))
    if fmt.keeps_graphs:
        assert len(parsed) == len(expected)
        assert ground(parsed) == ground(expected)
    else:  # the union of all graphs, as triples
        assert ground(parsed) == ground(as_triples(expected))
    # An independent parser (rdflib) reads it too. It compares literals by value, so compare
    # what it cannot merge: subjects and graph names. (rdflib 7.6 warns about its own internals.)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset = rdflib.Dataset()
        dataset.parse(data=target.read_bytes(), format=RDFLIB_FORMATS[fmt])
        subjects = {
            str(q[0]) for q in dataset.quads((None, None, None, None)) if isinstance(q[0], rdflib.URIRef)
        }
        names = {str(g.identifier) for g in dataset.graphs() if len(g)} - {
            str(rdflib.graph.DATASET_DEFAULT_GRAPH_ID)
        }
    assert subjects == {q.subject.value for q in expected if isinstance(q.subject, ox.NamedNode)}
    if fmt.keeps_graphs:
        assert names == set(named_graphs_of(store_path))


@pytest.mark.parametrize("fmt", [ExportFormat.NQUADS, ExportFormat.TURTLE, ExportFormat.JSONLD])
def test_graph_limits_the_output_to_one_report(
    seeded: tuple[Path, Settings], tmp_path: Path, fmt: ExportFormat
) -> None:
    store_path, settings = seeded
    graph = graph_iri("seed-001", base_iri=settings.base_iri)
    result = run_export(store_path, "-f", fmt.value, "--graph", graph, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    store = EmbeddedStore(store_path)
    expected = set(store.graph_quads(graph))
    store.close()
    parsed = set(ox.parse(result.stdout, fmt.rdf_format))
    assert parsed == (expected if fmt.keeps_graphs else as_triples(expected))
    assert not any("seed-000" in str(q) for q in parsed)


def test_gzip_output_is_the_same_dump_compressed(seeded: tuple[Path, Settings], tmp_path: Path) -> None:
    store_path, _ = seeded
    plain = run_export(store_path, "-f", "trig", cwd=tmp_path)
    packed = run_export(
        store_path, "-f", "trig", "--gzip", "-o", str(tmp_path / "dump.trig.gz"), cwd=tmp_path
    )
    assert plain.returncode == packed.returncode == 0
    data = (tmp_path / "dump.trig.gz").read_bytes()
    assert data[:2] == b"\x1f\x8b"
    assert gzip.decompress(data) == plain.stdout
    assert not list(tmp_path.glob(".*partial"))


def test_bad_options_are_one_line_errors(seeded: tuple[Path, Settings], tmp_path: Path) -> None:
    store_path, _ = seeded
    missing = run_export(store_path, "--graph", "https://example.org/not-there", cwd=tmp_path)
    assert missing.returncode == 1
    assert (
        missing.stderr.decode().strip()
        == "sarcokg: error: the store has no named graph <https://example.org/not-there>"
    )
    assert run_export(store_path, "--format", "csv", cwd=tmp_path).returncode == 2
    assert run_export(store_path, "--graph", "not an iri", cwd=tmp_path).returncode == 2


def test_help_says_triple_formats_get_the_union(tmp_path: Path) -> None:
    result = run_export(tmp_path / "store", "--help", cwd=tmp_path)
    text = " ".join(result.stdout.decode().split())
    assert "union of all graphs" in text
    for fmt in ExportFormat:
        assert fmt.value in text


class _Recorder(io.RawIOBase):
    """A sink that remembers the size of every write."""

    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[int] = []

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        size = len(memoryview(data))  # type: ignore[arg-type]
        self.sizes.append(size)
        return size


def big_store(path: Path, quads: int) -> EmbeddedStore:
    store = EmbeddedStore(path)
    store.oxigraph.bulk_extend(
        ox.Quad(
            ox.NamedNode(f"http://test.example/s{i}"),
            ox.NamedNode("http://test.example/p"),
            ox.Literal(f"value {i} " + "x" * 40),
            ox.NamedNode(f"http://test.example/g{i % 50}"),
        )
        for i in range(quads)
    )
    return store


@pytest.mark.parametrize("fmt", [ExportFormat.NQUADS, ExportFormat.TURTLE])
def test_output_is_written_in_pieces_as_it_is_read(tmp_path: Path, fmt: ExportFormat) -> None:
    """Streaming: about 8 MB leave in many small writes, never as one buffer at the end."""
    store = big_store(tmp_path / "s", 100_000)
    sink = _Recorder()
    export(store, sink, fmt)  # type: ignore[arg-type]
    store.close()
    assert sum(sink.sizes) > 5_000_000
    assert len(sink.sizes) > 50
    assert max(sink.sizes) < 1_000_000


def test_export_from_a_remote_store(oxigraph_remote: RemoteTestStore, tmp_path: Path) -> None:
    remote = oxigraph_remote.store
    oxigraph_remote.cleanup()
    try:
        load_seeds(remote, Settings(store=tmp_path / "unused", _env_file=None))
        for fmt in (ExportFormat.NQUADS, ExportFormat.TURTLE):
            out = io.BytesIO()
            export(remote, out, fmt)
            parsed = set(ox.parse(out.getvalue(), fmt.rdf_format))
            expected = set(remote.graph_quads(None))
            if fmt.keeps_graphs:
                assert ground(parsed) == ground(expected) and len(parsed) == len(expected)
            else:
                assert ground(parsed) == ground(as_triples(expected))
    finally:
        oxigraph_remote.cleanup()


def test_a_locked_store_points_to_the_service_dump(tmp_path: Path) -> None:
    store_path = tmp_path / "store"
    holder_code = (
        "import sys; from graph import EmbeddedStore; s = EmbeddedStore(sys.argv[1]); "
        "print('ready', flush=True); sys.stdin.readline()"
    )
    with subprocess.Popen(
        [sys.executable, "-c", holder_code, str(store_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdin is not None and holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        try:
            result = run_export(store_path, "-f", "nquads", cwd=tmp_path)
        finally:
            holder.stdin.write("\n")
            holder.stdin.flush()
            holder.wait(timeout=30)
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "is locked by another process" in lines[0]
    assert "curl -O http://127.0.0.1:8000/dumps/sarcokg.nq.gz" in lines[0]
