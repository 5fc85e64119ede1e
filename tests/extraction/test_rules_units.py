"""Unit tests of the building blocks: term matcher, abbreviations, time expressions, sentences."""

from __future__ import annotations

import pytest

from loaders.extraction import get_pipeline
from loaders.extraction._abbreviations import schwartz_hearst_long_form
from loaders.extraction._timeline import find_expressions


def _terms(text: str) -> list[tuple[str, str]]:
    pipe = get_pipeline()
    analysis = pipe.analyse(text)
    return [(m.text, pipe.onto.label(m.value)) for m in analysis.mentions if not m.kind.startswith("cue:")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ewing's sarcoma", ("Ewing's sarcoma", "Ewing sarcoma")),
        (
            "malignant peripheral nerve-sheath tumour",
            ("malignant peripheral nerve-sheath tumour", "malignant peripheral nerve sheath tumor"),
        ),
        ("both lungs", ("lungs", "lung")),
        ("a rhab-domyosarcoma", ("rhab-domyosarcoma", "rhabdomyosarcoma")),
        (
            "pyloruspreserving pancreaticoduodenectomy",
            ("pyloruspreserving pancreaticoduodenectomy", "pylorus-preserving pancreaticoduodenectomy"),
        ),
        ("the head of the pancreas", ("head of the pancreas", "pancreatic head")),
        ("oesophageal", ("oesophageal", "esophagus")),
    ],
)
def test_matcher_normalises_like_the_ontology(text: str, expected: tuple[str, str]) -> None:
    assert expected in _terms(text)


def test_short_capital_abbreviations_are_case_sensitive() -> None:
    assert ("PR", "partial response") in _terms("a PR was seen")
    assert not any(label == "partial response" for _t, label in _terms("the pr department"))
    assert not any(label == "progressive disease" for _t, label in _terms("PD-L1 expression was high"))


def test_schwartz_hearst_long_forms() -> None:
    text = "a tumour called dermatofibrosarcoma protuberans"
    assert text[schwartz_hearst_long_form("DFSP", text) :] == "dermatofibrosarcoma protuberans"
    assert schwartz_hearst_long_form("QQ", "soft tissue sarcoma") is None


@pytest.mark.parametrize(
    ("text", "kind", "months"),
    [
        ("15 months after nephrectomy", "after", 15),
        ("approximately 4 years later", "later", 48),
        ("Thirty-one months after the operation", "after", 31),
        ("within 8 weeks of diagnosis", "within", 2),
        ("Before 7 years, he", "retro", 84),
        ("resected 5 years ago", "retro", 60),
        ("After 9 months of disease-free survival", "survival", 9),
        ("following a relapse-free survival of seven months", "survival", 7),
        ("three years post-excision", "after", 36),
        ("two years prior to detection of the nodule", "prior", 24),
    ],
)
def test_time_expressions(text: str, kind: str, months: int) -> None:
    (expr,) = find_expressions(text)
    assert (expr.kind, expr.months) == (kind, months)


def test_dates_and_vague_times() -> None:
    assert [(e.kind, e.year, e.month) for e in find_expressions("was in good health until June 2012")] == [
        ("date", 2012, 6)
    ]
    assert [e.kind for e in find_expressions("she died several months later")] == ["unknown"]
    assert find_expressions("Laboratory values were normal.") == []


def test_general_statements_are_recognised() -> None:
    analysis = get_pipeline().analyse(
        "Synovial sarcoma frequently involves the extremities. We report a 40-year-old man with a synovial "
        "sarcoma. Few similar patients are described in the published literature."
    )
    assert [s.generic for s in analysis.sentences] == [True, False, True]
