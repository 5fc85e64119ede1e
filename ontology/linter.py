"""Lint rules for ``sarcoma.ttl``, in the spirit of ROBOT ``report`` and the OBO checks.

Each rule is one SPARQL SELECT in ``ontology/lint/<rule-id>.rq`` whose first comment lines
say what it catches; it returns ``?entity`` (the offending term) and ``?detail``. Rules are
plain files so an ontologist can run one in any SPARQL tool, and adding a rule is adding a
file. They run on an in-memory Oxigraph store, which answers all of them in milliseconds.

>>> [rule.id for rule in load_rules()][:3]
['annotation-property-in-axiom', 'deprecated-term-referenced', 'duplicate-label']
>>> problems = lint_turtle(b'''
... @prefix smo: <https://w3id.org/sarcokg/ontology#> .
... @prefix owl: <http://www.w3.org/2002/07/owl#> .
... smo:Lung a owl:Class .
... ''')
>>> sorted(p.rule for p in problems)
['missing-definition', 'missing-label']
>>> print(problems[0].line())
missing-definition: smo:Lung: no definition (obo:IAO_0000115)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import pyoxigraph

__all__ = ["LintProblem", "LintRule", "lint_store", "lint_turtle", "load_rules"]

_SMO = "https://w3id.org/sarcokg/ontology#"
_CURIES = (
    (_SMO, "smo:"),
    ("http://purl.obolibrary.org/obo/", "obo:"),
    ("http://www.w3.org/2000/01/rdf-schema#", "rdfs:"),
    ("http://www.w3.org/2002/07/owl#", "owl:"),
    ("http://www.geneontology.org/formats/oboInOwl#", "oboInOwl:"),
    ("http://www.w3.org/2004/02/skos/core#", "skos:"),
)


@dataclass(frozen=True)
class LintRule:
    """One lint rule: its id (the file name), what it catches, and its SPARQL query."""

    id: str
    description: str
    query: str


@dataclass(frozen=True, order=True)
class LintProblem:
    """One rule firing on one entity."""

    rule: str
    entity: str
    detail: str

    def line(self) -> str:
        """The one-line form printed by ``sarcokg ontology check``."""
        return f"{self.rule}: {curie(self.entity)}: {self.detail}"


def curie(iri: str) -> str:
    """A short name for an IRI (``smo:Lung``), or the IRI in angle brackets.

    >>> curie("https://w3id.org/sarcokg/ontology#Lung")
    'smo:Lung'
    >>> curie("http://example.org/x")
    '<http://example.org/x>'
    """
    for namespace, prefix in _CURIES:
        if iri.startswith(namespace):
            return prefix + iri[len(namespace) :]
    return f"<{iri}>"


@cache
def load_rules() -> tuple[LintRule, ...]:
    """All rules shipped in ``ontology/lint/``, sorted by id."""
    folder = resources.files("ontology").joinpath("lint")
    rules = []
    for item in folder.iterdir():
        if not item.name.endswith(".rq"):
            continue
        text = item.read_text(encoding="utf-8")
        comment = []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            comment.append(line.lstrip("# ").strip())
        rules.append(LintRule(id=item.name[:-3], description=" ".join(comment), query=text))
    return tuple(sorted(rules, key=lambda r: r.id))


def lint_store(store: pyoxigraph.Store, rules: tuple[LintRule, ...] | None = None) -> list[LintProblem]:
    """Run the rules over a store holding the ontology in its default graph."""
    problems: set[LintProblem] = set()
    for rule in rules if rules is not None else load_rules():
        solutions = store.query(rule.query)
        assert isinstance(solutions, pyoxigraph.QuerySolutions)
        for row in solutions:
            entity, detail = row["entity"], row["detail"]
            if entity is None:
                continue
            problems.add(LintProblem(rule.id, str(entity.value), str(detail.value) if detail else ""))
    return sorted(problems)


def lint_turtle(data: bytes, rules: tuple[LintRule, ...] | None = None) -> list[LintProblem]:
    """Parse Turtle bytes into a fresh in-memory store and lint it."""
    store = pyoxigraph.Store()
    store.load(data, format=pyoxigraph.RdfFormat.TURTLE, base_iri=_SMO.rstrip("#"))
    return lint_store(store, rules)
