"""A small noun-phrase grammar: what role does each site mention play in its sentence?

No parser is needed for the patterns case reports use. A sentence becomes a list of
units (a site, a histology, a metastasis/lesion/recurrence cue, a preposition, glue such
as determiners, numbers, size and shape adjectives, "and", commas...). A site then takes
its role from the head it modifies or the head whose prepositional phrase it is in:

- pre-modifier of a head: "bone and brain *metastases*" (metastasis), "splenic *nodule*"
  (lesion), "gastric *leiomyosarcoma*" (primary), "hepatic *metastatic* sarcoma"
  (metastasis), "several adrenal and metastatic *nodules*" (adrenal: lesion - a coordinated
  adjective is not a head), "*metastatic* hepatic and osseous foci" (metastasis);
- object of a preposition: "*metastases* to the brain stem", "*lesion* in the tail of the
  pancreas", "*liposarcoma* of the left calf" (primary), "*metastatic* Ewing sarcoma
  involving the kidney" (metastasis), "*chondrosarcoma* arising from the pelvis"
  (primary), "*metastases* developing in the liver" (metastasis), "*positive* nodes"
  (metastasis).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from loaders.extraction._analysis import Analysis, Mention, Sentence
from loaders.extraction._matcher import token_key

__all__ = ["Role", "SiteRole", "Unit", "sentence_roles"]

_ADJ_SUFFIXES = ("al", "ic", "ous", "ar", "ary", "ive", "oid", "ial", "eal")
_LATERALITY = {
    "left": "left",
    "right": "right",
    "bilateral": "bilateral",
    "bilaterally": "bilateral",
    "both": "bilateral",
}
_DETERMINERS = frozenset({"a", "an", "the", "her", "his", "their", "its", "this", "that"})
_HEADS = {"met_noun", "met_adj", "met_verb", "lesion", "recur", "hist"}
_OTHER_KINDS = {"procedure", "diagnostic", "agent", "regimen", "radiotherapy", "response"}
_UNIT_PRIORITY = {"other": 0, "hist": 1, "site": 2}
_AUXILIARIES = frozenset({"was", "were", "is", "are", "been", "being", "be"})
_SOURCE_WORD = re.compile(r"\b(?:from|of origin|primary to)\b", re.IGNORECASE)


class Role(Enum):
    """What a site mention says about the patient's disease."""

    METASTASIS = "metastasis"
    LESION = "lesion"  # a mass/nodule/lesion at the site, nature not stated here
    RECURRENCE = "recurrence"
    PRIMARY = "primary"  # names where the primary tumour is ("renal leiomyosarcoma")
    BARE = "bare"  # no head in reach


@dataclass(slots=True)
class Unit:
    kind: str  # site, hist, met_noun, met_adj, met_verb, lesion, recur, positive, prep, origin,
    # lat, primary, glue, coord, comma, adj, unknown, other, stop
    start: int
    end: int
    mention: Mention | None = None
    word: str = ""


@dataclass(slots=True)
class SiteRole:
    """A site mention, its role, and the head (cue or histology) that gave the role."""

    site: Mention
    role: Role
    head: Mention | None
    laterality: str | None
    primary_marked: bool = False  # "primary" in the phrase ("right scapular primary mass")
    via_prep: bool = False
    sentence: int = 0


def _units(analysis: Analysis, sent: Sentence) -> list[Unit]:
    rules = analysis.pipeline.rules
    by_start: dict[int, list[Mention]] = {}
    for m in analysis.in_sentence(sent.index):
        by_start.setdefault(m.start, []).append(m)
    tv = analysis.tokens
    units: list[Unit] = []
    i = sent.start
    while i < sent.end:
        if tv.space[i]:
            i += 1
            continue
        here = by_start.get(i, [])
        vocab = [m for m in here if not m.kind.startswith("cue:") and not _nested_in_other(m)]
        cues = [m for m in here if m.kind.startswith("cue:")]
        if vocab:
            vocab.sort(key=lambda m: (-(m.end - m.start), _UNIT_PRIORITY.get(_unit_kind(m), 3)))
            best = vocab[0]
            kind = _unit_kind(best)
            if kind == "hist":
                # a site inside the histology's name comes first: "uterine leiomyosarcoma", "uLMS"
                for s in sorted(
                    (
                        m
                        for m in analysis.in_sentence(sent.index)
                        if m.kind == "site" and best.start <= m.start < best.end and not _nested_in_other(m)
                    ),
                    key=lambda m: m.start,
                ):
                    units.append(Unit("site", s.start, s.end, s))
            lesion_here = next((c for c in cues if c.kind == "cue:lesion" and c.end == best.end), None)
            if kind == "site" and lesion_here is not None:
                # a word that is both a site and a finding: "lymphadenopathy" (lymph node + lesion)
                units.append(
                    Unit(
                        "site", best.start, best.end, _implied_site(analysis, lesion_here, best.value, units)
                    )
                )
                units.append(Unit("lesion", best.start, best.end, lesion_here))
            else:
                units.append(Unit(kind, best.start, best.end, best))
            i = best.end
            continue
        if cues:
            cues.sort(key=lambda m: -(m.end - m.start))
            c = cues[0]
            kind = c.kind[4:]
            if kind == "treat":
                kind = "other"
            if kind == "lesion" and token_key(c.text) in analysis.pipeline.implied_sites:
                implied = analysis.pipeline.implied_sites[token_key(c.text)]
                units.append(Unit("site", c.start, c.end, _implied_site(analysis, c, implied, units)))
            units.append(Unit(kind, c.start, c.end, c))
            i = c.end
            continue
        text = tv.texts[i]
        word = tv.keys[i]
        low = text.lower()
        if low in _LATERALITY:
            units.append(Unit("lat", i, i + 1, word=_LATERALITY[low]))
        elif low == "primary":
            units.append(Unit("primary", i, i + 1, word=low))
        elif text == ",":
            units.append(Unit("comma", i, i + 1))
        elif word in rules.coordinators or text in ("&", "/"):
            units.append(Unit("coord", i, i + 1, word=word))
        elif tv.num[i] or word in rules.glue or text in ("-", "×", "%") or low in ("cm", "mm", "x"):
            units.append(Unit("glue", i, i + 1, word=word))
        elif word in rules.stop_words or not word or tv.punct[i]:
            units.append(Unit("stop", i, i + 1, word=text))
        elif tv.alpha[i] and low.endswith(_ADJ_SUFFIXES) and len(low) > 4:
            units.append(Unit("adj", i, i + 1, word=word))
        else:
            units.append(Unit("unknown", i, i + 1, word=word))
        i += 1
    return units


def _nested_in_other(m: Mention) -> bool:
    return m.kind == "site" and (
        m.nested_in in _OTHER_KINDS or (m.nested_in == "histology" and not m.abbreviation)
    )


def _unit_kind(m: Mention) -> str:
    if m.kind == "histology":
        return "hist"
    if m.kind == "site":
        return "site"
    return "other"


def _implied_site(analysis: Analysis, cue: Mention, implied_iri: str, units: list[Unit]) -> Mention:
    """ "mediastinal lymphadenopathy" -> mediastinal lymph node (if the ontology has it)."""
    iri = implied_iri
    start = cue.start
    if units and units[-1].kind == "site" and units[-1].mention is not None and units[-1].end == cue.start:
        prev = units.pop()
        assert prev.mention is not None
        onto = analysis.pipeline.onto
        combined = onto.find(f"{prev.mention.text} {onto.label(implied_iri)}", "site")
        if combined is not None:
            iri = combined.iri
        start = prev.start
    doc = analysis.doc
    span = doc[start : cue.end]
    return Mention(
        "site",
        iri,
        start,
        cue.end,
        span.start_char,
        span.end_char,
        cue.sent,
        span.text,
        flags=set(cue.flags),
        abbreviation=True,
    )


def _laterality(units: list[Unit], i: int, site: Mention) -> str | None:
    words = {w.lower() for w in site.text.replace("-", " ").split()}
    for w, lat in _LATERALITY.items():
        if w in words and w != "both":
            return lat
    j = i - 1
    steps = 0
    while j >= 0 and steps < 3:
        u = units[j]
        if u.kind == "lat":
            return u.word
        if u.kind == "prep" and u.mention is not None and u.mention.text.lower().endswith(" both"):
            return "bilateral"  # "in both lungs"
        if u.kind not in ("glue", "adj", "primary"):
            return None
        j -= 1
        steps += 1
    return None


def _met_adj_before_run(units: list[Unit], i: int) -> Mention | None:
    """A "metastatic" that modifies the coordinated run of sites ending at unit ``i``."""
    j = i - 1
    while j >= 0:
        u = units[j]
        if u.kind in ("site", "glue", "lat", "adj", "coord", "comma"):
            j -= 1
            continue
        if u.kind in ("met_adj", "positive"):
            return u.mention
        return None
    return None


def _object_of_histology(units: list[Unit], i: int) -> bool:
    """Whether the site at ``i`` is the object of a preposition after a histology ("sarcoma of the X")."""
    j = i - 1
    while j >= 0 and units[j].kind in ("glue", "lat", "adj"):
        j -= 1
    if j < 0 or units[j].kind not in ("prep", "origin"):
        return False
    j -= 1
    while j >= 0 and units[j].kind in ("glue", "adj"):
        j -= 1
    return j >= 0 and units[j].kind == "hist"


def _histology_before(units: list[Unit], j: int) -> tuple[int, Mention] | None:
    """The histology that names a lesion: "DFSP lesion", "sarcoma mass" (glue may sit between)."""
    k = j - 1
    while k >= 0 and units[k].kind in ("glue", "adj"):
        k -= 1
    mention = units[k].mention if k >= 0 and units[k].kind == "hist" else None
    return (k, mention) if mention is not None else None


def sentence_roles(analysis: Analysis, sent: Sentence) -> tuple[list[SiteRole], list[Unit], list[Mention]]:
    """The role of every site mention in the sentence, its units, and the "metastatic" cues
    that only modify a coordinated noun ("pelvic and metastatic tumors")."""
    units = _units(analysis, sent)
    out: list[SiteRole] = []
    coordinated: list[Mention] = []
    for i, u in enumerate(units):
        if u.kind != "site" or u.mention is None:
            continue
        role, head, via_prep, primary = _role(
            units, i, coordinated, analysis.pipeline.rules.metastasis_adjectives
        )
        out.append(
            SiteRole(u.mention, role, head, _laterality(units, i, u.mention), primary, via_prep, sent.index)
        )
    return out, units, coordinated


def _role(
    units: list[Unit], i: int, coordinated: list[Mention], met_adjectives: tuple[str, ...]
) -> tuple[Role, Mention | None, bool, bool]:
    primary = False
    # 1. pre-modifier of a head to the right
    j = i + 1
    crossed_coord = False
    while j < len(units):
        u = units[j]
        k = u.kind
        if k in ("site", "glue", "lat", "adj"):
            j += 1
            continue
        if k in ("coord", "comma"):
            crossed_coord = True
            j += 1
            if j < len(units) and units[j].word in _DETERMINERS:
                break  # "the thigh and a pancreatic mass": a new noun phrase
            if _object_of_histology(units, i):
                break  # "sarcoma of the pelvis and synchronous lung nodules": the pelvis is the tumour's
            continue
        if k == "primary":
            primary = True
            j += 1
            continue
        if k == "met_adj":
            if crossed_coord:  # "pelvic and metastatic tumors": a coordinated modifier, not the head
                if u.mention is not None:
                    coordinated.append(u.mention)
                j += 1
                continue
            return Role.METASTASIS, u.mention, False, primary
        if k == "met_noun":
            if crossed_coord and u.mention is not None and u.mention.value.split()[0] in met_adjectives:
                # "pelvic and metastatic tumors": pelvic tumors, and metastatic ones
                coordinated.append(u.mention)
                return Role.LESION, u.mention, False, primary
            return Role.METASTASIS, u.mention, False, primary
        if k == "lesion":
            adj = _met_adj_before_run(units, i)
            if adj is not None and not primary:
                return Role.METASTASIS, adj, False, primary
            return Role.LESION, u.mention, False, primary
        if k == "recur":
            return Role.RECURRENCE, u.mention, False, primary
        if k == "hist":
            return Role.PRIMARY, u.mention, False, True
        break
    # 2. "positive lymph nodes"
    adj = _met_adj_before_run(units, i)
    if adj is not None and adj.kind == "cue:positive":
        return Role.METASTASIS, adj, False, primary
    # 3. object of a preposition whose head is to the left
    j = i - 1
    unknown = 0
    prep: Unit | None = None
    origin = False
    from_origin = False
    while j >= 0:
        u = units[j]
        k = u.kind
        if k in ("site", "glue", "lat", "coord", "comma", "adj"):
            j -= 1
            continue
        if k == "primary":
            primary = True
            j -= 1
            continue
        if k == "prep":
            prep = prep or u
            j -= 1
            continue
        if k == "origin":
            origin = True
            prep = prep or u
            from_origin = u.mention is not None and _SOURCE_WORD.search(u.mention.text) is not None
            j -= 1
            continue
        if k == "unknown" and unknown < 3 and prep is not None:
            unknown += 1
            j -= 1
            continue
        if k == "stop" and u.word == ")" and prep is not None:
            # an apposition between the head and its preposition: "liposarcoma (DDLPS) arising in"
            opening = next((n for n in range(j - 1, max(j - 8, -1), -1) if units[n].word == "("), None)
            if opening is not None:
                j = opening - 1
                continue
        if k == "stop" and u.word.lower() in _AUXILIARIES and prep is not None and unknown < 3:
            # "metastatic disease was already present in the lungs": the verb between head and place
            unknown += 1
            j -= 1
            continue
        if (
            k == "stop"
            and u.word.lower() == "from"
            and prep is None
            and j > 0
            and units[j - 1].kind in _HEADS
        ):
            origin = True
            from_origin = True
            prep = u
            j -= 1
            continue
        if k in _HEADS and prep is not None:
            if origin and k in ("met_noun", "met_verb") and not from_origin:
                # "metastases developed in / arising in the lungs" place the metastases there;
                # only "metastases from the kidney" names where they came from
                return Role.METASTASIS, u.mention, True, primary
            if origin:
                return Role.PRIMARY, u.mention, True, True
            if k in ("met_noun", "met_verb", "met_adj"):
                return Role.METASTASIS, u.mention, True, primary
            if k == "lesion":
                adj = _met_adj_before_run(units, j)
                if adj is not None and adj.kind != "cue:positive":
                    return Role.METASTASIS, adj, True, primary
                found = _histology_before(units, j)
                if found is not None:  # "a GIST nodule in the stomach wall"
                    k_hist, hist = found
                    met = _met_adj_before_run(units, k_hist)
                    if met is not None and met.kind == "cue:met_adj":
                        return Role.METASTASIS, met, True, primary
                    return Role.PRIMARY, hist, True, True
                return Role.LESION, u.mention, True, primary
            if k == "recur":
                return Role.RECURRENCE, u.mention, True, primary
            if k == "hist":
                adj = _met_adj_before_run(units, j)
                if adj is not None and adj.kind == "cue:met_adj":
                    return Role.METASTASIS, adj, True, primary
                return Role.PRIMARY, u.mention, True, True
        break
    return Role.BARE, None, False, primary
