"""Sentence classes: general statements (no patient facts), case summaries, findings.

A sentence that talks about a tumour type, patients in general or the literature
("chondrosarcoma seldom spreads to the liver", "distant relapse typically affects ...")
describes no patient: it matches a generic cue, or its subject names a kind with a
habitual present verb ("most desmoid tumours arise ...", "angiosarcomas spread ..."),
and it has no patient anchor (the patient, she, our case, N-year-old...). Such
sentences yield no facts. Under an Introduction, Background,
Discussion or Conclusion heading a sentence needs a patient anchor to count. The first
line of a report, when it has no final punctuation, is its title: like a case summary
("Here we describe a woman with ...") it says what happened but not when.
Rules: ``rules/sentences.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span

from loaders.extraction._analysis import Sentence
from loaders.extraction._rules import RULES_DIR, CueRules

__all__ = ["KindName", "classify_sentences", "has_generic_subject", "sentence_patterns"]

_KEYS = (
    "generic_cues",
    "patient_anchors",
    "summary_cues",
    "finding_cues",
    "discussion_headings",
    "other_headings",
)


@dataclass(frozen=True)
class GenericSubjectRules:
    """Word lists of the generic-subject rule (``generic_subject`` in ``rules/sentences.json``)."""

    quantifiers: tuple[tuple[str, ...], ...]  # longest first
    kind_nouns: frozenset[str]
    plural_verbs: frozenset[str]
    singular_verbs: frozenset[str]
    adverbs: frozenset[str]
    non_habitual: frozenset[str]


def _third_person(verb: str) -> str:
    """ "arise" -> "arises", "carry" -> "carries", "do" -> "does"; modals and adverbs unchanged."""
    if verb in ("can", "may", "might", "must", "should", "will", "would", "could") or verb.endswith("ly"):
        return verb
    if verb.endswith(("s", "sh", "ch", "x", "o")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


@cache
def generic_subject_rules() -> GenericSubjectRules:
    """The generic-subject word lists, read once."""
    data = json.loads((RULES_DIR / "sentences.json").read_text(encoding="utf-8"))["generic_subject"]
    verbs = [v.lower() for v in data["habitual_verbs"]]
    quantifiers = sorted((tuple(q.lower().split()) for q in data["quantifiers"]), key=len, reverse=True)
    return GenericSubjectRules(
        quantifiers=tuple(quantifiers),
        kind_nouns=frozenset(w.lower() for w in data["kind_nouns"]),
        plural_verbs=frozenset(verbs),
        singular_verbs=frozenset(_third_person(v) for v in verbs),
        adverbs=frozenset(w.lower() for w in data["adverbs"]),
        non_habitual=frozenset(w.lower() for w in data["non_habitual"]),
    )


@dataclass(frozen=True)
class KindName:
    """A histology named in the text (token span), and whether it is written in the plural."""

    start: int
    end: int
    plural: bool


_SCAN = 8  # words after the subject in which its verb is looked for


def has_generic_subject(words: list[str], kinds: list[KindName], offset: int) -> bool:
    """Whether a sentence's subject names a kind, with a habitual present verb.

    ``words``: the sentence's lower-cased word tokens (punctuation kept); ``kinds``: the
    histology names in the document; ``offset``: the token index of ``words[0]``.

    >>> has_generic_subject("most desmoid tumors arise in the abdominal wall .".split(),
    ...                     [KindName(1, 3, True)], 0)
    True
    >>> has_generic_subject("most nodules were resected .".split(), [], 0)
    False
    >>> has_generic_subject("angiosarcoma metastasizes early .".split(), [KindName(0, 1, False)], 0)
    True
    >>> has_generic_subject("the angiosarcoma metastasized early .".split(), [KindName(1, 2, False)], 0)
    False
    """
    rules = generic_subject_rules()
    i = 0
    quantified = False
    for q in rules.quantifiers:
        if tuple(words[: len(q)]) == q:
            quantified, i = True, len(q)
            break
    if i < len(words) and words[i] == "the" and quantified:
        i += 1  # "most of the ..." was a partitive: only kinds named after it count
    plural: bool | None = None
    end = i
    # the subject: a tumour type named within the first words, with only modifiers before it
    for k in kinds:
        at = k.start - offset
        if i <= at <= i + 2 and all(w.isalpha() and w not in _DETERMINERS for w in words[i:at]):
            plural, end = k.plural or quantified, k.end - offset
            break
    if plural is None:
        # or a plural noun of kind ("patients", "sarcomas") within the first words
        for j in range(i, min(i + 4, len(words))):
            if words[j] in rules.kind_nouns:
                plural, end = True, j + 1
                break
            if not words[j].isalpha() or words[j] in _DETERMINERS:
                break
        else:
            return False
        if plural is None:
            return False
    verbs = rules.plural_verbs if plural else rules.singular_verbs
    for w in words[end : end + _SCAN]:
        if w in verbs:
            return True
        if w in (",", ";", ":", "(") or w in rules.non_habitual or (w.endswith("ed") and w not in verbs):
            return False
    return False


_DETERMINERS = frozenset({"a", "an", "the", "this", "that", "her", "his", "its", "our", "their", "these"})


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


def classify_sentences(doc: Doc, rules: CueRules, kinds: list[KindName] | None = None) -> list[Sentence]:
    """The document's sentences with their classes (``kinds``: histology names, for subjects)."""
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
        generic = not anchored and (
            in_discussion or bool(pats["generic_cues"].search(stext)) or _generic_subject(sent, kinds or [])
        )
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


def _generic_subject(sent: Span, kinds: list[KindName]) -> bool:
    tokens = [t for t in sent if not t.is_space]
    if not tokens:
        return False
    words = [t.text.lower() for t in tokens]
    # offsets: kinds are token indices of the doc; map them onto the non-space token list
    index = {t.i: n for n, t in enumerate(tokens)}
    local = [
        KindName(index[k.start], index.get(k.end, index[k.end - 1] + 1), k.plural)
        for k in kinds
        if k.start in index and sent.start <= k.start < sent.end
    ]
    return has_generic_subject(words, local, 0)
