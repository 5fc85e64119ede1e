"""Reports that describe several patients: "Case 1: ... Case 2: ...".

A case series numbers its patients at the start of a sentence or heading ("Case 1",
"Patient 2", "Case II"). With two or more such markers, each patient's record is
extracted from its own part of the text (from its marker to the next); everything else
(introduction, discussion) then counts as general text. Evidence offsets stay offsets
into the whole report.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise

from loaders.extraction._analysis import Analysis

__all__ = ["patient_views"]

_MARKER = re.compile(
    r"^\W*(?:case|patient)\s*(?:no\.?\s*)?(\d{1,2}|[ivx]{1,4})\b(?!\s*(?:%|years?|months?))", re.IGNORECASE
)


def patient_views(analysis: Analysis) -> list[Analysis]:
    """One analysis per patient: the whole report, or one per numbered case of a series."""
    starts: list[tuple[int, str]] = []
    for s in analysis.sentences:
        m = _MARKER.match(s.text)
        if m and m.group(1).lower() not in {label for _i, label in starts}:
            starts.append((s.index, m.group(1).lower()))
    if len(starts) < 2:
        return [analysis]
    views: list[Analysis] = []
    bounds = [index for index, _label in starts] + [len(analysis.sentences)]
    for first, end in pairwise(bounds):
        sentences = [s if first <= s.index < end else replace(s, generic=True) for s in analysis.sentences]
        views.append(
            Analysis(
                analysis.text, analysis.doc, sentences, analysis.mentions, analysis.pipeline, analysis.tokens
            )
        )
    return views
