"""Hand-made case records for the two example reports, and a store loaded with them.

The researcher-endpoint tests need known facts to assert on, whatever the extractor finds: these
records are written by reading ``examples/seed-000.txt`` and ``seed-001.txt`` (not copied from any
gold file). Evidence spans are located in the real text with ``str.find``, so they are exact.
Terms come from the ontology by label, so a renamed term fails here loudly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph.embedded import EmbeddedStore
from graph.loading import load_document
from loaders import read_path
from loaders.records import CaseRecord, Evidence, SourceDocument, Term
from ontology import load_ontology
from sarcokg.config import Settings

__all__ = ["EXAMPLES", "evidence", "load_seeds", "seed_documents", "term"]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def term(label: str) -> Term:
    """The ontology term with this label or synonym."""
    found = load_ontology().find(label)
    assert found is not None, f"the ontology has no term {label!r}"
    return Term(iri=found.iri, label=found.label)


def evidence(text: str, *phrases: str) -> list[Evidence]:
    """Spans of each phrase's first occurrence in ``text``."""
    spans = []
    for phrase in phrases:
        start = text.find(phrase)
        assert start >= 0, f"{phrase!r} is not in the report"
        spans.append(Evidence(start=start, end=start + len(phrase), text=phrase))
    return spans


def _read(name: str) -> SourceDocument:
    (document,) = list(read_path(EXAMPLES / name))
    assert isinstance(document, SourceDocument)
    return document


def _seed_000(doc: SourceDocument) -> CaseRecord:
    t = doc.text
    record: dict[str, Any] = {
        "case_id": f"{doc.doc_id}-1",
        "patient": {"age": 64, "sex": "female", "evidence": evidence(t, "A 64-year-old woman")},
        "primary_tumor": {
            "site": term("kidney"),
            "laterality": "right",
            "histology": term("leiomyosarcoma"),
            "evidence": evidence(t, "leiomyosarcoma originating from the kidney"),
        },
        "metastases": [
            {
                "site": term("lung"),
                "laterality": "left",
                "interval_months": 15,
                "evidence": evidence(t, "2 small nodules in\nthe left lung 15 months after nephrectomy"),
            },
            {
                "site": term("pancreas"),
                "interval_months": 44,
                "evidence": evidence(t, "pancreatic metastasis"),
            },
        ],
        "treatments": [
            {
                "kind": "surgery",
                "procedure": term("radical nephrectomy"),
                "evidence": evidence(t, "right radical nephrectomy"),
            },
            {
                "kind": "surgery",
                "procedure": term("VATS"),
                "target_site": term("lung"),
                "evidence": evidence(t, "video-assisted thoracic surgery"),
            },
            {
                "kind": "chemotherapy",
                "regimen": term("GD"),
                "agents": [term("gemcitabine"), term("docetaxel"), term("G-CSF")],
                "evidence": evidence(t, "systemic chemotherapy with gemcitabine and docetaxel"),
            },
        ],
        "best_response": term("partial response"),
        "outcome": {"status": "alive", "evidence": evidence(t, "has maintained good performance status")},
    }
    return CaseRecord.model_validate(record)


def _seed_001(doc: SourceDocument) -> CaseRecord:
    t = doc.text
    record: dict[str, Any] = {
        "case_id": f"{doc.doc_id}-1",
        "patient": {"age": 66, "sex": "female", "evidence": evidence(t, "A 66-year-old woman")},
        "primary_tumor": {
            "site": term("thigh"),
            "laterality": "right",
            "histology": term("leiomyosarcoma"),
            "evidence": evidence(t, "a mass in the right thigh"),
        },
        "metastases": [
            {
                "site": term("pancreas"),
                "subsite": term("head of pancreas"),
                "evidence": evidence(t, "a mass at the head of the pancreas"),
            },
            {
                "site": term("pancreas"),
                "subsite": term("tail of pancreas"),
                "interval_months": 9,
                "evidence": evidence(t, "new 1-cm mass in the remnant tail of the pancreas"),
            },
        ],
        "negated_metastases": [
            {"site": term("liver"), "evidence": evidence(t, "No evidence of other distant metastases")}
        ],
        "treatments": [
            {
                "kind": "surgery",
                "procedure": term("pylorus-preserving pancreaticoduodenectomy"),
                "evidence": evidence(t, "pyloruspreserving pancreaticoduodenectomy was performed"),
            },
            {
                "kind": "surgery",
                "procedure": term("distal pancreatectomy"),
                "evidence": evidence(t, "distal pancreatectomy"),
            },
        ],
        "outcome": {"status": "unknown"},
    }
    return CaseRecord.model_validate(record)


def seed_documents() -> list[tuple[SourceDocument, list[CaseRecord]]]:
    """The two example reports as read by the readers, with their hand-made records."""
    first, second = _read("seed-000.txt"), _read("seed-001.txt")
    return [(first, [_seed_000(first)]), (second, [_seed_001(second)])]


def load_seeds(store_path: Path, *, base_iri: str | None = None) -> None:
    """Load the seed reports into the embedded store at ``store_path`` (the server opens it next)."""
    settings = Settings(store=store_path, _env_file=None)
    if base_iri is not None:
        settings = settings.model_copy(update={"base_iri": base_iri})
    store = EmbeddedStore(store_path)
    try:
        for document, records in seed_documents():
            load_document(store, document, records, settings=settings)
    finally:
        store.close()
