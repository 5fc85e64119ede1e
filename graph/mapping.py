"""CaseRecord -> RDF quads: the instance-data model of DESIGN.md §5 (see contracts "Instance data").

One report is one named graph ``<{base}graph/{doc_id}>`` holding the report node, its PROV-O
provenance and every patient it describes. IRIs are built from the report and case ids only, so
mapping the same record again yields the same quads (no blank nodes), and a reload replaces the
graph with identical triples. Every fact node (patient, tumour, metastasis, negated metastasis,
recurrence, treatment, outcome) points at its report (``prov:wasDerivedFrom``) and at its
evidence: one ``oa:Annotation`` per text span, numbered per patient in record order.

Term values (sites, histologies, agents...) are the ontology's classes used as individuals
(OWL 2 punning); their labels live in the ontology graph, not in the report graph.
The reverse direction, for the API, is :mod:`graph.record_reader`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Quad

from graph import vocab as v
from loaders.records import CaseRecord, Evidence, SourceDocument
from sarcokg.errors import InputError

__all__ = [
    "LATERALITY_IRIS",
    "SEX_IRIS",
    "TREATMENT_KIND_IRIS",
    "VITAL_STATUS_IRIS",
    "activity_iri",
    "agent_iri",
    "document_to_quads",
    "graph_iri",
    "patient_iri",
    "record_to_quads",
    "report_iri",
]

TREATMENT_KIND_IRIS: dict[str, NamedNode] = {
    "surgery": v.SURGERY,
    "chemotherapy": v.CHEMOTHERAPY,
    "radiotherapy": v.RADIOTHERAPY,
    "targeted therapy": v.TARGETED_THERAPY,
    "immunotherapy": v.IMMUNOTHERAPY,
    "other": v.OTHER_TREATMENT,
}
LATERALITY_IRIS: dict[str, NamedNode] = {"left": v.LEFT, "right": v.RIGHT, "bilateral": v.BILATERAL}
SEX_IRIS: dict[str, NamedNode] = {"female": v.FEMALE, "male": v.MALE}
VITAL_STATUS_IRIS: dict[str, NamedNode] = {
    "alive": v.ALIVE,
    "dead": v.DEAD,
    "unknown": v.UNKNOWN_VITAL_STATUS,
}

_TRUE = Literal("true", datatype=v.XSD_BOOLEAN)
_FALSE = Literal("false", datatype=v.XSD_BOOLEAN)


def graph_iri(doc_id: str, *, base_iri: str) -> str:
    """The named graph of one report.

    >>> graph_iri("seed-000", base_iri="https://w3id.org/sarcokg/id/")
    'https://w3id.org/sarcokg/id/graph/seed-000'
    """
    return f"{base_iri}graph/{doc_id}"


def report_iri(doc_id: str, *, base_iri: str) -> str:
    """The report node (``smo:CaseReport``).

    >>> report_iri("pmid-123", base_iri="https://w3id.org/sarcokg/id/")
    'https://w3id.org/sarcokg/id/report/pmid-123'
    """
    return f"{base_iri}report/{doc_id}"


def patient_iri(case_id: str, *, base_iri: str) -> str:
    """The patient node of one case record.

    >>> patient_iri("seed-000-1", base_iri="https://w3id.org/sarcokg/id/")
    'https://w3id.org/sarcokg/id/patient/seed-000-1'
    """
    return f"{base_iri}patient/{case_id}"


def activity_iri(doc_id: str, *, base_iri: str) -> str:
    """The extraction activity that generated a report's graph."""
    return f"{base_iri}activity/{doc_id}"


def agent_iri(version: str, *, base_iri: str) -> str:
    """The software agent: one IRI per sarcokg version.

    >>> agent_iri("0.1.0+local", base_iri="https://w3id.org/sarcokg/id/")
    'https://w3id.org/sarcokg/id/agent/sarcokg-0.1.0+local'
    """
    return f"{base_iri}agent/sarcokg-{quote(version, safe='.+-_~')}"


def record_to_quads(
    record: CaseRecord, document: SourceDocument, *, base_iri: str, generated_at: datetime, version: str
) -> list[Quad]:
    """The quads of one patient plus its report node and provenance, in the report's graph.

    A report with several patients must be written in one call of
    :func:`document_to_quads`, whose result is the union of these.

    >>> from loaders.records import CaseRecord, SourceDocument
    >>> doc = SourceDocument(doc_id="demo", text="A 64-year-old woman.")
    >>> rec = CaseRecord(case_id="demo-1", patient={"age": 64, "sex": "female"})
    >>> quads = record_to_quads(rec, doc, base_iri="https://example.org/", generated_at=datetime(2026, 1, 1,
    ...     tzinfo=UTC), version="0.1.0")
    >>> {q.graph_name.value for q in quads}
    {'https://example.org/graph/demo'}
    >>> [q.object.value for q in quads if q.predicate == v.AGE_YEARS]
    ['64']
    """
    return document_to_quads(
        document, [record], base_iri=base_iri, generated_at=generated_at, version=version
    )


def document_to_quads(
    document: SourceDocument,
    records: Sequence[CaseRecord],
    *,
    base_iri: str,
    generated_at: datetime,
    version: str,
) -> list[Quad]:
    """All quads of one report: report node, provenance and every patient, without duplicates.

    Raises :class:`~sarcokg.errors.InputError` when a case id does not belong to the document
    (``{doc_id}-n``) or appears twice: either would merge two patients' nodes.
    """
    seen: set[str] = set()
    for record in records:
        if not record.case_id.startswith(f"{document.doc_id}-"):
            raise InputError(
                f"case id {record.case_id!r} does not start with the report id {document.doc_id!r}-",
                where=document.doc_id,
            )
        if record.case_id in seen:
            raise InputError(f"case id {record.case_id!r} appears twice", where=document.doc_id)
        seen.add(record.case_id)
    builder = _ReportBuilder(document, base_iri=base_iri)
    builder.report(generated_at=generated_at, version=version)
    for record in records:
        builder.patient(record)
    return list(dict.fromkeys(builder.quads))


def _decimal(value: float) -> Literal:
    """An xsd:decimal in plain notation (15.0 -> "15", 0.5 -> "0.5", never "1E-7")."""
    text = format(Decimal(repr(float(value))).normalize(), "f")
    return Literal(text, datatype=v.XSD_DECIMAL)


def _integer(value: int, datatype: NamedNode = v.XSD_INTEGER) -> Literal:
    return Literal(str(int(value)), datatype=datatype)


def _datetime(value: datetime) -> Literal:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return Literal(value.isoformat(), datatype=v.XSD_DATE_TIME)


class _ReportBuilder:
    """Accumulates the quads of one report graph."""

    def __init__(self, document: SourceDocument, *, base_iri: str) -> None:
        self.document = document
        self.base = base_iri
        self.graph = NamedNode(graph_iri(document.doc_id, base_iri=base_iri))
        self.report_node = NamedNode(report_iri(document.doc_id, base_iri=base_iri))
        self.quads: list[Quad] = []

    def add(self, subject: NamedNode, predicate: NamedNode, obj: NamedNode | Literal) -> None:
        self.quads.append(Quad(subject, predicate, obj, self.graph))

    def add_text(self, subject: NamedNode, predicate: NamedNode, value: str | None) -> None:
        if value is not None:
            self.add(subject, predicate, Literal(value))

    def iri(self, path: str) -> NamedNode:
        return NamedNode(self.base + path)

    # -- report and provenance -------------------------------------------------------------

    def report(self, *, generated_at: datetime, version: str) -> None:
        doc, node = self.document, self.report_node
        source = doc.source
        self.add(node, v.RDF_TYPE, v.CASE_REPORT)
        self.add(node, v.RDFS_LABEL, Literal(source.title or f"case report {doc.doc_id}"))
        self.add_text(node, v.DCTERMS_TITLE, source.title)
        self.add_text(node, v.PMID, source.pmid)
        self.add_text(node, v.PMCID, source.pmcid)
        self.add_text(node, v.DOI, source.doi)
        self.add_text(node, v.JOURNAL, source.journal)
        if source.year is not None:
            self.add(node, v.PUBLICATION_YEAR, _integer(source.year))
        self.add(node, v.SOURCE_FORMAT, Literal(source.format))
        sha256 = source.sha256 or hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
        self.add(node, v.SHA256, Literal(sha256))
        self.add(node, v.REPORT_TEXT, Literal(doc.text))

        activity = NamedNode(activity_iri(doc.doc_id, base_iri=self.base))
        agent = NamedNode(agent_iri(version, base_iri=self.base))
        self.add(node, v.PROV_WAS_GENERATED_BY, activity)
        self.add(activity, v.RDF_TYPE, v.PROV_ACTIVITY)
        self.add(activity, v.RDFS_LABEL, Literal(f"sarcokg {version} extraction of {doc.doc_id}"))
        self.add(activity, v.PROV_ENDED_AT_TIME, _datetime(generated_at))
        self.add(activity, v.PROV_WAS_ASSOCIATED_WITH, agent)
        self.add(agent, v.RDF_TYPE, v.PROV_SOFTWARE_AGENT)
        self.add(agent, v.RDFS_LABEL, Literal(f"sarcokg {version}"))

    # -- one patient -----------------------------------------------------------------------

    def patient(self, record: CaseRecord) -> None:
        cid = record.case_id
        patient = NamedNode(patient_iri(cid, base_iri=self.base))
        evidence = _EvidenceCounter(self, cid)
        self.add(self.report_node, v.DESCRIBES_CASE, patient)
        self.fact(patient, v.PATIENT, record.patient.evidence, evidence)
        self.add(patient, v.CASE_ID, Literal(cid))
        if record.patient.age is not None:
            self.add(patient, v.AGE_YEARS, _integer(record.patient.age))
        if record.patient.sex is not None:
            self.add(patient, v.HAS_SEX, SEX_IRIS[record.patient.sex])

        primary = record.primary_tumor
        tumor = self.iri(f"tumor/{cid}-primary")
        self.add(patient, v.HAS_PRIMARY_TUMOR, tumor)
        self.fact(tumor, v.PRIMARY_TUMOR, primary.evidence, evidence)
        self.term(tumor, v.HAS_SITE, primary.site)
        self.term(tumor, v.HAS_SUBSITE, primary.subsite)
        if primary.laterality is not None:
            self.add(tumor, v.HAS_LATERALITY, LATERALITY_IRIS[primary.laterality])
        self.term(tumor, v.HAS_HISTOLOGY, primary.histology)

        for n, met in enumerate(record.metastases, start=1):
            node = self.iri(f"metastasis/{cid}-{n}")
            self.add(patient, v.HAS_METASTASIS, node)
            self.fact(node, v.METASTASIS, met.evidence, evidence)
            self.term(node, v.HAS_SITE, met.site)
            self.term(node, v.HAS_SUBSITE, met.subsite)
            if met.laterality is not None:
                self.add(node, v.HAS_LATERALITY, LATERALITY_IRIS[met.laterality])
            if met.interval_months is not None:
                self.add(node, v.INTERVAL_MONTHS, _decimal(met.interval_months))
            self.add(node, v.IS_SYNCHRONOUS, _TRUE if met.synchronous else _FALSE)
            self.add(node, v.IS_UNCERTAIN, _TRUE if met.uncertain else _FALSE)

        for n, neg in enumerate(record.negated_metastases, start=1):
            node = self.iri(f"negated-metastasis/{cid}-{n}")
            self.add(patient, v.HAS_NEGATED_METASTASIS, node)
            self.fact(node, v.NEGATED_METASTASIS, neg.evidence, evidence)
            self.term(node, v.HAS_SITE, neg.site)

        for n, rec in enumerate(record.local_recurrences, start=1):
            node = self.iri(f"recurrence/{cid}-{n}")
            self.add(patient, v.HAS_LOCAL_RECURRENCE, node)
            self.fact(node, v.LOCAL_RECURRENCE, rec.evidence, evidence)
            self.term(node, v.HAS_SITE, rec.site)
            if rec.interval_months is not None:
                self.add(node, v.INTERVAL_MONTHS, _decimal(rec.interval_months))

        for n, treatment in enumerate(record.treatments, start=1):
            node = self.iri(f"treatment/{cid}-{n}")
            self.add(patient, v.HAS_TREATMENT, node)
            self.fact(node, TREATMENT_KIND_IRIS[treatment.kind], treatment.evidence, evidence)
            self.term(node, v.HAS_PROCEDURE, treatment.procedure)
            for agent in treatment.agents:
                self.term(node, v.HAS_AGENT, agent)
            self.term(node, v.HAS_REGIMEN, treatment.regimen)
            self.term(node, v.HAS_TARGET_SITE, treatment.target_site)

        self.term(patient, v.HAS_BEST_RESPONSE, record.best_response)

        outcome = self.iri(f"outcome/{cid}")
        self.add(patient, v.HAS_OUTCOME, outcome)
        self.fact(outcome, v.OUTCOME, record.outcome.evidence, evidence)
        self.add(outcome, v.HAS_VITAL_STATUS, VITAL_STATUS_IRIS[record.outcome.status])
        if record.outcome.follow_up_months is not None:
            self.add(outcome, v.FOLLOW_UP_MONTHS, _decimal(record.outcome.follow_up_months))

    def term(self, subject: NamedNode, predicate: NamedNode, term: object | None) -> None:
        iri = getattr(term, "iri", None)
        if iri is not None:
            try:
                self.add(subject, predicate, NamedNode(iri))
            except ValueError as exc:
                raise InputError(
                    f"term IRI {iri!r} is not a valid IRI ({exc})", where=self.document.doc_id
                ) from None

    def fact(
        self, node: NamedNode, rdf_type: NamedNode, spans: Iterable[Evidence], evidence: _EvidenceCounter
    ) -> None:
        """Type a fact node, tie it to its report and give each evidence span an annotation."""
        self.add(node, v.RDF_TYPE, rdf_type)
        self.add(node, v.PROV_WAS_DERIVED_FROM, self.report_node)
        for span in spans:
            evidence.annotate(node, span)


class _EvidenceCounter:
    """Numbers a patient's evidence annotations 1, 2, 3... in record order (stable IRIs)."""

    def __init__(self, builder: _ReportBuilder, case_id: str) -> None:
        self.builder = builder
        self.case_id = case_id
        self.k = 0

    def annotate(self, fact: NamedNode, span: Evidence) -> None:
        b = self.builder
        self.k += 1
        annotation = b.iri(f"evidence/{self.case_id}-{self.k}")
        target = NamedNode(annotation.value + "/target")
        position = NamedNode(annotation.value + "/position")
        quote_node = NamedNode(annotation.value + "/quote")
        b.add(fact, v.HAS_EVIDENCE, annotation)
        b.add(annotation, v.RDF_TYPE, v.OA_ANNOTATION)
        b.add(annotation, v.OA_HAS_BODY, fact)
        b.add(annotation, v.OA_HAS_TARGET, target)
        b.add(target, v.RDF_TYPE, v.OA_SPECIFIC_RESOURCE)
        b.add(target, v.OA_HAS_SOURCE, b.report_node)
        b.add(target, v.OA_HAS_SELECTOR, position)
        b.add(target, v.OA_HAS_SELECTOR, quote_node)
        b.add(position, v.RDF_TYPE, v.OA_TEXT_POSITION_SELECTOR)
        b.add(position, v.OA_START, _integer(span.start, v.XSD_NON_NEGATIVE_INTEGER))
        b.add(position, v.OA_END, _integer(span.end, v.XSD_NON_NEGATIVE_INTEGER))
        b.add(quote_node, v.RDF_TYPE, v.OA_TEXT_QUOTE_SELECTOR)
        b.add(quote_node, v.OA_EXACT, Literal(span.text))
