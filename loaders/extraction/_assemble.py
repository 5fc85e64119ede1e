"""From a SourceDocument to CaseRecords: run the pipeline and the rule layers, build records."""

from __future__ import annotations

from loaders.extraction._analysis import Analysis, Mention
from loaders.extraction._metastases import (
    called_metastatic,
    merge_metastases,
    metastatic_roles,
    negated_sites,
    proven_sites,
    recurrences,
    related_to_primary,
)
from loaders.extraction._outcome import best_response, extract_outcome
from loaders.extraction._patient import extract_patient
from loaders.extraction._patients import patient_views
from loaders.extraction._phrases import Role, SiteRole, sentence_roles
from loaders.extraction._pipeline import get_pipeline
from loaders.extraction._primary import (
    PrimaryChoice,
    choose_histology,
    choose_primary_site,
    histology_family,
    organ_of,
)
from loaders.extraction._timeline import build_timeline
from loaders.extraction._treatments import extract_treatments
from loaders.records import (
    CaseRecord,
    Evidence,
    LocalRecurrence,
    Metastasis,
    NegatedMetastasis,
    PrimaryTumor,
    SourceDocument,
    Term,
    Treatment,
)
from ontology import Ontology
from sarcokg.errors import InputError

__all__ = ["extract_document", "extract_text"]

_MAX_EVIDENCE = 6
_MAX_PHRASE = 160


def extract_document(doc: SourceDocument, *, onto: Ontology | None = None) -> list[CaseRecord]:
    """The case records of one document (curated documents: their records, unchanged).

    Any failure inside extraction becomes an :class:`InputError` naming the document.
    """
    if doc.records is not None:
        return list(doc.records)
    try:
        records = _extract(doc.text, doc.doc_id, onto)
    except Exception as exc:  # one line naming the document, never a traceback
        where = doc.source.path or doc.doc_id
        raise InputError(f"extraction failed: {type(exc).__name__}: {exc}", path=where) from exc
    for record in records:
        record.source = doc.source.model_copy()
    return records


def extract_text(text: str, *, case_id: str = "report-1", onto: Ontology | None = None) -> CaseRecord:
    """Extract one case record from a report's text (no source metadata).

    >>> rec = extract_text("A 52-year-old man had a leiomyosarcoma of the left thigh.")
    >>> rec.patient.age, rec.patient.sex, rec.primary_tumor.site.label, rec.primary_tumor.laterality
    (52, 'male', 'thigh', 'left')
    """
    return _record(get_pipeline(onto).analyse(text), case_id)


def _extract(text: str, doc_id: str, onto: Ontology | None) -> list[CaseRecord]:
    """One record per patient of the report (``{doc_id}-1``, ``{doc_id}-2``...)."""
    analysis = get_pipeline(onto).analyse(text)
    return [_record(view, f"{doc_id}-{n}") for n, view in enumerate(patient_views(analysis), start=1)]


def _record(analysis: Analysis, case_id: str) -> CaseRecord:
    onto_ = analysis.pipeline.onto

    roles: dict[int, list[SiteRole]] = {}
    coordinated: set[int] = set()
    for s in analysis.patient_sentences():
        rs, _units, coord = sentence_roles(analysis, s)
        if rs:
            roles[s.index] = rs
        coordinated |= {id(c) for c in coord}

    histology, hist_mentions = choose_histology(analysis)
    family = histology_family(analysis, histology.iri if histology else None)
    met_roles = metastatic_roles(analysis, roles)
    # lesions called metastatic in their own sentence are known before the primary is chosen
    same_sentence = called_metastatic(analysis, roles, coordinated, PrimaryChoice(), look_back=False)
    strong_organs = {organ_of(analysis, r.site.value).iri for r in [*met_roles, *same_sentence]}
    primary = choose_primary_site(analysis, roles, histology, strong_organs)
    local, distant = recurrences(analysis, roles, primary, None)
    met_roles += distant
    met_roles += called_metastatic(analysis, roles, coordinated, primary)
    met_roles += proven_sites(analysis, family, primary, roles)

    lesion_roles = [
        r
        for rs in roles.values()
        for r in rs
        if r.role is Role.LESION and r.site.asserted and not r.site.differential
    ]
    timed: dict[int, list[Mention]] = {}
    for r in [*met_roles, *lesion_roles]:
        timed.setdefault(r.sentence, []).append(r.site)
    for f in local:
        for m in f.evidence:
            timed.setdefault(m.sent, []).append(m)
    index_sentences = {
        r.sentence for r in met_roles if not related_to_primary(analysis, r.site.value, primary)
    }
    timeline = build_timeline(analysis, timed, primary_histologies=family, index_sentences=index_sentences)
    local, _ = recurrences(analysis, roles, primary, timeline)

    mets = merge_metastases(analysis, met_roles, lesion_roles, primary, timeline)
    # a site found involved anywhere (metastasis, primary, a lesion) is not "uninvolved"
    asserted_organs = {f.organ for f in mets} | {organ_of(analysis, r.site.value).iri for r in lesion_roles}
    if primary.site:
        asserted_organs.add(primary.site.iri)
    negated = negated_sites(analysis, roles, asserted_organs)
    treatments = extract_treatments(analysis, family)
    response = best_response(analysis)
    outcome = extract_outcome(analysis, timeline)
    patient = extract_patient(analysis)

    def term(iri: str | None) -> Term | None:
        if iri is None:
            return None
        t = onto_.term(iri)
        return Term(iri=t.iri, label=t.label)

    primary_evidence = _evidence(analysis, [*hist_mentions[:3], *primary.evidence[:3]])
    record = CaseRecord(
        case_id=case_id,
        patient=patient,
        primary_tumor=PrimaryTumor(
            site=term(primary.site.iri) if primary.site else None,
            subsite=term(primary.subsite.iri) if primary.subsite else None,
            laterality=primary.laterality,
            histology=term(histology.iri) if histology else None,
            evidence=primary_evidence,
        ),
        metastases=[
            Metastasis(
                site=term(f.organ),
                subsite=term(f.subsite),
                laterality=f.laterality,
                interval_months=f.interval,
                synchronous=f.interval == 0,
                uncertain=f.uncertain,
                evidence=_role_evidence(analysis, f.mentions),
            )
            for f in mets
        ],
        negated_metastases=[
            NegatedMetastasis(site=term(organ), evidence=_evidence(analysis, [m])) for organ, m in negated
        ],
        local_recurrences=[
            LocalRecurrence(
                site=term(f.site), interval_months=f.interval, evidence=_evidence(analysis, f.evidence)
            )
            for f in local
        ],
        treatments=[
            Treatment(
                kind=t.kind,
                procedure=term(t.procedure),
                agents=[a for a in (term(i) for i in t.agents) if a is not None],
                regimen=term(t.regimen),
                target_site=term(t.target_site),
                evidence=_evidence(analysis, t.evidence),
            )
            for t in treatments
        ],
        best_response=term(response),
        outcome=outcome,
    )
    return record


def _span(analysis: Analysis, start: int, end: int) -> Evidence:
    return Evidence(start=start, end=end, text=analysis.text[start:end])


def _evidence(analysis: Analysis, mentions: list[Mention]) -> list[Evidence]:
    seen: set[tuple[int, int]] = set()
    out: list[Evidence] = []
    for m in sorted(mentions, key=lambda m: m.char_start):
        key = (m.char_start, m.char_end)
        if key in seen:
            continue
        seen.add(key)
        out.append(_span(analysis, m.char_start, m.char_end))
        if len(out) >= _MAX_EVIDENCE:
            break
    return out


def _role_evidence(analysis: Analysis, roles: list[SiteRole]) -> list[Evidence]:
    """The phrase from the site to its cue ("lung and liver metastases"), else the site."""
    spans: list[tuple[int, int]] = []
    for r in roles:
        start, end = r.site.char_start, r.site.char_end
        if r.head is not None and r.head.sent == r.site.sent:
            lo, hi = min(start, r.head.char_start), max(end, r.head.char_end)
            if hi - lo <= _MAX_PHRASE:
                start, end = lo, hi
        if (start, end) not in spans:
            spans.append((start, end))
    spans.sort()
    return [_span(analysis, s, e) for s, e in spans[:_MAX_EVIDENCE]]
