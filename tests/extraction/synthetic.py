"""Synthetic sarcoma case reports with the facts a correct extraction must recover.

Reports of about 300 words are written from templates with varied phrasing: patient
introduction, primary tumour (histology, organ, laterality; sometimes an abbreviation
defined in the text), a pre-operative misdiagnosis, general statements about the tumour
type or the literature (distractors naming other sites), metastases with intervals in
several phrasings (months after surgery, years later, at presentation, a nodule later
called metastatic), a negated site, an uncertain lesion, treatments given (agents,
regimens by abbreviation) and one recommended but declined, response and outcome.

Vocabulary is drawn from the ontology (labels, adjectival synonyms, regimen
abbreviations), so the generator follows the ontology as extraction does. Generation
is deterministic for a seed. Used by ``tests/extraction`` and ``bench/bench_extract.py``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ontology import Ontology, OntologyTerm, load_ontology

__all__ = ["Expected", "SyntheticReport", "generate_reports"]


@dataclass
class Expected:
    """What the report says about its patient (IRIs of ontology terms)."""

    age: int
    sex: str
    histology: str
    primary_site: str
    laterality: str | None
    metastases: dict[str, float | None]  # organ IRI -> interval in months
    uncertain_metastases: set[str] = field(default_factory=set)
    negated: set[str] = field(default_factory=set)
    agents: set[str] = field(default_factory=set)
    agents_not_given: set[str] = field(default_factory=set)
    distractor_sites: set[str] = field(default_factory=set)  # named only in general statements
    response: str | None = None
    status: str = "unknown"


@dataclass
class SyntheticReport:
    text: str
    expected: Expected


_FILLER = [
    "Laboratory tests, including a complete blood count and liver function tests, were within normal limits.",
    "Her past medical history was notable only for hypertension controlled with medication.",
    "Physical examination revealed a firm, non-tender mass with no overlying skin changes.",
    "The postoperative course was uneventful and the patient was discharged on the fifth day.",
    "Immunohistochemistry showed diffuse positivity for vimentin and a Ki-67 index of about 30%.",
    "The case was discussed at the multidisciplinary tumour board of our institution.",
    "Magnetic resonance imaging was performed to define the extent of the lesion before surgery.",
    "The margins of the surgical specimen were free of tumour, with the closest margin at 4 mm.",
    "Tumour markers were within the normal ranges and serum lactate dehydrogenase was not elevated.",
    "The treatment was well tolerated, with grade 1 fatigue and mild nausea as the only adverse events.",
    "Written informed consent for publication was obtained from the patient and the family.",
    "Pain was controlled with oral analgesics and the performance status remained good.",
    "The specimen measured 7 x 5 x 4 cm and showed areas of necrosis and haemorrhage on cut section.",
    "Mitotic activity was brisk, with up to 15 mitoses per 10 high-power fields and atypical forms.",
    "Cytogenetic analysis was not performed because fresh tissue was not available at the time.",
    "Regular surveillance with imaging every three months was planned after the end of treatment.",
]
_WOMAN = ["woman", "female", "lady"]
_MAN = ["man", "male", "gentleman"]
_PROCEDURES = ["wide excision", "radical resection", "surgical resection", "marginal excision"]
_RESPONSES = {  # best first
    "complete response": [
        "a complete response was achieved",
        "the lesions disappeared, a complete remission",
    ],
    "partial response": ["a partial response was achieved", "imaging showed a partial response"],
    "stable disease": ["restaging showed stable disease"],
    "progressive disease": ["restaging showed disease progression"],
}


class _Vocab:
    """The ontology terms the generator draws from."""

    def __init__(self, onto: Ontology) -> None:
        self.onto = onto
        sarcoma = onto.find("sarcoma", "histology")
        assert sarcoma is not None
        organ_sites = [t for t in onto.terms("site") if t.organ_level]
        words_ok = [
            t for t in organ_sites if len(t.label.split()) <= 2 and t.label not in ("head", "nerve", "trunk")
        ]
        self.primaries = [
            t
            for t in words_ok
            if t.label
            in {
                "thigh",
                "uterus",
                "retroperitoneum",
                "kidney",
                "upper limb",
                "lower limb",
                "shoulder",
                "buttock",
                "chest wall",
                "stomach",
                "heart",
                "pelvis",
                "abdominal wall",
                "breast",
                "neck",
            }
        ]
        self.targets = [
            t
            for t in words_ok
            if t.label
            in {
                "lung",
                "liver",
                "bone",
                "brain",
                "pancreas",
                "adrenal gland",
                "skin",
                "pleura",
                "spleen",
                "peritoneum",
                "lymph node",
                "small intestine",
                "colon",
                "heart",
                "kidney",
                "breast",
                "spinal cord",
                "soft tissue",
            }
        ]
        leaves = [
            t
            for t in onto.terms("histology")
            if sarcoma.iri in onto.ancestors(t.iri)
            and not onto.children(t.iri)
            and "," not in t.label
            and not any(w in t.label for w in ("uterine", "bone", "soft tissue"))
        ]
        self.histologies = sorted(leaves, key=lambda t: t.label)
        self.carcinomas = [
            t for t in onto.terms("histology") if "carcinoma" in t.label and "," not in t.label
        ]
        chemo = [
            t
            for t in onto.terms("agent")
            if onto.agent_kind(t.iri) == "chemotherapy" and not onto.children(t.iri)
        ]
        self.agents = sorted((t for t in chemo if t.label.isalpha()), key=lambda t: t.label)
        self.regimens = [
            (r, abbr)
            for r in onto.terms("regimen")
            for abbr in r.exact_synonyms
            if abbr.isupper()
            and abbr.isalpha()
            and len(abbr) <= 4
            and all(onto.agent_kind(a.iri) != "supportive" for a in onto.regimen_agents(r.iri))
        ]
        self.responses = {label: onto.find(label, "response") for label in _RESPONSES}

    def adjective(self, term: OntologyTerm, rng: random.Random) -> str:
        """An adjectival synonym when the ontology has one ("pulmonary"), else the label."""
        adjs = [
            s
            for s in term.related_synonyms
            if s.isalpha() and s.islower() and s.endswith(("al", "ic", "ar", "ous"))
        ]
        return rng.choice(adjs) if adjs and rng.random() < 0.6 else term.label


# Templates: {fields} are filled from the drawn facts; each list is one slot of the report.
_GENERAL = [
    "{Hist} is a rare malignant tumour that most commonly metastasizes to the {distractor}.",
    "Metastases of {hist} to the {distractor} are usually reported in the literature as exceptional.",
    "Metastases of this tumour occur most often in the {distractor}, according to previous series.",
]
_INTRO = [
    "We report the case of a {age}-year-old {noun} with a {lat}{site_adj} {hist}{abbr_def}.",
    "A {age}-year-old {noun} presented with a painless mass of the {lat}{site}.",
    "A {age}-year-old {noun} was referred to our hospital with a growing mass in the {lat}{site}.",
]
_MISDIAGNOSIS = [
    "The lesion was initially misdiagnosed as {wrong} and observed for several months.",
    "Under the clinical diagnosis of {wrong}, {she} underwent a core needle biopsy.",
]
_DIAGNOSIS = [
    "In {when}, {she} underwent {proc} of the tumour, and histopathology confirmed a {hist}{abbr_def2}"
    " of the {lat}{site}.",
    "{She} underwent {proc} in {when}; the pathological diagnosis was {hist}{abbr_def2} arising from the"
    " {lat}{site}.",
]
_SYNCHRONOUS = "Staging computed tomography at presentation showed synchronous {adj} metastases."
_FIRST_MET = [
    "{t} months after surgery, computed tomography revealed {adj} metastases.",
    "Follow-up imaging {t} months after the initial resection showed {adj} metastases.",
    "Positron emission tomography {t} months after surgery detected a hypermetabolic lesion in the {met},"
    " and biopsy confirmed metastatic {hist_again}.",
]
_LATER_MET = [
    "{step} months later, {she} developed metastases to the {met}.",
    "After a disease-free interval of {t} months, {adj} metastases were detected.",
]
_NODULE_MET = (
    "{t} months after surgery, a nodule was found in the {met}. A biopsy of the nodule was consistent with"
    " metastatic {hist_again}."
)
_UNCERTAIN = "A small {adj} lesion was also seen, concerning for metastasis."
_NEGATED = [
    "There was no evidence of {neg_adj} involvement.",
    "The {neg} remained uninvolved throughout the course of the disease.",
    "Computed tomography showed no evidence of {neg} metastases.",
    "Staging was completed without any evidence of {neg_adj} involvement.",
]
_REGIMEN = "Systemic chemotherapy with the {regimen} regimen was started, for six cycles."
_AGENTS = "{She} received {cycles} cycles of {a1} and {a2}."
_DECLINED = [
    "Second-line treatment with {declined} was recommended, but the patient declined.",
    "{Declined} was offered as maintenance therapy, which {she} refused.",
]
_DEAD = "The patient died {months} months later from progressive disease."
_ALIVE = "The patient is currently alive and remains on follow-up in {her} outpatient clinic."
_LITERATURE = "Only a few cases of {hist} with metastases to the {distractor} have been reported."


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def generate_reports(n: int, seed: int = 0, onto: Ontology | None = None) -> list[SyntheticReport]:
    """``n`` reports with their expected facts; the same ``seed`` gives the same reports."""
    vocab = _Vocab(onto or load_ontology())
    rng = random.Random(seed)
    return [_report(vocab, rng) for _ in range(n)]


def _report(v: _Vocab, rng: random.Random) -> SyntheticReport:
    onto = v.onto
    female = rng.random() < 0.5
    hist = rng.choice(v.histologies)
    primary = rng.choice(v.primaries)
    paired = primary.label in {"kidney", "breast", "thigh", "upper limb", "lower limb", "shoulder", "buttock"}
    lat = rng.choice(["left", "right"]) if paired else None
    pool = [
        t
        for t in v.targets
        if t.iri not in onto.ancestors(primary.iri, include_self=True)
        and primary.iri not in onto.ancestors(t.iri)
    ]
    met_sites = rng.sample(pool, rng.randint(1, 3))
    rest = [t for t in pool if t not in met_sites]
    negated, distractor = rng.sample(rest, 2)
    rest = [t for t in rest if t not in (negated, distractor)]
    uncertain = rng.choice(rest) if rng.random() < 0.3 else None
    abbr = "".join(w[0] for w in hist.label.replace("-", " ").split()).upper()
    use_abbr = len(hist.label.split()) >= 3 and len(abbr) >= 3 and rng.random() < 0.5
    she = "she" if female else "he"
    f: dict[str, object] = {
        "age": rng.randint(18, 84),
        "noun": rng.choice(_WOMAN if female else _MAN),
        "she": she,
        "She": _cap(she),
        "her": "her" if female else "his",
        "hist": hist.label,
        "Hist": _cap(hist.label),
        "hist_again": abbr if use_abbr else hist.label,
        "lat": f"{lat} " if lat else "",
        "site": primary.label,
        "site_adj": v.adjective(primary, rng),
        "distractor": distractor.label,
        "neg": negated.label,
        "neg_adj": v.adjective(negated, rng),
        "proc": rng.choice(_PROCEDURES),
        "when": rng.choice(["January 2015", "March 2012", "2018", "October 2019"]),
        "wrong": rng.choice(v.carcinomas).label,
    }
    exp = Expected(
        age=int(str(f["age"])),
        sex="female" if female else "male",
        histology=hist.iri,
        primary_site=primary.iri,
        laterality=lat,
        metastases={},
        negated={negated.iri},
        distractor_sites={distractor.iri},
    )
    intro = rng.randrange(len(_INTRO))
    f["abbr_def"] = f" ({abbr})" if use_abbr and intro == 0 else ""
    f["abbr_def2"] = f" ({abbr})" if use_abbr and intro != 0 else ""
    parts = [rng.choice(_GENERAL), _INTRO[intro]]
    if rng.random() < 0.5:
        parts.append(rng.choice(_MISDIAGNOSIS))
    parts.append(rng.choice(_DIAGNOSIS))
    parts.extend(rng.sample(_FILLER, 5))
    text = [p.format(**f) for p in parts]

    # metastases, timed in months from the primary's surgery
    t = 0
    for k, site in enumerate(met_sites):
        g = {**f, "adj": v.adjective(site, rng), "met": site.label}
        if k == 0 and rng.random() < 0.25:
            text.append(_SYNCHRONOUS.format(**g))
            exp.metastases[site.iri] = 0.0
            continue
        step = rng.choice([6, 9, 12, 15, 18, 24, 30, 36, 48])
        t += step
        g.update(t=t, step=step)
        if rng.random() < 0.6:
            templates = _FIRST_MET if k == 0 or rng.random() < 0.5 else _LATER_MET
            text.append(rng.choice(templates).format(**g))
        else:
            text.append(_NODULE_MET.format(**g))
        exp.metastases[site.iri] = float(t)
    if uncertain is not None:
        text.append(_UNCERTAIN.format(adj=v.adjective(uncertain, rng)))
        exp.uncertain_metastases.add(uncertain.iri)
    text.append(rng.choice(_NEGATED).format(**f))
    text.extend(rng.sample(_FILLER, 3))

    # treatments: given, and one recommended or offered but refused
    if rng.random() < 0.5 and v.regimens:
        regimen, r_abbr = rng.choice(v.regimens)
        text.append(_REGIMEN.format(regimen=r_abbr))
        exp.agents |= {a.iri for a in onto.regimen_agents(regimen.iri)}
    else:
        a1, a2 = rng.sample(v.agents, 2)
        text.append(_AGENTS.format(**f, cycles=rng.randint(3, 8), a1=a1.label, a2=a2.label))
        exp.agents |= {a1.iri, a2.iri}
    declined = rng.choice([a for a in v.agents if a.iri not in exp.agents])
    text.append(rng.choice(_DECLINED).format(**f, declined=declined.label, Declined=_cap(declined.label)))
    exp.agents_not_given.add(declined.iri)

    # response and outcome
    label, phrases = rng.choice(list(_RESPONSES.items()))
    text.append(_cap(rng.choice(phrases)) + ".")
    responses = [v.responses[label]]
    text.append(rng.choice(_FILLER))
    if rng.random() < 0.5:
        text.append(_DEAD.format(months=rng.randint(2, 12)))
        exp.status = "dead"
        responses.append(v.responses["progressive disease"])  # "died ... from progressive disease"
    else:
        text.append(_ALIVE.format(**f))
        exp.status = "alive"
    ranked = [r for r in responses if r is not None]
    exp.response = min(ranked, key=lambda r: list(_RESPONSES).index(r.label)).iri if ranked else None
    text.append(_LITERATURE.format(**f))
    return SyntheticReport(" ".join(text), exp)
