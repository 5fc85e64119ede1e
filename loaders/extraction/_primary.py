"""The primary tumour: its histology, and where it is (site, sub-site, laterality).

Histology: the histology named most often in sentences about the patient, never one
that is only a pre-operative or differential diagnosis (ConText DIFFERENTIAL: "under
the clinical diagnosis of", "mimicking", "on suspicion of"...), negated or hypothetical;
a more specific term beats its ancestor ("leiomyosarcoma" over "sarcoma"); terms of a
non-sarcoma branch of the ontology (a second cancer, a misdiagnosis) count little.

Site: each site mention votes with the weight of the phrase that names it as the
primary's place (see ``_phrases``): the object of "leiomyosarcoma of/originating from
the X" (2.5), a modifier "gastric leiomyosarcoma" or "right scapular primary mass" (2), a
lesion in a sentence that proves the histology ("a needle biopsy of the calf mass found ...") or
speaks of the initial diagnosis (1.5-2), any other lesion (1). Votes add up per organ;
organs that carry metastases are not candidates unless named as primary.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from loaders.extraction._analysis import Analysis, Mention
from loaders.extraction._phrases import Role, SiteRole
from ontology import OntologyTerm

__all__ = ["PrimaryChoice", "choose_histology", "choose_primary_site", "histology_family", "organ_of"]

_PROOF = re.compile(
    r"\b(?:biops(?:y|ies)|showed|revealed|confirmed|demonstrated|diagnos\w*|consistent with|compatible with|"
    r"histolog\w*|patholog\w*|specimen|excision|resect\w*)\b",
    re.IGNORECASE,
)
_INITIAL = re.compile(r"\b(?:initial(?:ly)?|primary|original(?:ly)?|first diagnos\w*)\b", re.IGNORECASE)


@dataclass
class PrimaryChoice:
    """The chosen primary: terms, laterality, and the mentions that are its evidence."""

    histology: OntologyTerm | None = None
    site: OntologyTerm | None = None
    subsite: OntologyTerm | None = None
    laterality: str | None = None
    evidence: list[Mention] = field(default_factory=list)


def organ_of(analysis: Analysis, iri: str) -> OntologyTerm:
    """The organ-level site of a site term (the term itself when none is above it)."""
    onto = analysis.pipeline.onto
    return onto.organ_site(iri) or onto.term(iri)


def histology_family(analysis: Analysis, iri: str | None) -> set[str]:
    """The histology, its ancestors and descendants: mentions of these are "the same tumour"."""
    if iri is None:
        return set()
    onto = analysis.pipeline.onto
    return onto.ancestors(iri, include_self=True) | onto.descendants(iri, include_self=True)


def choose_histology(analysis: Analysis) -> tuple[OntologyTerm | None, list[Mention]]:
    """The primary's histology and the mentions naming it."""
    onto = analysis.pipeline.onto
    not_primary = analysis.pipeline.not_primary_histologies
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    mentions: dict[str, list[Mention]] = {}
    for s in analysis.patient_sentences():
        for m in analysis.in_sentence(s.index, "histology"):
            if not m.asserted or m.differential:
                continue
            weight = 0.5 if m.uncertain else 1.0
            if m.value in not_primary:
                weight *= 0.2
            scores[m.value] = scores.get(m.value, 0.0) + weight
            first.setdefault(m.value, m.start)
            mentions.setdefault(m.value, []).append(m)
    if not scores:
        return None, []
    # a specific term takes the votes of its ancestors ("sarcoma" -> "leiomyosarcoma")
    totals: dict[str, float] = {}
    for iri, score in scores.items():
        above = onto.ancestors(iri)
        totals[iri] = score + sum(scores[a] for a in above if a in scores)
    best = max(totals, key=lambda i: (totals[i], -first[i]))
    family = histology_family(analysis, best)
    evidence = [m for iri, ms in mentions.items() if iri in family for m in ms]
    return onto.term(best), evidence


def choose_primary_site(
    analysis: Analysis,
    roles: dict[int, list[SiteRole]],
    histology: OntologyTerm | None,
    metastatic_organs: set[str],
) -> PrimaryChoice:
    """The primary's site, sub-site and laterality from the site mentions' roles."""
    onto = analysis.pipeline.onto
    family = histology_family(analysis, histology.iri if histology else None)
    first_treatment = _first_treatment_sentence(analysis)
    votes: list[tuple[float, SiteRole]] = []
    for sent_index, sent_roles in roles.items():
        sentence = analysis.sentences[sent_index]
        hist_here = [
            m
            for m in analysis.in_sentence(sent_index, "histology")
            if (not family or m.value in family) and m.asserted and not m.differential
        ]
        for r in sent_roles:
            site = r.site
            if not site.asserted or site.differential:
                continue
            organ = organ_of(analysis, site.value).iri
            weight = 0.0
            if r.role is Role.PRIMARY and r.head is not None and r.head.kind == "histology":
                if family and r.head.value not in family:
                    continue
                weight = (
                    2.5
                    if r.via_prep
                    else (2.0 if site.nested_in != "histology" or site.abbreviation else 1.5)
                )
            elif r.role is Role.PRIMARY:  # "metastasis from the thigh", origin preposition
                weight = 2.0
            elif r.role in (Role.LESION, Role.BARE) and organ not in metastatic_organs:
                if r.role is Role.LESION and r.primary_marked:
                    weight = 2.0
                elif hist_here and _PROOF.search(sentence.text):
                    weight = 1.5
                elif r.role is Role.LESION:
                    weight = 1.25 if r.via_prep else 1.0  # "a soft-tissue mass in the gluteal region"
                if weight and _INITIAL.search(sentence.text):
                    weight += 0.5
            if weight:
                votes.append((weight, r))
    if any(r.role is Role.PRIMARY for _w, r in votes):
        # named as the primary somewhere: masses found after its treatment are follow-up findings
        votes = [
            (w, r)
            for w, r in votes
            if r.role is Role.PRIMARY or r.primary_marked or w > 1.25 or r.sentence <= first_treatment
        ]
    if not votes:
        return PrimaryChoice(histology=histology)
    by_organ: dict[str, float] = {}
    first: dict[str, int] = {}
    for w, r in votes:
        organ = organ_of(analysis, r.site.value).iri
        by_organ[organ] = by_organ.get(organ, 0.0) + w
        first.setdefault(organ, r.site.start)
    organ_iri = max(by_organ, key=lambda o: (by_organ[o], -first[o]))
    chosen = [(w, r) for w, r in votes if organ_of(analysis, r.site.value).iri == organ_iri]
    # sub-site: the best-voted term more specific than the organ
    sub_votes: dict[str, float] = {}
    for w, r in chosen:
        if r.site.value != organ_iri:
            sub_votes[r.site.value] = sub_votes.get(r.site.value, 0.0) + w
    subsite = None
    if sub_votes:
        sub_iri = max(sub_votes, key=lambda i: (sub_votes[i], len(onto.ancestors(i))))
        subsite = onto.term(sub_iri)
    laterality = _laterality(analysis, roles, organ_iri, chosen)
    return PrimaryChoice(
        histology=histology,
        site=onto.term(organ_iri),
        subsite=subsite,
        laterality=laterality,
        evidence=[r.site for _w, r in chosen],
    )


def _first_treatment_sentence(analysis: Analysis) -> int:
    kinds = ("procedure", "agent", "regimen", "radiotherapy", "cue:treat")
    for s in analysis.patient_sentences():
        if any(m.kind in kinds and m.asserted and not m.not_given for m in analysis.in_sentence(s.index)):
            return s.index
    return len(analysis.sentences)


def _laterality(
    analysis: Analysis, roles: dict[int, list[SiteRole]], organ_iri: str, chosen: list[tuple[float, SiteRole]]
) -> str | None:
    counts: Counter[str] = Counter()
    for _w, r in chosen:
        if r.laterality:
            counts[r.laterality] += 2
    for sent_roles in roles.values():
        for r in sent_roles:
            if (
                r.laterality
                and r.role is not Role.METASTASIS
                and r.site.asserted
                and organ_of(analysis, r.site.value).iri == organ_iri
            ):
                counts[r.laterality] += 1
    if not counts:
        return None
    return counts.most_common(1)[0][0]
