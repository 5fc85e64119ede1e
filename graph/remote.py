"""A remote store: any SPARQL 1.1 Query/Update + Graph Store Protocol server, over httpx.

Tested against ``oxigraph serve`` and Virtuoso 7.2.5; the quirks that matter:

- Queries go as form POSTs (Virtuoso never answers a direct ``application/sparql-query`` POST).
- Virtuoso silently caps results at ``ResultSetMaxRows`` (10,000 by default) and says so only
  in an ``X-SPARQL-MaxRows`` header; CONSTRUCT and Graph Store GETs are cut without a word.
  :meth:`RemoteStore.select` raises :class:`ResultCapError` instead of returning a cut result;
  the store's own listings (graphs, a graph's quads) page through in a stable order.
- A body that does not parse is an error (``oxigraph serve --timeout-s`` answers 200 with
  truncated JSON).
- ``replace_graph`` is one update request, ``DROP SILENT GRAPH <g> ; INSERT DATA {...}``: one
  transaction on Oxigraph (a failing operation rolls the whole request back). Virtuoso also
  runs a request as one transaction, but does not roll back operations that ran before a
  failing one, and its graph-store PUT and ``MOVE`` are visibly non-atomic to concurrent
  readers; an ``INSERT DATA`` of valid ground triples has nothing left to fail once parsed.
  For Virtuoso the data goes in operations of at most 1,000 triples with
  ``DEFINE sql:big-data-const 1`` (its SPARQL compiler gives up on a few thousand otherwise),
  and triples with blank nodes as ``INSERT {...} WHERE {}`` (it refuses them in ``INSERT DATA``).
- Virtuoso's "TSV" results are quoted CSV with tabs; TSV is produced from its JSON instead.

Only the query URL is required: update and graph-store URLs are derived for the layouts we
know — Oxigraph (``/query``, ``/update``, ``/store``), SarcoKG's own service (``/sparql``,
``/update``, ``/store``) and Virtuoso (``/sparql``; with credentials ``/sparql-auth`` and
``/sparql-graph-crud-auth``, HTTP Digest). Credentials answer Basic or Digest challenges.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Generator, Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from pyoxigraph import (
    NamedNode,
    Quad,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    parse,
    parse_query_results,
)

from graph._results import ResponseReader, check_body, parse_json_results, term_from_json
from graph._sparql import iri_ref, replace_graph_update
from graph.store import ResultFormat, Store
from sarcokg.errors import QueryError, QueryTimeoutError, StoreError

__all__ = ["RemoteStore", "ResultCapError", "derive_urls"]

_VIRTUOSO_OPERATION_SIZE = 1000
_VIRTUOSO_PROLOGUE = "DEFINE sql:big-data-const 1 "


class ResultCapError(QueryError):
    """The server cut a result at its row cap (e.g. Virtuoso's ``ResultSetMaxRows``)."""


def _sibling(url: str, name: str) -> str:
    parts = urlsplit(url)
    head = parts.path.rsplit("/", 1)[0]
    return urlunsplit((parts.scheme, parts.netloc, f"{head}/{name}", "", ""))


def derive_urls(query_url: str, kind: str, *, authenticated: bool) -> tuple[str, str | None]:
    """(update URL, graph-store URL or None) for a server ``kind`` ("virtuoso", "oxigraph", "other").

    >>> derive_urls("http://127.0.0.1:7878/query", "oxigraph", authenticated=False)
    ('http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
    >>> derive_urls("http://h:8890/sparql", "virtuoso", authenticated=True)
    ('http://h:8890/sparql-auth', 'http://h:8890/sparql-graph-crud-auth')
    >>> derive_urls("http://h:8000/sparql", "other", authenticated=False)
    ('http://h:8000/update', 'http://h:8000/store')
    >>> derive_urls("http://h/ds", "other", authenticated=False)
    ('http://h/ds', None)
    """
    path = urlsplit(query_url).path
    if kind == "virtuoso":
        if authenticated:
            return _sibling(query_url, "sparql-auth"), _sibling(query_url, "sparql-graph-crud-auth")
        return query_url, _sibling(query_url, "sparql-graph-crud")
    if path.endswith(("/query", "/sparql")):
        return _sibling(query_url, "update"), _sibling(query_url, "store")
    return query_url, None


class _ChallengeAuth(httpx.Auth):
    """Send credentials the way the server asks for them (Basic or Digest), never unasked."""

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        if self._scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        challenges = [c.lower() for c in response.headers.get_list("www-authenticate")]
        if any(c.startswith("digest ") for c in challenges):
            self._scheme = "digest"
            flow = self._digest.auth_flow(request)
            next(flow)
            try:
                retry = flow.send(response)
            except StopIteration:
                return
            final = yield retry
            with contextlib.suppress(StopIteration):
                flow.send(final)
        elif any(c.startswith("basic") for c in challenges):
            self._scheme = "basic"
            yield from self._basic.auth_flow(request)


class RemoteStore(Store):
    """A SPARQL 1.1 server as a :class:`~graph.store.Store`.

    >>> store = RemoteStore("http://127.0.0.1:7878/query")
    >>> store.update_url, store.gsp_url
    ('http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
    >>> store.close()
    """

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        gsp_url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        *,
        timeout_s: float = 30.0,
    ) -> None:
        if not query_url.startswith(("http://", "https://")):
            raise StoreError(f"SPARQL endpoint must be an http(s) URL, got {query_url!r}")
        self.query_url = query_url
        self._explicit_update_url = update_url
        self._explicit_gsp_url = gsp_url
        self._authenticated = bool(user)
        self._kind: str | None = None
        self.timeout_s = timeout_s
        auth = _ChallengeAuth(user, password or "") if user else None
        self._client = httpx.Client(auth=auth, timeout=httpx.Timeout(timeout_s, connect=10.0))

    # -- where requests go ------------------------------------------------------------------

    @property
    def kind(self) -> str:
        """ "virtuoso", "oxigraph" or "other", from the server's ``Server`` header (asked once)."""
        if self._kind is None:
            response = self._post(self.query_url, {"query": "ASK {}"}, ResultFormat.JSON.value)
            server = response.headers.get("server", "").lower()
            self._kind = (
                "virtuoso" if "virtuoso" in server else "oxigraph" if "oxigraph" in server else "other"
            )
        return self._kind

    def _layout_kind(self) -> str:
        # Only "/sparql" is ambiguous (Virtuoso vs SarcoKG's service): ask the server then.
        path = urlsplit(self.query_url).path
        return self.kind if path.endswith(("/sparql", "/sparql-auth")) else "other"

    @property
    def update_url(self) -> str:
        """Where SPARQL Updates go (explicit, or derived from the query URL)."""
        if self._explicit_update_url:
            return self._explicit_update_url
        return derive_urls(self.query_url, self._layout_kind(), authenticated=self._authenticated)[0]

    @property
    def gsp_url(self) -> str | None:
        """The Graph Store Protocol URL (explicit, derived, or None when unknown)."""
        if self._explicit_gsp_url:
            return self._explicit_gsp_url
        return derive_urls(self.query_url, self._layout_kind(), authenticated=self._authenticated)[1]

    # -- HTTP -----------------------------------------------------------------------------

    def _post(
        self, url: str, form: dict[str, str], accept: str, timeout_s: float | None = None
    ) -> httpx.Response:
        try:
            response = self._client.post(
                url, data=form, headers={"Accept": accept}, timeout=timeout_s or self.timeout_s
            )
        except httpx.TimeoutException:
            raise QueryTimeoutError(
                f"{url} did not answer within {timeout_s or self.timeout_s:g} s"
            ) from None
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach the SPARQL endpoint {url}: {exc}") from None
        self._raise_for_status(response, url)
        return response

    def _raise_for_status(self, response: httpx.Response, url: str) -> None:
        if response.status_code < 300:
            return
        detail = " ".join(response.text.split())[:300] or response.reason_phrase
        if response.status_code in (401, 403):
            raise StoreError(
                f"{url} refused the credentials ({response.status_code}); "
                "check SARCOKG_ENDPOINT_USER / SARCOKG_ENDPOINT_PASSWORD"
            )
        if "SR186" in detail:
            raise StoreError(
                f"{url} does not allow updates without a login (Virtuoso SR186); set "
                "SARCOKG_ENDPOINT_USER and SARCOKG_ENDPOINT_PASSWORD"
            )
        if response.status_code == 400:
            raise QueryError(f"{url} refused the request: {detail}")
        raise StoreError(f"{url} answered {response.status_code}: {detail}")

    # -- queries --------------------------------------------------------------------------

    def _select_page(
        self, sparql: str, timeout_s: float | None = None
    ) -> tuple[list[dict[str, Any]], int | None]:
        """Rows of one SELECT, and the server's row cap if it says the result may be cut."""
        response = self._post(self.query_url, {"query": sparql}, ResultFormat.JSON.value, timeout_s)
        document = parse_json_results(response.content, self.query_url)
        if "results" not in document:
            raise QueryError("expected a SELECT query")
        rows = [
            {name: term_from_json(value) for name, value in binding.items()}
            for binding in document["results"].get("bindings", [])
        ]
        cap_header = response.headers.get("x-sparql-maxrows")
        cap = int(cap_header) if cap_header and cap_header.isdigit() else None
        return rows, cap if cap is not None and len(rows) >= cap else None

    def select(self, sparql: str, *, timeout_s: float | None = None) -> list[dict[str, Any]]:
        """Run a SELECT; raises :class:`ResultCapError` if the server cut the result."""
        rows, cap = self._select_page(sparql, timeout_s)
        if cap is not None:
            raise ResultCapError(
                f"the server cut the result at {cap} rows (its row cap, e.g. Virtuoso's ResultSetMaxRows); "
                "page with LIMIT/OFFSET or raise the cap"
            )
        return rows

    def _select_all(
        self, projection: str, pattern: str, *, distinct: bool = False
    ) -> Iterator[dict[str, Any]]:
        """Every row of ``SELECT projection WHERE { pattern }``, paging in a stable order if capped."""
        select = f"SELECT {'DISTINCT ' if distinct else ''}{projection}"
        rows, cap = self._select_page(f"{select} WHERE {{ {pattern} }}")
        if cap is None:
            yield from rows
            return
        offset = 0
        while True:
            # The sort goes in a sub-query: Virtuoso refuses ORDER BY with a large OFFSET otherwise.
            page, _ = self._select_page(
                f"SELECT {projection} WHERE {{ {{ {select} WHERE {{ {pattern} }} ORDER BY {projection} }} }} "
                f"OFFSET {offset} LIMIT {cap}"
            )
            yield from page
            if len(page) < cap:
                return
            offset += cap

    def ask(self, sparql: str, *, timeout_s: float | None = None) -> bool:
        """Run an ASK."""
        response = self._post(self.query_url, {"query": sparql}, ResultFormat.JSON.value, timeout_s)
        document = parse_json_results(response.content, self.query_url)
        if not isinstance(document.get("boolean"), bool):
            raise QueryError("expected an ASK query")
        return bool(document["boolean"])

    def query_raw(self, sparql: str, fmt: ResultFormat, *, timeout_s: float | None = None) -> bytes:
        """Run any query; the body is checked to parse in ``fmt`` (JSON normalised to SPARQL 1.1)."""
        if fmt is ResultFormat.TSV and self.kind == "virtuoso":
            # Virtuoso's "TSV" is quoted CSV with tabs: ask for JSON and write real SPARQL TSV.
            response = self._post(self.query_url, {"query": sparql}, ResultFormat.JSON.value, timeout_s)
            document = check_body(response.content, ResultFormat.JSON, self.query_url)
            solutions = parse_query_results(document, QueryResultsFormat.JSON)
            if not isinstance(solutions, QuerySolutions):
                raise QueryError("only SELECT results can be written as TSV")
            data = solutions.serialize(format=QueryResultsFormat.TSV)
            assert data is not None  # serialize() without an output returns the bytes
            return bytes(data)
        response = self._post(self.query_url, {"query": sparql}, fmt.value, timeout_s)
        return check_body(response.content, fmt, self.query_url)

    # -- updates --------------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        """Send one SPARQL Update request (form POST)."""
        self._post(self.update_url, {"update": sparql}, "*/*")

    def replace_graph(self, graph_iri: str, quads: Iterable[Any]) -> None:
        """Replace a graph with one update request (see the module docstring for what is atomic where)."""
        if self.kind == "virtuoso":
            text = replace_graph_update(
                graph_iri,
                quads,
                per_operation=_VIRTUOSO_OPERATION_SIZE,
                # The anonymous endpoint refuses the DEFINE (SP031); it cannot update anyway
                # unless granted, and then gets the slower default.
                prologue=_VIRTUOSO_PROLOGUE if self._authenticated else "",
                blank_nodes_as_template=True,
            )
        else:
            text = replace_graph_update(graph_iri, quads)
        self.update(text)

    def drop_graph(self, graph_iri: str) -> None:
        """Remove a named graph (no error if absent)."""
        self.update(f"DROP SILENT GRAPH {iri_ref(graph_iri)}")

    # -- reading graphs -------------------------------------------------------------------

    def graph_quads(self, graph_iri: str | None) -> Iterator[Any]:
        """Stream quads: a Graph Store GET where it is not capped, else paged SELECTs."""
        if graph_iri is not None:
            iri_ref(graph_iri)
            if self.gsp_url and self.kind != "virtuoso":
                return self._gsp_quads(graph_iri)
            return self._selected_quads(graph_iri)
        if self.kind == "oxigraph" and self.gsp_url:
            return self._stream_rdf(self.gsp_url, {}, RdfFormat.N_QUADS, None)
        return self._all_quads()

    def _gsp_quads(self, graph_iri: str) -> Iterator[Any]:
        assert self.gsp_url is not None
        return self._stream_rdf(self.gsp_url, {"graph": graph_iri}, RdfFormat.N_TRIPLES, NamedNode(graph_iri))

    def _stream_rdf(
        self, url: str, params: dict[str, str], fmt: RdfFormat, graph: NamedNode | None
    ) -> Iterator[Any]:
        try:
            with self._client.stream(
                "GET", url, params=params, headers={"Accept": fmt.media_type}
            ) as response:
                if response.status_code == 404:
                    return
                if response.status_code >= 300:
                    response.read()
                    self._raise_for_status(response, url)
                try:
                    for item in parse(io.BufferedReader(ResponseReader(response.iter_bytes())), fmt):
                        yield (
                            item if graph is None else Quad(item.subject, item.predicate, item.object, graph)
                        )
                except (SyntaxError, ValueError) as exc:
                    raise StoreError(f"{url} sent an unparsable {fmt.media_type} body ({exc})") from None
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot read from {url}: {exc}") from None

    def _selected_quads(self, graph_iri: str) -> Iterator[Any]:
        graph = NamedNode(graph_iri)
        for row in self._select_all("?s ?p ?o", f"GRAPH {iri_ref(graph_iri)} {{ ?s ?p ?o }}"):
            yield Quad(row["s"], row["p"], row["o"], graph)

    def _all_quads(self) -> Iterator[Any]:
        if self.kind == "virtuoso":  # its default graph is the union of all graphs: skip it
            for row in self._select_all("?g ?s ?p ?o", "GRAPH ?g { ?s ?p ?o }"):
                yield Quad(row["s"], row["p"], row["o"], row["g"])
            return
        for graph_iri in self.named_graphs():
            yield from self.graph_quads(graph_iri)
        if self.gsp_url:
            yield from self._stream_rdf(self.gsp_url, {"default": ""}, RdfFormat.N_TRIPLES, None)
        else:
            for row in self._select_all("?s ?p ?o", "?s ?p ?o"):
                yield Quad(row["s"], row["p"], row["o"])

    def named_graphs(self) -> list[str]:
        """IRIs of the graphs holding at least one triple (Virtuoso lists its system graphs too)."""
        rows = self._select_all("?g", "GRAPH ?g { ?s ?p ?o }", distinct=True)
        return [row["g"].value for row in rows if isinstance(row.get("g"), NamedNode)]

    def count(self, graph_iri: str | None = None) -> int:
        """Number of quads in one graph, or in the whole dataset."""
        if graph_iri is not None:
            pattern = f"GRAPH {iri_ref(graph_iri)} {{ ?s ?p ?o }}"
        elif self.kind == "virtuoso":
            pattern = "GRAPH ?g { ?s ?p ?o }"
        else:
            pattern = "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } }"
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
        return int(rows[0]["n"].value)

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()
