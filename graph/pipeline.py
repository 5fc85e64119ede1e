"""The driver behind ``sarcokg load PATH...``: files -> documents -> records -> the store.

Reading happens here, in order; extraction of documents without curated records happens in
a process pool on every core (:mod:`graph._extraction`); writing goes through one
:class:`~graph.loading.ReportWriter`, so unchanged reports are skipped before extraction, new
ones are written in fast atomic chunks and changed ones replace their graphs. A file or a
report that fails is recorded with its reason and the load goes on.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

from graph._extraction import Extracted, ExtractionPool
from graph.loading import (
    DEFAULT_CHUNK_REPORTS,
    LoadFailure,
    LoadResult,
    LoadSummary,
    ReportWriter,
    ensure_ontology,
)
from graph.store import Store
from loaders import ReadFailure, SourceDocument, iter_report_files, read_path
from sarcokg.config import Settings
from sarcokg.errors import InputError

__all__ = ["Progress", "default_workers", "load_paths"]


class Progress(Protocol):
    """What the command line shows while loading."""

    def start(self, files: int) -> None:
        """The number of files about to be read."""

    def file_done(self, path: Path) -> None:
        """One file has been read (its reports may still be extracting)."""

    def report_done(self, outcome: LoadResult | LoadFailure) -> None:
        """One report is final: written, skipped or failed."""


def default_workers() -> int:
    """One extraction process per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _split(message: str) -> tuple[str, str]:
    """("file:line", "reason") from a one-line error that starts with its location."""
    where, _, reason = message.partition(": ")
    return (where, reason) if reason else ("<input>", message)


def load_paths(
    store: Store,
    paths: Sequence[str | os.PathLike[str]],
    *,
    settings: Settings,
    workers: int | None = None,
    force: bool = False,
    chunk_reports: int = DEFAULT_CHUNK_REPORTS,
    progress: Progress | None = None,
) -> LoadSummary:
    """Load every report in ``paths`` (files or folders) into ``store``.

    Raises :class:`~sarcokg.errors.InputError` before loading anything if a path does not
    exist; everything after that is counted in the summary instead of raised (except store
    failures such as a lost connection, which stop the load).
    """
    started = time.monotonic()
    files = list(iter_report_files(paths))
    summary = LoadSummary(files=len(files))
    if progress is not None:
        progress.start(len(files))
    summary.ontology_loaded = ensure_ontology(store, settings)
    writer = ReportWriter(
        store,
        settings,
        force=force,
        chunk_reports=chunk_reports,
        summary=summary,
        on_result=progress.report_done if progress is not None else None,
    )
    with ExtractionPool(workers if workers is not None else default_workers()) as pool:
        for path in files:
            for document in _read(path, writer):
                if writer.is_unchanged(document):
                    writer.skip(document)
                elif document.records is not None:
                    writer.write(document, document.records, where=_where(document))
                else:
                    _write_extracted(writer, pool.submit(document))
            if progress is not None:
                progress.file_done(path)
        _write_extracted(writer, pool.drain())
    writer.close()
    summary.seconds = time.monotonic() - started
    return summary


def _read(path: Path, writer: ReportWriter) -> Iterable[SourceDocument]:
    """The documents of one file; failures go to the writer's summary."""
    try:
        items = read_path(path)
    except InputError as exc:
        writer.fail(*_split(str(exc)))
        return
    for item in items:
        if isinstance(item, ReadFailure):
            writer.fail(*_split(str(item)))
        else:
            yield item


def _where(document: SourceDocument) -> str:
    return f"{document.source.path} ({document.doc_id})" if document.source.path else document.doc_id


def _write_extracted(writer: ReportWriter, finished: Iterable[Extracted]) -> None:
    for document, outcome in finished:
        if isinstance(outcome, str):
            writer.fail(_where(document), outcome)
        else:
            writer.write(document, outcome, where=_where(document))
