"""HermiT through owlready2: the real ontology is consistent; broken copies are caught.

Each test starts a JVM (~1 s), so there are only a few.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from ontology import ONTOLOGY_FILE
from ontology.check import check_ontology
from ontology.reasoner import check_consistency

from .conftest import edit_block, replace_once

SMO = "https://w3id.org/sarcokg/ontology#"


def test_real_ontology_is_consistent_and_satisfiable() -> None:
    result = check_consistency(Graph().parse(ONTOLOGY_FILE, format="turtle"))
    assert result.consistent and result.unsatisfiable == [] and result.ok


def test_individual_of_disjoint_classes_is_inconsistent(
    real_text: str, write_copy: Callable[[str], Path]
) -> None:
    broken = real_text + "\nsmo:SomeoneElse a owl:NamedIndividual , smo:Patient , smo:Outcome .\n"
    report = check_ontology(write_copy(broken), reasoner=True)
    assert report.reasoner is not None and not report.reasoner.consistent
    assert "inconsistent: HermiT finds the ontology inconsistent" in report.problems


def test_site_made_a_histology_is_unsatisfiable(real_text: str, write_copy: Callable[[str], Path]) -> None:
    """Anatomical sites and histologies are disjoint: a site below a histology cannot exist,
    and neither can its parts (the lobes of the lung)."""
    broken = edit_block(
        real_text,
        "Lung",
        replace_once('rdfs:label "lung" ;', 'rdfs:subClassOf smo:Histology ;\n    rdfs:label "lung" ;'),
    )
    report = check_ontology(write_copy(broken), reasoner=True)
    assert report.reasoner is not None and report.reasoner.consistent
    assert {SMO + "Lung", SMO + "LowerLobeOfRightLung"} <= set(report.reasoner.unsatisfiable)
    assert "unsatisfiable-class: smo:Lung: HermiT finds it equivalent to owl:Nothing" in report.problems
    assert not report.ok
