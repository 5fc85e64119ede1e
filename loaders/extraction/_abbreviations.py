"""Abbreviations a report defines for itself: "undifferentiated pleomorphic sarcoma (UPS)".

The long form before the parenthesis is found with the Schwartz & Hearst (2003)
algorithm (every character of the short form appears, in order, in the long form, the
first at a word start). The short form then means whatever terms the long form names,
everywhere in the report; a short form the report defines as something the ontology
does not name ("progesterone receptor (PR)") stops meaning its ontology term.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from loaders.extraction._matcher import Entry, RawMatch

__all__ = ["Definition", "find_definitions", "schwartz_hearst_long_form"]


@dataclass(frozen=True)
class Definition:
    """A short form defined at ``sf_start``..``sf_end`` (tokens) by a long form ending at ``lf_end``."""

    short: str
    sf_start: int
    sf_end: int
    lf_start: int
    lf_end: int
    meanings: tuple[Entry, ...]


def schwartz_hearst_long_form(short: str, candidate: str) -> int | None:
    """Where the long form starts in ``candidate`` (the words before the parenthesis), or None.

    >>> text = "the tumour was an undifferentiated pleomorphic sarcoma"
    >>> text[schwartz_hearst_long_form("UPS", text):]
    'undifferentiated pleomorphic sarcoma'
    >>> schwartz_hearst_long_form("XYZ", "soft tissue sarcoma") is None
    True
    """
    s = short.lower()
    c = candidate.lower()
    s_i = len(s) - 1
    l_i = len(c) - 1
    while s_i >= 0:
        ch = s[s_i]
        if not ch.isalnum():
            s_i -= 1
            continue
        while l_i >= 0 and (c[l_i] != ch or (s_i == 0 and l_i > 0 and c[l_i - 1].isalnum())):
            l_i -= 1
        if l_i < 0:
            return None
        l_i -= 1
        s_i -= 1
    start = c.rfind(" ", 0, l_i + 1) + 1
    return start


def _short_form(doc: Doc, i: int) -> tuple[str, int] | None:
    """The short form right after the "(" at token ``i``: its text and end token."""
    j = i + 1
    parts: list[str] = []
    while j < len(doc) and len(parts) < 3:
        tok = doc[j]
        parts.append(tok.text)
        j += 1
        if tok.whitespace_ or j >= len(doc) or doc[j].text in (")", ";", ","):
            break
    if j >= len(doc) or doc[j].text not in (")", ";", ","):
        return None
    short = "".join(parts)
    letters = [c for c in short if c.isalpha()]
    if not (2 <= len(short) <= 10) or len(letters) < 2 or not short[0].isalnum():
        return None
    if sum(c.isupper() for c in letters) < 2 or " " in short:
        return None
    return short, j


def find_definitions(doc: Doc, matches: list[RawMatch]) -> list[Definition]:
    """Every "long form (SF)" definition whose long form the Schwartz-Hearst algorithm accepts."""
    found: list[Definition] = []
    for i, tok in enumerate(doc):
        if tok.text != "(":
            continue
        sf = _short_form(doc, i)
        if sf is None:
            continue
        short, sf_end = sf
        sent = tok.sent
        words = [t for t in doc[sent.start : i] if not t.is_space]
        window = words[-min(len(short) + 5, 2 * len(short)) :] if words else []
        if not window:
            continue
        base = window[0].idx
        candidate = doc.text[base : tok.idx].rstrip()
        offset = schwartz_hearst_long_form(short, candidate)
        if offset is None:
            continue
        lf_char = base + offset
        lf_start = next((t.i for t in window if t.idx + len(t.text) > lf_char), window[0].i)
        inside = [
            m for m in matches if m.start >= lf_start and m.end <= i and not m.entry.kind.startswith("cue:")
        ]
        # a term inside a longer one ("nerve" in "malignant peripheral nerve sheath tumor") is
        # part of that name
        outer = [
            m
            for m in inside
            if not any(
                o is not m and o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)
                for o in inside
            )
        ]
        meanings = tuple(dict.fromkeys(m.entry for m in outer))
        found.append(Definition(short, i + 1, sf_end, lf_start, i, meanings))
    return found
