"""A one-entry write-ahead journal for the embedded store's bulk path.

pyoxigraph's ``bulk_extend`` is several times faster than ``extend`` but not atomic: a crash
in the middle can leave some of its quads in the store. The loader only bulk-writes graphs
that did not exist before, so the repair after a crash is simple: drop every graph of the
chunk that was in flight. This module records that chunk.

The journal is one file inside the store folder, written whole (temporary file, fsync,
rename) *before* the bulk write starts and removed *after* it returned. If the file exists
when the store is opened, the previous writer died mid-chunk and the listed graphs must go.
RocksDB ignores files whose names it does not know, so the journal can live beside its own.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

__all__ = ["JOURNAL_NAME", "BulkJournal"]

JOURNAL_NAME = "sarcokg-bulk.journal"


class BulkJournal:
    """The graphs of the bulk chunk in flight, if any.

    >>> import tempfile
    >>> journal = BulkJournal(Path(tempfile.mkdtemp()))
    >>> journal.pending()
    []
    >>> journal.begin(["http://example.org/g1", "http://example.org/g2"])
    >>> journal.pending()
    ['http://example.org/g1', 'http://example.org/g2']
    >>> journal.end()
    >>> journal.pending()
    []
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / JOURNAL_NAME

    def begin(self, graphs: Sequence[str]) -> None:
        """Durably record ``graphs`` as being written (all-or-nothing file replace)."""
        payload = json.dumps({"graphs": list(graphs)}).encode("utf-8")
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)
        _fsync_dir(self.path.parent)

    def end(self) -> None:
        """The chunk is fully written: forget it."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            return
        _fsync_dir(self.path.parent)

    def pending(self) -> list[str]:
        """Graphs of an unfinished chunk (empty when the last writer finished cleanly).

        A journal is only ever replaced whole, so an unreadable one cannot be a torn write of
        ours; it is reported as an error rather than guessed at.
        """
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return []
        try:
            graphs = json.loads(data.decode("utf-8"))["graphs"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{self.path}: unreadable bulk-load journal ({exc})") from None
        return [str(g) for g in graphs]


def _fsync_dir(folder: Path) -> None:
    """Make a rename/unlink in ``folder`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
