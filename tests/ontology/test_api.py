"""The ontology's Python API over the real sarcoma.ttl."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, URIRef

from ontology import SMO, Kind, Ontology, OntologyTerm, load_ontology, normalize
from sarcokg.errors import OntologyError


def must(onto: Ontology, text: str, kind: Kind | None = None) -> OntologyTerm:
    """The term for ``text``; fails the test when there is none."""
    term = onto.find(text, kind)
    assert term is not None, f"no {kind or 'term'} for {text!r}"
    return term


@pytest.fixture(scope="module")
def onto() -> Ontology:
    return load_ontology()


def test_loaded_once_per_process(onto: Ontology) -> None:
    assert load_ontology() is onto


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("leiomyosarcoma", "leiomyosarcoma"),
        ("LMS", "leiomyosarcoma"),
        ("Leiomyosarcomas", "leiomyosarcoma"),
        ("UPS", "undifferentiated pleomorphic sarcoma"),
        ("MPNST", "malignant peripheral nerve sheath tumor"),
        ("malignant peripheral nerve sheath tumour", "malignant peripheral nerve sheath tumor"),
        ("Ewing's sarcoma", "Ewing sarcoma"),
        ("lungs", "lung"),
        ("Pulmonary", "lung"),
        ("hepatic", "liver"),
        ("renal", "kidney"),
        ("pancreatic", "pancreas"),
    ],
)
def test_lookup_by_label_or_synonym(onto: Ontology, text: str, label: str) -> None:
    term = must(onto, text)
    assert normalize(term.label) == normalize(label)


def test_lookup_filters_by_kind(onto: Ontology) -> None:
    assert onto.find("lung", "histology") is None
    assert onto.find("lung", "site") is not None


@pytest.mark.parametrize(
    ("sub", "organ"),
    [
        ("tail of pancreas", "pancreas"),
        ("head of pancreas", "pancreas"),
        ("femur", "bone"),
        ("lobe of lung", "lung"),
        ("scalp", "skin"),
    ],
)
def test_sub_sites_roll_up_to_organ_level(onto: Ontology, sub: str, organ: str) -> None:
    term = must(onto, sub, "site")
    rolled = onto.organ_site(term.iri)
    assert rolled is not None and rolled.label == organ


def test_ancestors_and_descendants_are_inverse(onto: Ontology) -> None:
    pancreas = must(onto, "pancreas", "site")
    tail = must(onto, "tail of pancreas", "site")
    assert pancreas.iri in onto.ancestors(tail.iri)
    assert tail.iri in onto.descendants(pancreas.iri)
    assert pancreas.iri not in onto.ancestors(pancreas.iri)
    assert pancreas.iri in onto.ancestors(pancreas.iri, include_self=True)
    assert any(p.iri == pancreas.iri for p in onto.parents(tail.iri))
    assert any(c.iri == tail.iri for c in onto.children(pancreas.iri))


def test_regimen_expands_to_its_agents(onto: Ontology) -> None:
    gd = must(onto, "GD", "regimen")
    assert {a.label for a in onto.regimen_agents(gd.iri)} == {"gemcitabine", "docetaxel"}


def test_agent_kind_comes_from_the_hierarchy(onto: Ontology) -> None:
    assert onto.agent_kind(must(onto, "doxorubicin", "agent").iri) == "chemotherapy"
    assert onto.agent_kind(must(onto, "pazopanib", "agent").iri) == "targeted therapy"
    assert onto.agent_kind(must(onto, "mesna", "agent").iri) == "supportive"


def test_vocabulary_has_every_label_and_synonym(onto: Ontology) -> None:
    vocab = onto.vocabulary()
    forms = {(v.form, v.kind) for v in vocab}
    assert ("leiomyosarcoma", "histology") in forms
    assert ("LMS", "histology") in forms
    assert ("pulmonary", "site") in forms
    kinds = {v.kind for v in vocab}
    assert {"histology", "site", "agent", "regimen", "procedure", "radiotherapy", "response"} <= kinds
    assert "model" not in kinds


def test_closure_is_reflexive_and_transitive(onto: Ontology) -> None:
    tail = must(onto, "tail of pancreas", "site").iri
    pancreas = must(onto, "pancreas", "site").iri
    pairs = {(s, o) for s, _p, o in onto.closure_triples()}
    assert (tail, tail) in pairs
    assert (tail, pancreas) in pairs
    assert (tail, str(SMO.AnatomicalSite)) in pairs


def test_every_model_constant_is_declared_in_the_file(onto: Ontology) -> None:
    declared = {str(s) for s in onto.graph.subjects(RDF.type, None) if isinstance(s, URIRef)}
    missing = [str(iri) for iri in dir(SMO) if str(iri) not in declared]
    assert missing == []


def test_every_declared_model_entity_has_a_constant(onto: Ontology) -> None:
    """Properties are the model: each declared one must be reachable as a typed constant."""
    props = set()
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        props |= {str(s) for s in onto.graph.subjects(RDF.type, kind) if str(s).startswith(str(SMO._NS))}
    constants = {str(iri) for iri in dir(SMO)}
    assert props <= constants


def test_unknown_term_is_a_clear_error(onto: Ontology) -> None:
    with pytest.raises(OntologyError, match="unknown ontology term"):
        onto.term("https://w3id.org/sarcokg/ontology#NoSuchThing")


def test_typo_in_a_constant_fails_loudly() -> None:
    with pytest.raises(AttributeError):
        _ = SMO.hasMetastatis


def test_missing_or_broken_file_is_an_ontology_error(tmp_path: Path) -> None:
    with pytest.raises(OntologyError, match="cannot read"):
        load_ontology(tmp_path / "nope.ttl")
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix : <http://x#> .\n:a :b ", encoding="utf-8")
    with pytest.raises(OntologyError, match="cannot parse"):
        load_ontology(broken)


def test_changed_file_is_parsed_again(tmp_path: Path) -> None:
    from ontology import ONTOLOGY_FILE

    copy = tmp_path / "sarcoma.ttl"
    copy.write_bytes(ONTOLOGY_FILE.read_bytes())
    first = load_ontology(copy)
    assert load_ontology(copy) is first
    lung = must(first, "lung", "site")
    copy.write_text(
        copy.read_text(encoding="utf-8")
        + f'\n<{lung.iri}> <http://www.geneontology.org/formats/oboInOwl#hasRelatedSynonym> "lungy" .\n',
        encoding="utf-8",
    )
    second = load_ontology(copy)
    assert second is not first
    assert must(second, "lungy").iri == lung.iri
    assert first.find("lungy") is None
