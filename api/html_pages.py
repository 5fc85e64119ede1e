"""HTML pages for people: a case with its evidence highlighted in the report, any other resource
as a table of its triples, the ontology, the dumps index.

Pages are Jinja templates with autoescaping on (report text, quotes and labels come from the
store and are escaped like everything else) and inline CSS (no CDN: the pages work offline).

The highlighting cuts the report text at every evidence boundary; each piece is marked with all
the facts whose spans cover it, so overlapping evidence stays visible:

>>> lung = Fact(1, "metastasis", "metastasis: lung", [(2, 6)])
>>> nodule = Fact(2, "treatment", "surgery: lobectomy", [(2, 13)])
>>> [(s.text, [f.number for f in s.facts]) for s in highlight("A lung nodule.", [lung, nodule])]
[('A ', []), ('lung', [1, 2]), (' nodule', [2]), ('.', [])]
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.linked_data import Description, curie, site_path_for
from loaders.records import CaseRecord, Evidence, Term

__all__ = ["Fact", "ReportInfo", "Segment", "case_facts", "case_page", "highlight", "render", "resource_rows"]

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass
class Fact:
    """One extracted fact: its number on the page, kind (CSS class), label and evidence spans."""

    number: int
    kind: str
    label: str
    spans: list[tuple[int, int]]
    quotes: list[str] = field(default_factory=list)
    case_id: str = ""


@dataclass
class Segment:
    """A piece of the report text and the facts whose evidence covers it."""

    text: str
    facts: list[Fact]

    @property
    def title(self) -> str:
        return "; ".join(f.label for f in self.facts)

    @property
    def kinds(self) -> str:
        return " ".join(sorted({f"ev-{f.kind}" for f in self.facts}))


def highlight(text: str, facts: Sequence[Fact]) -> list[Segment]:
    """Cut ``text`` at every span boundary; spans outside the text are ignored."""
    cuts = {0, len(text)}
    for fact in facts:
        for start, end in fact.spans:
            if 0 <= start < end <= len(text):
                cuts.update((start, end))
    points = sorted(cuts)
    segments: list[Segment] = []
    for start, end in itertools.pairwise(points):
        covering = [
            f for f in facts if any(s <= start and end <= e for s, e in f.spans if 0 <= s < e <= len(text))
        ]
        segments.append(Segment(text[start:end], covering))
    return segments


def _term(term: Term | None) -> str:
    return term.label if term is not None else "unknown"


def _months(value: float | None) -> str:
    if value is None:
        return ""
    return f", {value:g} months"


def _spans(text: str, evidence: Sequence[Evidence]) -> tuple[list[tuple[int, int]], list[str]]:
    """Spans that really quote ``text`` (a span whose quote differs is listed, not highlighted)."""
    good = [(e.start, e.end) for e in evidence if text[e.start : e.end] == e.text]
    return good, [e.text for e in evidence]


def case_facts(record: CaseRecord, text: str, *, start: int = 1, prefix: str = "") -> list[Fact]:
    """The facts of one case record, numbered from ``start``, with their evidence in ``text``."""
    facts: list[Fact] = []

    def add(kind: str, label: str, evidence: Sequence[Evidence]) -> None:
        spans, quotes = _spans(text, evidence)
        facts.append(Fact(start + len(facts), kind, prefix + label, spans, quotes, record.case_id))

    patient = record.patient
    who = ", ".join(
        x for x in (f"{patient.age} years" if patient.age is not None else "", patient.sex or "") if x
    )
    add("patient", f"patient: {who or 'age and sex not stated'}", patient.evidence)
    primary = record.primary_tumor
    where = _term(primary.subsite or primary.site)
    side = f" ({primary.laterality})" if primary.laterality else ""
    add("primary", f"primary tumour: {_term(primary.histology)} of the {where}{side}", primary.evidence)
    for m in record.metastases:
        site = m.site.label + (f" ({m.subsite.label})" if m.subsite else "")
        when = ", synchronous" if m.synchronous else _months(m.interval_months)
        doubt = " (uncertain)" if m.uncertain else ""
        add("metastasis", f"metastasis: {site}{when}{doubt}", m.evidence)
    for n in record.negated_metastases:
        add("negated", f"no metastasis: {n.site.label}", n.evidence)
    for r in record.local_recurrences:
        add("recurrence", f"local recurrence: {_term(r.site)}{_months(r.interval_months)}", r.evidence)
    for t in record.treatments:
        named = [x.label for x in (t.regimen, t.procedure) if x is not None] + [a.label for a in t.agents]
        add("treatment", f"{t.kind}: {', '.join(named) or 'unspecified'}", t.evidence)
    outcome = record.outcome
    add(
        "outcome", f"outcome: {outcome.status}{_months(outcome.follow_up_months)} follow-up", outcome.evidence
    )
    return facts


def term_view(term: Any, base_iri: str) -> dict[str, Any]:
    """How one RDF term is shown: text, an href (local when this service serves it), a kind."""
    if isinstance(term, ox.NamedNode):
        return {
            "text": curie(term.value),
            "href": site_path_for(term.value, base_iri) or term.value,
            "kind": "iri",
        }
    if isinstance(term, ox.Literal):
        return {"text": term.value, "href": None, "kind": "literal"}
    return {"text": str(term), "href": None, "kind": "bnode"}


def resource_rows(description: Description, base_iri: str) -> dict[str, list[dict[str, Any]]]:
    """Rows (subject, predicate, object) of the description, each term prepared for the template."""

    def rows(triples: Sequence[ox.Triple]) -> list[dict[str, Any]]:
        return [
            {
                "s": term_view(t.subject, base_iri),
                "p": term_view(t.predicate, base_iri),
                "o": term_view(t.object, base_iri),
            }
            for t in triples
        ]

    return {
        "outbound": rows(description.outbound),
        "owned": rows(description.owned),
        "inbound": rows(description.inbound),
    }


def render(template: str, **context: Any) -> str:
    """Render one of ``api/templates`` (autoescaped)."""
    return TEMPLATES.get_template(template).render(**context)


@dataclass
class ReportInfo:
    """What the case page shows about the report (from the store)."""

    iri: str
    text: str = ""
    title: str | None = None
    pmid: str | None = None
    doi: str | None = None
    journal: str | None = None
    year: str | None = None


def case_page(
    *,
    heading: str,
    iri: str,
    path: str,
    report: ReportInfo,
    records: Sequence[CaseRecord],
    base_iri: str,
    alternates: list[dict[str, str]],
) -> str:
    """The page of a patient (one record) or a report (all its patients): facts, evidence, text."""
    facts: list[Fact] = []
    for record in records:
        prefix = f"{record.case_id}: " if len(records) > 1 else ""
        facts.extend(case_facts(record, report.text, start=len(facts) + 1, prefix=prefix))
    cases = [
        {"case_id": r.case_id, "href": site_path_for(f"{base_iri}patient/{r.case_id}", base_iri) or ""}
        for r in records
    ]
    json_links = [{"label": f"JSON record {r.case_id}", "href": f"/api/cases/{r.case_id}"} for r in records]
    return render(
        "case.html",
        heading=heading,
        iri=iri,
        path=path,
        alternates=alternates,
        json_links=json_links,
        report={
            "href": site_path_for(report.iri, base_iri) or report.iri,
            "label": report.title or report.iri.rsplit("/", 1)[-1],
            "pmid": report.pmid,
            "doi": report.doi,
            "journal": report.journal,
            "year": report.year,
        },
        cases=cases,
        facts=facts,
        best_responses=[f"{r.case_id}: {r.best_response.label}" for r in records if r.best_response],
        segments=highlight(report.text, facts) if report.text else [],
    )
