"""Writing reports into a store: one report atomically, or a whole batch fast.

A report is one named graph (``{base}graph/{doc_id}``) whose report node carries the SHA-256
of the document it was made from. Loading compares that hash first: an unchanged report is
skipped before extraction (so its triples, provenance time included, stay exactly as they
were), a changed one replaces its graph atomically, a new one is added.

:func:`load_document` writes one report (``POST /api/reports``, small loads).
:class:`ReportWriter` writes many: new reports are gathered into chunks and written through
:meth:`EmbeddedStore.add_new_graphs` — pyoxigraph's bulk loader under a journal, so after a
crash every report graph is whole or absent — while changed reports and remote stores go
through the atomic ``replace_graph``. The ontology and its roll-up closure are (re)loaded by
:func:`ensure_ontology` when the store lacks them or the ontology file changed.
The file-walking, extracting driver behind ``sarcokg load`` is :mod:`graph.pipeline`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from pyoxigraph import Literal as RdfLiteral

from graph import vocab as v
from graph._sparql import iri_ref
from graph.embedded import EmbeddedStore
from graph.mapping import document_to_quads, graph_iri
from graph.ontology_graph import (
    CLOSURE_GRAPH_IRI,
    ONTOLOGY_GRAPH_IRI,
    STORED_ONTOLOGY_SHA256_QUERY,
    closure_quads,
    ontology_quads,
)
from graph.remote import ResultCapError
from graph.store import Store
from loaders.records import CaseRecord, SourceDocument
from ontology import Ontology, load_ontology
from sarcokg import __version__
from sarcokg.config import Settings
from sarcokg.errors import SarcoKGError

__all__ = [
    "BULK_MIN_REPORTS",
    "DEFAULT_CHUNK_REPORTS",
    "LoadFailure",
    "LoadResult",
    "LoadSummary",
    "ReportWriter",
    "document_sha256",
    "ensure_ontology",
    "load_document",
    "stored_report_hashes",
]

DEFAULT_CHUNK_REPORTS = 50_000
"""New reports gathered into one bulk write: big enough (a million quads or more) for
pyoxigraph's bulk loader to write one batch while the next is mapped; a crash mid-chunk
loses only that chunk, and the next load writes it again."""

BULK_MIN_REPORTS = 500
"""Below this many new reports a chunk is written with the transactional ``extend``."""

LoadStatus = Literal["loaded", "unchanged", "replaced"]


@dataclass(frozen=True)
class LoadResult:
    """What happened to one report."""

    doc_id: str
    graph_iri: str
    status: LoadStatus
    quads: int = 0
    cases: int = 0


@dataclass(frozen=True)
class LoadFailure:
    """A report (or a whole file) that was not loaded, and why.

    >>> str(LoadFailure("set.xml: article 2", "no abstract or title text"))
    'set.xml: article 2: no abstract or title text'
    """

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class LoadSummary:
    """Counts for the end of ``sarcokg load``.

    >>> s = LoadSummary(loaded=2, replaced=1, failures=[LoadFailure("a.txt", "empty file")])
    >>> s.line()
    'loaded 2, unchanged 0, replaced 1, failed 1'
    """

    loaded: int = 0
    unchanged: int = 0
    replaced: int = 0
    failures: list[LoadFailure] = field(default_factory=list)
    quads: int = 0
    files: int = 0
    ontology_loaded: bool = False
    seconds: float = 0.0

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def reports(self) -> int:
        return self.loaded + self.unchanged + self.replaced + self.failed

    def add(self, result: LoadResult) -> None:
        """Count one written or skipped report."""
        if result.status == "loaded":
            self.loaded += 1
        elif result.status == "replaced":
            self.replaced += 1
        else:
            self.unchanged += 1
        self.quads += result.quads

    def line(self) -> str:
        counts = (self.loaded, self.unchanged, self.replaced, self.failed)
        return "loaded {}, unchanged {}, replaced {}, failed {}".format(*counts)


def document_sha256(document: SourceDocument) -> str:
    """The hash the mapping stores with a report (``smo:sha256``): the reader's content hash,
    else the SHA-256 of the text.

    >>> document_sha256(SourceDocument(doc_id="d", text="abc"))[:12]
    'ba7816bf8f01'
    """
    return document.source.sha256 or hashlib.sha256(document.text.encode("utf-8")).hexdigest()


def ensure_ontology(store: Store, settings: Settings, *, onto: Ontology | None = None) -> bool:
    """Load the ontology graph and its closure graph unless the store has this very file's.

    The closure graph, which records the file's SHA-256, is written last: a crash in between
    leaves no marker, so the next load writes both again. Returns True when it wrote them.
    """
    onto = onto if onto is not None else load_ontology(settings.ontology)
    rows = store.select(STORED_ONTOLOGY_SHA256_QUERY)
    if any(row.get("sha256") is not None and row["sha256"].value == onto.sha256 for row in rows):
        return False
    store.replace_graph(ONTOLOGY_GRAPH_IRI, ontology_quads(onto))
    store.replace_graph(CLOSURE_GRAPH_IRI, closure_quads(onto))
    return True


def _hash_query(base_iri: str, graph: str | None) -> tuple[str, str]:
    where = f"GRAPH {iri_ref(graph) if graph else '?g'} {{ ?report a {v.CASE_REPORT} ; {v.SHA256} ?sha }}"
    if graph is None:
        where += f" FILTER(STRSTARTS(STR(?g), {RdfLiteral(base_iri + 'graph/')}))"
    return "?g ?sha" if graph is None else "?sha", where


def stored_report_hashes(store: Store, base_iri: str) -> dict[str, str]:
    """graph IRI -> stored SHA-256 for every report graph under ``base_iri`` (one query, paged
    if the server caps results)."""
    projection, where = _hash_query(base_iri, None)
    try:
        rows = store.select(f"SELECT {projection} WHERE {{ {where} }}")
    except ResultCapError:
        rows = []
        page = 10_000
        while True:
            batch = store.select(
                f"SELECT {projection} WHERE {{ {{ SELECT {projection} WHERE {{ {where} }} "
                f"ORDER BY ?g ?sha }} }} OFFSET {len(rows)} LIMIT {page}"
            )
            rows.extend(batch)
            if len(batch) < page:
                break
    return {row["g"].value: row["sha"].value for row in rows}


def _stored_hash(store: Store, graph: str, base_iri: str) -> str | None:
    projection, where = _hash_query(base_iri, graph)
    rows = store.select(f"SELECT {projection} WHERE {{ {where} }}")
    return rows[0]["sha"].value if rows else None


def _map(document: SourceDocument, records: Sequence[CaseRecord], settings: Settings) -> list[Any]:
    return document_to_quads(
        document, records, base_iri=settings.base_iri, generated_at=datetime.now(UTC), version=__version__
    )


def load_document(
    store: Store,
    document: SourceDocument,
    records: Sequence[CaseRecord],
    *,
    settings: Settings,
    force: bool = False,
) -> LoadResult:
    """Write one report atomically: skipped if unchanged, its graph replaced if changed.

    The ontology graphs are loaded first if the store lacks them or they are stale.
    Raises :class:`~sarcokg.errors.InputError` for records that do not fit the document
    and :class:`~sarcokg.errors.StoreError` if the store fails; the store is then unchanged.

    >>> import tempfile
    >>> from pathlib import Path
    >>> settings = Settings(store=Path(tempfile.mkdtemp()), _env_file=None)
    >>> store = EmbeddedStore(settings.store)
    >>> doc = SourceDocument(doc_id="demo", text="A 64-year-old woman.")
    >>> records = [CaseRecord(case_id="demo-1", patient={"age": 64})]
    >>> load_document(store, doc, records, settings=settings).status
    'loaded'
    >>> load_document(store, doc, records, settings=settings).status
    'unchanged'
    >>> store.close()
    """
    ensure_ontology(store, settings)
    graph = graph_iri(document.doc_id, base_iri=settings.base_iri)
    stored = _stored_hash(store, graph, settings.base_iri)
    if stored == document_sha256(document) and not force:
        return LoadResult(document.doc_id, graph, "unchanged", cases=len(records))
    quads = _map(document, records, settings)
    store.replace_graph(graph, quads)
    return LoadResult(document.doc_id, graph, "replaced" if stored else "loaded", len(quads), len(records))


@dataclass
class _Pending:
    """A new report waiting for its chunk; mapped only while the chunk is written."""

    document: SourceDocument
    records: Sequence[CaseRecord]
    graph: str
    where: str
    quads: int = 0
    error: str | None = None


class ReportWriter:
    """Writes a stream of reports into one store, fast where it is safe to be.

    Call :meth:`is_unchanged` before extracting (to skip work), :meth:`write` with the
    records, :meth:`fail` for reports that could not be read or extracted, and :meth:`close`
    at the end (it writes the last chunk). ``on_result`` sees every outcome once it is final.

    On the embedded store, new reports wait in a chunk of up to ``chunk_reports``; the chunk is
    mapped to quads *while* pyoxigraph's bulk loader writes it (a generator feeds the loader,
    whose threads write one batch while the next is being mapped), under the store's journal.
    Chunks smaller than ``bulk_min_reports`` use the transactional ``extend`` instead. Changed
    reports, and every report on a remote store, go through the atomic ``replace_graph``.
    """

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        force: bool = False,
        chunk_reports: int = DEFAULT_CHUNK_REPORTS,
        bulk_min_reports: int = BULK_MIN_REPORTS,
        summary: LoadSummary | None = None,
        on_result: Callable[[LoadResult | LoadFailure], None] | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.force = force
        self.chunk_reports = max(1, chunk_reports)
        self.bulk_min_reports = bulk_min_reports
        self.summary = summary if summary is not None else LoadSummary()
        self._on_result = on_result
        self._known = stored_report_hashes(store, settings.base_iri)
        self._embedded = store if isinstance(store, EmbeddedStore) else None
        # Graphs that exist without a report hash (a foreign or hand-made graph) are replaced, not added.
        self._existing = set(store.named_graphs()) if self._embedded is not None else set()
        self._pending: dict[str, _Pending] = {}

    def is_unchanged(self, document: SourceDocument) -> bool:
        """True when the store already holds this exact report (and ``force`` is off)."""
        graph = graph_iri(document.doc_id, base_iri=self.settings.base_iri)
        return not self.force and self._known.get(graph) == document_sha256(document)

    def skip(self, document: SourceDocument) -> None:
        """Record an unchanged report."""
        graph = graph_iri(document.doc_id, base_iri=self.settings.base_iri)
        self._done(LoadResult(document.doc_id, graph, "unchanged"))

    def fail(self, where: str, reason: str) -> None:
        """Record a report (or file) that could not be loaded."""
        failure = LoadFailure(where, " ".join(reason.split()))
        self.summary.failures.append(failure)
        if self._on_result is not None:
            self._on_result(failure)

    def write(
        self, document: SourceDocument, records: Sequence[CaseRecord], *, where: str | None = None
    ) -> None:
        """Write one report (a new one may wait for its chunk)."""
        graph = graph_iri(document.doc_id, base_iri=self.settings.base_iri)
        if graph in self._pending:
            self.flush()  # the same report twice in one run: the later one replaces the earlier
        if self.is_unchanged(document):
            self.skip(document)
            return
        stored = self._known.get(graph)
        exists = stored is not None or graph in self._existing
        if self._embedded is not None and not exists:
            self._known[graph] = document_sha256(document)
            self._pending[graph] = _Pending(document, records, graph, where or document.doc_id)
            if len(self._pending) >= self.chunk_reports:
                self.flush()
            return
        try:
            quads = _map(document, records, self.settings)
            self.store.replace_graph(graph, quads)
        except SarcoKGError as exc:
            self.fail(where or document.doc_id, str(exc))
            return
        self._known[graph] = document_sha256(document)
        self._existing.add(graph)
        self._done(
            LoadResult(document.doc_id, graph, "replaced" if exists else "loaded", len(quads), len(records))
        )

    def flush(self) -> None:
        """Write the waiting new reports (each whole or absent, even if the process dies)."""
        if not self._pending:
            return
        assert self._embedded is not None
        pending = list(self._pending.values())
        self._pending = {}
        bulk = len(pending) >= self.bulk_min_reports
        quads = self._mapped(pending) if bulk else list(self._mapped(pending))
        try:
            self._embedded.add_new_graphs(quads, [item.graph for item in pending], bulk=bulk, check=False)
        except SarcoKGError as exc:
            for item in pending:
                self._known.pop(item.graph, None)
                self.fail(item.where, str(exc))
            return
        for item in pending:
            if item.error is not None:
                self._known.pop(item.graph, None)
                self.fail(item.where, item.error)
                continue
            self._existing.add(item.graph)
            self._done(LoadResult(item.document.doc_id, item.graph, "loaded", item.quads, len(item.records)))

    def close(self) -> LoadSummary:
        """Write what is waiting and return the summary."""
        self.flush()
        return self.summary

    def _mapped(self, pending: list[_Pending]) -> Iterator[Any]:
        """The quads of each waiting report; one that cannot be mapped is marked failed, not written."""
        for item in pending:
            try:
                quads = _map(item.document, item.records, self.settings)
            except SarcoKGError as exc:
                item.error = str(exc)
                continue
            item.quads = len(quads)
            yield from quads

    def _done(self, result: LoadResult) -> None:
        self.summary.add(result)
        if self._on_result is not None:
            self._on_result(result)
