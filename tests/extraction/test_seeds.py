"""The two seed reports the project was founded on, read from examples/ and extracted in full."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders import SourceDocument, extract_document, read_path
from loaders.records import CaseRecord
from tests.extraction.conftest import EXAMPLES, agents, assert_exact_evidence, met_sites


def _record(name: str) -> tuple[SourceDocument, CaseRecord]:
    docs = list(read_path(EXAMPLES / f"{name}.txt"))
    assert len(docs) == 1 and isinstance(docs[0], SourceDocument)
    records = extract_document(docs[0])
    assert len(records) == 1
    assert_exact_evidence(records[0], docs[0].text)
    return docs[0], records[0]


@pytest.fixture(scope="module")
def seed0() -> CaseRecord:
    return _record("seed-000")[1]


@pytest.fixture(scope="module")
def seed1() -> CaseRecord:
    return _record("seed-001")[1]


def test_seed_000_patient_and_primary(seed0: CaseRecord) -> None:
    assert seed0.case_id == "seed-000-1"
    assert (seed0.patient.age, seed0.patient.sex) == (64, "female")
    primary = seed0.primary_tumor
    assert primary.site is not None and primary.site.label == "kidney"
    assert primary.laterality == "right"
    assert primary.histology is not None and primary.histology.label == "leiomyosarcoma"
    assert any(ev.text == "64-year-old woman" for ev in seed0.patient.evidence)


def test_seed_000_metastases(seed0: CaseRecord) -> None:
    assert met_sites(seed0) == {"lung", "pancreas"}
    lung = next(m for m in seed0.metastases if m.site.label == "lung")
    assert lung.interval_months == 15
    assert lung.laterality == "left"
    assert not lung.synchronous and not lung.uncertain
    assert seed0.negated_metastases == []
    assert seed0.local_recurrences == []


def test_seed_000_treatment_response_outcome(seed0: CaseRecord) -> None:
    assert agents(seed0) == {"gemcitabine", "docetaxel"}
    chemo = [t for t in seed0.treatments if t.kind == "chemotherapy"]
    assert len(chemo) == 1 and chemo[0].regimen is not None and chemo[0].regimen.label == "GD regimen"
    procedures = {t.procedure.label for t in seed0.treatments if t.kind == "surgery" and t.procedure}
    assert procedures == {"radical nephrectomy", "video-assisted thoracoscopic surgery"}
    # renal cell carcinoma was only the clinical diagnosis; G-CSF is supportive
    assert seed0.best_response is not None and seed0.best_response.label == "partial response"
    assert seed0.outcome.status == "alive"


def test_seed_001_patient_and_primary(seed1: CaseRecord) -> None:
    assert (seed1.patient.age, seed1.patient.sex) == (66, "female")
    primary = seed1.primary_tumor
    assert primary.site is not None and primary.site.label == "thigh"
    assert primary.laterality == "right"
    assert primary.histology is not None
    assert primary.histology.label in {"leiomyosarcoma", "malignant mesenchymoma"}


def test_seed_001_metastasis(seed1: CaseRecord) -> None:
    # the opening paragraph on pancreatic metastasis in general describes no patient;
    # "no evidence of other distant metastases" negates no site
    assert met_sites(seed1) == {"pancreas"}
    (pancreas,) = seed1.metastases
    assert pancreas.interval_months == 0 and pancreas.synchronous
    assert pancreas.subsite is not None and pancreas.subsite.label == "pancreatic head"
    assert seed1.negated_metastases == []


def test_seed_001_treatments_without_declined_chemotherapy(seed1: CaseRecord) -> None:
    procedures = {t.procedure.label for t in seed1.treatments if t.procedure}
    assert {"pylorus-preserving pancreaticoduodenectomy", "distal pancreatectomy"} <= procedures
    assert all(t.kind == "surgery" for t in seed1.treatments)
    assert agents(seed1) == set()
    assert seed1.outcome.status == "unknown"


def test_seed_source_metadata(seed0: CaseRecord) -> None:
    assert seed0.source.format == "text"
    assert seed0.source.path is not None and Path(seed0.source.path).name == "seed-000.txt"
    assert seed0.source.sha256 and len(seed0.source.sha256) == 64
