"""Store -> CaseRecord: rebuild one patient's DESIGN.md §4 record (with evidence) from the graph.

The inverse of :mod:`graph.mapping`, for ``GET /api/cases/{id}``. One SPARQL query fetches the
triples of the patient's report graph (minus the report text) together with the ontology
labels of the terms they use; the record is then rebuilt by walking from the patient node.
Term labels come from the ontology graph in the store, else from the ontology package, so a
store loaded without its ontology graph still answers.

RDF has no order, so order is rebuilt from the stable IRIs (``metastasis/{id}-2`` comes second,
evidence ``{id}-7`` before ``{id}-8``); agents of one treatment, a set in RDF, come back sorted
by label.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from typing import Any, Protocol

from pyoxigraph import Literal, NamedNode

from graph import vocab as v
from graph.mapping import LATERALITY_IRIS, SEX_IRIS, TREATMENT_KIND_IRIS, VITAL_STATUS_IRIS, patient_iri
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
    Term,
    Treatment,
)
from ontology import SMO, Ontology

__all__ = ["SelectStore", "record_from_store"]

_CASE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_TRAILING_NUMBER = re.compile(r"-(\d+)$")


class SelectStore(Protocol):
    """What this module needs of a store (every :class:`graph.store.Store` has it)."""

    def select(self, sparql: str, *, timeout_s: float | None = None) -> list[dict[str, Any]]: ...


def _neighbourhood_query(patient: str) -> str:
    return f"""SELECT ?s ?p ?o ?label WHERE {{
  {{ SELECT ?g WHERE {{ GRAPH ?g {{ <{patient}> a <{v.PATIENT.value}> }} }} LIMIT 1 }}
  GRAPH ?g {{ ?s ?p ?o FILTER(?p != <{v.REPORT_TEXT.value}>) }}
  OPTIONAL {{ GRAPH <{v.ONTOLOGY_GRAPH.value}> {{ ?o <{v.RDFS_LABEL.value}> ?label }} }}
}}"""


def record_from_store(
    store: SelectStore, case_id: str, *, base_iri: str, ontology: Ontology | None = None
) -> CaseRecord | None:
    """The case record of ``case_id`` as stored, or ``None`` if the store has no such patient.

    ``ontology`` supplies labels the store's ontology graph lacks (default: the bundled one,
    loaded only when needed).
    """
    if not _CASE_ID.match(case_id):
        return None
    patient = patient_iri(case_id, base_iri=base_iri)
    rows = store.select(_neighbourhood_query(patient))
    if not rows:
        return None
    graph = _Triples()
    labels: dict[str, str] = {}
    for row in rows:
        graph.add(row["s"].value, row["p"].value, row["o"])
        if "label" in row and isinstance(row["o"], NamedNode):
            labels.setdefault(row["o"].value, row["label"].value)
    return _Rebuilder(graph, labels, ontology).record(patient, case_id)


class _Triples:
    """subject -> predicate -> objects, from the rows of the neighbourhood query."""

    def __init__(self) -> None:
        self.index: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))

    def add(self, s: str, p: str, o: Any) -> None:
        if o not in self.index[s][p]:
            self.index[s][p].append(o)

    def objects(self, s: str, p: NamedNode) -> list[Any]:
        return self.index.get(s, {}).get(p.value, [])

    def one(self, s: str, p: NamedNode) -> Any | None:
        found = self.objects(s, p)
        return found[0] if found else None

    def iris(self, s: str, p: NamedNode) -> list[str]:
        """IRIs linked from ``s`` by ``p``, in the order of their trailing number."""
        found = [o.value for o in self.objects(s, p) if isinstance(o, NamedNode)]
        return sorted(found, key=_iri_order)


def _iri_order(iri: str) -> tuple[int, str]:
    match = _TRAILING_NUMBER.search(iri)
    return (int(match.group(1)) if match else 0, iri)


def _lexical(term: Any | None) -> str | None:
    return term.value if isinstance(term, Literal) else None


def _float(term: Any | None) -> float | None:
    text = _lexical(term)
    return float(Decimal(text)) if text is not None else None


def _int(term: Any | None) -> int | None:
    text = _lexical(term)
    return int(text) if text is not None else None


def _bool(term: Any | None) -> bool:
    return _lexical(term) in ("true", "1")


class _Rebuilder:
    def __init__(self, graph: _Triples, labels: dict[str, str], ontology: Ontology | None) -> None:
        self.g = graph
        self.labels = labels
        self._ontology = ontology

    def label(self, iri: str) -> str:
        if iri in self.labels:
            return self.labels[iri]
        if self._ontology is None:
            from ontology import load_ontology

            self._ontology = load_ontology()
        term = self._ontology.get(iri)
        label = term.label if term is not None else re.split(r"[#/]", iri)[-1]
        self.labels[iri] = label
        return label

    def term(self, s: str, p: NamedNode) -> Term | None:
        node = self.g.one(s, p)
        if not isinstance(node, NamedNode):
            return None
        return Term(iri=node.value, label=self.label(node.value))

    def evidence(self, fact: str) -> list[Evidence]:
        spans: list[Evidence] = []
        for annotation in self.g.iris(fact, v.HAS_EVIDENCE):
            target = self.g.one(annotation, v.OA_HAS_TARGET)
            if not isinstance(target, NamedNode):
                continue
            start = end = text = None
            for selector in self.g.iris(target.value, v.OA_HAS_SELECTOR):
                start = _int(self.g.one(selector, v.OA_START)) if start is None else start
                end = _int(self.g.one(selector, v.OA_END)) if end is None else end
                text = _lexical(self.g.one(selector, v.OA_EXACT)) if text is None else text
            if start is not None and end is not None and text is not None:
                spans.append(Evidence(start=start, end=end, text=text))
        return spans

    @staticmethod
    def _key(mapping: dict[str, NamedNode], node: Any | None) -> str | None:
        for key, value in mapping.items():
            if value == node:
                return key
        return None

    def record(self, patient: str, case_id: str) -> CaseRecord:
        g = self.g
        reports = [
            s for s, props in g.index.items() if NamedNode(patient) in props.get(v.DESCRIBES_CASE.value, [])
        ]
        source = self.source(reports[0]) if reports else Source()
        sex = self._key(SEX_IRIS, g.one(patient, v.HAS_SEX))
        tumor_node = g.one(patient, v.HAS_PRIMARY_TUMOR)
        primary = PrimaryTumor()
        if isinstance(tumor_node, NamedNode):
            tumor = tumor_node.value
            laterality = self._key(LATERALITY_IRIS, g.one(tumor, v.HAS_LATERALITY))
            primary = PrimaryTumor(
                site=self.term(tumor, v.HAS_SITE),
                subsite=self.term(tumor, v.HAS_SUBSITE),
                laterality=laterality,
                histology=self.term(tumor, v.HAS_HISTOLOGY),
                evidence=self.evidence(tumor),
            )
        outcome = Outcome()
        outcome_node = g.one(patient, v.HAS_OUTCOME)
        if isinstance(outcome_node, NamedNode):
            o = outcome_node.value
            outcome = Outcome(
                status=self._key(VITAL_STATUS_IRIS, g.one(o, v.HAS_VITAL_STATUS)) or "unknown",
                follow_up_months=_float(g.one(o, v.FOLLOW_UP_MONTHS)),
                evidence=self.evidence(o),
            )
        return CaseRecord(
            case_id=case_id,
            source=source,
            patient=Patient(
                age=_int(g.one(patient, v.AGE_YEARS)),
                sex=sex,
                evidence=self.evidence(patient),
            ),
            primary_tumor=primary,
            metastases=[self.metastasis(m) for m in g.iris(patient, v.HAS_METASTASIS)],
            negated_metastases=[
                NegatedMetastasis(site=self._required_term(n, v.HAS_SITE), evidence=self.evidence(n))
                for n in g.iris(patient, v.HAS_NEGATED_METASTASIS)
            ],
            local_recurrences=[
                LocalRecurrence(
                    site=self.term(r, v.HAS_SITE),
                    interval_months=_float(g.one(r, v.INTERVAL_MONTHS)),
                    evidence=self.evidence(r),
                )
                for r in g.iris(patient, v.HAS_LOCAL_RECURRENCE)
            ],
            treatments=[self.treatment(t) for t in g.iris(patient, v.HAS_TREATMENT)],
            best_response=self.term(patient, v.HAS_BEST_RESPONSE),
            outcome=outcome,
        )

    def _required_term(self, s: str, p: NamedNode) -> Term:
        term = self.term(s, p)
        if term is None:  # a hand-written graph may lack it: say "some site", do not drop the fact
            return Term(iri=str(SMO.AnatomicalSite), label=self.label(str(SMO.AnatomicalSite)))
        return term

    def metastasis(self, node: str) -> Metastasis:
        g = self.g
        return Metastasis(
            site=self._required_term(node, v.HAS_SITE),
            subsite=self.term(node, v.HAS_SUBSITE),
            laterality=self._key(LATERALITY_IRIS, g.one(node, v.HAS_LATERALITY)),
            interval_months=_float(g.one(node, v.INTERVAL_MONTHS)),
            synchronous=_bool(g.one(node, v.IS_SYNCHRONOUS)),
            uncertain=_bool(g.one(node, v.IS_UNCERTAIN)),
            evidence=self.evidence(node),
        )

    def treatment(self, node: str) -> Treatment:
        g = self.g
        kinds = [self._key(TREATMENT_KIND_IRIS, t) for t in g.objects(node, v.RDF_TYPE)]
        agents = [
            Term(iri=a.value, label=self.label(a.value))
            for a in g.objects(node, v.HAS_AGENT)
            if isinstance(a, NamedNode)
        ]
        return Treatment(
            kind=next((k for k in kinds if k is not None), "other"),
            procedure=self.term(node, v.HAS_PROCEDURE),
            agents=sorted(agents, key=lambda t: (t.label, t.iri)),
            regimen=self.term(node, v.HAS_REGIMEN),
            target_site=self.term(node, v.HAS_TARGET_SITE),
            evidence=self.evidence(node),
        )

    def source(self, report: str) -> Source:
        g = self.g
        fmt = _lexical(g.one(report, v.SOURCE_FORMAT)) or "text"
        return Source(
            title=_lexical(g.one(report, v.DCTERMS_TITLE)),
            pmid=_lexical(g.one(report, v.PMID)),
            doi=_lexical(g.one(report, v.DOI)),
            pmcid=_lexical(g.one(report, v.PMCID)),
            journal=_lexical(g.one(report, v.JOURNAL)),
            year=_int(g.one(report, v.PUBLICATION_YEAR)),
            format=fmt if fmt in ("text", "pubmed", "jats", "bioc", "record") else "text",
            sha256=_lexical(g.one(report, v.SHA256)),
        )
