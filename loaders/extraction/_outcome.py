"""Best response and outcome (vital status, follow-up).

Best response: the best RECIST category the report says was achieved (complete >
partial > stable > progressive), from the ontology's response terms ("partial
remission", "PR", "disease progression"...), not negated, hypothetical or general.

Outcome: "died", "expired", "succumbed" -> dead; "alive", "remains disease-free",
"currently on maintenance", "has no recurrence", "discharged", "so far" -> alive.
Follow-up months: the timeline's clock at that sentence, or an explicit "follow-up of
N months", whichever is later.
"""

from __future__ import annotations

import re

from loaders.extraction._analysis import Analysis
from loaders.extraction._numbers import DURATION_UNIT, NUMBER, duration_months
from loaders.extraction._timeline import Timeline
from loaders.records import Evidence, Outcome
from ontology import SMO

__all__ = ["best_response", "extract_outcome"]

_RANK = {
    str(SMO.CompleteResponse): 0,
    str(SMO.PartialResponse): 1,
    str(SMO.StableDisease): 2,
    str(SMO.ProgressiveDisease): 3,
}
_DEAD = re.compile(
    r"\b(?:died|dies|expired|passed away|succumbed|was deceased|(?:her|his|the patient'?s) death)\b",
    re.IGNORECASE,
)
_ALIVE = re.compile(
    r"\b(?:(?:is|was|remains|remained|has remained|is still|stays|continues to be|currently)\s+"
    r"(?:alive|well|doing well|disease[- ]free|free of (?:disease|recurrence|tumou?r)|"
    r"in (?:complete )?remission|"
    r"without (?:any )?(?:evidence of )?(?:disease|recurrence)|asymptomatic|"
    r"on (?:\w+ )?(?:therapy|treatment)|"
    r"under (?:\w+ )?(?:surveillance|follow-up|observation))"
    r"(?!\s+(?:until|till|up to))"
    # treatment that goes on now: the patient is alive ("continues on maintenance treatment",
    # "is still receiving pazopanib", "remains under follow-up")
    r"|(?:continues|remains|is still|is currently|is now|stays)\s+(?:on|with|under)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:therapy|treatment|chemotherapy|immunotherapy|surveillance|follow-up|"
    r"observation|care|\w+(?:mab|nib|ib))"
    r"|continues to (?:receive|take|undergo|be (?:treated|followed|monitored)|do well|attend)"
    r"|(?:is|are) (?:still |currently |now )?(?:receiving|undergoing|being (?:treated|followed))"
    r"|alive|currently|presently|to date|so far|at present|has maintained|discharged|is doing well"
    r"|(?:has|had) no (?:evidence of )?(?:recurrence|disease)|no evidence of disease)\b",
    re.IGNORECASE,
)
_FOLLOW_UP = re.compile(
    rf"\b(?:follow(?:ed)?[- ]?up(?:\s+\w+)?\s+(?:of|for)\s+(?:\w+\s+)?"
    rf"(?P<num>{NUMBER})[\s-]+(?P<unit>{DURATION_UNIT})"
    rf"|(?P<num2>{NUMBER})[\s-]+(?P<unit2>{DURATION_UNIT})\s+(?:of\s+)?follow[- ]?up)",
    re.IGNORECASE,
)


def best_response(analysis: Analysis) -> str | None:
    """IRI of the best response achieved, or None."""
    best: tuple[int, str] | None = None
    for s in analysis.patient_sentences():
        for m in analysis.in_sentence(s.index, "response"):
            if not m.asserted or m.uncertain:
                continue
            rank = _RANK.get(m.value, 9)
            if best is None or rank < best[0]:
                best = (rank, m.value)
    return best[1] if best else None


def extract_outcome(analysis: Analysis, timeline: Timeline) -> Outcome:
    """Vital status and follow-up in months, with evidence."""
    text = analysis.text
    status = "unknown"
    evidence: list[Evidence] = []
    follow: float | None = None
    for pattern, value in ((_DEAD, "dead"), (_ALIVE, "alive")):
        for s in analysis.patient_sentences():
            m = pattern.search(text, s.char_start, s.char_end)
            if m is None:
                continue
            status = value
            evidence.append(Evidence(start=m.start(), end=m.end(), text=text[m.start() : m.end()]))
            last = None
            for later in analysis.patient_sentences():
                if later.index >= s.index and pattern.search(later.text):
                    last = timeline.sentence_time.get(later.index)
            follow = last
            break
        if status != "unknown":
            break
    for s in analysis.patient_sentences():
        for m in _FOLLOW_UP.finditer(s.text):
            num = m.group("num") or m.group("num2")
            unit = m.group("unit") or m.group("unit2")
            months = duration_months(num, unit) if num and unit else None
            if months is not None and (follow is None or months > follow):
                follow = months
                start = s.char_start + m.start()
                evidence.append(
                    Evidence(
                        start=start, end=s.char_start + m.end(), text=text[start : s.char_start + m.end()]
                    )
                )
    return Outcome(status=status, follow_up_months=follow, evidence=evidence)
