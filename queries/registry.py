"""The named-query registry: read the ``*.rq`` headers, bind parameters safely, run, post-process.

A named query is a SPARQL file with a comment header::

    # title: Cases with a metastasis at a site
    # description: ... (continuation lines are indented)
    # param: site (iri: smo:AnatomicalSite) - the site; sub-sites roll up
    # param: include_uncertain (xsd:boolean = true) - also count suspected metastases
    # post: median ?months -> ?median
    # result: ?patient ?caseId ...

A parameter appears in the body as ``$name`` (valid SPARQL on its own: an unbound variable).
:func:`render` replaces each ``$name`` by ONE RDF term serialised by pyoxigraph: an ontology
term's IRI (given as an IRI, a CURIE or a label, checked against the ontology and the declared
class) or a literal of the declared XSD type. User text is never spliced into the query, so
``smo:Lung> } ; DROP ALL ; #`` is refused and a quote or newline in a string stays inside
its literal.

``post`` steps compute what SPARQL cannot (a median) from a column the query returns.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any, Literal, Protocol

from pyoxigraph import Literal as RdfLiteral
from pyoxigraph import NamedNode

from ontology import SMO_NS, Ontology
from sarcokg.errors import OntologyError, QueryError

__all__ = [
    "QUERY_DIR",
    "NamedQuery",
    "Parameter",
    "PostStep",
    "get_query",
    "list_queries",
    "parse_named_query",
    "render",
    "run",
]

QUERY_DIR = Path(__file__).parent
XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = {
    "smo": SMO_NS,
    "obo": "http://purl.obolibrary.org/obo/",
    "xsd": XSD,
}
LITERAL_TYPES = ("xsd:string", "xsd:integer", "xsd:decimal", "xsd:boolean")
MAX_TEXT_PARAM = 1000

_PARAM_LINE = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s*\(\s*(?:iri:\s*(?P<cls>[A-Za-z]\w*:\w+)|(?P<xsd>xsd:\w+))"
    r"\s*(?:=\s*(?P<default>[^)]*?))?\s*\)\s*(?:-\s*(?P<description>.*))?$"
)
_POST_LINE = re.compile(r"^(?P<op>median)\s+\?(?P<source>\w+)\s*->\s*\?(?P<target>\w+)$")
_PLACEHOLDER = re.compile(r"\$([A-Za-z_]\w*)")
_CURIE = re.compile(r"^(?P<prefix>[A-Za-z][\w-]*):(?P<local>[A-Za-z_][\w.-]*)$")
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")
_DECIMAL = re.compile(r"^[+-]?(\d{1,18}(\.\d{0,18})?|\.\d{1,18})$")
_BOOLEANS = {"true": "true", "1": "true", "yes": "true", "false": "false", "0": "false", "no": "false"}


class SelectStore(Protocol):
    """What :func:`run` needs of a store (every :class:`graph.store.Store` has it)."""

    def select(self, sparql: str, *, timeout_s: float | None = None) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class Parameter:
    """One declared parameter: an ontology term under ``term_class`` or a literal of ``datatype``."""

    name: str
    kind: Literal["iri", "literal"]
    type: str  # CURIE of the class (iri) or of the XSD datatype (literal)
    description: str = ""
    default: str | None = None

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class PostStep:
    """A computation on each result row: ``median ?months -> ?median``."""

    op: str
    source: str
    target: str


@dataclass(frozen=True)
class NamedQuery:
    """A named query: its header and its SPARQL body (with ``$param`` placeholders)."""

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    results: tuple[str, ...]
    post: tuple[PostStep, ...]
    sparql: str

    def parameter(self, name: str) -> Parameter:
        for param in self.parameters:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise QueryError(f"query {self.name!r} has no parameter {name!r} (parameters: {known})")


def parse_named_query(name: str, text: str) -> NamedQuery:
    """Parse a ``.rq`` file's header and body.

    >>> q = parse_named_query("demo", '''# title: Demo
    ... # description: Patients by age.
    ... #   Second line.
    ... # param: age (xsd:integer = 40) - minimum age
    ... # result: ?patient
    ... PREFIX smo: <https://w3id.org/sarcokg/ontology#>
    ... SELECT ?patient WHERE { GRAPH ?g { ?patient smo:ageYears ?a } FILTER(?a >= $age) }
    ... ''')
    >>> q.title, q.description, q.parameters[0].default, q.results
    ('Demo', 'Patients by age. Second line.', '40', ('patient',))
    """
    fields: list[tuple[str, str]] = []
    body_lines: list[str] = []
    in_header = True
    for line in text.splitlines():
        if in_header and line.startswith("#"):
            content = line[1:]
            match = re.match(r"^\s?(\w+):\s*(.*)$", content)
            if match and not content.startswith("  "):
                fields.append((match.group(1), match.group(2).strip()))
            elif content.strip() and fields:
                key, value = fields[-1]
                fields[-1] = (key, f"{value} {content.strip()}")
            continue
        in_header = False
        body_lines.append(line)
    title = description = ""
    params: list[Parameter] = []
    results: tuple[str, ...] = ()
    post: list[PostStep] = []
    for key, value in fields:
        if key == "title":
            title = value
        elif key == "description":
            description = f"{description} {value}".strip()
        elif key == "param":
            params.append(_parse_param(name, value))
        elif key == "result":
            results = tuple(var.lstrip("?$") for var in value.split())
        elif key == "post":
            match = _POST_LINE.match(value)
            if not match:
                raise QueryError(f"query {name!r}: cannot read post step {value!r}")
            post.append(PostStep(match["op"], match["source"], match["target"]))
        else:
            raise QueryError(f"query {name!r}: unknown header field {key!r}")
    if not title or not results:
        raise QueryError(f"query {name!r}: the header needs a title and a result line")
    body = "\n".join(body_lines).strip() + "\n"
    declared = {p.name for p in params}
    used = set(_PLACEHOLDER.findall(body))
    if used != declared:
        raise QueryError(
            f"query {name!r}: placeholders {sorted(used)} do not match declared parameters {sorted(declared)}"
        )
    return NamedQuery(name, title, description, tuple(params), results, tuple(post), body)


def _parse_param(query: str, value: str) -> Parameter:
    match = _PARAM_LINE.match(value)
    if not match:
        raise QueryError(f"query {query!r}: cannot read parameter declaration {value!r}")
    if match["cls"]:
        return Parameter(match["name"], "iri", match["cls"], match["description"] or "", match["default"])
    if match["xsd"] not in LITERAL_TYPES:
        raise QueryError(f"query {query!r}: unsupported parameter type {match['xsd']!r}")
    return Parameter(match["name"], "literal", match["xsd"], match["description"] or "", match["default"])


@cache
def _load_all(directory: Path) -> dict[str, NamedQuery]:
    queries: dict[str, NamedQuery] = {}
    for path in sorted(directory.glob("*.rq")):
        queries[path.stem] = parse_named_query(path.stem, path.read_text(encoding="utf-8"))
    return queries


def list_queries() -> list[NamedQuery]:
    """Every named query, sorted by name.

    >>> "metastasis-sites-by-primary-site" in [q.name for q in list_queries()]
    True
    """
    return list(_load_all(QUERY_DIR).values())


def get_query(name: str) -> NamedQuery:
    """The named query ``name``; :class:`QueryError` naming the known ones if there is none.

    >>> get_query("cases-with-metastasis-site").parameter("site").type
    'smo:AnatomicalSite'
    """
    queries = _load_all(QUERY_DIR)
    if name not in queries:
        raise QueryError(f"no named query {name!r} (known: {', '.join(sorted(queries))})")
    return queries[name]


def render(
    query: str | NamedQuery, params: Mapping[str, str] | None = None, *, ontology: Ontology | None = None
) -> str:
    """The query's SPARQL with every ``$param`` replaced by a safely serialised RDF term.

    IRI parameters accept a full IRI, a CURIE (``smo:Pancreas``) or a label/synonym, and must
    name an ontology term under the declared class; literal parameters must fit their XSD type.
    Anything else raises :class:`QueryError`.

    >>> sparql = render("cases-with-metastasis-site", {"site": "pancreas"})
    >>> "smo:rollsUpTo <https://w3id.org/sarcokg/ontology#Pancreas>" in sparql
    True
    >>> render("cases-with-metastasis-site", {"site": "smo:Lung> } ; DROP ALL ; #"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    sarcokg.errors.QueryError: parameter 'site': 'smo:Lung> } ; DROP ALL ; #' is not a known term ...
    """
    named = get_query(query) if isinstance(query, str) else query
    given = dict(params or {})
    for key in given:
        named.parameter(key)  # unknown names raise
    terms: dict[str, str] = {}
    for param in named.parameters:
        raw = given.get(param.name, param.default)
        if raw is None:
            raise QueryError(f"query {named.name!r} needs parameter {param.name!r} ({param.type})")
        if param.kind == "iri":
            if ontology is None:
                from ontology import load_ontology

                ontology = load_ontology()
            terms[param.name] = str(NamedNode(_resolve_term(param, raw, ontology)))
        else:
            terms[param.name] = str(_literal(param, raw))
    return _PLACEHOLDER.sub(lambda m: terms[m.group(1)], named.sparql)


def _expand(curie: str) -> str | None:
    match = _CURIE.match(curie)
    if match and match["prefix"] in PREFIXES:
        return PREFIXES[match["prefix"]] + match["local"]
    return None


def _resolve_term(param: Parameter, raw: str, onto: Ontology) -> str:
    """The IRI of the ontology term ``raw`` names, if it lies under the parameter's class."""
    text = raw.strip()
    cls = _expand(param.type)
    if cls is None:
        raise QueryError(f"parameter {param.name!r}: unknown class {param.type!r}")
    try:
        class_label = onto.label(cls)
    except OntologyError:
        class_label = param.type
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if re.match(r"^https?://", text):
        candidates = [text]
    elif (iri := _expand(text)) is not None:
        candidates = [iri]
    else:
        candidates = [t.iri for t in onto.lookup(text)] if len(text) <= MAX_TEXT_PARAM else []
    for iri in candidates:
        if onto.get(iri) is not None and onto.is_a(iri, cls):
            return iri
    raise QueryError(f"parameter {param.name!r}: {raw!r} is not a known term ({class_label})")


def _literal(param: Parameter, raw: str) -> RdfLiteral:
    text = raw.strip()
    datatype = NamedNode(XSD + param.type.split(":", 1)[1])
    if param.type == "xsd:string":
        if len(raw) > MAX_TEXT_PARAM:
            raise QueryError(f"parameter {param.name!r}: longer than {MAX_TEXT_PARAM} characters")
        return RdfLiteral(raw)
    if param.type == "xsd:integer" and _INTEGER.match(text):
        return RdfLiteral(str(int(text)), datatype=datatype)
    if param.type == "xsd:decimal" and _DECIMAL.match(text):
        return RdfLiteral(format(Decimal(text), "f"), datatype=datatype)
    if param.type == "xsd:boolean" and text.lower() in _BOOLEANS:
        return RdfLiteral(_BOOLEANS[text.lower()], datatype=datatype)
    raise QueryError(f"parameter {param.name!r}: {raw!r} is not a valid {param.type}")


def run(
    store: SelectStore,
    query: str | NamedQuery,
    params: Mapping[str, str] | None = None,
    *,
    ontology: Ontology | None = None,
    timeout_s: float | None = None,
) -> list[dict[str, Any]]:
    """Render and run a named query; rows map the header's result variables to pyoxigraph terms
    (unbound ones omitted), after the query's post steps."""
    named = get_query(query) if isinstance(query, str) else query
    rows = store.select(render(named, params, ontology=ontology), timeout_s=timeout_s)
    out: list[dict[str, Any]] = []
    for row in rows:
        for step in named.post:
            _apply(step, row)
        out.append({var: row[var] for var in named.results if var in row})
    return out


def _apply(step: PostStep, row: dict[str, Any]) -> None:
    source = row.get(step.source)
    if step.op == "median" and source is not None:
        try:
            values = [Decimal(token) for token in str(source.value).split()]
        except InvalidOperation as exc:
            raise QueryError(f"cannot compute the median of {source.value!r}: not numbers") from exc
        if values:
            median = statistics.median(values)
            row[step.target] = RdfLiteral(
                format(median.normalize(), "f"), datatype=NamedNode(XSD + "decimal")
            )
