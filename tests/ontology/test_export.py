"""Exports carry the same triples as the Turtle source, and the RDF/XML loads in OWL tools."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import owlready2
import pyhornedowl
import pyoxigraph
import pytest

from ontology import ONTOLOGY_FILE
from ontology.export import OntologyFormat, export_ontology

from .conftest import edit_block, replace_once

SMO = "https://w3id.org/sarcokg/ontology#"
_PARSE_FORMATS = {
    OntologyFormat.RDFXML: pyoxigraph.RdfFormat.RDF_XML,
    OntologyFormat.NTRIPLES: pyoxigraph.RdfFormat.N_TRIPLES,
    OntologyFormat.TURTLE: pyoxigraph.RdfFormat.TURTLE,
    OntologyFormat.JSONLD: pyoxigraph.RdfFormat.JSON_LD,
}


def ground_triples(data: bytes, fmt: pyoxigraph.RdfFormat) -> set[tuple[str, str, str]]:
    """Triples without blank nodes (blank node labels differ between syntaxes)."""
    return {
        (str(q.subject), str(q.predicate), str(q.object))
        for q in pyoxigraph.parse(data, format=fmt)
        if not isinstance(q.subject, pyoxigraph.BlankNode) and not isinstance(q.object, pyoxigraph.BlankNode)
    }


@pytest.fixture(scope="module")
def source() -> tuple[int, set[tuple[str, str, str]]]:
    data = ONTOLOGY_FILE.read_bytes()
    return len(list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE))), ground_triples(
        data, pyoxigraph.RdfFormat.TURTLE
    )


@pytest.mark.parametrize("fmt", list(OntologyFormat))
def test_export_has_the_source_triples(
    fmt: OntologyFormat, source: tuple[int, set[tuple[str, str, str]]]
) -> None:
    count, ground = source
    data = export_ontology(fmt)
    assert len(list(pyoxigraph.parse(data, format=_PARSE_FORMATS[fmt]))) == count
    assert ground_triples(data, _PARSE_FORMATS[fmt]) == ground


def test_rdfxml_export_loads_in_owlready2() -> None:
    world = owlready2.World()
    try:
        onto = world.get_ontology("https://w3id.org/sarcokg/ontology").load(
            fileobj=io.BytesIO(export_ontology(OntologyFormat.RDFXML))
        )
        lms = world[SMO + "Leiomyosarcoma"]
        assert lms is not None and lms.label == ["leiomyosarcoma"]
        assert world[SMO + "Sarcoma"] in lms.is_a
        assert len(list(onto.classes())) > 400
        assert world[SMO + "hasMetastasis"] in list(onto.object_properties())
    finally:
        world.close()


def test_rdfxml_export_loads_in_horned_owl() -> None:
    onto = pyhornedowl.open_ontology_from_string(export_ontology(OntologyFormat.RDFXML).decode(), "rdf")
    turtle = pyhornedowl.open_ontology_from_string(ONTOLOGY_FILE.read_text(encoding="utf-8"), "ttl")  # type: ignore[arg-type]
    assert len(onto.get_axioms()) == len(turtle.get_axioms()) > 3000
    assert SMO + "Leiomyosarcoma" in {str(c) for c in onto.get_classes()}


def test_ntriples_export_is_deterministic() -> None:
    assert export_ontology("ntriples") == export_ontology(OntologyFormat.NTRIPLES)


def test_export_reads_the_given_file(real_text: str, write_copy: Callable[[str], Path]) -> None:
    edited = edit_block(
        real_text,
        "Lung",
        replace_once('rdfs:label "lung" ;', 'rdfs:label "lung" ;\n    oboInOwl:hasExactSynonym "lights" ;'),
    )
    data = export_ontology(OntologyFormat.NTRIPLES, path=write_copy(edited))
    synonym = b"<http://www.geneontology.org/formats/oboInOwl#hasExactSynonym>"
    assert b'<https://w3id.org/sarcokg/ontology#Lung> ' + synonym + b' "lights" .' in data
    assert b'"lights"' not in export_ontology(OntologyFormat.NTRIPLES)


def test_format_names_and_media_types() -> None:
    assert OntologyFormat.parse(" RDFXML ") is OntologyFormat.RDFXML
    assert {f.media_type for f in OntologyFormat} == {
        "application/rdf+xml",
        "application/n-triples",
        "text/turtle",
        "application/ld+json",
    }
    assert OntologyFormat.RDFXML.extension == "owl"
    with pytest.raises(ValueError, match="choose from rdfxml, ntriples, turtle, jsonld"):
        OntologyFormat.parse("owlxml")
