"""Fixtures for the extraction tests: one pipeline per test session, record helpers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from loaders.extraction import extract_text, get_pipeline
from loaders.records import CaseRecord

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def assert_exact_evidence(record: CaseRecord, text: str) -> None:
    """Every evidence span of every fact is an exact slice of the input text."""
    spans = [*record.patient.evidence, *record.primary_tumor.evidence, *record.outcome.evidence]
    for group in (record.metastases, record.negated_metastases, record.local_recurrences, record.treatments):
        for fact in group:
            spans.extend(fact.evidence)
    for ev in spans:
        assert 0 <= ev.start < ev.end <= len(text)
        assert text[ev.start : ev.end] == ev.text


@pytest.fixture(scope="session")
def extract() -> Callable[[str], CaseRecord]:
    """Extract one record from a text, checking that its evidence spans are exact."""
    get_pipeline()

    def run(text: str) -> CaseRecord:
        record = extract_text(text)
        assert_exact_evidence(record, text)
        return record

    return run


def met_sites(record: CaseRecord) -> set[str]:
    """Labels of the organ-level metastasis sites."""
    return {m.site.label for m in record.metastases}


def agents(record: CaseRecord) -> set[str]:
    """Labels of every drug agent given."""
    return {a.label for t in record.treatments for a in t.agents}
