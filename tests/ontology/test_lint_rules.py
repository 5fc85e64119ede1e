"""Each lint rule fires on a copy of the real ontology broken in exactly its way.

Every rule shipped in ``ontology/lint/`` must have a case here (checked below), and none of
them may fire on the real file.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ontology.linter import LintProblem, lint_turtle, load_rules

from .conftest import edit_block, replace_once

SMO = "https://w3id.org/sarcokg/ontology#"
OBOINOWL = "http://www.geneontology.org/formats/oboInOwl#"
Break = Callable[[str], str]


def add_line(local_name: str, label: str, line: str) -> Break:
    """Add ``line`` after the label of ``smo:<local_name>``."""
    anchor = f'rdfs:label "{label}" ;'
    return lambda text: edit_block(text, local_name, replace_once(anchor, f"{anchor}\n    {line}"))


def change(local_name: str, old: str, new: str) -> Break:
    """Replace ``old`` by ``new`` in the block of ``smo:<local_name>``."""
    return lambda text: edit_block(text, local_name, replace_once(old, new))


def drop_lines(local_name: str, start: str) -> Break:
    """Delete the lines of ``smo:<local_name>`` that start (after indentation) with ``start``."""

    def drop(block: str) -> str:
        return "".join(line for line in block.splitlines(keepends=True) if not line.strip().startswith(start))

    return lambda text: edit_block(text, local_name, drop)


ANNOTATION_RESTRICTION = (
    "rdfs:subClassOf [ a owl:Restriction ; owl:onProperty oboInOwl:hasDbXref ;"
    " owl:someValuesFrom smo:Lung ] ;"
)

# rule id -> (edit of the real text, IRIs the rule must report)
CASES: dict[str, tuple[Break, set[str]]] = {
    "missing-label": (
        drop_lines("Leiomyosarcoma", "rdfs:label"),
        {SMO + "Leiomyosarcoma"},
    ),
    "multiple-labels": (add_line("Lung", "lung", 'rdfs:label "lungs" ;'), {SMO + "Lung"}),
    "duplicate-label": (
        change("Liver", 'rdfs:label "liver" ;', 'rdfs:label "Lung" ;'),
        {SMO + "Lung", SMO + "Liver"},
    ),
    "missing-definition": (drop_lines("Lung", "obo:IAO_0000115"), {SMO + "Lung"}),
    "multiple-definitions": (add_line("Lung", "lung", 'obo:IAO_0000115 "An organ." ;'), {SMO + "Lung"}),
    "synonym-is-other-label": (
        add_line("Lung", "lung", 'oboInOwl:hasExactSynonym "Liver" ;'),
        {SMO + "Lung"},
    ),
    "malformed-xref": (change("Leiomyosarcoma", '"ICDO:8890/3"', '"ICDO 8890/3"'), {SMO + "Leiomyosarcoma"}),
    "untyped-entity": (add_line("Liver", "liver", "rdfs:seeAlso smo:Lunng ;"), {SMO + "Lunng"}),
    "annotation-property-in-axiom": (
        add_line("Liver", "liver", ANNOTATION_RESTRICTION),
        {OBOINOWL + "hasDbXref"},
    ),
    "deprecated-term-referenced": (
        add_line("Pancreas", "pancreas", "owl:deprecated true ;"),
        {SMO + "PancreaticHead", SMO + "PancreaticBody", SMO + "PancreaticTail"},
    ),
    "site-without-uberon": (drop_lines("Lung", "skos:exactMatch obo:UBERON_"), {SMO + "Lung"}),
    "organ-level-not-site": (
        add_line("Leiomyosarcoma", "leiomyosarcoma", "oboInOwl:inSubset smo:organ_level ;"),
        {SMO + "Leiomyosarcoma"},
    ),
}


def fired(problems: list[LintProblem], rule: str) -> set[str]:
    return {p.entity for p in problems if p.rule == rule}


def test_every_rule_has_a_broken_copy() -> None:
    assert {rule.id for rule in load_rules()} == set(CASES)


def test_every_rule_says_what_it_catches() -> None:
    for rule in load_rules():
        assert len(rule.description) > 20, rule.id
        assert "SELECT" in rule.query


def test_no_rule_fires_on_the_real_file(real_text: str) -> None:
    assert lint_turtle(real_text.encode()) == []


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_fires_on_broken_copy(real_text: str, rule: str) -> None:
    breaker, expected = CASES[rule]
    problems = lint_turtle(breaker(real_text).encode())
    assert fired(problems, rule) == expected
    line = next(p for p in problems if p.rule == rule).line()
    assert line.startswith(f"{rule}: ") and len(line.splitlines()) == 1


@pytest.mark.parametrize(
    "xref",
    [
        "ICDO:8890",
        "ICDO:C259",
        "FOO:123",
        "ONCOTREE:",
        "ncit:C3158",
        "NCIT:3158",
        "UBERON:2048",
        " DOID:1967",
    ],
)
def test_malformed_xref_patterns(real_text: str, xref: str) -> None:
    text = change("Leiomyosarcoma", '"ICDO:8890/3"', f'"{xref}"')(real_text)
    assert fired(lint_turtle(text.encode()), "malformed-xref") == {SMO + "Leiomyosarcoma"}


def test_xref_given_as_iri_is_malformed(real_text: str) -> None:
    text = change("Leiomyosarcoma", '"ICDO:8890/3"', "<http://example.org/icdo/8890>")(real_text)
    assert fired(lint_turtle(text.encode()), "malformed-xref") == {SMO + "Leiomyosarcoma"}


def test_deprecated_superclass_is_a_reference(real_text: str) -> None:
    text = add_line("Bone", "bone", "owl:deprecated true ;")(real_text)
    found = fired(lint_turtle(text.encode()), "deprecated-term-referenced")
    assert {SMO + "Femur", SMO + "Rib", SMO + "BoneMarrow"} <= found


def test_deprecated_term_without_references_is_fine(real_text: str) -> None:
    text = add_line("Thymoma", "thymoma", "owl:deprecated true ;")(real_text)
    assert lint_turtle(text.encode()) == []
