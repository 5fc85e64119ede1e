"""``check_ontology`` on the real file and on copies broken beyond linting (syntax, logic)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from ontology import ONTOLOGY_FILE
from ontology.check import CheckReport, check_ontology
from sarcokg.errors import OntologyError

from .conftest import edit_block, replace_once


@pytest.fixture(scope="module")
def real_report() -> CheckReport:
    return check_ontology(ONTOLOGY_FILE, reasoner=False)


def test_real_file_passes_every_parser_and_rule(real_report: CheckReport) -> None:
    assert real_report.problems == []
    assert real_report.ok
    assert [p.parser for p in real_report.parses] == ["rdflib", "pyoxigraph", "py-horned-owl"]
    assert all(p.ok and p.size > 3000 for p in real_report.parses)
    assert real_report.lint_rules >= 9
    assert real_report.lines()[-1] == "OK"


def test_real_file_meets_the_coverage_targets(real_report: CheckReport) -> None:
    counts = real_report.counts
    assert counts is not None
    assert counts.histologies >= 55 and counts.histologies_with_ncit >= 45
    assert counts.sites >= 60 and counts.sites_with_uberon == counts.sites
    assert counts.agents >= 40
    assert counts.regimens >= 10
    assert counts.procedures >= 25
    assert counts.radiotherapy_techniques >= 6
    assert counts.responses == 4
    assert counts.classes > counts.histologies + counts.sites


def test_counts_are_printed_one_per_line(real_report: CheckReport) -> None:
    text = "\n".join(real_report.lines())
    assert real_report.counts is not None
    for name, value in (
        ("histologies", real_report.counts.histologies),
        ("histologies with NCIt match", real_report.counts.histologies_with_ncit),
        ("sites with UBERON match", real_report.counts.sites_with_uberon),
        ("agents", real_report.counts.agents),
        ("procedures", real_report.counts.procedures),
    ):
        assert re.search(rf"^  {name} +{value}$", text, flags=re.M), name


def test_counts_follow_the_file(real_text: str, write_copy: Callable[[str], Path]) -> None:
    """A histology removed from a copy is one histology fewer (counts are read, not fixed)."""
    start = real_text.index("smo:Glomangiosarcoma a owl:Class")
    end = real_text.index("\n\n", start) + 2
    report = check_ontology(write_copy(real_text[:start] + real_text[end:]), reasoner=False)
    baseline = check_ontology(ONTOLOGY_FILE, reasoner=False).counts
    assert report.counts is not None and baseline is not None
    assert report.counts.histologies == baseline.histologies - 1


def test_syntax_error_is_reported_by_each_parser(real_text: str, write_copy: Callable[[str], Path]) -> None:
    broken = edit_block(real_text, "Lung", replace_once('rdfs:label "lung" ;', 'rdfs:label "lung ;'))
    report = check_ontology(write_copy(broken), reasoner=True)
    assert not report.ok
    assert {p.parser for p in report.parses if not p.ok} == {"rdflib", "pyoxigraph", "py-horned-owl"}
    assert all(line.startswith("parse-error: ") and "\n" not in line for line in report.problems)
    assert report.counts is None and report.reasoner is None
    assert "unavailable" in "\n".join(report.lines())


def test_lint_problems_make_the_check_fail(real_text: str, write_copy: Callable[[str], Path]) -> None:
    broken = edit_block(real_text, "Liver", replace_once('rdfs:label "liver" ;', 'rdfs:label "lung" ;'))
    report = check_ontology(write_copy(broken), reasoner=False)
    assert not report.ok
    assert "duplicate-label: smo:Liver: " in "\n".join(report.problems)
    assert report.lines()[-1] == f"{len(report.problems)} problems"


def test_unreadable_file_is_an_ontology_error(tmp_path: Path) -> None:
    with pytest.raises(OntologyError, match="cannot read"):
        check_ontology(tmp_path / "missing.ttl")
