"""The registry: headers, safe parameter binding (injection attempts), post steps."""

from __future__ import annotations

from typing import Any

import pytest

from ontology import SMO, Ontology
from queries import get_query, list_queries, parse_named_query, render, run
from sarcokg.errors import QueryError

ECHO = parse_named_query(
    "echo",
    """# title: Echo
# description: Binds each parameter and returns it.
# param: text (xsd:string) - any text
# param: n (xsd:integer = 7) - a number
# param: x (xsd:decimal = 0.5) - a decimal
# param: flag (xsd:boolean = false) - a flag
# result: ?text ?n ?x ?flag
SELECT ?text ?n ?x ?flag WHERE { BIND($text AS ?text) BIND($n AS ?n) BIND($x AS ?x) BIND($flag AS ?flag) }
""",
)

NASTY_TEXTS = [
    'x" ) } ; DROP ALL ; #',
    "line one\nline two\r\n} INSERT DATA { <a:b> <a:c> <a:d> }",
    "back\\slash \\u0022 \\\" and 'single' quotes",
    "\"\"\"triple\"\"\" '''quotes'''",
    "$text ?var <iri> # not a comment",
    "tab\tnul\x00 unicode \u2028 é 肺",
]


def test_every_query_has_a_complete_header() -> None:
    for named in list_queries():
        assert named.title and len(named.description) > 40, named.name
        assert named.results, named.name
        assert "$" not in render(
            named,
            {p.name: "lung" for p in named.parameters if p.kind == "iri"}
            | {p.name: "x" for p in named.parameters if p.kind == "literal" and p.required},
        )


def test_header_parsing() -> None:
    named = get_query("cases-with-metastasis-site")
    site = named.parameter("site")
    assert (site.kind, site.type, site.required) == ("iri", "smo:AnatomicalSite", True)
    flag = named.parameter("include_uncertain")
    assert (flag.kind, flag.type, flag.default) == ("literal", "xsd:boolean", "true")
    assert "sub-sites roll up" in site.description
    ttm = get_query("time-to-metastasis-by-histology")
    assert [(s.op, s.source, s.target) for s in ttm.post] == [("median", "months", "median")]
    assert "median" in ttm.results and "months" not in ttm.results


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# description: no title\n# result: ?a\nSELECT ?a {}", "needs a title"),
        ("# title: T\n# result: ?a\nSELECT ?a { BIND($b AS ?a) }", "placeholders"),
        ("# title: T\n# param: b (xsd:string)\n# result: ?a\nSELECT ?a {}", "placeholders"),
        ("# title: T\n# colour: red\n# result: ?a\nSELECT ?a {}", "unknown header field"),
        ("# title: T\n# param: b (xsd:date)\n# result: ?a\nSELECT ?a { BIND($b AS ?a) }", "unsupported"),
        (
            "# title: T\n# param: b string\n# result: ?a\nSELECT ?a { BIND($b AS ?a) }",
            "cannot read parameter",
        ),
        ("# title: T\n# post: mean ?a -> ?b\n# result: ?b\nSELECT ?a {}", "post step"),
    ],
)
def test_malformed_headers_are_refused(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_named_query("bad", text)


def test_unknown_query_and_parameters_are_refused() -> None:
    with pytest.raises(QueryError, match=r"no named query 'nope'.*metastasis-sites-by-primary-site"):
        get_query("nope")
    with pytest.raises(QueryError, match="has no parameter 'colour'"):
        render("reports-by-year", {"colour": "red"})
    with pytest.raises(QueryError, match="needs parameter 'site'"):
        render("cases-with-metastasis-site", {})


def test_site_parameter_accepts_iri_curie_label_and_synonym(onto: Ontology) -> None:
    lung = str(SMO._NS) + "Lung"
    expected = f"smo:rollsUpTo <{lung}>"
    for given in (lung, f"<{lung}>", "smo:Lung", "lung", " Lungs ", "pulmonary"):
        assert expected in render("cases-with-metastasis-site", {"site": given}, ontology=onto), given


@pytest.mark.parametrize(
    "given",
    [
        "smo:Lung> } ; DROP ALL ; #",
        "<https://w3id.org/sarcokg/ontology#Lung> } ; DROP ALL ; #",
        "https://w3id.org/sarcokg/ontology#Lung>",
        "https://w3id.org/sarcokg/ontology#NoSuchSite",
        "https://example.org/lung",
        "leiomyosarcoma",  # a real term, but not a site
        "smo:Leiomyosarcoma",
        "foo:Lung",
        "",
        "lung\n} ; DROP ALL",
    ],
)
def test_site_parameter_refuses_anything_but_a_site_term(given: str, onto: Ontology) -> None:
    with pytest.raises(QueryError, match="parameter 'site'"):
        render("cases-with-metastasis-site", {"site": given}, ontology=onto)


@pytest.mark.parametrize(
    ("name", "given"),
    [
        ("n", "1; DROP ALL"),
        ("n", "1.5"),
        ("n", "9" * 30),
        ("x", "NaN"),
        ("x", "1e400"),
        ("x", "0.5) } DROP ALL {"),
        ("flag", "maybe"),
        ("flag", 'true" } ; #'),
    ],
)
def test_typed_literal_parameters_refuse_what_does_not_fit(name: str, given: str) -> None:
    with pytest.raises(QueryError, match=f"parameter '{name}'"):
        render(ECHO, {"text": "x", name: given})


def test_literals_are_bound_with_their_datatype(kg: Any) -> None:
    [row] = run(kg, ECHO, {"text": "hi", "n": " -42 ", "x": "1.250", "flag": "YES"})
    assert (row["n"].value, row["n"].datatype.value.rsplit("#")[1]) == ("-42", "integer")
    assert (float(row["x"].value), row["x"].datatype.value.rsplit("#")[1]) == (1.25, "decimal")
    assert (row["flag"].value, row["flag"].datatype.value.rsplit("#")[1]) == ("true", "boolean")


@pytest.mark.parametrize("text", NASTY_TEXTS)
def test_string_parameters_stay_inside_their_literal(kg: Any, text: str) -> None:
    """Quotes, newlines, backslashes, braces, comment signs: the query sees exactly the text."""
    before = kg.count()
    [row] = run(kg, ECHO, {"text": text})
    assert row["text"].value == text
    assert kg.count() == before


def test_injection_through_a_named_query_leaves_the_store_unchanged(kg: Any) -> None:
    before = kg.count()
    graphs = sorted(kg.named_graphs())
    with pytest.raises(QueryError):
        run(kg, "cases-with-metastasis-site", {"site": "smo:Lung> } ; DROP ALL ; #"})
    for text in NASTY_TEXTS:
        assert run(kg, "reports-mentioning", {"text": text}) == []
    assert kg.count() == before
    assert sorted(kg.named_graphs()) == graphs
    assert len(run(kg, "reports-mentioning", {"text": "leiomyosarcoma"})) == 3, "the data is all still there"


def test_too_long_text_is_refused() -> None:
    with pytest.raises(QueryError, match="longer than"):
        render(ECHO, {"text": "x" * 5000})


def test_median_post_step(kg: Any) -> None:
    named = parse_named_query(
        "medians",
        """# title: Medians
# description: Medians of space-separated numbers.
# param: values (xsd:string) - numbers
# post: median ?values_ -> ?median
# result: ?median
SELECT ?values_ WHERE { BIND($values AS ?values_) }
""",
    )
    assert run(kg, named, {"values": "10 1 3 2"})[0]["median"].value == "2.5"
    assert run(kg, named, {"values": "7"})[0]["median"].value == "7"
    assert run(kg, named, {"values": ""}) == [{}]
    with pytest.raises(QueryError, match="median"):
        run(kg, named, {"values": "1 two"})
