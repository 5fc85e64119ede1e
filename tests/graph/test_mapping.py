"""CaseRecord -> quads: the instance-data model, stable IRIs, evidence and provenance."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib

from graph import vocab as v
from graph.mapping import document_to_quads, graph_iri, record_to_quads, report_iri
from loaders.records import CaseRecord, SourceDocument
from ontology import Kind, Ontology, OntologyTerm, load_ontology
from sarcokg.errors import InputError
from tests.graph import seed_records as seeds

BASE = seeds.BASE
WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
SMO = "https://w3id.org/sarcokg/ontology#"


@pytest.fixture(scope="module")
def onto() -> Ontology:
    return load_ontology()


def find(onto: Ontology, text: str, kind: Kind | None = None) -> OntologyTerm:
    term = onto.find(text, kind)
    assert term is not None, text
    return term


def quads_of(doc: SourceDocument, records: list[CaseRecord], when: datetime = WHEN) -> list[ox.Quad]:
    return document_to_quads(doc, records, base_iri=BASE, generated_at=when, version="0.1.0")


def objects(quads: list[ox.Quad], subject: str, predicate: ox.NamedNode) -> list[Any]:
    return [q.object for q in quads if q.subject == ox.NamedNode(subject) and q.predicate == predicate]


def one(quads: list[ox.Quad], subject: str, predicate: ox.NamedNode) -> Any:
    found = objects(quads, subject, predicate)
    assert len(found) == 1, (subject, predicate, found)
    return found[0]


def test_seed_000_follows_the_instance_model(onto: Ontology) -> None:
    doc, records = seeds.seed_000(onto)
    quads = quads_of(doc, records)
    patient, tumor = f"{BASE}patient/seed-000-1", f"{BASE}tumor/seed-000-1-primary"
    lung_met, pancreas_met = f"{BASE}metastasis/seed-000-1-1", f"{BASE}metastasis/seed-000-1-2"
    assert {q.graph_name for q in quads} == {ox.NamedNode(f"{BASE}graph/seed-000")}

    assert one(quads, patient, v.RDF_TYPE) == v.PATIENT
    assert one(quads, patient, v.CASE_ID) == ox.Literal("seed-000-1")
    assert one(quads, patient, v.AGE_YEARS) == ox.Literal("64", datatype=v.XSD_INTEGER)
    assert one(quads, patient, v.HAS_SEX) == v.FEMALE
    assert one(quads, patient, v.HAS_PRIMARY_TUMOR) == ox.NamedNode(tumor)
    assert one(quads, tumor, v.HAS_SITE) == ox.NamedNode(find(onto, "kidney", "site").iri)
    assert one(quads, tumor, v.HAS_LATERALITY) == v.RIGHT
    assert one(quads, tumor, v.HAS_HISTOLOGY) == ox.NamedNode(find(onto, "leiomyosarcoma").iri)
    assert set(objects(quads, patient, v.HAS_METASTASIS)) == {
        ox.NamedNode(lung_met),
        ox.NamedNode(pancreas_met),
    }
    assert one(quads, lung_met, v.RDF_TYPE) == v.METASTASIS
    assert one(quads, lung_met, v.HAS_SITE) == ox.NamedNode(find(onto, "lung", "site").iri)
    assert one(quads, lung_met, v.INTERVAL_MONTHS) == ox.Literal("15", datatype=v.XSD_DECIMAL)
    assert one(quads, lung_met, v.IS_SYNCHRONOUS) == ox.Literal("false", datatype=v.XSD_BOOLEAN)
    assert one(quads, lung_met, v.IS_UNCERTAIN) == ox.Literal("false", datatype=v.XSD_BOOLEAN)
    assert objects(quads, pancreas_met, v.INTERVAL_MONTHS) == []
    assert one(quads, patient, v.HAS_BEST_RESPONSE) == ox.NamedNode(find(onto, "partial response").iri)
    outcome = one(quads, patient, v.HAS_OUTCOME).value
    assert one(quads, outcome, v.HAS_VITAL_STATUS) == v.ALIVE

    chemo = f"{BASE}treatment/seed-000-1-3"
    assert one(quads, chemo, v.RDF_TYPE) == v.CHEMOTHERAPY
    assert {a.value for a in objects(quads, chemo, v.HAS_AGENT)} == {
        find(onto, "gemcitabine").iri,
        find(onto, "docetaxel").iri,
    }
    assert one(quads, chemo, v.HAS_REGIMEN) == ox.NamedNode(find(onto, "GD", "regimen").iri)
    assert one(quads, f"{BASE}treatment/seed-000-1-1", v.RDF_TYPE) == v.SURGERY


def test_report_carries_provenance_and_source(onto: Ontology) -> None:
    doc, records = seeds.synthetic(onto)
    quads = quads_of(doc, records)
    report = report_iri(doc.doc_id, base_iri=BASE)
    assert one(quads, report, v.RDF_TYPE) == v.CASE_REPORT
    assert one(quads, report, v.PMID) == ox.Literal("99999999")
    assert one(quads, report, v.DOI) == ox.Literal("10.9999/synthetic.1")
    assert one(quads, report, v.PUBLICATION_YEAR) == ox.Literal("2020", datatype=v.XSD_INTEGER)
    assert one(quads, report, v.SOURCE_FORMAT) == ox.Literal("pubmed")
    assert one(quads, report, v.SHA256) == ox.Literal(hashlib.sha256(doc.text.encode()).hexdigest())
    assert one(quads, report, v.REPORT_TEXT) == ox.Literal(doc.text)
    assert one(quads, report, v.DCTERMS_TITLE) == ox.Literal("Two synthetic sarcoma cases")
    assert {p.value for p in objects(quads, report, v.DESCRIBES_CASE)} == {
        f"{BASE}patient/pmid-99999999-1",
        f"{BASE}patient/pmid-99999999-2",
    }
    activity = one(quads, report, v.PROV_WAS_GENERATED_BY).value
    assert one(quads, activity, v.RDF_TYPE) == v.PROV_ACTIVITY
    ended = one(quads, activity, v.PROV_ENDED_AT_TIME)
    assert isinstance(ended, ox.Literal) and ended.datatype == v.XSD_DATE_TIME
    assert datetime.fromisoformat(ended.value) == WHEN
    agent = one(quads, activity, v.PROV_WAS_ASSOCIATED_WITH).value
    assert agent == f"{BASE}agent/sarcokg-0.1.0"
    assert one(quads, agent, v.RDF_TYPE) == v.PROV_SOFTWARE_AGENT


def test_sha256_of_the_input_file_is_kept_when_the_reader_gave_one(onto: Ontology) -> None:
    doc, records = seeds.seed_000(onto)
    doc = doc.model_copy(update={"source": doc.source.model_copy(update={"sha256": "ab" * 32})})
    quads = quads_of(doc, records)
    assert one(quads, report_iri("seed-000", base_iri=BASE), v.SHA256) == ox.Literal("ab" * 32)


def test_no_blank_nodes_and_one_graph_per_report(onto: Ontology) -> None:
    for doc, records in seeds.all_documents(onto):
        quads = quads_of(doc, records)
        assert {q.graph_name for q in quads} == {ox.NamedNode(graph_iri(doc.doc_id, base_iri=BASE))}
        for q in quads:
            assert not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
        assert len(quads) == len(set(quads)), "duplicate quads"


def test_negated_metastasis_is_its_own_kind_and_never_a_metastasis(onto: Ontology) -> None:
    doc, records = seeds.synthetic(onto)
    quads = quads_of(doc, records)
    patient = f"{BASE}patient/pmid-99999999-1"
    negated = f"{BASE}negated-metastasis/pmid-99999999-1-1"
    assert objects(quads, patient, v.HAS_NEGATED_METASTASIS) == [ox.NamedNode(negated)]
    assert objects(quads, negated, v.RDF_TYPE) == [v.NEGATED_METASTASIS]
    assert ox.NamedNode(negated) not in objects(quads, patient, v.HAS_METASTASIS)
    lung = ox.NamedNode(find(onto, "lung", "site").iri)
    metastasis_sites = {
        q.object
        for q in quads
        if q.predicate == v.HAS_SITE
        and (q.subject, v.RDF_TYPE, v.METASTASIS) in {(x.subject, x.predicate, x.object) for x in quads}
    }
    assert lung not in metastasis_sites


def test_uncertain_finding_is_flagged(onto: Ontology) -> None:
    doc, records = seeds.synthetic(onto)
    quads = quads_of(doc, records)
    liver_met = f"{BASE}metastasis/pmid-99999999-1-1"
    assert one(quads, liver_met, v.HAS_SITE) == ox.NamedNode(find(onto, "liver", "site").iri)
    assert one(quads, liver_met, v.IS_UNCERTAIN) == ox.Literal("true", datatype=v.XSD_BOOLEAN)
    assert one(quads, f"{BASE}metastasis/pmid-99999999-1-2", v.INTERVAL_MONTHS) == ox.Literal(
        "6.5", datatype=v.XSD_DECIMAL
    )


def test_mapping_is_idempotent(onto: Ontology) -> None:
    for make in (seeds.seed_000, seeds.seed_001, seeds.synthetic):
        doc, records = make(onto)
        again_doc, again_records = make(onto)  # equal but distinct objects
        first, second = quads_of(doc, records), quads_of(again_doc, again_records)
        assert set(first) == set(second)
        assert first == second, "same input, same order too"
        later = set(quads_of(doc, records, WHEN + timedelta(days=1)))
        changed = set(first) ^ later
        assert {q.predicate for q in changed} == {v.PROV_ENDED_AT_TIME}, "only the activity time changes"


def test_record_to_quads_is_one_patient_of_document_to_quads(onto: Ontology) -> None:
    doc, records = seeds.synthetic(onto)
    union: set[ox.Quad] = set()
    for record in records:
        union |= set(record_to_quads(record, doc, base_iri=BASE, generated_at=WHEN, version="0.1.0"))
    assert union == set(quads_of(doc, records))


def test_case_ids_must_belong_to_the_document(onto: Ontology) -> None:
    doc, records = seeds.seed_000(onto)
    stray = records[0].model_copy(update={"case_id": "other-report-1"})
    with pytest.raises(InputError, match="does not start with the report id"):
        quads_of(doc, [stray])
    with pytest.raises(InputError, match="appears twice"):
        quads_of(doc, [records[0], records[0]])


def test_a_bad_term_iri_is_an_input_error(onto: Ontology) -> None:
    doc, records = seeds.seed_000(onto)
    bad = records[0].model_copy(deep=True)
    assert bad.primary_tumor.site is not None
    bad.primary_tumor.site.iri = "not an iri"
    with pytest.raises(InputError, match="not a valid IRI"):
        quads_of(doc, [bad])


def _rdflib_graph(quads: list[ox.Quad]) -> rdflib.Graph:
    """The report graph as rdflib parses it from pyoxigraph's N-Quads (one graph per report)."""
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert data is not None
    graph_names = {line.rsplit(" ", 2)[-2] for line in data.decode("utf-8").splitlines()}
    assert len(graph_names) == 1
    triples = ox.serialize(
        [ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES
    )
    assert triples is not None
    graph = rdflib.Graph()
    graph.parse(data=triples.decode("utf-8"), format="nt")
    assert len(graph) == len(quads)
    return graph


FACT_TYPES = [
    "Patient",
    "PrimaryTumor",
    "Metastasis",
    "NegatedMetastasis",
    "LocalRecurrence",
    "Outcome",
    "Surgery",
    "Chemotherapy",
]


def _facts(report_graph: rdflib.Graph) -> Iterator[tuple[str, str]]:
    types = " ".join(f"<{SMO}{t}>" for t in FACT_TYPES)
    rows = report_graph.query(f"SELECT ?fact ?type WHERE {{ ?fact a ?type VALUES ?type {{ {types} }} }}")
    for row in rows:
        yield str(row[0]), str(row[1])  # type: ignore[index]


def test_output_parses_in_rdflib_and_every_fact_has_evidence_and_report(onto: Ontology) -> None:
    for doc, records in seeds.all_documents(onto):
        report_graph = _rdflib_graph(quads_of(doc, records))
        report = rdflib.URIRef(report_iri(doc.doc_id, base_iri=BASE))
        facts = list(_facts(report_graph))
        assert len(facts) >= 5
        for fact, _type in facts:
            node = rdflib.URIRef(fact)
            assert (node, rdflib.URIRef(v.PROV_WAS_DERIVED_FROM.value), report) in report_graph
        spans = report_graph.query(
            """PREFIX oa: <http://www.w3.org/ns/oa#>
            SELECT ?fact ?source ?start ?end ?exact WHERE {
              ?fact <https://w3id.org/sarcokg/ontology#hasEvidence> ?a .
              ?a a oa:Annotation ; oa:hasBody ?fact ; oa:hasTarget ?t .
              ?t a oa:SpecificResource ; oa:hasSource ?source ; oa:hasSelector ?p , ?q .
              ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
              ?q a oa:TextQuoteSelector ; oa:exact ?exact . }"""
        )
        with_evidence = set()
        for fact, source, start, end, exact in spans:  # type: ignore[misc]
            assert source == report
            assert doc.text[int(start) : int(end)] == str(exact)
            with_evidence.add(str(fact))
        expected = {f for f, _ in facts}
        # facts the records give evidence for: all but the "unknown" outcomes of the seeds
        without = {f for f in expected if f.startswith(f"{BASE}outcome/")} - with_evidence
        assert expected - with_evidence == without
        assert all(f.startswith(f"{BASE}outcome/") for f in without)


def test_fact_nodes_have_evidence_in_the_fully_annotated_seed(onto: Ontology) -> None:
    doc, records = seeds.seed_000(onto)
    report_graph = _rdflib_graph(quads_of(doc, records))
    has_evidence = rdflib.URIRef(v.HAS_EVIDENCE.value)
    for fact, _type in _facts(report_graph):
        assert list(report_graph.objects(rdflib.URIRef(fact), has_evidence)), f"{fact} has no evidence"
