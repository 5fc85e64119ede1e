"""When did each finding happen, in months from the primary diagnosis (or its treatment)?

A walk through the patient sentences in text order keeps a clock:

- explicit expressions set it: "20 months after the amputation" (20), "3 years later"
  (clock + 36), "within 8 weeks of surgery" (2), "two years prior to detection of X" (X at
  clock + 24), "after 9 months free of relapse" (last treatment + 9), "at 30 months" (30),
  dates ("in 2011" ... "until March 2016": 60), "at presentation"/"synchronous" (0);
- relative expressions chain: "six months after that" and "a year later" count from the
  event told just before (an earlier expression of the same sentence, else the clock);
  "after that second operation" from the latest treatment;
- "7 years ago"/"Before 7 years"/"3 years previously" put the index presentation at 84
  or 36 months after the primary: the report's opening findings happen then;
- "in few months", "later", "eventually" make the clock unknown;
- at the start the clock reads 0 (the initial work-up) until the first treatment, except
  for findings the sentence places later ("developed", "new", "late", "history of") and
  for case summaries ("Here we describe a woman with ...") that place nothing in time.

An expression belongs to the finding nearest to it in the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from loaders.extraction._analysis import Analysis, Mention, Sentence
from loaders.extraction._numbers import DURATION_UNIT as U
from loaders.extraction._numbers import NUMBER as N
from loaders.extraction._numbers import duration_months

__all__ = ["Expression", "Timeline", "build_timeline", "find_expressions"]

_Q = (
    r"(?:(?:approximately|about|nearly|almost|around|roughly|some|over|more than|less than|at least|only|"
    r"another|a further|an additional|a total of|for)\s+)?"
)
_FREE = r"(?:progression|disease|symptom|relapse|recurrence|event|metastasis|metastases|tumou?r)[\s-]+free"
_FREE_SPAN = rf"{_FREE}(?:\s+survival|\s+interval|\s+period)?"
_DUR = rf"{_Q}(?P<num>{N})[\s-]+(?P<unit>{U})"  # "approximately 4 years"
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MONTH_NUM = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
_EVENT = r"(?:diagnosis|presentation|surgery|resection|operation|treatment)"
_AT = r"\b(?:at|upon|on)\s+(?:the\s+)?(?:time\s+of\s+)?(?:the\s+)?(?:initial\s+|first\s+)?"
_VAGUE = r"(?:few|several|some|many)"

# (kind, pattern) in priority order: an earlier pattern wins an overlap
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(p, re.IGNORECASE))
    for kind, p in (
        ("survival", rf"\b(?:after|following)\s+{_DUR}\s+of\s+{_FREE}"),
        (
            "survival",
            rf"\b{_FREE_SPAN}(?:\s+time)?\s+(?:after|since)\s+[^.;]{{0,40}}?"
            rf"\b(?:has been|was|is|of|for)\s+{_DUR}",
        ),
        (
            "within",
            rf"\bwithin\s+{_DUR}\s+(?:of|after|from)\s+(?:the\s+|her\s+|his\s+)?"
            rf"(?:initial\s+|primary\s+|first\s+)?{_EVENT}",
        ),
        ("after", rf"\b{_DUR}\s*(?:-\s*)?(?:after|post|following|since|from)\b(?P<anchor>[^.;,()]{{0,60}})"),
        ("later", rf"\b{_DUR}\s+(?:later|afterwards?|thereafter|subsequently)\b"),
        # "disease-free at 24 months", "at 18 months, CT showed ...": counted from the diagnosis
        ("within", rf"\bat\s+(?P<num>{N})[\s-]+(?P<unit>{U})\b(?!\s+(?:of\s+age|old|of\s+life))"),
        ("prior", rf"\b{_DUR}\s+(?:prior to|before)\s+(?!that\b|this\b)(?=[a-z])"),
        ("retro", rf"\b{_DUR}\s+(?:ago|previously|earlier|before|prior)\b"),
        ("retro", rf"\bbefore\s+(?P<num>{N})[\s-]+(?P<unit>{U})\b(?!\s+(?:after|of|from))"),
        ("survival", rf"\b(?P<num>{N})[\s-]+(?P<unit>{U})\s+(?:of\s+)?{_FREE}"),
        ("survival", rf"\b{_FREE_SPAN}\s+(?:of|for)\s+{_DUR}"),
        (
            "survival",
            rf"\b(?:remained|remains|was|been|stayed|lived)\s+(?:well|{_FREE}|free of disease|asymptomatic)"
            rf"\s+(?:for|during)\s+{_DUR}",
        ),
        (
            "duration",
            rf"\b(?:achieved|maintained|lasted|continued|persisted|durable)\b[^.;]{{0,30}}\bfor\s+{_DUR}",
        ),
        (
            "date",
            rf"\b(?:{_MONTH}\.?,?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?"
            rf"|(?:in|since|until|till|by|during|from|of|early|late|mid|on)\s+)(?P<year>(?:19|20)\d{{2}})\b",
        ),
        (
            "diagnosis0",
            rf"{_AT}(?:diagnosis|staging|initial work-?up)\b|\bsynchronous(?:ly)?\b|\bde novo metastatic\b",
        ),
        ("index0", rf"{_AT}(?:presentation|admission|referral)\b"),
        (
            "postop",
            r"\b(?:in|during)\s+the\s+(?:early\s+|immediate\s+)?post-?operative\s+(?:period|course)\b"
            r"|\bpostoperatively\b",
        ),
        (
            "unknown",
            rf"\b(?:in|within|after)\s+(?:a\s+)?{_VAGUE}\s+{U}\b|\b{_VAGUE}\s+{U}\s+later\b"
            r"|\beventually\b|\blater\b",
        ),
    )
]
_PRESENTATION = re.compile(
    r"\b(?:presented|presents|presentation|admitted|referred|referral|represented|consulted)\b", re.IGNORECASE
)
_LATER_CUES = re.compile(
    r"\b(?:developed|develops|developing|new|newly|late|later|metachronous|eventually|subsequently|relapsed|"
    r"metastasi[sz]ed|had (?:spread|progressed)|"
    r"recurred|progressed|restaging|re-staging|thereafter|afterwards?)\b",
    re.IGNORECASE,
)
_LATER_ANCHOR = re.compile(
    r"\b(?:last|latest|second|third|recent|previous|metastasectomy|re-?operation|re-?resection)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r";")
_TREATMENT_KINDS = {"procedure", "agent", "regimen", "radiotherapy", "cue:treat"}
# an operation told by its verb alone ("the nodule was excised") is an event on the timeline too
_SURGICAL_VERB = re.compile(
    r"\b(?:was|were|had been|been|being)\s+(?:\w+ly\s+)?(?:re-?)?"
    r"(?:resected|excised|removed|operated(?:\s+on)?|amputated|enucleated|debulked)\b",
    re.IGNORECASE,
)
# an anchor that points back to the event told just before ("five months after that")
_ANAPHORIC = re.compile(r"^\s*(?:that|this|which|it|then|the latter|these|those)\b", re.IGNORECASE)
_DEMONSTRATIVE_EVENT = re.compile(
    r"^\s*(?:that|this|these|those|the latter)\s+(?:\w+\s+){0,2}"
    r"(?:operations?|surger(?:y|ies)|resections?|excisions?|procedures?|treatments?|therapy|"
    r"interventions?|chemotherapy|radiotherapy)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Expression:
    """A time expression at ``start``..``end`` (document characters)."""

    kind: str
    start: int
    end: int
    months: float | None = None
    year: int | None = None
    month: int | None = None
    anchor: str = ""


# every pattern needs one of these: most sentences have none and are skipped at once
_ANY_TIME = re.compile(
    rf"\b(?:{U}|synchronous\w*|diagnosis|staging|presentation|admission|referral|post-?operative\w*|later|"
    r"eventually|work-?up|de novo)\b|\b(?:19|20)\d\d\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def find_expressions(text: str, offset: int = 0) -> list[Expression]:
    """Time expressions in ``text`` (one sentence), earliest first; overlaps go to the stronger.

    >>> [(e.kind, e.months) for e in find_expressions("nodules 15 months after nephrectomy")]
    [('after', 15.0)]
    >>> [(e.kind, e.months) for e in find_expressions("Before 7 years, he was operated on")]
    [('retro', 84.0)]
    """
    taken: list[Expression] = []
    if not _ANY_TIME.search(text):
        return taken
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            if any(start < e.end - offset and e.start - offset < end for e in taken):
                continue
            groups = m.groupdict()
            months = None
            if groups.get("num") and groups.get("unit"):
                months = duration_months(groups["num"], groups["unit"], upper_bound=(kind == "within"))
                if months is None:
                    continue
            year = int(groups["year"]) if groups.get("year") else None
            month = _MONTH_NUM.get((groups.get("month") or "")[:3].lower())
            taken.append(
                Expression(
                    kind, start + offset, end + offset, months, year, month, groups.get("anchor") or ""
                )
            )
    taken.sort(key=lambda e: e.start)
    return taken


@dataclass
class _Clock:
    t: float | None = 0.0
    initial: bool = True


@dataclass
class Timeline:
    """Months from the primary diagnosis for mentions and sentences (None when unknown)."""

    mention_time: dict[int, float | None] = field(default_factory=dict)  # id(mention) -> months
    sentence_time: dict[int, float | None] = field(default_factory=dict)  # sentence -> months after it
    index_months: float = 0.0
    last_known: float | None = None

    def of(self, mention: Mention) -> float | None:
        """The time of a mention the timeline has seen."""
        return self.mention_time.get(id(mention))


def build_timeline(
    analysis: Analysis,
    timed: dict[int, list[Mention]],
    *,
    primary_histologies: set[str],
    index_sentences: set[int],
) -> Timeline:
    """Walk the patient sentences and time the ``timed`` mentions of each sentence.

    ``primary_histologies``: IRIs of the primary's histology (and its relatives), so a
    time anchored on another cancer ("3 years after a colectomy for colon carcinoma")
    is ignored. ``index_sentences``: sentences about the index episode (metastases),
    used when a sentence also dates the primary ("... resection 5 years ago").
    """
    sentences = analysis.patient_sentences()
    exprs = {s.index: find_expressions(s.text, s.char_start) for s in sentences}
    index_months = next(
        (e.months for s in sentences for e in exprs[s.index] if e.kind == "retro" and e.months), 0.0
    )
    timeline = Timeline(index_months=index_months or 0.0)
    first_date: tuple[int, int | None, float] | None = None  # (year, month, months at that date)
    clock = _Clock(t=timeline.index_months)
    last_treatment: float | None = None
    for s in sentences:
        start_t, start_initial = clock.t, clock.initial
        found = [e for e in exprs[s.index] if not _other_cancer(analysis, s, e, primary_histologies)]
        values: list[tuple[Expression, float | None]] = []
        # a treatment named inside a time expression ("after the initial resection") is an anchor
        treat = [
            m
            for m in analysis.in_sentence(s.index)
            if m.kind in _TREATMENT_KINDS
            and m.asserted
            and not m.not_given
            and not analysis.for_other_cancer(m, primary_histologies)
            and not any(e.start <= m.char_start and m.char_end <= e.end for e in exprs[s.index])
        ]
        surgical = [v.start() + s.char_start for v in _SURGICAL_VERB.finditer(s.text)]
        events = [m.char_start for m in treat] + surgical
        if events and start_t is not None:
            last_treatment = start_t
        # relative expressions chain: "after that", "N months later" count from the event told
        # just before, which may be an earlier expression of the same sentence
        previous = start_t
        for e in found:
            value: float | None
            if e.kind == "date" and e.year is not None:
                if first_date is None:
                    at = 0.0 if _is_retro_sentence(exprs[s.index]) or not index_months else index_months
                    first_date = (e.year, e.month, at)
                value = _months_between(first_date, e.year, e.month)
            elif e.kind == "after":
                base: float | None
                if _DEMONSTRATIVE_EVENT.match(e.anchor) or _LATER_ANCHOR.search(e.anchor):
                    # "after that second operation", "after the last surgery": the latest treatment
                    base = last_treatment if last_treatment is not None else previous
                elif _ANAPHORIC.match(e.anchor):
                    base = previous if previous is not None else last_treatment
                else:
                    base = 0.0
                value = base + (e.months or 0.0) if base is not None else None
            elif e.kind == "within":
                value = e.months
            elif e.kind in ("later", "prior", "duration"):
                # "2 years later": after the last timed event (a treatment stops the initial clock)
                since = previous if previous is not None else last_treatment
                value = since + e.months if since is not None and e.months is not None else None
            elif e.kind == "survival":
                since = last_treatment if last_treatment is not None else start_t
                value = since + e.months if since is not None and e.months is not None else None
            elif e.kind == "retro" or e.kind == "diagnosis0":
                value = 0.0
            elif e.kind == "index0":
                value = timeline.index_months
            elif e.kind == "postop":
                value = last_treatment if last_treatment is not None else start_t
            else:  # unknown
                value = None
            values.append((e, value))
            if value is not None and e.kind not in ("retro", "prior"):
                previous = value
        for m in timed.get(s.index, []):
            timeline.mention_time[id(m)] = _time_for(
                analysis, s, m, values, start_t, start_initial, timeline, s.index in index_sentences
            )
        # advance the clock
        if values:
            last_e, last_v = values[-1]
            if last_e.kind == "retro":
                clock.t = timeline.index_months if s.index in index_sentences else None
            elif last_e.kind == "prior":
                clock.t = last_v
            else:
                clock.t = last_v
            clock.initial = False
            if events and last_v is not None and last_e.kind not in ("survival", "retro"):
                last_treatment = last_v
            elif last_e.kind == "survival" and last_v is not None and any(at >= last_e.end for at in events):
                # "after 10 months free of disease, a recurrence was excised": the operation ends it
                last_treatment = last_v
            if events and values[-1][0].kind == "retro":
                last_treatment = timeline.index_months if s.index in index_sentences else 0.0
        elif _PRESENTATION.search(s.text) and (clock.t is None or clock.initial):
            clock.t = timeline.index_months
            clock.initial = False
        elif events and clock.initial:
            clock.t = None
            clock.initial = False
        timeline.sentence_time[s.index] = clock.t
        if clock.t is not None:
            timeline.last_known = clock.t
    return timeline


def _time_for(
    analysis: Analysis,
    s: Sentence,
    m: Mention,
    values: list[tuple[Expression, float | None]],
    start_t: float | None,
    start_initial: bool,
    timeline: Timeline,
    index_sentence: bool,
) -> float | None:
    pos = m.char_start
    candidates = [(e, v) for e, v in values if not (e.kind == "prior" and e.start > pos)]
    # an expression in the mention's own clause wins over a nearer one across a semicolon
    same_clause = [(e, v) for e, v in candidates if not _CLAUSE_BREAK.search(analysis.text, *_between(e, m))]
    candidates = same_clause or candidates
    before_prior = any(e.kind == "prior" and e.start > pos for e, _ in values)
    if candidates and not before_prior:
        e, v = min(candidates, key=lambda ev: _distance(ev[0], m))
        if e.kind == "retro":
            return timeline.index_months if index_sentence and m.sent == s.index else v
        return v
    if s.summary and not s.finding:
        return None
    if m.historical:
        return None
    if start_t is None:
        return None
    if start_initial and _LATER_CUES.search(analysis.text, s.char_start, m.char_start):
        return None
    return start_t


def _between(e: Expression, m: Mention) -> tuple[int, int]:
    return (e.end, m.char_start) if e.end <= m.char_start else (m.char_end, max(m.char_end, e.start))


def _distance(e: Expression, m: Mention) -> int:
    if e.end <= m.char_start:
        return m.char_start - e.end
    if m.char_end <= e.start:
        return e.start - m.char_end
    return 0


def _months_between(first: tuple[int, int | None, float], year: int, month: int | None) -> float:
    y0, m0, at = first
    months = (year - y0) * 12.0
    if m0 is not None and month is not None:
        months += month - m0
    return at + months


def _is_retro_sentence(exprs: list[Expression]) -> bool:
    return any(e.kind == "retro" for e in exprs)


def _other_cancer(analysis: Analysis, s: Sentence, e: Expression, primary: set[str]) -> bool:
    """An "after" anchored on a different cancer: "3 years after a colectomy for colon carcinoma"."""
    if e.kind != "after" or not e.anchor or not primary:
        return False
    anchor_end = e.end
    anchor_start = e.end - len(e.anchor)
    return any(
        m.kind == "histology" and m.value not in primary and anchor_start <= m.char_start < anchor_end
        for m in analysis.in_sentence(s.index)
    )
