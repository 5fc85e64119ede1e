"""Record -> quads -> on-disk store -> record_from_store gives the record back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph.mapping import document_to_quads, graph_iri
from graph.ontology_graph import ONTOLOGY_GRAPH_IRI, STORED_ONTOLOGY_SHA256_QUERY
from graph.record_reader import record_from_store
from loaders.records import CaseRecord
from ontology import Ontology, load_ontology
from tests.graph import seed_records as seeds

BASE = seeds.BASE


@pytest.fixture(scope="module")
def onto() -> Ontology:
    return load_ontology()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, onto: Ontology) -> Any:
    """A real on-disk store holding the ontology, its closure and the three test reports."""
    store = seeds.open_test_store(tmp_path_factory.mktemp("store") / "kg")
    seeds.populate(store, onto, seeds.all_documents(onto))
    yield store
    store.close()


def expected(record: CaseRecord) -> CaseRecord:
    """What the store can give back: everything but the reader's local file path."""
    return record.model_copy(update={"source": record.source.model_copy(update={"path": None})})


def test_round_trip_gives_every_record_back(loaded: Any, onto: Ontology) -> None:
    for _doc, records in seeds.all_documents(onto):
        for record in records:
            back = record_from_store(loaded, record.case_id, base_iri=BASE)
            assert back is not None, record.case_id
            assert back.model_dump(mode="json") == expected(record).model_dump(mode="json")


def test_round_trip_keeps_order_of_metastases_and_evidence(loaded: Any, onto: Ontology) -> None:
    _doc, [record] = seeds.seed_001(onto)
    back = record_from_store(loaded, "seed-001-1", base_iri=BASE)
    assert back is not None
    assert [m.subsite.label for m in back.metastases if m.subsite] == [
        onto.lookup("head of pancreas", "site")[0].label,
        onto.lookup("tail of pancreas", "site")[0].label,
    ]
    assert [e.text for e in back.primary_tumor.evidence] == [e.text for e in record.primary_tumor.evidence]


def test_unknown_or_malformed_case_id_gives_none(loaded: Any) -> None:
    assert record_from_store(loaded, "seed-000-9", base_iri=BASE) is None
    assert record_from_store(loaded, "seed-000-1> } ; DROP ALL ; #", base_iri=BASE) is None
    assert record_from_store(loaded, "seed-000-1", base_iri="https://example.org/other/") is None


def test_labels_come_from_the_ontology_package_when_the_store_has_no_ontology_graph(
    tmp_path: Path, onto: Ontology
) -> None:
    store = seeds.open_test_store(tmp_path / "kg")
    try:
        doc, records = seeds.seed_000(onto)
        quads = document_to_quads(doc, records, base_iri=BASE, generated_at=seeds_when(), version="0.1.0")
        store.replace_graph(graph_iri(doc.doc_id, base_iri=BASE), quads)
        back = record_from_store(store, "seed-000-1", base_iri=BASE, ontology=onto)
        assert back is not None
        assert back.model_dump(mode="json") == expected(records[0]).model_dump(mode="json")
    finally:
        store.close()


def test_reloading_leaves_the_same_triples(tmp_path: Path, onto: Ontology) -> None:
    """Report and closure graphs come back identical; the ontology graph keeps its size (a store
    may rename the file's blank nodes when it replaces a graph through SPARQL Update)."""
    everything = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    store = seeds.open_test_store(tmp_path / "kg")
    try:
        seeds.populate(store, onto, seeds.all_documents(onto))
        first = store.select(everything)
        seeds.populate(store, onto, seeds.all_documents(onto))
        second = store.select(everything)
    finally:
        store.close()
    assert len(first) == len(second)
    ontology = ONTOLOGY_GRAPH_IRI

    def named(rows: list[dict[str, Any]]) -> set[str]:
        return {
            " ".join(str(row[k]) for k in ("g", "s", "p", "o")) for row in rows if row["g"].value != ontology
        }

    assert named(first) == named(second)
    assert len(named(first)) > 500


def test_closure_graph_records_the_ontology_hash(loaded: Any, onto: Ontology) -> None:
    rows = loaded.select(STORED_ONTOLOGY_SHA256_QUERY)
    assert [row["sha256"].value for row in rows] == [onto.sha256]


def seeds_when() -> Any:
    from datetime import UTC, datetime

    return datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
