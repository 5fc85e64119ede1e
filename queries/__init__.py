"""queries: SarcoKG's named SPARQL queries and the registry that runs them safely.

What this package owns:

- ``*.rq``: one SPARQL 1.1 query per file, named by the file (``metastasis-sites-by-primary-site``).
  A comment header gives its title, description, parameters with their types, result variables
  and any post-processing step (SPARQL has no median). Parameters appear as ``$name``.
- :mod:`queries.registry`: lists the queries, binds parameters as typed RDF terms (ontology terms
  by IRI, CURIE or label; literals by XSD type; nothing else is accepted), runs them on any
  :class:`graph.store.Store` and applies the post steps.
- :mod:`queries.results`: SPARQL 1.1 JSON/CSV serialisation and display of result rows;
  :mod:`queries.form`: which form (SELECT, ASK...) a query text has.

The queries run unchanged on embedded Oxigraph, ``oxigraph serve`` and Virtuoso: report data is
matched inside ``GRAPH ?g { ... }`` (one named graph per report; Oxigraph's default graph is not the
union), labels come from ``GRAPH <https://w3id.org/sarcokg/ontology>``, and sub-sites roll up through
``GRAPH <https://w3id.org/sarcokg/ontology/closure> { ?x smo:rollsUpTo ?site }``. Counts are of
distinct patients, never of mentions.

Habits the ``.rq`` files keep, learnt on the three engines: a label ``OPTIONAL`` never joins on a
variable that may be unbound (it would match every label); no aggregate runs over a possibly
unbound value (Oxigraph then returns no value for the whole group); each ``OPTIONAL`` holds its
own ``GRAPH`` (Virtuoso 7 drops rows for ``GRAPH ?g { OPTIONAL {...} }``); uncertain findings are
left out with ``FILTER NOT EXISTS`` rather than an ``OPTIONAL`` + ``FILTER`` (several times faster
on Oxigraph).

>>> from queries import get_query
>>> get_query("metastasis-sites-by-primary-site").results
('primary', 'primaryLabel', 'site', 'siteLabel', 'patients')
"""

from .registry import NamedQuery, Parameter, PostStep, get_query, list_queries, parse_named_query, render, run

__all__ = [
    "NamedQuery",
    "Parameter",
    "PostStep",
    "get_query",
    "list_queries",
    "parse_named_query",
    "render",
    "run",
]
