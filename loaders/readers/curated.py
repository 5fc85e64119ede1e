"""Curated case records in YAML or JSON: what a curator enters by hand, in the CaseRecord
shape (DESIGN.md §4). A file holds one record, a list of them, or (YAML) several
``---``-separated documents of either.

Each record is validated with pydantic; errors name the record and the field path, and the
line in YAML (and in JSON, read with the same YAML parser for positions only)::

    cases.yaml:14: record 2 (pmid-123-2): metastases.0.site.iri: field required

The records of one report become one SourceDocument whose ``records`` holds them (extraction
returns them as they are). Its ``doc_id`` is the ``case_id`` without its trailing ``-<n>``
(``pmid-123-2`` -> ``pmid-123``); a record without ``case_id`` gets one from its source's
PMID/PMCID/DOI or else the file's stem, numbered in file order. An optional ``report_text``
key beside the record fields is the report's text: it becomes the document's text (else the
text is empty), and every evidence span must then quote it exactly. When one record of a
report is invalid, none of that report's records are read (a report is loaded whole or not
at all); the other reports in the file still are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError

from loaders.readers._base import ReadFailure, make_document
from loaders.readers._detect import RawInput
from loaders.readers._ids import DocIdAllocator, id_doc_id, normalize_doi, normalize_pmcid
from loaders.records import CaseRecord, Evidence, Section, Source, SourceDocument, Term
from sarcokg.errors import InputError, OntologyError

if TYPE_CHECKING:
    from ontology import Ontology

__all__ = ["doc_id_of_case", "read_record_json", "read_record_yaml"]

_CASE_ID = re.compile(r"(?P<doc>[A-Za-z0-9][A-Za-z0-9._-]*)-(?P<n>\d+)")
_SOURCE_FIELDS = ("title", "pmid", "doi", "pmcid", "journal", "year")


def doc_id_of_case(case_id: str) -> str | None:
    """The report part of a case id, or None when it does not end in ``-<n>``.

    >>> doc_id_of_case("pmid-12345678-2"), doc_id_of_case("seed-000-1"), doc_id_of_case("smith")
    ('pmid-12345678', 'seed-000', None)
    """
    match = _CASE_ID.fullmatch(case_id)
    return match.group("doc") if match else None


@dataclass
class _Entry:
    """One record of the file on its way to a document."""

    index: int
    line: int | None
    case_id: str | None = None
    record: CaseRecord | None = None
    report_text: str | None = None
    numbered: bool = False  # case_id to be assigned: no case_id in the input
    errors: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"record {self.index}" + (f" ({self.case_id})" if self.case_id else "")


_MAX_YAML_NODES = 1_000_000


def read_record_yaml(raw: RawInput, ids: DocIdAllocator) -> Iterator[SourceDocument | ReadFailure]:
    """Read curated records from YAML (syntax errors raise InputError with line and column)."""
    documents = raw.yaml_documents
    nodes = _positions(raw.text, multi=True)
    memo: dict[int, int] = {}
    try:
        size = sum(_expanded_size(node, memo) for node in nodes)
    except RecursionError:
        size = _MAX_YAML_NODES + 1
    if size > _MAX_YAML_NODES:
        # aliases can make a small file stand for an exponentially large one ("billion laughs")
        raise InputError("YAML expands to too many values (aliases nested too deeply)", path=raw.display)
    return _read(documents, nodes, raw, ids)


def _expanded_size(node: Any, memo: dict[int, int]) -> int:
    """How many values a node stands for once aliases are expanded (shared nodes counted
    each time they are used, but computed once)."""
    key = id(node)
    if key not in memo:
        memo[key] = 1  # a recursive alias counts once instead of looping
        if isinstance(node, yaml.SequenceNode):
            memo[key] = 1 + sum(_expanded_size(child, memo) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            memo[key] = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    return memo[key]


def read_record_json(raw: RawInput, ids: DocIdAllocator) -> Iterator[SourceDocument | ReadFailure]:
    """Read curated records from JSON (syntax errors raise InputError with line and column)."""
    value = raw.json
    return _read([value], _positions(raw.text, multi=False), raw, ids)


def _positions(text: str, *, multi: bool) -> list[Any]:
    """YAML nodes that carry line numbers (JSON parses as YAML in practice; if not, no lines)."""
    try:
        if multi:
            return list(yaml.compose_all(text, Loader=yaml.SafeLoader))
        return [yaml.compose(text, Loader=yaml.SafeLoader)]
    except (yaml.YAMLError, RecursionError):
        return []


def _read(
    documents: list[Any], nodes: list[Any], raw: RawInput, ids: DocIdAllocator
) -> Iterator[SourceDocument | ReadFailure]:
    items: list[tuple[Any, Any]] = []
    for position, value in enumerate(documents):
        node = nodes[position] if position < len(nodes) else None
        if value is None:
            continue
        if isinstance(value, list):
            items.extend((item, _child(node, index)) for index, item in enumerate(value))
        elif isinstance(value, dict):
            items.append((value, node))
        else:
            raise InputError(
                f"expected a case record (a mapping) or a list of them, found {type(value).__name__}",
                path=raw.display,
                line=_line(node),
            )
    if not items:
        raise InputError("no case records in this file", path=raw.display)
    from ontology import load_ontology  # rdflib: imported only when records are read

    onto = load_ontology()
    entries = [
        _validate(index, item, node, ids.stem, onto) for index, (item, node) in enumerate(items, start=1)
    ]
    return _documents(entries, raw, ids)


def _validate(index: int, item: Any, node: Any, stem: str, onto: Ontology) -> _Entry:
    entry = _Entry(index=index, line=_line(node))
    if not isinstance(item, dict):
        entry.errors.append(f"expected a mapping of record fields, found {type(item).__name__}")
        return entry
    data = dict(item)
    report_text = data.pop("report_text", None)
    if report_text is not None and not isinstance(report_text, str):
        entry.errors.append("report_text: must be a string")
    entry.report_text = report_text if isinstance(report_text, str) else None
    source = data.get("source")
    if isinstance(source, dict):  # YAML reads `pmid: 12345678` as a number
        data["source"] = {
            k: str(v) if k in ("pmid", "pmcid", "doi") and isinstance(v, int) else v
            for k, v in source.items()
        }
    case_id = data.get("case_id")
    if case_id is None:
        entry.numbered = True
        data["case_id"] = f"{_default_doc_id(data.get('source')) or stem}-0"
    elif isinstance(case_id, str):
        entry.case_id = case_id
    try:
        entry.record = CaseRecord.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            location = ".".join(str(part) for part in error["loc"])
            message = error["msg"][:1].lower() + error["msg"][1:]
            entry.errors.append(f"{location}: {message}" if location else message)
        entry.line = _line(_descend(node, exc.errors()[0]["loc"])) or entry.line
        return entry
    if not entry.numbered and doc_id_of_case(entry.record.case_id) is None:
        example = "e.g. 'pmid-12345678-1'"
        entry.errors.append(f"case_id {entry.record.case_id!r} must be '<report id>-<n>', {example}")
    entry.errors.extend(_term_errors(entry.record, onto))
    entry.errors.extend(_evidence_errors(entry.record, entry.report_text))
    if entry.errors:
        first = entry.errors[0].split(":", 1)[0].split(".")
        entry.line = _line(_descend(node, tuple(int(p) if p.isdigit() else p for p in first))) or entry.line
    return entry


# The kinds of ontology term each field may hold (see ontology.Kind).
_SITE = frozenset({"site"})
_FIELD_KINDS: dict[str, frozenset[str]] = {
    "site": _SITE,
    "subsite": _SITE,
    "target_site": _SITE,
    "histology": frozenset({"histology"}),
    "procedure": frozenset({"procedure", "radiotherapy"}),
    "agents": frozenset({"agent"}),
    "regimen": frozenset({"regimen"}),
    "best_response": frozenset({"response"}),
}


def _term_errors(record: CaseRecord, onto: Ontology) -> list[str]:
    """Terms must be ontology terms of the right kind; labels are set to the ontology's."""
    errors: list[str] = []
    for location, name, term in _terms(record):
        try:
            known = onto.term(term.iri)
        except OntologyError:
            errors.append(f"{location}.iri: {term.iri!r} is not a term of the ontology")
            continue
        if known.kind not in _FIELD_KINDS[name]:
            wanted = " or ".join(sorted(_FIELD_KINDS[name]))
            errors.append(f"{location}.iri: {known.label!r} is a {known.kind} term, not a {wanted}")
        term.label = known.label
    return errors


def _terms(record: CaseRecord) -> Iterator[tuple[str, str, Term]]:
    """(location, field name, term) for every term in a record."""
    parts: list[tuple[str, Any]] = [("primary_tumor", record.primary_tumor)]
    for name in ("metastases", "negated_metastases", "local_recurrences", "treatments"):
        parts.extend((f"{name}.{i}", fact) for i, fact in enumerate(getattr(record, name)))
    for location, fact in parts:
        for name in ("site", "subsite", "histology", "procedure", "regimen", "target_site"):
            term = getattr(fact, name, None)
            if term is not None:
                yield f"{location}.{name}", name, term
        for k, agent in enumerate(getattr(fact, "agents", [])):
            yield f"{location}.agents.{k}", "agents", agent
    if record.best_response is not None:
        yield "best_response", "best_response", record.best_response


def _default_doc_id(source: Any) -> str | None:
    """The report id of a record without case_id: from its source ids, else the file stem."""
    source = source if isinstance(source, dict) else {}
    pmid = str(source["pmid"]).strip() if source.get("pmid") else None
    return id_doc_id(
        pmid=pmid if pmid and pmid.isdigit() else None,
        pmcid=normalize_pmcid(str(source.get("pmcid") or "")),
        doi=normalize_doi(str(source.get("doi") or "")),
    )


def _evidence_errors(record: CaseRecord, report_text: str | None) -> list[str]:
    """Evidence spans that are not ``report_text[start:end]`` (or not even a span)."""
    errors: list[str] = []
    for location, evidence in _evidence(record):
        if evidence.end < evidence.start:
            errors.append(f"{location}: end {evidence.end} is before start {evidence.start}")
        elif report_text is not None and report_text[evidence.start : evidence.end] != evidence.text:
            span = f"report_text[{evidence.start}:{evidence.end}]"
            quoted = report_text[evidence.start : evidence.end]
            errors.append(f"{location}: text {evidence.text!r} is not {span} ({quoted!r})")
    return errors


def _evidence(record: CaseRecord) -> Iterator[tuple[str, Evidence]]:
    facts: list[tuple[str, Any]] = [
        ("patient", record.patient),
        ("primary_tumor", record.primary_tumor),
        ("outcome", record.outcome),
    ]
    for name in ("metastases", "negated_metastases", "local_recurrences", "treatments"):
        facts.extend((f"{name}.{i}", fact) for i, fact in enumerate(getattr(record, name)))
    for location, fact in facts:
        for k, evidence in enumerate(fact.evidence):
            yield f"{location}.evidence.{k}", evidence


def _documents(
    entries: list[_Entry], raw: RawInput, ids: DocIdAllocator
) -> Iterator[SourceDocument | ReadFailure]:
    groups: dict[str, list[_Entry]] = {}
    for entry in entries:
        groups.setdefault(_group_key(entry), []).append(entry)
    for key, group in groups.items():
        if not key.startswith("#"):
            _check_group(group)
        bad = [entry for entry in group if entry.errors]
        if not bad:
            yield _document(key, group, raw, ids)
            continue
        note = " (the report's other records are not read either)" if len(bad) < len(group) else ""
        for entry in bad:
            yield ReadFailure(raw.display, entry.where, "; ".join(entry.errors) + note, line=entry.line)


def _group_key(entry: _Entry) -> str:
    if entry.record is not None and entry.numbered:
        return entry.record.case_id[: -len("-0")]
    doc_id = doc_id_of_case(entry.case_id or "")
    return doc_id if doc_id is not None else f"#{entry.index}"


def _check_group(group: list[_Entry]) -> None:
    """Records of one report must agree on its text and bibliographic fields."""
    seen_ids: dict[str, int] = {}
    first_text: _Entry | None = None
    first_source: dict[str, tuple[Any, int]] = {}
    for entry in group:
        if entry.record is None:
            continue
        if not entry.numbered:
            other = seen_ids.setdefault(entry.record.case_id, entry.index)
            if other != entry.index:
                entry.errors.append(f"case_id {entry.record.case_id!r} is also used by record {other}")
        if entry.report_text is not None:
            if first_text is None:
                first_text = entry
            elif entry.report_text != first_text.report_text:
                entry.errors.append(f"report_text differs from record {first_text.index} of the same report")
        for name in _SOURCE_FIELDS:
            value = getattr(entry.record.source, name)
            if value is None:
                continue
            earlier = first_source.setdefault(name, (value, entry.index))
            if earlier[0] != value:
                first_value, first_index = earlier
                entry.errors.append(
                    f"source.{name} {value!r} differs from record {first_index} ({first_value!r})"
                )


def _document(doc_id: str, group: list[_Entry], raw: RawInput, ids: DocIdAllocator) -> SourceDocument:
    records = [entry.record for entry in group if entry.record is not None]
    pairs = list(zip(group, records, strict=True))
    used = {_case_number(record.case_id) for entry, record in pairs if not entry.numbered}
    next_n = 1
    for entry, record in pairs:
        if entry.numbered:
            while next_n in used:
                next_n += 1
            record.case_id = f"{doc_id}-{next_n}"
            used.add(next_n)
    text = next((entry.report_text for entry in group if entry.report_text is not None), "")
    source = Source(format="record")
    for name in _SOURCE_FIELDS:
        values = [getattr(record.source, name) for record in records]
        setattr(source, name, next((value for value in values if value is not None), None))
    sections = [Section(title=None, start=0, end=len(text))] if text.strip() else []
    for record in records:
        record.source = source.model_copy()
    doc = make_document(ids.claim(doc_id), text, sections, source, path=raw.display, records=records)
    for record in records:  # path and sha256 only: the hash does not cover them
        record.source = doc.source.model_copy()
    return doc


def _case_number(case_id: str) -> int:
    match = _CASE_ID.fullmatch(case_id)
    return int(match.group("n")) if match else 0


def _child(node: Any, index: int) -> Any:
    if isinstance(node, yaml.SequenceNode) and index < len(node.value):
        return node.value[index]
    return None


def _descend(node: Any, location: tuple[Any, ...]) -> Any:
    """The deepest YAML node on a pydantic error location that exists in the file."""
    for part in location:
        if isinstance(node, yaml.MappingNode):
            child = next((value for key, value in node.value if key.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        else:
            child = None
        if child is None:
            break
        node = child
    return node


def _line(node: Any) -> int | None:
    return node.start_mark.line + 1 if isinstance(node, yaml.Node) else None
