"""The load pipeline on real stores: idempotent reloads, replacement of changed reports, failures
with reasons, the ontology graphs, the chunked fast path, atomicity of a single report."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml

from graph import EmbeddedStore, Store
from graph.loading import LoadFailure, LoadResult, ReportWriter, ensure_ontology, load_document
from graph.mapping import graph_iri
from graph.ontology_graph import CLOSURE_GRAPH_IRI, ONTOLOGY_GRAPH_IRI, STORED_ONTOLOGY_SHA256_QUERY
from graph.pipeline import load_paths
from loaders.records import CaseRecord, Metastasis, PrimaryTumor, Source, SourceDocument, Term
from ontology import Ontology, load_ontology
from sarcokg.config import Settings
from sarcokg.errors import InputError
from tests.graph import seed_records as seeds
from tests.servers import RemoteTestStore

PROV_ENDED = ox.NamedNode("http://www.w3.org/ns/prov#endedAtTime")
SMO = "https://w3id.org/sarcokg/ontology#"
ONTOLOGY_SOURCE = load_ontology().path


@pytest.fixture(scope="module")
def onto() -> Ontology:
    return load_ontology()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(store=tmp_path / "store", _env_file=None)


@pytest.fixture
def store(settings: Settings) -> Iterator[EmbeddedStore]:
    embedded = EmbeddedStore(settings.store)
    yield embedded
    embedded.close()


def write_curated(folder: Path, document: SourceDocument, records: list[CaseRecord]) -> Path:
    """A curated YAML file for ``records`` with the report's text (what a curator would write)."""
    folder.mkdir(parents=True, exist_ok=True)
    items = []
    for record in records:
        item = record.model_dump(mode="json", exclude_none=True, exclude={"source": {"path", "sha256"}})
        item["report_text"] = document.text
        items.append(item)
    path = folder / f"{document.doc_id}.yaml"
    path.write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def seed_folder(folder: Path, onto: Ontology) -> Path:
    for document, records in (seeds.seed_000(onto), seeds.seed_001(onto)):
        write_curated(folder, document, records)
    return folder


def all_quads(store: Store) -> set[ox.Quad]:
    return set(store.graph_quads(None))


def test_loading_twice_leaves_exactly_the_same_triples(
    tmp_path: Path, store: EmbeddedStore, settings: Settings, onto: Ontology
) -> None:
    folder = seed_folder(tmp_path / "in", onto)
    first = load_paths(store, [folder], settings=settings, workers=1)
    assert (first.loaded, first.unchanged, first.replaced, first.failed) == (2, 0, 0, 0)
    assert first.ontology_loaded
    snapshot = all_quads(store)
    assert any(q.predicate == PROV_ENDED for q in snapshot)

    second = load_paths(store, [folder], settings=settings, workers=1)
    assert (second.loaded, second.unchanged, second.replaced, second.failed) == (0, 2, 0, 0)
    assert not second.ontology_loaded
    assert all_quads(store) == snapshot  # provenance times included


def test_a_changed_report_replaces_its_graph_and_only_it(
    tmp_path: Path, store: EmbeddedStore, settings: Settings, onto: Ontology
) -> None:
    folder = seed_folder(tmp_path / "in", onto)
    load_paths(store, [folder], settings=settings, workers=1)
    seed_000 = graph_iri("seed-000", base_iri=settings.base_iri)
    seed_001 = graph_iri("seed-001", base_iri=settings.base_iri)
    before_000, before_001 = set(store.graph_quads(seed_000)), set(store.graph_quads(seed_001))

    document, records = seeds.seed_001(onto)
    records[0].patient.age = 67
    write_curated(folder, document, records)
    summary = load_paths(store, [folder], settings=settings, workers=1)
    assert (summary.loaded, summary.unchanged, summary.replaced) == (0, 1, 1)
    assert set(store.graph_quads(seed_000)) == before_000
    after_001 = set(store.graph_quads(seed_001))
    ages = {q.object.value for q in after_001 if q.predicate.value == SMO + "ageYears"}
    assert ages == {"67"}
    assert after_001 != before_001
    assert not any(q.predicate.value == SMO + "ageYears" and q.object.value == "66" for q in after_001)


def test_failures_are_listed_with_reasons_and_the_rest_loads(
    tmp_path: Path, store: EmbeddedStore, settings: Settings, onto: Ontology
) -> None:
    folder = seed_folder(tmp_path / "in", onto)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (folder / "broken.yaml").write_text("- case_id: broken-1\n  patient: {age: -4}\n", encoding="utf-8")
    seen: list[LoadResult | LoadFailure] = []

    class Recorder:
        def start(self, files: int) -> None:
            assert files == 5

        def file_done(self, path: Path) -> None:
            pass

        def report_done(self, outcome: LoadResult | LoadFailure) -> None:
            seen.append(outcome)

    summary = load_paths(store, [folder], settings=settings, workers=1, progress=Recorder())
    assert (summary.loaded, summary.failed) == (2, 3)
    reasons = {Path(f.where.split(":")[0]).name: f.reason for f in summary.failures}
    assert set(reasons) == {"empty.txt", "picture.png", "broken.yaml"}
    assert "empty" in reasons["empty.txt"]
    assert "PNG" in reasons["picture.png"]
    assert "age" in reasons["broken.yaml"]
    assert len(seen) == 5
    assert graph_iri("broken", base_iri=settings.base_iri) not in store.named_graphs()


def test_a_missing_path_stops_before_anything_is_loaded(
    tmp_path: Path, store: EmbeddedStore, settings: Settings
) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_paths(store, [tmp_path / "nowhere"], settings=settings)
    assert store.count() == 0


def test_ontology_graphs_are_reloaded_when_the_file_changes(
    tmp_path: Path, store: EmbeddedStore, settings: Settings
) -> None:
    copy = tmp_path / "sarcoma.ttl"
    shutil.copy(ONTOLOGY_SOURCE, copy)
    custom = settings.model_copy(update={"ontology": copy})
    assert ensure_ontology(store, custom) is True
    assert ensure_ontology(store, custom) is False
    first_sha = store.select(STORED_ONTOLOGY_SHA256_QUERY)[0]["sha256"].value
    ontology_size = store.count(ONTOLOGY_GRAPH_IRI)

    with open(copy, "a", encoding="utf-8") as handle:
        handle.write(
            "\n<https://w3id.org/sarcokg/ontology#Lung> "
            '<http://www.w3.org/2000/01/rdf-schema#comment> "edited" .\n'
        )
    assert ensure_ontology(store, custom) is True
    assert store.select(STORED_ONTOLOGY_SHA256_QUERY)[0]["sha256"].value != first_sha
    assert store.count(ONTOLOGY_GRAPH_IRI) == ontology_size + 1
    assert store.count(CLOSURE_GRAPH_IRI) > 0


def synthetic(n: int, *, tag: str = "", start: int = 0) -> list[tuple[SourceDocument, list[CaseRecord]]]:
    """Small single-patient reports: kidney primary, one metastasis."""
    sites = ["Lung", "Liver", "Pancreas", "Bone"]
    cases = []
    for i in range(start, start + n):
        doc_id = f"syn-{i:05d}"
        record = CaseRecord(
            case_id=f"{doc_id}-1",
            primary_tumor=PrimaryTumor(site=Term(iri=SMO + "Kidney", label="kidney")),
            metastases=[Metastasis(site=Term(iri=SMO + sites[i % 4], label="site"), interval_months=i % 12)],
        )
        text = f"Report {i}{tag}: kidney primary, metastasis."
        cases.append((SourceDocument(doc_id=doc_id, text=text, source=Source(format="record")), [record]))
    return cases


def test_the_chunked_fast_path_writes_every_report_whole(store: EmbeddedStore, settings: Settings) -> None:
    cases = synthetic(1200)
    writer = ReportWriter(store, settings, chunk_reports=500, bulk_min_reports=100)
    for document, records in cases:
        writer.write(document, records)
    summary = writer.close()
    assert (summary.loaded, summary.failed) == (1200, 0)
    assert not (settings.store / "sarcokg-bulk.journal").exists()
    per_graph = {graph_iri(d.doc_id, base_iri=settings.base_iri) for d, _ in cases}
    assert per_graph <= set(store.named_graphs())
    assert store.count() == summary.quads
    # every graph is exactly its mapping (bar the provenance time)
    from graph.loading import _map

    for document, records in cases[::97]:
        expected = {q for q in _map(document, records, settings) if q.predicate != PROV_ENDED}
        graph = graph_iri(document.doc_id, base_iri=settings.base_iri)
        assert {q for q in store.graph_quads(graph) if q.predicate != PROV_ENDED} == expected

    again = ReportWriter(store, settings)
    for document, records in cases:
        again.write(document, records)
    assert again.close().unchanged == 1200


def test_a_report_that_cannot_be_mapped_fails_alone_inside_a_chunk(
    store: EmbeddedStore, settings: Settings
) -> None:
    cases = synthetic(300)
    bad_document, bad_records = cases[150]
    bad_records[0].case_id = "someone-else-1"  # does not belong to its report: the mapping refuses it
    writer = ReportWriter(store, settings, chunk_reports=1000, bulk_min_reports=10)
    for document, records in cases:
        writer.write(document, records, where=f"cases.yaml ({document.doc_id})")
    summary = writer.close()
    assert (summary.loaded, summary.failed) == (299, 1)
    assert summary.failures[0].where == f"cases.yaml ({bad_document.doc_id})"
    assert "does not start with the report id" in summary.failures[0].reason
    assert graph_iri(bad_document.doc_id, base_iri=settings.base_iri) not in store.named_graphs()


def test_the_same_report_twice_in_one_run(store: EmbeddedStore, settings: Settings) -> None:
    (first,) = synthetic(1)
    (second,) = synthetic(1, tag=" (corrected)")
    writer = ReportWriter(store, settings, bulk_min_reports=1)
    writer.write(*first)
    writer.write(*second)
    summary = writer.close()
    assert (summary.loaded, summary.replaced) == (1, 1)
    texts = {q.object.value for q in store.graph_quads(None) if q.predicate.value == SMO + "reportText"}
    assert texts == {second[0].text}


def test_load_document_is_atomic_when_the_records_are_wrong(
    store: EmbeddedStore, settings: Settings, onto: Ontology
) -> None:
    document, records = seeds.seed_000(onto)
    assert load_document(store, document, records, settings=settings).status == "loaded"
    before = all_quads(store)
    changed = document.model_copy(update={"text": document.text + " Addendum."})
    changed.source.sha256 = None
    wrong = [records[0].model_copy(update={"case_id": "seed-001-1"})]
    with pytest.raises(InputError):
        load_document(store, changed, wrong, settings=settings)
    assert all_quads(store) == before


def test_loading_into_a_remote_store(
    tmp_path: Path, oxigraph_remote: RemoteTestStore, onto: Ontology
) -> None:
    remote = oxigraph_remote.store
    oxigraph_remote.cleanup()
    settings = Settings(store=tmp_path / "unused", _env_file=None)
    folder = seed_folder(tmp_path / "in", onto)
    try:
        first = load_paths(remote, [folder], settings=settings, workers=1)
        assert (first.loaded, first.failed) == (2, 0)
        snapshot = all_quads(remote)
        second = load_paths(remote, [folder], settings=settings, workers=1)
        assert second.unchanged == 2
        assert all_quads(remote) == snapshot
    finally:
        oxigraph_remote.cleanup()
