"""Load ``sarcoma.ttl`` once and answer questions about its terms.

Everything extraction and the queries know about histologies, sites, drugs and
procedures comes from here, read from the Turtle file at run time: an ontologist's edit
in Protégé (a new synonym, a new subtype) changes what SarcoKG recognises without any
code change.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, URIRef

from sarcokg.errors import OntologyError

from ._namespace import BFO_PART_OF, IAO_DEFINITION, OBOINOWL, SMO
from ._normalize import normalize, singular_variants

__all__ = ["ONTOLOGY_FILE", "Kind", "Ontology", "OntologyTerm", "VocabEntry", "load_ontology"]

ONTOLOGY_FILE = Path(__file__).with_name("sarcoma.ttl")

Kind = Literal[
    "histology", "site", "agent", "regimen", "procedure", "diagnostic", "radiotherapy", "response", "model"
]
Scope = Literal["label", "exact", "related", "narrow", "broad"]
AgentKind = Literal["chemotherapy", "targeted therapy", "immunotherapy", "supportive"]

# The root class of each kind of domain term; roots themselves are kind "model".
_KIND_ROOTS: tuple[tuple[URIRef, Kind], ...] = (
    (SMO.Histology, "histology"),
    (SMO.AnatomicalSite, "site"),
    (SMO.DrugAgent, "agent"),
    (SMO.Regimen, "regimen"),
    (SMO.SurgicalProcedure, "procedure"),
    (SMO.DiagnosticProcedure, "diagnostic"),
    (SMO.RadiotherapyTechnique, "radiotherapy"),
    (SMO.ResponseAssessment, "response"),
)
_AGENT_KINDS: tuple[tuple[URIRef, AgentKind], ...] = (
    (SMO.ChemotherapyAgent, "chemotherapy"),
    (SMO.TargetedAgent, "targeted therapy"),
    (SMO.ImmunotherapyAgent, "immunotherapy"),
    (SMO.SupportiveAgent, "supportive"),
)
_SCOPES: tuple[tuple[URIRef, Scope], ...] = (
    (OBOINOWL.hasExactSynonym, "exact"),
    (OBOINOWL.hasRelatedSynonym, "related"),
    (OBOINOWL.hasNarrowSynonym, "narrow"),
    (OBOINOWL.hasBroadSynonym, "broad"),
)
_SCOPE_RANK: dict[str, int] = {"label": 0, "exact": 1, "related": 2, "narrow": 3, "broad": 4}


@dataclass(frozen=True)
class OntologyTerm:
    """One named class or individual of the ontology, with what the file says about it."""

    iri: str
    label: str
    kind: Kind
    definition: str | None = None
    exact_synonyms: tuple[str, ...] = ()
    related_synonyms: tuple[str, ...] = ()
    narrow_synonyms: tuple[str, ...] = ()
    broad_synonyms: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()
    matches: tuple[str, ...] = ()
    organ_level: bool = False
    deprecated: bool = False

    @property
    def local_name(self) -> str:
        """The part after ``#`` (``Leiomyosarcoma``)."""
        return self.iri.rsplit("#", 1)[-1]

    def synonyms(self) -> Iterator[tuple[str, Scope]]:
        """Every synonym with its scope."""
        for forms, scope in (
            (self.exact_synonyms, "exact"),
            (self.related_synonyms, "related"),
            (self.narrow_synonyms, "narrow"),
            (self.broad_synonyms, "broad"),
        ):
            for form in forms:
                yield form, scope  # type: ignore[misc]


@dataclass(frozen=True)
class VocabEntry:
    """One surface form (a label or synonym) that names a term."""

    form: str
    iri: str
    kind: Kind
    scope: Scope


@dataclass
class _Index:
    terms: dict[str, OntologyTerm] = field(default_factory=dict)
    subclass_parents: dict[str, list[str]] = field(default_factory=dict)
    part_of_parents: dict[str, list[str]] = field(default_factory=dict)
    components: dict[str, list[str]] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    by_form: dict[str, list[tuple[int, str]]] = field(default_factory=dict)


class Ontology:
    """The parsed ontology file with lookup and hierarchy helpers.

    >>> onto = load_ontology()
    >>> onto.find("LMS").label
    'leiomyosarcoma'
    >>> onto.organ_site(onto.find("tail of pancreas").iri).label
    'pancreas'
    """

    def __init__(self, path: Path, data: bytes | None = None) -> None:
        self.path = path
        raw = data if data is not None else _read(path)
        self.sha256 = hashlib.sha256(raw).hexdigest()
        self.graph = Graph()
        try:
            self.graph.parse(data=raw, format="turtle", publicID=str(SMO._NS).rstrip("#"))
        except Exception as exc:  # rdflib raises many types for syntax errors
            raise OntologyError(f"{path}: cannot parse Turtle: {' '.join(str(exc).split())}") from exc
        self._ix = _build_index(self.graph)

    # -- terms ---------------------------------------------------------------------------
    def term(self, iri: str) -> OntologyTerm:
        """The term with this IRI; ``OntologyError`` if the file has no such term."""
        try:
            return self._ix.terms[str(iri)]
        except KeyError:
            raise OntologyError(f"unknown ontology term: {iri}") from None

    def get(self, iri: str) -> OntologyTerm | None:
        """The term with this IRI, or ``None``."""
        return self._ix.terms.get(str(iri))

    def terms(self, kind: Kind | None = None) -> list[OntologyTerm]:
        """All terms (of one kind), sorted by label."""
        found = [t for t in self._ix.terms.values() if kind is None or t.kind == kind]
        return sorted(found, key=lambda t: (t.label, t.iri))

    def label(self, iri: str) -> str:
        """The term's label (``OntologyError`` if unknown)."""
        return self.term(iri).label

    # -- lookup --------------------------------------------------------------------------
    def lookup(self, text: str, kind: Kind | None = None) -> list[OntologyTerm]:
        """Terms whose label or a synonym matches ``text``, best first.

        Matching ignores case, hyphens, possessive 's, British/American spelling and a
        plural last word:

        >>> [t.label for t in load_ontology().lookup("Ewing's sarcomas")]
        ['Ewing sarcoma']
        """
        norm = normalize(text)
        hits = self._ix.by_form.get(norm, [])
        if not hits:
            for variant in singular_variants(norm):
                hits = self._ix.by_form.get(variant, [])
                if hits:
                    break
        seen: set[str] = set()
        out: list[OntologyTerm] = []
        for _rank, iri in sorted(hits):
            term = self._ix.terms[iri]
            if iri not in seen and (kind is None or term.kind == kind) and not term.deprecated:
                seen.add(iri)
                out.append(term)
        return out

    def find(self, text: str, kind: Kind | None = None) -> OntologyTerm | None:
        """The best term for ``text`` (see :meth:`lookup`), or ``None``."""
        found = self.lookup(text, kind)
        return found[0] if found else None

    def resolve(self, ref: str, kind: Kind | None = None) -> OntologyTerm | None:
        """A term from an IRI, a CURIE (``smo:Lung``), a local name or a label/synonym."""
        ref = ref.strip()
        if ref.startswith(("http://", "https://")):
            return self.get(ref)
        if ref.startswith("smo:"):
            ref = ref[4:]
        term = self.get(str(SMO._NS) + ref)
        if term is not None and (kind is None or term.kind == kind):
            return term
        return self.find(ref, kind)

    def vocabulary(self, kind: Kind | None = None) -> list[VocabEntry]:
        """Every surface form naming a domain term (labels and synonyms), for extraction."""
        out: list[VocabEntry] = []
        for term in self.terms(kind):
            if term.kind == "model" or term.deprecated:
                continue
            out.append(VocabEntry(term.label, term.iri, term.kind, "label"))
            out.extend(VocabEntry(form, term.iri, term.kind, scope) for form, scope in term.synonyms())
        return out

    # -- hierarchy -----------------------------------------------------------------------
    def parents(self, iri: str) -> list[OntologyTerm]:
        """Direct parents over ``rdfs:subClassOf`` and ``part of`` (kinds first)."""
        return [self._ix.terms[p] for p in self._parent_iris(str(iri)) if p in self._ix.terms]

    def children(self, iri: str) -> list[OntologyTerm]:
        """Direct children over ``rdfs:subClassOf`` and ``part of``."""
        kids = self._ix.children.get(str(iri), [])
        return sorted((self._ix.terms[c] for c in kids if c in self._ix.terms), key=lambda t: t.label)

    def ancestors(self, iri: str, *, include_self: bool = False) -> set[str]:
        """IRIs of all ancestors over ``rdfs:subClassOf`` and ``part of``."""
        return {i for i, _ in self._walk(str(iri), self._parent_iris, include_self)}

    def descendants(self, iri: str, *, include_self: bool = False) -> set[str]:
        """IRIs of all descendants over ``rdfs:subClassOf`` and ``part of``."""
        return {i for i, _ in self._walk(str(iri), lambda x: self._ix.children.get(x, []), include_self)}

    def is_a(self, iri: str, ancestor: str) -> bool:
        """Whether ``iri`` is ``ancestor`` or below it (subclass or part)."""
        return str(ancestor) in self.ancestors(iri, include_self=True)

    def organ_site(self, iri: str) -> OntologyTerm | None:
        """The nearest organ-level site at or above ``iri`` (a sub-site rolls up to its organ).

        Kinds (``rdfs:subClassOf``) are preferred over parts at the same distance, so a
        mediastinal lymph node rolls up to lymph node, not to the mediastinum.
        """
        for node, _depth in self._walk(str(iri), self._parent_iris, True):
            term = self._ix.terms.get(node)
            if term is not None and term.organ_level:
                return term
        return None

    def regimen_agents(self, iri: str) -> list[OntologyTerm]:
        """The drug agents a regimen is made of (inherited from parent regimens too)."""
        agents: list[str] = []
        for node in [str(iri), *sorted(self.ancestors(iri))]:
            for agent in self._ix.components.get(node, []):
                if agent not in agents:
                    agents.append(agent)
        return [self._ix.terms[a] for a in agents if a in self._ix.terms]

    def agent_kind(self, iri: str) -> AgentKind | None:
        """Which kind of treatment a drug agent belongs to, from its place in the ontology."""
        above = self.ancestors(iri, include_self=True)
        for root, kind in _AGENT_KINDS:
            if str(root) in above:
                return kind
        return None

    def closure_triples(self) -> Iterator[tuple[str, str, str]]:
        """``(x, smo:rollsUpTo, y)`` for every domain term x and each y at or above it."""
        rolls = str(SMO.rollsUpTo)
        for term in self.terms():
            if term.kind == "model":
                continue
            for above in sorted(self.ancestors(term.iri, include_self=True)):
                yield term.iri, rolls, above

    # -- internals -----------------------------------------------------------------------
    def _parent_iris(self, iri: str) -> list[str]:
        return self._ix.subclass_parents.get(iri, []) + self._ix.part_of_parents.get(iri, [])

    @staticmethod
    def _walk(start: str, step: object, include_self: bool) -> Iterator[tuple[str, int]]:
        """Breadth-first walk (nearest first), each node once."""
        assert callable(step)
        seen = {start}
        queue: deque[tuple[str, int]] = deque([(start, 0)])
        if include_self:
            yield start, 0
        while queue:
            node, depth = queue.popleft()
            for nxt in step(node):
                if nxt not in seen:
                    seen.add(nxt)
                    yield nxt, depth + 1
                    queue.append((nxt, depth + 1))


def _read(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise OntologyError(f"{path}: cannot read the ontology: {exc.strerror or exc}") from exc
    if not data.strip():
        raise OntologyError(f"{path}: the ontology file is empty")
    return data


def _literals(graph: Graph, subject: URIRef, prop: URIRef) -> tuple[str, ...]:
    return tuple(sorted({str(o) for o in graph.objects(subject, prop) if not isinstance(o, (URIRef, BNode))}))


def _some_values_from(graph: Graph, restriction: BNode, prop: URIRef) -> URIRef | None:
    if (restriction, OWL.onProperty, prop) not in graph:
        return None
    filler = graph.value(restriction, OWL.someValuesFrom)
    return filler if isinstance(filler, URIRef) else None


def _build_index(graph: Graph) -> _Index:
    ix = _Index()
    smo = str(SMO._NS)
    named: set[URIRef] = {
        s for s in graph.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef) and str(s).startswith(smo)
    }
    individuals = {
        s
        for s in graph.subjects(RDF.type, OWL.NamedIndividual)
        if isinstance(s, URIRef) and str(s).startswith(smo)
    }
    for cls in named:
        key = str(cls)
        for parent in graph.objects(cls, RDFS.subClassOf):
            if isinstance(parent, URIRef):
                ix.subclass_parents.setdefault(key, []).append(str(parent))
            elif isinstance(parent, BNode):
                whole = _some_values_from(graph, parent, BFO_PART_OF)
                if whole is not None:
                    ix.part_of_parents.setdefault(key, []).append(str(whole))
                part = _some_values_from(graph, parent, SMO.hasComponent)
                if part is not None:
                    ix.components.setdefault(key, []).append(str(part))
    for mapping in (ix.subclass_parents, ix.part_of_parents, ix.components):
        for values in mapping.values():
            values.sort()
    for mapping in (ix.subclass_parents, ix.part_of_parents):
        for child, parent_iris in mapping.items():
            for parent_iri in parent_iris:
                ix.children.setdefault(parent_iri, []).append(child)

    def kind_of(iri: str) -> Kind:
        seen = {iri}
        queue = deque([iri])
        while queue:
            node = queue.popleft()
            for parent in ix.subclass_parents.get(node, []):
                for root, kind in _KIND_ROOTS:
                    if parent == str(root):
                        return kind
                if parent not in seen:
                    seen.add(parent)
                    queue.append(parent)
        return "model"

    organ_level = {s for s in graph.subjects(OBOINOWL.inSubset, SMO.organ_level) if isinstance(s, URIRef)}
    for entity in named | individuals:
        labels = _literals(graph, entity, RDFS.label)
        if not labels:
            continue
        definition = graph.value(entity, IAO_DEFINITION) or graph.value(entity, SKOS.definition)
        matches = tuple(
            sorted(str(o) for p in (SKOS.exactMatch, SKOS.closeMatch) for o in graph.objects(entity, p))
        )
        ix.terms[str(entity)] = OntologyTerm(
            iri=str(entity),
            label=labels[0],
            kind=kind_of(str(entity)) if entity in named else "model",
            definition=str(definition) if definition is not None else None,
            exact_synonyms=_literals(graph, entity, OBOINOWL.hasExactSynonym),
            related_synonyms=_literals(graph, entity, OBOINOWL.hasRelatedSynonym),
            narrow_synonyms=_literals(graph, entity, OBOINOWL.hasNarrowSynonym),
            broad_synonyms=_literals(graph, entity, OBOINOWL.hasBroadSynonym),
            xrefs=_literals(graph, entity, OBOINOWL.hasDbXref),
            matches=matches,
            organ_level=entity in organ_level,
            deprecated=str(graph.value(entity, OWL.deprecated) or "").lower() == "true",
        )
    for term in ix.terms.values():
        forms = [(term.label, "label"), *term.synonyms()]
        for form, scope in forms:
            ix.by_form.setdefault(normalize(form), []).append((_SCOPE_RANK[scope], term.iri))
    return ix


_CACHE: dict[Path, tuple[tuple[int, int], Ontology]] = {}
_LOCK = threading.Lock()


def _default_path() -> Path:
    env = os.environ.get("SARCOKG_ONTOLOGY")
    return Path(env) if env else ONTOLOGY_FILE


def load_ontology(path: str | Path | None = None) -> Ontology:
    """The ontology at ``path`` (default: ``$SARCOKG_ONTOLOGY`` or the bundled file).

    Parsed once per process and parsed again only when the file changed on disk.
    """
    resolved = Path(path) if path is not None else _default_path()
    resolved = resolved.resolve()
    try:
        st = resolved.stat()
    except OSError as exc:
        raise OntologyError(f"{resolved}: cannot read the ontology: {exc.strerror or exc}") from exc
    stamp = (st.st_mtime_ns, st.st_size)
    with _LOCK:
        cached = _CACHE.get(resolved)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        onto = Ontology(resolved)
        _CACHE[resolved] = (stamp, onto)
        return onto
