"""Hand-made case records for the mapping and named-query tests (not test files themselves).

The two seed reports of ``examples/`` as a careful reader would extract them, plus small
synthetic reports written for the tests (negated and uncertain findings, sub-sites, supportive
drugs, two patients in one report). Terms are looked up in the ontology by label, so the
records follow the ontology file rather than hard-coded IRIs; evidence spans are located in
the report text, so ``span.text == text[span.start:span.end]`` always holds.

Import it as ``from tests.graph import seed_records`` (pytest puts the repository root on ``sys.path``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from graph.embedded import EmbeddedStore
from graph.store import Store
from loaders.records import (
    CaseRecord,
    Evidence,
    LocalRecurrence,
    Metastasis,
    NegatedMetastasis,
    Outcome,
    Patient,
    PrimaryTumor,
    Source,
    SourceDocument,
    Term,
    Treatment,
)
from ontology import Kind, Ontology

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


class Builder:
    """Terms by label and evidence spans by phrase, for one report text."""

    def __init__(self, onto: Ontology, text: str) -> None:
        self.onto = onto
        self.text = text

    def term(self, label: str, kind: Kind | None = None) -> Term:
        found = self.onto.find(label, kind)
        if found is None:
            raise LookupError(f"the ontology has no {kind or 'term'} named {label!r}")
        return Term(iri=found.iri, label=found.label)

    def span(self, phrase: str, nth: int = 0) -> Evidence:
        start = -1
        for _ in range(nth + 1):
            start = self.text.index(phrase, start + 1)
        return Evidence(start=start, end=start + len(phrase), text=phrase)


def _document(doc_id: str, text: str, source: Source) -> SourceDocument:
    if source.sha256 is None:
        source = source.model_copy(update={"sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()})
    return SourceDocument(doc_id=doc_id, text=text, source=source)


def seed_000(onto: Ontology) -> tuple[SourceDocument, list[CaseRecord]]:
    """examples/seed-000.txt: renal leiomyosarcoma, lung then pancreas metastases, GD therapy."""
    text = (EXAMPLES / "seed-000.txt").read_text(encoding="utf-8")
    doc = _document("seed-000", text, Source(journal="Hinyokika Kiyo", year=2013, format="text"))
    b = Builder(onto, text)
    record = CaseRecord(
        case_id="seed-000-1",
        source=doc.source,
        patient=Patient(age=64, sex="female", evidence=[b.span("64-year-old woman")]),
        primary_tumor=PrimaryTumor(
            site=b.term("kidney", "site"),
            laterality="right",
            histology=b.term("leiomyosarcoma", "histology"),
            evidence=[
                b.span("leiomyosarcoma originating from the kidney"),
                b.span("right radical nephrectomy"),
            ],
        ),
        metastases=[
            Metastasis(
                site=b.term("lung", "site"),
                laterality="left",
                interval_months=15,
                evidence=[b.span("the left lung 15 months after nephrectomy")],
            ),
            Metastasis(site=b.term("pancreas", "site"), evidence=[b.span("pancreatic metastasis")]),
        ],
        treatments=[
            Treatment(
                kind="surgery",
                procedure=b.term("radical nephrectomy", "procedure"),
                target_site=b.term("kidney", "site"),
                evidence=[b.span("right radical nephrectomy")],
            ),
            Treatment(
                kind="surgery",
                procedure=b.term("VATS", "procedure"),
                target_site=b.term("lung", "site"),
                evidence=[b.span("video-assisted thoracic surgery\n(VATS)")],
            ),
            Treatment(
                kind="chemotherapy",
                # sorted by label: the order record_from_store gives agents back in
                agents=sorted(
                    [b.term("gemcitabine", "agent"), b.term("docetaxel", "agent")], key=lambda t: t.label
                ),
                regimen=b.term("GD", "regimen"),
                evidence=[b.span("systemic chemotherapy with gemcitabine and docetaxel (GD therapy)")],
            ),
        ],
        best_response=b.term("partial response", "response"),
        outcome=Outcome(
            status="alive", evidence=[b.span("the patient\nhas maintained good performance status")]
        ),
    )
    return doc, [record]


def seed_001(onto: Ontology) -> tuple[SourceDocument, list[CaseRecord]]:
    """examples/seed-001.txt: thigh leiomyosarcoma, pancreatic head then tail metastases."""
    text = (EXAMPLES / "seed-001.txt").read_text(encoding="utf-8")
    doc = _document("seed-001", text, Source(format="text"))
    b = Builder(onto, text)
    pancreas = b.term("pancreas", "site")
    record = CaseRecord(
        case_id="seed-001-1",
        source=doc.source,
        patient=Patient(age=66, sex="female", evidence=[b.span("66-year-old woman")]),
        primary_tumor=PrimaryTumor(
            site=b.term("thigh", "site"),
            laterality="right",
            histology=b.term("leiomyosarcoma", "histology"),
            evidence=[
                b.span("a mass in the right thigh"),
                b.span("leiomyosarcoma of the right anterior thigh"),
            ],
        ),
        metastases=[
            Metastasis(
                site=pancreas,
                subsite=b.term("head of pancreas", "site"),
                interval_months=0,
                synchronous=True,
                evidence=[b.span("a mass at the head of the pancreas")],
            ),
            Metastasis(
                site=pancreas,
                subsite=b.term("tail of pancreas", "site"),
                evidence=[b.span("remnant tail of the pancreas")],
            ),
        ],
        treatments=[
            Treatment(kind="surgery", evidence=[b.span("surgical resection for this mass")]),
            Treatment(
                kind="surgery",
                procedure=b.term("pylorus-preserving pancreaticoduodenectomy", "procedure"),
                target_site=pancreas,
                evidence=[b.span("pyloruspreserving pancreaticoduodenectomy was performed")],
            ),
            Treatment(
                kind="surgery",
                procedure=b.term("distal pancreatectomy", "procedure"),
                target_site=pancreas,
                evidence=[b.span("distal pancreatectomy was performed")],
            ),
        ],
        outcome=Outcome(status="unknown"),
    )
    return doc, [record]


SYNTH_TEXT = (
    "Two patients. Patient one, a 45-year-old man, had an osteosarcoma of the femur. Lung metastases "
    "were absent; a liver lesion was suspicious for metastasis 24 months later. A metastasis in the "
    "pancreatic tail was resected. He received ifosfamide with mesna and achieved a complete response. "
    "He died 30 months after diagnosis. Patient two, a 52-year-old woman with leiomyosarcoma of the "
    "thigh, developed a femoral metastasis 24 months after surgery and a local recurrence at 40 months."
)


def synthetic(onto: Ontology) -> tuple[SourceDocument, list[CaseRecord]]:
    """A made-up report with two patients, exercising what the seeds do not.

    Patient 1: a negated lung finding, an uncertain liver metastasis, a metastasis recorded at a
    sub-site (tail of pancreas) rather than its organ, a supportive agent (mesna).
    Patient 2: a metastasis at bone with subsite femur, a local recurrence.
    """
    b = Builder(onto, SYNTH_TEXT)
    source = Source(
        title="Two synthetic sarcoma cases",
        pmid="99999999",
        doi="10.9999/synthetic.1",
        journal="Journal of Synthetic Cases",
        year=2020,
        format="pubmed",
    )
    doc = _document("pmid-99999999", SYNTH_TEXT, source)
    one = CaseRecord(
        case_id="pmid-99999999-1",
        source=doc.source,
        patient=Patient(age=45, sex="male", evidence=[b.span("a 45-year-old man")]),
        primary_tumor=PrimaryTumor(
            site=b.term("bone", "site"),
            subsite=b.term("femur", "site"),
            histology=b.term("osteosarcoma", "histology"),
            evidence=[b.span("osteosarcoma of the femur")],
        ),
        metastases=[
            Metastasis(
                site=b.term("liver", "site"),
                interval_months=24,
                uncertain=True,
                evidence=[b.span("a liver lesion was suspicious for metastasis 24 months later")],
            ),
            Metastasis(
                site=b.term("tail of pancreas", "site"),
                interval_months=6.5,
                evidence=[b.span("A metastasis in the pancreatic tail")],
            ),
        ],
        negated_metastases=[
            NegatedMetastasis(site=b.term("lung", "site"), evidence=[b.span("Lung metastases were absent")])
        ],
        treatments=[
            Treatment(
                kind="chemotherapy",
                agents=sorted(
                    [b.term("ifosfamide", "agent"), b.term("mesna", "agent")], key=lambda t: t.label
                ),
                evidence=[b.span("ifosfamide with mesna")],
            ),
            Treatment(kind="surgery", evidence=[b.span("was resected")]),
        ],
        best_response=b.term("complete response", "response"),
        outcome=Outcome(
            status="dead", follow_up_months=30, evidence=[b.span("He died 30 months after diagnosis")]
        ),
    )
    two = CaseRecord(
        case_id="pmid-99999999-2",
        source=doc.source,
        patient=Patient(age=52, sex="female", evidence=[b.span("a 52-year-old woman")]),
        primary_tumor=PrimaryTumor(
            site=b.term("thigh", "site"),
            histology=b.term("leiomyosarcoma", "histology"),
            evidence=[b.span("leiomyosarcoma of the thigh")],
        ),
        metastases=[
            Metastasis(
                site=b.term("bone", "site"),
                subsite=b.term("femur", "site"),
                interval_months=24,
                evidence=[b.span("a femoral metastasis 24 months after surgery")],
            )
        ],
        local_recurrences=[
            LocalRecurrence(
                site=b.term("thigh", "site"),
                interval_months=40,
                evidence=[b.span("a local recurrence at 40 months")],
            )
        ],
        outcome=Outcome(status="unknown"),
    )
    return doc, [one, two]


def all_documents(onto: Ontology) -> list[tuple[SourceDocument, list[CaseRecord]]]:
    """The seeds and the synthetic report, each with its records."""
    return [seed_000(onto), seed_001(onto), synthetic(onto)]


def open_test_store(path: Path) -> EmbeddedStore:
    """The embedded store on disk at ``path``."""
    return EmbeddedStore(path)


BASE = "https://w3id.org/sarcokg/id/"


def populate(
    store: Store,
    onto: Ontology,
    documents: list[tuple[SourceDocument, list[CaseRecord]]],
    *,
    base_iri: str = BASE,
) -> None:
    """Write the ontology, its closure and each report's graph, as ``sarcokg load`` does."""
    from datetime import UTC, datetime

    from graph.mapping import document_to_quads, graph_iri
    from graph.ontology_graph import CLOSURE_GRAPH_IRI, ONTOLOGY_GRAPH_IRI, closure_quads, ontology_quads

    replace = store.replace_graph
    replace(ONTOLOGY_GRAPH_IRI, ontology_quads(onto))
    replace(CLOSURE_GRAPH_IRI, closure_quads(onto))
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    for doc, records in documents:
        quads = document_to_quads(doc, records, base_iri=base_iri, generated_at=when, version="0.1.0")
        replace(graph_iri(doc.doc_id, base_iri=base_iri), quads)
