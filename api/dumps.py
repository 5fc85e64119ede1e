"""Whole-store dumps (gzip-compressed N-Quads, TriG and Turtle), written once per store generation.

A dump is written by a thread of its own into a temporary file (pyoxigraph's iterators and dumps
must run in the thread that made them; a dump of 100k cases takes minutes, longer than any
request should wait) and then served from that file, streamed; it is reused until the store
changes. Files are renamed into place only when complete, and the previous generation's file is
kept until the next one is written, so a download in progress is never cut short by a new dump.

>>> [d.name for d in DUMPS.values()]
['sarcokg.nq.gz', 'sarcokg.trig.gz', 'sarcokg.ttl.gz']
"""

from __future__ import annotations

import gzip
import os
import shutil
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox

from api.backend import Backend, OxigraphBackend
from api.executor import Deadline
from api.linked_data import PREFIXES
from graph.store import ResultFormat

__all__ = ["DUMPS", "Dump", "DumpFiles"]

_COMPRESSLEVEL = 3  # dumps are large and rebuilt after writes: favour speed over the last few percent


@dataclass(frozen=True)
class Dump:
    """One dump format: file name, media type of the uncompressed data, description."""

    name: str
    format: ResultFormat
    description: str


DUMPS: dict[str, Dump] = {
    d.name: d
    for d in (
        Dump(
            "sarcokg.nq.gz",
            ResultFormat.NQUADS,
            "every quad: one named graph per report, the ontology graphs",
        ),
        Dump("sarcokg.trig.gz", ResultFormat.TRIG, "the same dataset in TriG"),
        Dump(
            "sarcokg.ttl.gz",
            ResultFormat.TURTLE,
            "every triple of every graph merged into one graph (Turtle)",
        ),
    )
}

#: Every triple of the dataset, named graphs merged (for the Turtle dump).
_ALL_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def _write(backend: Backend, dump: Dump, output: IO[bytes], deadline: Deadline | None) -> None:
    """Serialise the whole store into ``output`` (this thread only)."""
    if isinstance(backend, OxigraphBackend):
        store = backend.store
        if dump.format is ResultFormat.TURTLE:
            triples = store.query(_ALL_TRIPLES)
            assert isinstance(triples, ox.QueryTriples)
            ox.serialize(triples, output, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        elif dump.format is ResultFormat.TRIG:
            store.dump(output, ox.RdfFormat.TRIG, prefixes=PREFIXES)
        else:
            store.dump(output, ox.RdfFormat.N_QUADS)
        return
    fmt = ResultFormat.NQUADS if dump.format is ResultFormat.TURTLE else dump.format
    output.write(backend.dataset_bytes(fmt, deadline=deadline, max_rows=1 << 62))


class DumpFiles:
    """The dump files of one service process, in a private temporary folder."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or Path(tempfile.mkdtemp(prefix="sarcokg-dumps-"))
        self._locks = {name: threading.Lock() for name in DUMPS}
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sarcokg-dump")
        self._jobs: dict[tuple[str, int], Future[Path]] = {}
        self._jobs_lock = threading.Lock()

    def path(self, name: str, generation: int) -> Path:
        """Where the dump ``name`` of ``generation`` is (or will be)."""
        return self.folder / f"g{generation}-{name}"

    def ready(self, name: str, generation: int) -> Path | None:
        """The finished file, if it has been written."""
        path = self.path(name, generation)
        return path if path.exists() else None

    def start(self, backend: Backend, name: str, generation: int) -> Future[Path]:
        """Write the dump on the dump thread (once per name and generation); returns its future."""
        with self._jobs_lock:
            job = self._jobs.get((name, generation))
            if job is None or (job.done() and job.exception() is not None):
                job = self._jobs[(name, generation)] = self._writer.submit(
                    self.build, backend, name, generation
                )
            for stale in [key for key in self._jobs if key[1] < generation and self._jobs[key].done()]:
                del self._jobs[stale]
            return job

    def build(self, backend: Backend, name: str, generation: int, deadline: Deadline | None = None) -> Path:
        """Write the dump (unless another thread just did) and return its file. Blocking."""
        dump = DUMPS[name]
        final = self.path(name, generation)
        with self._locks[name]:
            if final.exists():
                return final
            partial = final.with_name(final.name + ".part")
            with (
                open(partial, "wb") as raw,
                gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=_COMPRESSLEVEL) as gz,
            ):
                _write(backend, dump, cast(IO[bytes], gz), deadline)
            os.replace(partial, final)
            self._prune(name, keep=generation)
        return final

    def _prune(self, name: str, *, keep: int) -> None:
        """Delete older files of ``name`` except the newest one before ``keep`` (maybe downloading)."""
        older = sorted(
            (int(g), path)
            for path in self.folder.glob(f"g*-{name}")
            if (g := path.name.split("-", 1)[0][1:]).isdigit() and int(g) < keep
        )
        for _generation, path in older[:-1]:
            path.unlink(missing_ok=True)

    def close(self) -> None:
        """Stop the dump thread and remove the folder and its files."""
        self._writer.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(self.folder, ignore_errors=True)
