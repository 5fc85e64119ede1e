"""Age and sex of the patient: "A 71-year-old lady", "a 9-year-old boy", "young male".

The first age phrase in a sentence about the patient wins (a report introduces its
patient early; later ages such as "at the age of 20" describe the history). Sex comes
from the noun of that phrase, else from a patient noun ("a young male", "the girl"),
else from the pronouns of the patient sentences.
"""

from __future__ import annotations

import re

from loaders.extraction._analysis import Analysis
from loaders.extraction._numbers import NUMBER, parse_number
from loaders.records import Evidence, Patient

__all__ = ["extract_patient"]

_FEMALE = {
    "woman",
    "women",
    "female",
    "girl",
    "lady",
    "mother",
    "wife",
    "daughter",
    "housewife",
    "gravida",
    "primigravida",
    "multigravida",
    "postmenopausal",
}
_MALE = {"man", "men", "male", "boy", "gentleman", "father", "husband", "son"}
_NOUNS = "|".join(
    sorted(
        _FEMALE
        | _MALE
        | {
            "patient",
            "child",
            "adolescent",
            "infant",
            "individual",
            "person",
            "subject",
            "case",
            "adult",
            "teenager",
        },
        key=len,
        reverse=True,
    )
)
_AGE = re.compile(
    rf"\b(?P<num>{NUMBER})[\s-]*(?:-\s*)?(?P<unit>years?|yrs?|months?)[\s-]*(?:-\s*)?old\b"
    rf"(?P<tail>(?:[\s,]+(?:[A-Za-z-]+)){{0,4}})",
    re.IGNORECASE,
)
_AGED = re.compile(
    r"\b(?:aged|age(?:d)? of|at the age of|age)\s+(?P<num>\d{1,3})(?:\s+years)?\b", re.IGNORECASE
)
_AGE_SUFFIX = re.compile(r"\b(?P<num>\d{1,3})\s*(?:years?|yrs?)\s+of\s+age\b", re.IGNORECASE)
_PATIENT_NOUN = re.compile(
    rf"\b(?:a|an|the|our|this)\s+(?:(?:young|old|elderly|middle-aged|previously healthy|healthy|"
    rf"\w+ian|\w+ese|"
    rf"caucasian|white|black|asian|african|hispanic|pregnant|postmenopausal)\s+){{0,3}}(?P<noun>{_NOUNS})\b",
    re.IGNORECASE,
)
_SHE = re.compile(r"\b(?:she|her|hers|herself)\b", re.IGNORECASE)
_HE = re.compile(r"\b(?:he|his|him|himself)\b", re.IGNORECASE)


def _sex_of(word: str) -> str | None:
    w = word.lower()
    if w in _FEMALE:
        return "female"
    if w in _MALE:
        return "male"
    return None


def extract_patient(analysis: Analysis) -> Patient:
    """Age and sex with their evidence spans."""
    text = analysis.text
    age: int | None = None
    sex: str | None = None
    evidence: list[Evidence] = []
    for s in analysis.patient_sentences():
        for m in _AGE.finditer(text, s.char_start, s.char_end):
            value = parse_number(m.group("num"))
            if value is None or not 0 <= value <= 120:
                continue
            if m.group("unit").lower().startswith("month"):
                value = 0
            end = m.start("tail")
            noun_sex = None
            for w in re.finditer(r"[A-Za-z]+", m.group("tail") or ""):
                noun_sex = _sex_of(w.group())
                if noun_sex:
                    end = m.start("tail") + w.end()
                    break
            age = int(value)
            sex = noun_sex
            evidence.append(_span(text, m.start(), end))
            break
        if age is not None:
            break
    if age is None:
        for pattern in (_AGED, _AGE_SUFFIX):
            for s in analysis.patient_sentences():
                found = pattern.search(text, s.char_start, s.char_end)
                if found:
                    age = int(found.group("num"))
                    evidence.append(_span(text, found.start(), found.end()))
                    break
            if age is not None:
                break
    if sex is None:
        for s in analysis.patient_sentences():
            noun = _PATIENT_NOUN.search(text, s.char_start, s.char_end)
            while noun and _sex_of(noun.group("noun")) is None:
                noun = _PATIENT_NOUN.search(text, noun.end(), s.char_end)
            if noun:
                sex = _sex_of(noun.group("noun"))
                evidence.append(_span(text, noun.start(), noun.end()))
                break
    if sex is None:
        she = he = 0
        first: dict[str, re.Match[str]] = {}
        for s in analysis.patient_sentences():
            for m in _SHE.finditer(text, s.char_start, s.char_end):
                she += 1
                first.setdefault("female", m)
            for m in _HE.finditer(text, s.char_start, s.char_end):
                he += 1
                first.setdefault("male", m)
        if she or he:
            sex = "female" if she > he else "male" if he > she else None
            if sex:
                pm = first[sex]
                evidence.append(_span(text, pm.start(), pm.end()))
    return Patient(age=age, sex=sex, evidence=evidence)


def _span(text: str, start: int, end: int) -> Evidence:
    return Evidence(start=start, end=end, text=text[start:end])
