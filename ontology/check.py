"""``sarcokg ontology check``: is ``sarcoma.ttl`` fit to ship after an edit?

Four independent verdicts, so that one broken part does not hide the others:

1. it parses with rdflib, pyoxigraph and py-horned-owl (three parsers disagree on
   different mistakes, and each is used somewhere in SarcoKG or by our users);
2. HermiT (through owlready2) finds it consistent with every named class satisfiable;
3. the lint rules of :mod:`ontology.linter` find nothing;
4. the coverage counts (histologies, sites, agents...) that the issue's acceptance names.

>>> report = check_ontology(reasoner=False)
>>> report.ok, report.counts is not None and report.counts.histologies >= 55
(True, True)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from pathlib import Path

import pyhornedowl
import pyoxigraph
from rdflib import OWL, RDF, Graph, URIRef

from sarcokg.errors import OntologyError

from .linter import LintProblem, curie, lint_store, load_rules
from .reasoner import ReasonerResult, check_consistency

__all__ = ["CheckCounts", "CheckReport", "ParseResult", "check_ontology"]

_SMO = "https://w3id.org/sarcokg/ontology#"
_MAX_MESSAGE = 300


@dataclass(frozen=True)
class ParseResult:
    """One parser's verdict: how much it read, or why it failed."""

    parser: str
    ok: bool
    size: int = 0
    unit: str = "triples"
    message: str = ""

    def summary(self) -> str:
        """``rdflib ok (4241 triples)`` or ``rdflib FAILED``."""
        return f"{self.parser} ok ({self.size} {self.unit})" if self.ok else f"{self.parser} FAILED"


@dataclass(frozen=True)
class CheckCounts:
    """How much the ontology covers (the figures the acceptance criteria name)."""

    classes: int
    histologies: int
    histologies_with_ncit: int
    sites: int
    sites_with_uberon: int
    agents: int
    regimens: int
    procedures: int
    diagnostic_procedures: int
    radiotherapy_techniques: int
    responses: int

    def lines(self) -> list[str]:
        """One ``name  value`` line per count, names spelled out."""
        out = []
        for f in fields(self):
            name = f.name.replace("_with_ncit", " with NCIt match")
            name = name.replace("_with_uberon", " with UBERON match").replace("_", " ")
            out.append(f"  {name:<28} {getattr(self, f.name)}")
        return out


@dataclass
class CheckReport:
    """Everything ``check_ontology`` found; ``ok`` is the exit status."""

    path: Path
    sha256: str
    parses: list[ParseResult] = field(default_factory=list)
    reasoner: ReasonerResult | None = None
    reasoner_error: str | None = None
    reasoner_skipped: str | None = None
    lint: list[LintProblem] = field(default_factory=list)
    lint_rules: int = 0
    counts: CheckCounts | None = None

    @property
    def problems(self) -> list[str]:
        """One line per problem, naming the rule or stage and the term."""
        out = [f"parse-error: {p.parser}: {p.message}" for p in self.parses if not p.ok]
        if self.reasoner_error:
            out.append(f"reasoner-error: {self.reasoner_error}")
        if self.reasoner is not None and not self.reasoner.consistent:
            out.append("inconsistent: HermiT finds the ontology inconsistent")
        if self.reasoner is not None:
            out.extend(
                f"unsatisfiable-class: {curie(iri)}: HermiT finds it equivalent to owl:Nothing"
                for iri in self.reasoner.unsatisfiable
            )
        out.extend(p.line() for p in self.lint)
        return out

    @property
    def ok(self) -> bool:
        """No problem at all."""
        return not self.problems

    def lines(self) -> list[str]:
        """The human-readable report printed by the CLI (counts always included)."""
        out = [f"ontology: {self.path}", f"  sha256 {self.sha256}"]
        out.append("parse: " + "; ".join(p.summary() for p in self.parses))
        if self.reasoner is not None:
            verdict = "consistent" if self.reasoner.consistent else "INCONSISTENT"
            unsat = len(self.reasoner.unsatisfiable)
            classes = "all classes satisfiable" if unsat == 0 else f"{unsat} unsatisfiable classes"
            out.append(f"reasoner: HermiT {verdict}, {classes} ({self.reasoner.seconds:.1f} s)")
        elif self.reasoner_error:
            out.append("reasoner: HermiT did not run")
        else:
            out.append(f"reasoner: skipped ({self.reasoner_skipped or 'not requested'})")
        out.append(f"lint: {self.lint_rules} rules, {len(self.lint)} problems")
        out.append("counts:")
        out.extend(self.counts.lines() if self.counts else ["  unavailable (the file does not parse)"])
        problems = self.problems
        out.extend(f"problem: {line}" for line in problems)
        out.append(f"{len(problems)} problems" if problems else "OK")
        return out


def check_ontology(path: str | Path | None = None, *, reasoner: bool = True) -> CheckReport:
    """Check the ontology at ``path`` (default: the bundled ``sarcoma.ttl``).

    ``OntologyError`` only when the file cannot be read; everything else is reported.
    """
    from ._ontology import ONTOLOGY_FILE

    file = Path(path) if path is not None else ONTOLOGY_FILE
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise OntologyError(f"{file}: cannot read the ontology: {exc.strerror or exc}") from exc
    report = CheckReport(path=file, sha256=hashlib.sha256(data).hexdigest())

    graph = _parse_rdflib(data, report)
    store = _parse_pyoxigraph(data, report)
    _parse_horned_owl(data, report)

    if store is not None:
        rules = load_rules()
        report.lint_rules = len(rules)
        report.lint = lint_store(store, rules)
    if graph is None:
        report.reasoner_skipped = "the file does not parse"
    elif not reasoner:
        report.reasoner_skipped = "not requested"
    else:
        try:
            report.reasoner = check_consistency(graph)
        except OntologyError as exc:
            report.reasoner_error = str(exc)
    if graph is not None:
        report.counts = _counts(file, data)
    return report


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 3] + "..."


def _parse_rdflib(data: bytes, report: CheckReport) -> Graph | None:
    graph = Graph()
    try:
        graph.parse(data=data, format="turtle", publicID=_SMO.rstrip("#"))
    except Exception as exc:  # rdflib raises many unrelated types for syntax errors
        report.parses.append(ParseResult("rdflib", False, message=_one_line(exc)))
        return None
    report.parses.append(ParseResult("rdflib", True, len(graph)))
    return graph


def _parse_pyoxigraph(data: bytes, report: CheckReport) -> pyoxigraph.Store | None:
    store = pyoxigraph.Store()
    try:
        store.load(data, format=pyoxigraph.RdfFormat.TURTLE, base_iri=_SMO.rstrip("#"))
    except (SyntaxError, ValueError) as exc:
        report.parses.append(ParseResult("pyoxigraph", False, message=_one_line(exc)))
        return None
    report.parses.append(ParseResult("pyoxigraph", True, len(store)))
    return store


def _parse_horned_owl(data: bytes, report: CheckReport) -> None:
    try:
        # "ttl" works although the type stub only lists owl/rdf/ofn/owx/omn/obo.
        onto = pyhornedowl.open_ontology_from_string(data.decode("utf-8"), "ttl")  # type: ignore[arg-type]
    except (ValueError, UnicodeDecodeError) as exc:
        report.parses.append(ParseResult("py-horned-owl", False, message=_one_line(exc)))
        return
    report.parses.append(ParseResult("py-horned-owl", True, len(onto.get_axioms()), "axioms"))


def _counts(path: Path, data: bytes) -> CheckCounts | None:
    from ._ontology import Ontology

    try:
        onto = Ontology(path, data)
    except OntologyError:
        return None
    declared = onto.graph.subjects(RDF.type, OWL.Class)
    classes = {s for s in declared if isinstance(s, URIRef) and str(s).startswith(_SMO)}
    histologies = onto.terms("histology")
    sites = onto.terms("site")
    return CheckCounts(
        classes=len(classes),
        histologies=len(histologies),
        histologies_with_ncit=sum(any("/NCIT_" in m for m in t.matches) for t in histologies),
        sites=len(sites),
        sites_with_uberon=sum(any("/UBERON_" in m for m in t.matches) for t in sites),
        agents=len(onto.terms("agent")),
        regimens=len(onto.terms("regimen")),
        procedures=len(onto.terms("procedure")),
        diagnostic_procedures=len(onto.terms("diagnostic")),
        radiotherapy_techniques=len(onto.terms("radiotherapy")),
        responses=len(onto.terms("response")),
    )
