"""Sentence classes: general statements (no patient facts), case summaries, findings.

A sentence that talks about a tumour type, patients in general or the literature
("UPS mostly recurs as lung disease", "its usual metastatic sites are ...") describes no
patient: it matches a generic cue and has no patient anchor (the patient, she, our
case, N-year-old...). Such sentences yield no facts. Under an Introduction, Background,
Discussion or Conclusion heading a sentence needs a patient anchor to count. The first
line of a report, when it has no final punctuation, is its title: like a case summary
("We report a case of ...") it says what happened but not when.
Rules: ``rules/sentences.json``.
"""

from __future__ import annotations

import json
import re
from functools import cache

from spacy.tokens import Doc

from loaders.extraction._analysis import Sentence
from loaders.extraction._rules import RULES_DIR, CueRules

__all__ = ["classify_sentences", "sentence_patterns"]

_KEYS = (
    "generic_cues",
    "patient_anchors",
    "summary_cues",
    "finding_cues",
    "discussion_headings",
    "other_headings",
)


@cache
def sentence_patterns() -> dict[str, re.Pattern[str]]:
    """One compiled alternation per class in ``rules/sentences.json``."""
    data = json.loads((RULES_DIR / "sentences.json").read_text(encoding="utf-8"))
    return {key: _alternation(data[key]) for key in _KEYS}


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    """One regex for a list; a shared leading word boundary is factored out (much faster)."""
    if all(p.startswith("\\b") for p in patterns):
        return re.compile("\\b(?:" + "|".join(f"(?:{p[2:]})" for p in patterns) + ")", re.IGNORECASE)
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def classify_sentences(doc: Doc, rules: CueRules) -> list[Sentence]:
    """The document's sentences with their classes."""
    pats = sentence_patterns()
    out: list[Sentence] = []
    in_discussion = False
    text = doc.text
    first_line_end = text.find("\n", len(text) - len(text.lstrip()))
    title_end = (
        first_line_end
        if first_line_end > 0 and not text[:first_line_end].rstrip().endswith((".", "!", "?", ":", ";"))
        else -1
    )
    for n, sent in enumerate(doc.sents):
        stext = sent.text
        stripped = stext.strip()
        if pats["discussion_headings"].match(stripped):
            in_discussion = True
        elif pats["other_headings"].match(stripped):
            in_discussion = False
        anchored = bool(pats["patient_anchors"].search(stext))
        generic = not anchored and (in_discussion or bool(pats["generic_cues"].search(stext)))
        is_title = n == 0 and title_end > 0 and sent.start_char + len(stext.rstrip()) <= title_end
        out.append(
            Sentence(
                index=n,
                start=sent.start,
                end=sent.end,
                char_start=sent.start_char,
                char_end=sent.end_char,
                text=stext,
                generic=generic,
                summary=is_title or bool(pats["summary_cues"].search(stext)),
                finding=bool(pats["finding_cues"].search(stext)) and not is_title,
            )
        )
    return out
