"""The JSON shapes of the researcher endpoints (``/api/stats``, ``/api/cases``, ``/api/terms``...).

They document the API (OpenAPI schemas with examples) and fix field names in one place; the
routes return them as they are, or their pre-serialised JSON from a cache.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from loaders.records import CaseRecord

__all__ = [
    "CaseList",
    "CaseSummary",
    "CubeStatus",
    "MetastasisSiteRow",
    "MetastasisSites",
    "NamedQueryInfo",
    "NamedQueryParameter",
    "NamedQueryResult",
    "ReportUpload",
    "StatsStatus",
    "TermDetail",
    "TermHit",
    "TermList",
    "TermRef",
    "TimeToMetastasis",
    "TimeToMetastasisRow",
    "TreatmentRow",
    "Treatments",
]

_LUNG: JsonDict = {"iri": "https://w3id.org/sarcokg/ontology#Lung", "label": "lung"}
_KIDNEY: JsonDict = {"iri": "https://w3id.org/sarcokg/ontology#Kidney", "label": "kidney"}
_LMS: JsonDict = {"iri": "https://w3id.org/sarcokg/ontology#Leiomyosarcoma", "label": "leiomyosarcoma"}
_GEMCITABINE: JsonDict = {"iri": "https://w3id.org/sarcokg/ontology#Gemcitabine", "label": "gemcitabine"}


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TermRef(_Out):
    """An ontology term: IRI and label."""

    model_config = ConfigDict(json_schema_extra={"example": _LUNG})

    iri: str | None
    label: str | None


class MetastasisSiteRow(_Out):
    group: TermRef = Field(description="the primary site (organ level) or the histology")
    site: TermRef = Field(description="organ-level metastasis site (sub-sites rolled up)")
    patients: int = Field(description="distinct patients of this group with a metastasis at this site")
    group_patients: int = Field(description="patients of this group (with or without metastases)")
    share: float = Field(description="patients / group_patients")


class MetastasisSites(_Out):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "by": "primary_site",
                "total_patients": 2,
                "rows": [{"group": _KIDNEY, "site": _LUNG, "patients": 1, "group_patients": 1, "share": 1.0}],
            }
        }
    )

    by: str
    total_patients: int = Field(description="patients passing the filters")
    rows: list[MetastasisSiteRow]


class TimeToMetastasisRow(_Out):
    group: TermRef
    patients: int = Field(description="patients with a known time to their first metastasis")
    synchronous_patients: int = Field(description="of which the first metastasis was synchronous (0 months)")
    median_months: float
    q1_months: float
    q3_months: float
    min_months: float
    max_months: float
    mean_months: float


class TimeToMetastasis(_Out):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "by": "histology",
                "total_patients": 2,
                "patients_with_interval": 2,
                "rows": [
                    {
                        "group": _LMS,
                        "patients": 2,
                        "synchronous_patients": 1,
                        "median_months": 7.5,
                        "q1_months": 3.75,
                        "q3_months": 11.25,
                        "min_months": 0.0,
                        "max_months": 15.0,
                        "mean_months": 7.5,
                    }
                ],
            }
        }
    )

    by: str
    total_patients: int
    patients_with_interval: int
    rows: list[TimeToMetastasisRow]


class TreatmentRow(_Out):
    kind: str = Field(description="surgery, chemotherapy, radiotherapy, targeted/immunotherapy or other")
    therapy: TermRef | None = Field(description="regimen, agent or procedure; null when none is named")
    patients: int
    share: float = Field(description="patients / total_patients")
    best_responses: dict[str, int] = Field(
        description="patients per best overall response ('none' = not reported)"
    )


class Treatments(_Out):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "total_patients": 2,
                "rows": [
                    {
                        "kind": "chemotherapy",
                        "therapy": _GEMCITABINE,
                        "patients": 1,
                        "share": 0.5,
                        "best_responses": {"partial response": 1},
                    }
                ],
            }
        }
    )

    total_patients: int
    rows: list[TreatmentRow]


class CubeStatus(_Out):
    generation: int | None = Field(description="the store generation this cube reflects (null: not built)")
    cells: int = Field(description="non-empty cells")
    build_seconds: float | None = Field(description="how long its last full build took")


class StatsStatus(_Out):
    generation: int = Field(description="the store generation (bumped after every write)")
    current: bool = Field(description="whether the default cubes reflect the current generation")
    cubes: dict[str, CubeStatus]


class CaseSummary(_Out):
    case_id: str
    iri: str = Field(description="the patient's IRI (dereferenceable)")
    report: str = Field(description="the report's IRI")
    title: str | None = None
    pmid: str | None = None
    doi: str | None = None
    year: int | None = None
    age: int | None = None
    sex: str | None = None
    primary_site: TermRef | None = None
    histology: TermRef | None = None
    metastasis_sites: list[TermRef] = Field(description="organ-level sites, sub-sites rolled up")


class CaseList(_Out):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "total": 1,
                "page": 1,
                "page_size": 20,
                "items": [
                    {
                        "case_id": "seed-000-1",
                        "iri": "https://w3id.org/sarcokg/id/patient/seed-000-1",
                        "report": "https://w3id.org/sarcokg/id/report/seed-000",
                        "age": 64,
                        "sex": "female",
                        "primary_site": _KIDNEY,
                        "histology": _LMS,
                        "metastasis_sites": [_LUNG],
                    }
                ],
            }
        }
    )

    total: int
    page: int
    page_size: int
    items: list[CaseSummary]


class TermHit(_Out):
    iri: str
    id: str = Field(description="local name, for /api/terms/{id}")
    label: str
    kind: str
    matched: str = Field(description="the label or synonym that matched")
    scope: str = Field(description="label, exact, related, narrow or broad")


class TermList(_Out):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "q": "pulm",
                "total": 1,
                "items": [
                    {
                        "iri": _LUNG["iri"],
                        "id": "Lung",
                        "label": "lung",
                        "kind": "site",
                        "matched": "pulmonary",
                        "scope": "related",
                    }
                ],
            }
        }
    )

    q: str
    total: int
    items: list[TermHit]


class TermDetail(_Out):
    iri: str
    id: str
    label: str
    kind: str
    definition: str | None
    synonyms: dict[str, list[str]] = Field(description="by scope: exact, related, narrow, broad")
    xrefs: list[str]
    mappings: list[str] = Field(description="skos:exactMatch / closeMatch IRIs (NCIt, UBERON)")
    organ_level: bool
    deprecated: bool
    organ_site: TermRef | None = Field(description="the organ-level site it rolls up to (sites only)")
    parents: list[TermRef]
    children: list[TermRef]


class NamedQueryParameter(_Out):
    name: str
    type: str
    kind: str = Field(description="iri (an ontology term) or literal")
    required: bool
    default: str | None
    description: str


class NamedQueryInfo(_Out):
    name: str
    title: str
    description: str
    parameters: list[NamedQueryParameter]
    results: list[str]
    sparql: str


class NamedQueryResult(_Out):
    name: str
    parameters: dict[str, str]
    variables: list[str]
    rows: list[dict[str, Any]] = Field(description="variable -> {type, value[, datatype, xml:lang]}")


class ReportUpload(_Out):
    reports: list[str] = Field(description="IRIs of the reports loaded")
    cases: list[CaseRecord] = Field(description="the case records, as extracted and stored")
