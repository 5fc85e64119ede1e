"""The shapes the rule layers share: mentions found in a report, its sentences, the analysis."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from loaders.extraction._matcher import DocView

if TYPE_CHECKING:
    from loaders.extraction._pipeline import Pipeline

__all__ = ["Analysis", "Mention", "Sentence"]

# ConText categories (rules/context_rules.json) that mean "not a fact about this patient"
NOT_ASSERTED = frozenset({"NEGATED_EXISTENCE", "HYPOTHETICAL", "FAMILY"})


@dataclass(slots=True)
class Mention:
    """A term or cue found in the text, with the ConText categories that modify it.

    ``kind`` is an ontology kind ("site", "histology", "agent", "regimen", "procedure",
    "diagnostic", "radiotherapy", "response") or a cue kind ("cue:met_noun", "cue:lesion",
    ...); ``value`` the term's IRI or the cue's canonical phrase.
    """

    kind: str
    value: str
    start: int  # token offsets, end exclusive
    end: int
    char_start: int
    char_end: int
    sent: int
    text: str
    flags: set[str] = field(default_factory=set)
    abbreviation: bool = False
    nested_in: str | None = None  # kind of a longer term this one is part of

    @property
    def negated(self) -> bool:
        return "NEGATED_EXISTENCE" in self.flags

    @property
    def uncertain(self) -> bool:
        return "POSSIBLE_EXISTENCE" in self.flags

    @property
    def hypothetical(self) -> bool:
        return "HYPOTHETICAL" in self.flags

    @property
    def differential(self) -> bool:
        return "DIFFERENTIAL" in self.flags

    @property
    def historical(self) -> bool:
        return "HISTORICAL" in self.flags

    @property
    def not_given(self) -> bool:
        return bool(self.flags & {"NOT_GIVEN", "NEGATED_EXISTENCE", "HYPOTHETICAL", "FAMILY"})

    @property
    def asserted(self) -> bool:
        """Stated as present for this patient (not negated, hypothetical or a relative's)."""
        return not (self.flags & NOT_ASSERTED)


@dataclass(slots=True)
class Sentence:
    """A sentence (or heading) with what the sentence classifier found."""

    index: int
    start: int  # tokens
    end: int
    char_start: int
    char_end: int
    text: str
    generic: bool = False  # a statement about a tumour type or the literature, not the patient
    summary: bool = False  # "Here we describe a woman with ..."
    finding: bool = False  # reports a finding ("revealed", "showed", ...)


@dataclass
class Analysis:
    """Everything the rule layers read: text, tokens, sentences, mentions, the pipeline."""

    text: str
    doc: Doc
    sentences: list[Sentence]
    mentions: list[Mention]
    pipeline: Pipeline
    tokens: DocView
    by_sentence: dict[int, list[Mention]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for m in self.mentions:
            self.by_sentence.setdefault(m.sent, []).append(m)

    def in_sentence(self, index: int, kind: str | None = None) -> list[Mention]:
        """Mentions of one sentence (of one kind), in text order."""
        found = self.by_sentence.get(index, [])
        return [m for m in found if kind is None or m.kind == kind]

    def patient_sentences(self) -> list[Sentence]:
        """Sentences that may describe the patient (not general statements)."""
        return [s for s in self.sentences if not s.generic]

    def for_other_cancer(self, m: Mention, family: set[str]) -> bool:
        """A treatment of another cancer: "a lobectomy for lung carcinoma" (not in ``family``)."""
        if not family:
            return False
        for h in self.in_sentence(m.sent, "histology"):
            if h.value in family or h.start < m.end or h.start - m.end > 8:
                continue
            if " for " in f" {self.doc[m.end : h.start].text.lower()} ":
                return True
        return False
