"""Extraction on every core: a process pool whose workers each build the NLP pipeline once.

medspaCy's TargetRules do not pickle, so a pipeline cannot be shipped to workers: each worker
builds its own in the pool initializer. Documents go out and case records come back (both
pydantic models, which pickle). Workers are *spawned*, not forked, because the parent holds an
open RocksDB store with its own threads. With one worker, or when the pool cannot start, the
same work runs in this process.
"""

from __future__ import annotations

import importlib
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from loaders.records import CaseRecord, SourceDocument

__all__ = ["Extracted", "ExtractionPool", "extraction_function"]

Extracted = tuple[SourceDocument, list[CaseRecord] | str]
"""A document and its records, or the one-line reason extraction failed."""


def extraction_function() -> Callable[[SourceDocument], list[CaseRecord]] | str:
    """``loaders.extract_document``, or why it is not available in this installation."""
    try:
        extract: Callable[[SourceDocument], list[CaseRecord]] = importlib.import_module(
            "loaders"
        ).extract_document
    except (ImportError, AttributeError) as exc:
        return f"extraction is not available in this installation ({exc})"
    return extract


def _extract(document: SourceDocument) -> list[CaseRecord] | str:
    """Records of one document, or the reason they could not be extracted (never raises)."""
    extract = extraction_function()
    if isinstance(extract, str):
        return extract
    try:
        return list(extract(document))
    except Exception as exc:  # a bug in extraction must fail one report, not the load
        return f"extraction failed: {type(exc).__name__}: {' '.join(str(exc).split())}"


def _warm_up() -> None:
    """Pool initializer: build this worker's pipeline before the first real document."""
    _extract(SourceDocument(doc_id="warm-up", text="A 50-year-old woman with leiomyosarcoma of the thigh."))


class ExtractionPool:
    """Runs extraction for documents in ``workers`` processes, at most ``window`` in flight."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self.window = 4 * self.workers
        self._pool: ProcessPoolExecutor | None = None
        self._inflight: dict[Future[Any], SourceDocument] = {}
        self.fell_back: str | None = None
        """Why extraction went serial after the pool failed (None while the pool works)."""

    def submit(self, document: SourceDocument) -> Iterator[Extracted]:
        """Queue a document; yields finished ones (blocking while the window is full)."""
        pool = self._ensure_pool()
        if pool is None:
            yield document, _extract(document)
            return
        try:
            self._inflight[pool.submit(_extract, document)] = document
        except (BrokenProcessPool, RuntimeError) as exc:
            self._fall_back(exc)
            yield document, _extract(document)
            return
        yield from self._collect(block=len(self._inflight) >= self.window)

    def drain(self) -> Iterator[Extracted]:
        """Every document still in flight."""
        while self._inflight:
            yield from self._collect(block=True)

    def close(self) -> None:
        """Stop the workers (cancelling what has not started)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ensure_pool(self) -> ProcessPoolExecutor | None:
        if self.workers == 1 or self.fell_back is not None:
            return None
        if self._pool is None:
            try:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_warm_up,
                )
            except (OSError, ValueError) as exc:
                self._fall_back(exc)
                return None
        return self._pool

    def _collect(self, *, block: bool) -> Iterator[Extracted]:
        if not self._inflight:
            return
        done, _ = wait(list(self._inflight), timeout=None if block else 0, return_when=FIRST_COMPLETED)
        for future in done:
            document = self._inflight.pop(future, None)
            if document is None:  # already re-run in-process after the pool broke
                continue
            try:
                yield document, future.result()
            except BrokenProcessPool as exc:
                self._fall_back(exc)
                yield document, _extract(document)

    def _fall_back(self, exc: BaseException) -> None:
        """The pool died (a worker crashed, or processes cannot start): carry on in-process."""
        self.fell_back = f"{type(exc).__name__}: {exc}"
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        stranded = list(self._inflight.values())
        self._inflight.clear()
        for document in stranded:
            future: Future[Any] = Future()
            future.set_result(_extract(document))
            self._inflight[future] = document
