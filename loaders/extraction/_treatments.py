"""Treatments actually given: procedures, drugs and regimens, radiotherapy.

A mention counts only when given: ConText marks recommended, offered, discussed,
declined or refused treatments (HYPOTHETICAL, NOT_GIVEN) and negated ones ("without
adjuvant therapy"); general statements are skipped. A regimen expands to its agents
through the ontology ("GD therapy" -> gemcitabine + docetaxel); the agent's place in the
ontology decides the kind (chemotherapy, targeted therapy, immunotherapy); supportive
agents (mesna, G-CSF) are not anti-tumour treatments and are left out. Surgery for
another cancer ("a lobectomy for lung carcinoma") is not this tumour's treatment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from loaders.extraction._analysis import Analysis, Mention
from loaders.extraction._primary import organ_of
from loaders.extraction._timeline import find_expressions

__all__ = ["TreatmentFinding", "extract_treatments"]

# a procedure inside "15 months after nephrectomy" is a time anchor, not a new operation
_ANCHORED = {"after", "within", "survival", "postop"}


@dataclass
class TreatmentFinding:
    kind: str
    procedure: str | None = None
    agents: list[str] = field(default_factory=list)
    regimen: str | None = None
    target_site: str | None = None
    evidence: list[Mention] = field(default_factory=list)

    def key(self) -> tuple[str, str | None, frozenset[str], str | None]:
        return (self.kind, self.procedure, frozenset(self.agents), self.regimen)


def _given(m: Mention) -> bool:
    return m.asserted and not m.not_given


def _target_site(analysis: Analysis, m: Mention) -> str | None:
    doc = analysis.doc
    for s in analysis.in_sentence(m.sent, "site"):
        if s.nested_in in ("procedure", "diagnostic") and m.start <= s.start < m.end:
            return organ_of(analysis, s.value).iri
        if m.end <= s.start <= m.end + 5:
            between = doc[m.end : s.start].text.lower().split()
            if (
                between
                and between[0] in ("of", "for", "to")
                and all(
                    w in ("of", "the", "a", "an", "left", "right", "for", "to", "her", "his", "both")
                    for w in between
                )
            ):
                return organ_of(analysis, s.value).iri
    return None


def extract_treatments(analysis: Analysis, histology_family: set[str]) -> list[TreatmentFinding]:
    """The treatments given, one per procedure / agent set / regimen / technique."""
    onto = analysis.pipeline.onto
    found: list[TreatmentFinding] = []
    for s in analysis.patient_sentences():
        anchors = [e for e in find_expressions(s.text, s.char_start) if e.kind in _ANCHORED]
        mentions = [
            m
            for m in analysis.in_sentence(s.index)
            if _given(m) and not any(e.start <= m.char_start and m.char_end <= e.end for e in anchors)
        ]
        here: list[TreatmentFinding] = []
        # drugs: grouped by kind; regimens carry their agents
        by_kind: dict[str, TreatmentFinding] = {}
        for m in mentions:
            if m.kind == "agent":
                kind = onto.agent_kind(m.value)
                if kind is None or kind == "supportive":
                    continue
                t = by_kind.setdefault(kind, TreatmentFinding(kind))
                if m.value not in t.agents:
                    t.agents.append(m.value)
                t.evidence.append(m)
        for m in mentions:
            if m.kind != "regimen":
                continue
            agents = [
                a.iri
                for a in onto.regimen_agents(m.value)
                if onto.agent_kind(a.iri) not in (None, "supportive")
            ]
            kinds: set[str] = {onto.agent_kind(a) or "chemotherapy" for a in agents} or {"chemotherapy"}
            regimen_kind = "chemotherapy" if "chemotherapy" in kinds else sorted(kinds)[0]
            t = by_kind.setdefault(regimen_kind, TreatmentFinding(regimen_kind))
            if t.regimen is None:
                t.regimen = m.value
            for a in agents:
                if a not in t.agents:
                    t.agents.append(a)
            t.evidence.append(m)
        here.extend(by_kind.values())
        for m in mentions:
            if m.kind == "procedure" and not analysis.for_other_cancer(m, histology_family):
                here.append(
                    TreatmentFinding(
                        "surgery", procedure=m.value, target_site=_target_site(analysis, m), evidence=[m]
                    )
                )
            elif m.kind == "radiotherapy":
                # a general term ("radiotherapy", "radiation") names no technique
                technique = None if onto.children(m.value) else m.value
                here.append(TreatmentFinding("radiotherapy", procedure=technique, evidence=[m]))
        for m in mentions:
            if m.kind != "cue:treat" or analysis.for_other_cancer(m, histology_family):
                continue
            for word_kind in analysis.pipeline.rules.treatment_words.get(m.value, ()):
                same = [t for t in here if t.kind == word_kind]
                if same:
                    same[0].evidence.append(m)
                else:
                    here.append(TreatmentFinding(word_kind, evidence=[m]))
        found.extend(here)
    return _merge(analysis, found)


def _merge(analysis: Analysis, found: list[TreatmentFinding]) -> list[TreatmentFinding]:
    merged: dict[tuple[str, str | None, frozenset[str], str | None], TreatmentFinding] = {}
    for t in found:
        key = t.key()
        if key in merged:
            merged[key].evidence.extend(t.evidence)
            merged[key].target_site = merged[key].target_site or t.target_site
        else:
            merged[key] = t
    out = list(merged.values())
    # generic mentions add nothing when a specific treatment of that kind exists
    specific_kinds = {t.kind for t in out if t.agents or t.procedure}
    out = [t for t in out if t.agents or t.procedure or t.kind not in specific_kinds]
    # "nephrectomy" after "radical nephrectomy": the same operation named shortly
    onto = analysis.pipeline.onto
    kept: list[TreatmentFinding] = []
    for t in out:
        host = next(
            (
                o
                for o in out
                if o is not t
                and o.kind == t.kind
                and o.procedure
                and t.procedure
                and t.procedure in onto.ancestors(o.procedure)
                and onto.label(t.procedure).lower() in onto.label(o.procedure).lower()
            ),
            None,
        )
        if host is None:
            kept.append(t)
        else:
            host.evidence.extend(t.evidence)
    out = kept
    # an agent set inside another of the same kind (same sentence group) is the same treatment
    final: list[TreatmentFinding] = []
    for t in out:
        bigger = next(
            (
                o
                for o in out
                if o is not t
                and o.kind == t.kind
                and t.agents
                and set(t.agents) < set(o.agents)
                and (t.regimen is None or t.regimen == o.regimen)
            ),
            None,
        )
        if bigger is not None:
            bigger.evidence.extend(t.evidence)
        else:
            final.append(t)
    return final
