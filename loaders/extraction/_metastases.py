"""Metastases, sites stated not to be involved, and local recurrences.

A site is a metastasis when its phrase says so (``_phrases``: "kidney metastases",
"secondary foci within the peritoneum", "positive nodes") or when a lesion is called
metastatic elsewhere: "A nodule in the spleen ... proved to be metastatic sarcoma"
(same sentence) or "... a lesion in the tail of the pancreas. [...] The biopsy showed
metastatic sarcoma" (the nearest earlier sentence with a lesion). A recurrence at the
primary's place, or called local ("a locally recurrent mass in the scar", "regrowth in
the tumour bed"), is a local recurrence, not a metastasis.

Negation: a site ConText marks negated ("no sign of hepatic disease", "the bones were
spared") is a negated metastasis only if no sentence asserts it: a site proven elsewhere
wins over a generic negation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.extraction._analysis import Analysis, Mention
from loaders.extraction._phrases import Role, SiteRole
from loaders.extraction._primary import PrimaryChoice, organ_of
from loaders.extraction._timeline import Timeline

__all__ = [
    "MetastasisFinding",
    "RecurrenceFinding",
    "called_metastatic",
    "merge_metastases",
    "metastatic_roles",
    "negated_sites",
    "recurrences",
]

_LOCAL = re.compile(
    r"\b(?:local(?:ly)?|stump|resection (?:bed|site|margin|cavity)|surgical (?:bed|site)|"
    r"operative (?:bed|site)|tumou?r bed|scar|in situ|same site)\b",
    re.IGNORECASE,
)
_ADJECTIVAL = ("al", "ic", "ar", "ary", "ous", "ial")
_BACK_SENTENCES = 6
_METASTASIS_WORD = re.compile(r"metasta", re.IGNORECASE)


@dataclass
class MetastasisFinding:
    """One organ's metastasis: the mentions, timed, merged."""

    organ: str
    subsite: str | None
    laterality: str | None
    interval: float | None
    uncertain: bool
    mentions: list[SiteRole] = field(default_factory=list)


@dataclass
class RecurrenceFinding:
    site: str | None
    interval: float | None
    evidence: list[Mention] = field(default_factory=list)


def _is_fact(m: Mention) -> bool:
    return m.asserted and not m.differential


def _heads(roles: dict[int, list[SiteRole]]) -> set[int]:
    return {id(r.head) for rs in roles.values() for r in rs if r.head is not None}


def metastatic_roles(analysis: Analysis, roles: dict[int, list[SiteRole]]) -> list[SiteRole]:
    """Site mentions whose own phrase names a metastasis (before the primary is excluded)."""
    out: list[SiteRole] = []
    met_kinds = ("cue:met_noun", "cue:met_adj", "cue:met_verb")
    for sent_index, sent_roles in roles.items():
        has_met_cue = any(m.kind in met_kinds and _is_fact(m) for m in analysis.in_sentence(sent_index))
        for r in sent_roles:
            if not _is_fact(r.site) or (r.head is not None and not _is_fact(r.head)):
                continue
            if r.role is Role.METASTASIS:
                out.append(r)
            elif (
                r.role is Role.LESION and has_met_cue and r.head is not None and r.head.value == "involvement"
            ):
                out.append(
                    SiteRole(
                        r.site,
                        Role.METASTASIS,
                        r.head,
                        r.laterality,
                        r.primary_marked,
                        r.via_prep,
                        r.sentence,
                    )
                )
    # "resection of lung metastases", "pulmonary metastasectomy": a site inside a procedure on metastases
    for sentence in analysis.patient_sentences():
        mentions = analysis.in_sentence(sentence.index)
        for proc in (
            m for m in mentions if m.kind == "procedure" and _is_fact(m) and _METASTASIS_WORD.search(m.text)
        ):
            for site in mentions:
                if site.kind == "site" and proc.start <= site.start and site.end <= proc.end:
                    out.append(SiteRole(site, Role.METASTASIS, proc, None, False, False, sentence.index))
    return out


def called_metastatic(
    analysis: Analysis,
    roles: dict[int, list[SiteRole]],
    coordinated: set[int],
    primary: PrimaryChoice,
    *,
    look_back: bool = True,
) -> list[SiteRole]:
    """Lesions a later "metastatic" names: "A nodule in the spleen ... proved metastatic", or
    "... a lesion in the tail of the pancreas. [...] Metastatic sarcoma was confirmed" (the
    nearest earlier sentence with a lesion away from the primary)."""
    met_kinds = ("cue:met_noun", "cue:met_adj", "cue:met_verb")
    out: list[SiteRole] = []
    attached = _heads(roles) | coordinated
    for sent_index in (s.index for s in analysis.patient_sentences()):
        for cue in analysis.in_sentence(sent_index):
            if cue.kind not in met_kinds or not _is_fact(cue) or id(cue) in attached:
                continue
            if _describes_primary(roles.get(sent_index, []), cue):
                continue
            lesions = _lesions(analysis, roles, sent_index, primary)
            back = sent_index
            while look_back and not lesions and back > 0 and sent_index - back < _BACK_SENTENCES:
                back -= 1
                lesions = _lesions(analysis, roles, back, primary)
            for r in lesions:
                site = r.site
                if cue.uncertain and not site.uncertain:
                    site = _copy_with_flag(site, "POSSIBLE_EXISTENCE")
                out.append(
                    SiteRole(
                        site, Role.METASTASIS, cue, r.laterality, r.primary_marked, r.via_prep, r.sentence
                    )
                )
    return out


def _describes_primary(sent_roles: list[SiteRole], cue: Mention) -> bool:
    """ "metastatic renal leiomyosarcoma": the cue qualifies a tumour whose origin is named."""
    return any(
        r.role is Role.PRIMARY and r.head is not None and cue.end <= r.site.start < r.head.start
        for r in sent_roles
    )


def _lesions(
    analysis: Analysis, roles: dict[int, list[SiteRole]], sent_index: int, primary: PrimaryChoice
) -> list[SiteRole]:
    return [
        r
        for r in roles.get(sent_index, [])
        if r.role is Role.LESION
        and _is_fact(r.site)
        and not r.primary_marked
        and not related_to_primary(analysis, r.site.value, primary)
    ]


def _copy_with_flag(m: Mention, flag: str) -> Mention:
    return Mention(
        m.kind,
        m.value,
        m.start,
        m.end,
        m.char_start,
        m.char_end,
        m.sent,
        m.text,
        flags=set(m.flags) | {flag},
        abbreviation=m.abbreviation,
        nested_in=m.nested_in,
    )


def related_to_primary(analysis: Analysis, iri: str, primary: PrimaryChoice) -> bool:
    """Whether a site is the primary's place or part of it (same term or below it).

    A broader site is not the primary's place: bone metastases of a femoral osteosarcoma
    are metastases.
    """
    target = primary.subsite or primary.site
    if target is None:
        return False
    return target.iri in analysis.pipeline.onto.ancestors(iri, include_self=True)


def near_primary(analysis: Analysis, iri: str, primary: PrimaryChoice) -> bool:
    """Whether a site is the primary's place, above or below it (for local recurrences)."""
    target = primary.subsite or primary.site
    if target is None:
        return False
    onto = analysis.pipeline.onto
    return related_to_primary(analysis, iri, primary) or iri in onto.ancestors(target.iri, include_self=True)


def recurrences(
    analysis: Analysis, roles: dict[int, list[SiteRole]], primary: PrimaryChoice, timeline: Timeline | None
) -> tuple[list[RecurrenceFinding], list[SiteRole]]:
    """Local recurrences, and recurrences elsewhere (which are metastases); timed when a timeline is given."""

    def when(m: Mention) -> float | None:
        return timeline.of(m) if timeline is not None else None

    local: list[RecurrenceFinding] = []
    distant: list[SiteRole] = []
    seen_cues: set[int] = set()
    for sent_index in (s.index for s in analysis.patient_sentences()):
        sent_roles = roles.get(sent_index, [])
        for r in sent_roles:
            if (
                r.role is not Role.RECURRENCE
                or not _is_fact(r.site)
                or r.head is None
                or not _is_fact(r.head)
            ):
                continue
            seen_cues.add(id(r.head))
            window = analysis.text[r.head.char_start - 10 : max(r.site.char_end, r.head.char_end) + 30]
            if (
                near_primary(analysis, r.site.value, primary)
                or _LOCAL.search(r.head.text)
                or _LOCAL.search(window)
            ):
                local.append(
                    RecurrenceFinding(organ_of(analysis, r.site.value).iri, when(r.site), [r.site, r.head])
                )
            else:
                distant.append(
                    SiteRole(r.site, Role.METASTASIS, r.head, r.laterality, False, r.via_prep, r.sentence)
                )
        for cue in analysis.in_sentence(sent_index, "cue:recur"):
            if id(cue) in seen_cues or not _is_fact(cue):
                continue
            after = analysis.text[
                cue.char_start : min(cue.char_end + 60, analysis.sentences[sent_index].char_end)
            ]
            of_primary = any(r.role is Role.PRIMARY and r.site.start > cue.start for r in sent_roles) or bool(
                re.match(
                    r"\S+\s+of\s+(?:the\s+|her\s+|his\s+)?[\w\s-]{0,30}\bprimary\b", after, re.IGNORECASE
                )
            )
            if _LOCAL.search(analysis.text[cue.char_start - 10 : cue.char_end + 40]) or of_primary:
                site = primary.site.iri if primary.site else None
                local.append(RecurrenceFinding(site, when(cue), [cue]))
    # one per site: the earliest
    merged: dict[str | None, RecurrenceFinding] = {}
    for f in local:
        have = merged.get(f.site)
        if have is None:
            merged[f.site] = f
        else:
            have.evidence.extend(f.evidence)
            if f.interval is not None and (have.interval is None or f.interval < have.interval):
                have.interval = f.interval
    return list(merged.values()), distant


def merge_metastases(
    analysis: Analysis,
    met_roles: list[SiteRole],
    lesion_roles: list[SiteRole],
    primary: PrimaryChoice,
    timeline: Timeline,
) -> list[MetastasisFinding]:
    """One finding per organ-level site, primary's place excluded, timed by its earliest mention."""
    onto = analysis.pipeline.onto
    by_organ: dict[str, list[SiteRole]] = {}
    order: list[str] = []
    for r in met_roles:
        if related_to_primary(analysis, r.site.value, primary):
            continue
        organ = organ_of(analysis, r.site.value).iri
        if organ not in by_organ:
            by_organ[organ] = []
            order.append(organ)
        by_organ[organ].append(r)
    out: list[MetastasisFinding] = []
    for organ in order:
        rs = by_organ[organ]
        timed = rs + [r for r in lesion_roles if organ_of(analysis, r.site.value).iri == organ]
        known = [(timeline.of(r.site), r) for r in timed if timeline.of(r.site) is not None]
        interval = min((t for t, _ in known if t is not None), default=None)
        # sub-site: the most specific term, preferring the first-detected mention
        specific = [r for r in timed if r.site.value != organ]
        subsite = None
        if specific:

            def rank(r: SiteRole) -> tuple[float, int, int]:
                t = timeline.of(r.site)
                return (t if t is not None else 1e9, -len(onto.ancestors(r.site.value)), r.site.start)

            subsite = min(specific, key=rank).site.value
        lats = {r.laterality for r in timed if r.laterality}
        laterality = (
            "bilateral"
            if {"left", "right"} <= lats or "bilateral" in lats
            else (lats.pop() if lats else None)
        )
        uncertain = all(r.site.uncertain or (r.head is not None and r.head.uncertain) for r in rs)
        out.append(MetastasisFinding(organ, subsite, laterality, interval, uncertain, rs))
    return out


def negated_sites(
    analysis: Analysis, roles: dict[int, list[SiteRole]], asserted_organs: set[str]
) -> list[tuple[str, Mention]]:
    """(organ, mention) for sites stated not to be involved and asserted nowhere."""
    out: dict[str, Mention] = {}
    for sent_roles in roles.values():
        for r in sent_roles:
            site = r.site
            if not site.negated or site.differential or "HYPOTHETICAL" in site.flags:
                continue
            if r.role is Role.PRIMARY:
                continue
            if r.role is Role.BARE and site.text.lower().endswith(_ADJECTIVAL):
                continue
            organ = organ_of(analysis, site.value).iri
            if organ in asserted_organs or site.value in asserted_organs:
                continue
            out.setdefault(organ, site)
    return list(out.items())


_PROOF_VERB = re.compile(
    r"\b(?:showed|shows|revealed|reveals|confirmed|confirms|demonstrated|demonstrates|"
    r"(?:was|were) consistent with|"
    r"(?:was|were) compatible with|(?:was|were) diagnostic (?:of|for)|proved to be)\b",
    re.IGNORECASE,
)
_MATERIAL = re.compile(
    r"\b(?:biops\w*|histo\w*|patholog\w*|cytolog\w*|specimen|dissection|resect\w*|excision\w*)\b",
    re.IGNORECASE,
)


def proven_sites(
    analysis: Analysis, family: set[str], primary: PrimaryChoice, roles: dict[int, list[SiteRole]]
) -> list[SiteRole]:
    """Sites whose tissue showed the tumour ("a core biopsy of the adrenal mass showed LMS"),
    away from the primary (and from anything the report calls primary): metastases proven
    histologically."""
    if not family:
        return []
    called_primary = {
        r.site.value for rs in roles.values() for r in rs if r.role is Role.PRIMARY or r.primary_marked
    }
    out: list[SiteRole] = []
    for s in analysis.patient_sentences():
        verb = _PROOF_VERB.search(s.text)
        if verb is None or not _MATERIAL.search(s.text, 0, verb.start()):
            continue
        verb_at = s.char_start + verb.start()
        hist = [
            m
            for m in analysis.in_sentence(s.index, "histology")
            if m.value in family and m.char_start >= verb_at and _is_fact(m)
        ]
        if not hist:
            continue
        for site in analysis.in_sentence(s.index, "site"):
            if (
                site.char_end > verb_at
                or not _is_fact(site)
                or related_to_primary(analysis, site.value, primary)
            ):
                continue
            if site.value in called_primary:
                continue
            if site.nested_in == "histology" and not site.abbreviation:
                continue
            out.append(SiteRole(site, Role.METASTASIS, hist[0], None, False, False, s.index))
    return out
