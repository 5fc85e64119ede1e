"""The two shapes that cross package borders: a SourceDocument read from a file, and the
CaseRecord extracted from it (DESIGN.md §4, the JSON that acceptance checks read)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CaseRecord",
    "Evidence",
    "LocalRecurrence",
    "Metastasis",
    "NegatedMetastasis",
    "Outcome",
    "Patient",
    "PrimaryTumor",
    "Section",
    "Source",
    "SourceDocument",
    "Term",
    "Treatment",
]

SourceFormat = Literal["text", "pubmed", "jats", "bioc", "record"]
Laterality = Literal["left", "right", "bilateral"]
TreatmentKind = Literal[
    "surgery", "chemotherapy", "radiotherapy", "targeted therapy", "immunotherapy", "other"
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Term(_Model):
    """An ontology term: its IRI and the ontology's label.

    >>> Term(iri="https://w3id.org/sarcokg/ontology#Lung", label="lung").label
    'lung'
    """

    iri: str
    label: str


class Evidence(_Model):
    """A character span of the input text: ``text == document.text[start:end]``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Patient(_Model):
    age: int | None = Field(None, ge=0, le=130)
    sex: Literal["female", "male"] | None = None
    evidence: list[Evidence] = []


class PrimaryTumor(_Model):
    site: Term | None = None
    subsite: Term | None = None
    laterality: Laterality | None = None
    histology: Term | None = None
    evidence: list[Evidence] = []


class Metastasis(_Model):
    site: Term
    subsite: Term | None = None
    laterality: Laterality | None = None
    interval_months: float | None = Field(None, ge=0)
    synchronous: bool = False
    uncertain: bool = False
    evidence: list[Evidence] = []


class NegatedMetastasis(_Model):
    site: Term
    evidence: list[Evidence] = []


class LocalRecurrence(_Model):
    site: Term | None = None
    interval_months: float | None = Field(None, ge=0)
    evidence: list[Evidence] = []


class Treatment(_Model):
    kind: TreatmentKind
    procedure: Term | None = None
    agents: list[Term] = []
    regimen: Term | None = None
    target_site: Term | None = None
    evidence: list[Evidence] = []


class Outcome(_Model):
    status: Literal["alive", "dead", "unknown"] = "unknown"
    follow_up_months: float | None = Field(None, ge=0)
    evidence: list[Evidence] = []


class Source(_Model):
    title: str | None = None
    pmid: str | None = None
    doi: str | None = None
    pmcid: str | None = None
    journal: str | None = None
    year: int | None = None
    format: SourceFormat = "text"
    path: str | None = None
    sha256: str | None = None


class CaseRecord(_Model):
    """One patient of one report, with evidence for every fact."""

    case_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    source: Source = Source()
    patient: Patient = Patient()
    primary_tumor: PrimaryTumor = PrimaryTumor()
    metastases: list[Metastasis] = []
    negated_metastases: list[NegatedMetastasis] = []
    local_recurrences: list[LocalRecurrence] = []
    treatments: list[Treatment] = []
    best_response: Term | None = None
    outcome: Outcome = Outcome()


class Section(_Model):
    """A titled part of a document; ``start``/``end`` are offsets into ``SourceDocument.text``."""

    title: str | None = None
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class SourceDocument(_Model):
    """A report as read from a file, before extraction.

    ``doc_id`` is stable across reloads of the same report (PMID, PMCID, DOI or the
    file's stem) and is the prefix of its case ids (``{doc_id}-1``, ``{doc_id}-2``...).
    """

    doc_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    text: str
    sections: list[Section] = []
    source: Source = Source()
    records: list[CaseRecord] | None = Field(
        None, description="curated records (YAML/JSON input): loaded as they are, not extracted"
    )
