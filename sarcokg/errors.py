"""The one exception tree of SarcoKG.

::

    SarcoKGError                 anything SarcoKG reports to a user as a one-line error
    ├── InputError               a report file that cannot be read (names file, line/offset)
    ├── OntologyError            the ontology file is missing, unparsable or a term is unknown
    ├── StoreError               the store cannot be opened, read or written
    │   └── StoreLockedError     another process (usually ``sarcokg serve``) holds the store
    └── QueryError               bad SPARQL, unknown named query, bad parameter, timeout
        └── QueryTimeoutError    a query ran past its deadline

The CLI prints ``str(error)`` on one line and exits 1; the API maps each class to an
HTTP status in one handler.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "InputError",
    "OntologyError",
    "QueryError",
    "QueryTimeoutError",
    "SarcoKGError",
    "StoreError",
    "StoreLockedError",
]


class SarcoKGError(Exception):
    """Base class: an error with a one-line, user-facing message."""


class InputError(SarcoKGError):
    """A report file that cannot be read.

    >>> str(InputError("not valid UTF-8", path="a.txt", line=3))
    'a.txt:3: not valid UTF-8'
    >>> str(InputError("broken article", path="set.xml", where="article 2 (PMID 123)"))
    'set.xml: article 2 (PMID 123): broken article'
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        where: str | None = None,
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column
        self.where = where
        super().__init__(self._render())

    def _render(self) -> str:
        loc = self.path or "<input>"
        if self.line is not None:
            loc += f":{self.line}"
            if self.column is not None:
                loc += f":{self.column}"
        parts = [loc]
        if self.where:
            parts.append(self.where)
        parts.append(" ".join(self.message.split()))
        return ": ".join(parts)


class OntologyError(SarcoKGError):
    """The ontology cannot be loaded, or a term or constant does not exist."""


class StoreError(SarcoKGError):
    """The store cannot be opened, read or written."""


class StoreLockedError(StoreError):
    """Another process holds the embedded store (RocksDB allows one writer)."""


class QueryError(SarcoKGError):
    """Bad SPARQL, an unknown named query or a parameter that does not fit its type."""


class QueryTimeoutError(QueryError):
    """A query ran past its deadline."""
