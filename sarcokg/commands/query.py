"""`sarcokg query`: run a SPARQL query or a named query against the configured store.

    sarcokg query 'SELECT ...'                       # or '-' to read the query from stdin
    sarcokg query --name cases-with-metastasis-site --param site=pancreas
    sarcokg query --list                             # the named queries and their parameters

Output: a rich table (default), SPARQL 1.1 JSON results (``--format json``) or SPARQL CSV
(``--format csv``); a CONSTRUCT/DESCRIBE prints Turtle (table) or JSON-LD (json).
"""

from __future__ import annotations

import enum
import json
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sarcokg.errors import QueryError, StoreError

if TYPE_CHECKING:
    from graph.store import Store
    from sarcokg.config import Settings


class OutputFormat(enum.StrEnum):
    """How results are printed."""

    table = "table"
    json = "json"
    csv = "csv"


def query(
    sparql: Annotated[
        str | None,
        typer.Argument(help="a SPARQL query, or - to read one from standard input", show_default=False),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", "-n", help="run a named query (see --list)")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="a named query's parameter as k=v (repeatable)")
    ] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="output format")] = OutputFormat.table,
    list_queries: Annotated[bool, typer.Option("--list", help="list the named queries and exit")] = False,
) -> None:
    """Run a SPARQL query or a named query and print the results."""
    if list_queries:
        _print_catalogue()
        return
    if (sparql is None) == (name is None):
        raise QueryError("give either a SPARQL query or --name NAME (see 'sarcokg query --list')")
    from sarcokg.config import get_settings

    settings = get_settings()
    if name is not None:
        _run_named(settings, name, _parse_params(param or []), fmt)
    else:
        assert sparql is not None
        text = sys.stdin.read() if sparql == "-" else sparql
        if param:
            raise QueryError("--param only applies to named queries (--name)")
        _run_sparql(settings, text, fmt)


def _parse_params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param {pair!r}: expected NAME=VALUE")
        params[key.strip()] = value
    return params


def _open_store(settings: Settings) -> Store:
    """The configured store (remote when SARCOKG_ENDPOINT is set, else the embedded folder)."""
    import graph

    opener = getattr(graph, "open_store", None)
    if settings.endpoint is None and not settings.store.exists():
        raise StoreError(f"no store at {settings.store}: load reports first ('sarcokg load PATH')")
    if opener is not None:
        store: Store = opener(settings)
        return store
    from graph.embedded import EmbeddedStore

    return EmbeddedStore(settings.store)


def _run_named(settings: Settings, name: str, params: dict[str, str], fmt: OutputFormat) -> None:
    from queries import get_query, run
    from queries.results import to_csv, to_json_bytes

    named = get_query(name)
    with _open_store(settings) as store:
        rows = run(store, named, params, timeout_s=settings.query_timeout_s)
    if fmt is OutputFormat.json:
        _write(to_json_bytes(named.results, rows) + b"\n")
    elif fmt is OutputFormat.csv:
        _write(to_csv(named.results, rows).encode("utf-8"))
    else:
        _print_table(named.title, list(named.results), rows)


def _run_sparql(settings: Settings, sparql: str, fmt: OutputFormat) -> None:
    from graph.store import ResultFormat
    from queries.form import query_form
    from queries.results import normalize_json_results

    form = query_form(sparql)  # None: not a query; the store's parser then says what is wrong
    graph_result = form in ("CONSTRUCT", "DESCRIBE")
    if graph_result and fmt is OutputFormat.csv:
        raise QueryError(f"a {form} result has no CSV form: use --format table (Turtle) or json (JSON-LD)")
    wanted = {
        (False, OutputFormat.table): ResultFormat.JSON,
        (False, OutputFormat.json): ResultFormat.JSON,
        (False, OutputFormat.csv): ResultFormat.CSV,
        (True, OutputFormat.table): ResultFormat.TURTLE,
        (True, OutputFormat.json): ResultFormat.JSONLD,
    }[(graph_result, fmt)]
    with _open_store(settings) as store:
        body = store.query_raw(sparql, wanted, timeout_s=settings.query_timeout_s)
    if wanted is not ResultFormat.JSON:
        _write(body)
        return
    data = normalize_json_results(json.loads(body))
    if fmt is OutputFormat.json:
        _write(json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8") + b"\n")
    elif "boolean" in data:
        typer.echo("true" if data["boolean"] else "false")
    else:
        from pyoxigraph import QueryResultsFormat, QuerySolutions, parse_query_results

        solutions = parse_query_results(json.dumps(data).encode("utf-8"), format=QueryResultsFormat.JSON)
        assert isinstance(solutions, QuerySolutions)
        variables = [var.value for var in solutions.variables]
        rows = [{var: solution[var] for var in variables} for solution in solutions]
        _print_table(None, variables, rows)


def _write(data: bytes) -> None:
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


def _print_table(title: str | None, variables: list[str], rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    from queries.results import compact

    table = Table(title=title, show_lines=False)
    for var in variables:
        table.add_column(var, overflow="fold")
    for row in rows:
        table.add_row(*(compact(row.get(var)) for var in variables))
    console = Console()
    console.print(table)
    console.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}", style="dim")


def _print_catalogue() -> None:
    from rich.console import Console
    from rich.table import Table

    from queries import list_queries

    table = Table(title="Named queries (sarcokg query --name NAME [--param k=v])", show_lines=True)
    table.add_column("name", no_wrap=True)
    table.add_column("what it answers")
    table.add_column("parameters")
    for named in list_queries():
        params = "\n".join(
            f"{p.name} ({p.type}{'' if p.required else ' = ' + str(p.default)})" for p in named.parameters
        )
        table.add_row(named.name, named.title, params or "-")
    Console().print(table)
