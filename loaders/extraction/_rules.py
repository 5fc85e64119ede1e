"""The rule data of extraction (``rules/*.json``), read once per process.

Rules are about case-report *language* (negation and uncertainty triggers, words that
mark a metastasis, a lesion or a recurrence, treatment words, phrase glue); what is
named (sites, histologies, drugs, procedures...) comes from the ontology. Keeping the
rules in data files lets a curator read and extend them without touching the code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from loaders.extraction._matcher import token_key

__all__ = ["RULES_DIR", "CueRules", "cue_rules"]

RULES_DIR = Path(__file__).with_name("rules")
CONTEXT_RULES_FILE = RULES_DIR / "context_rules.json"


@dataclass(frozen=True)
class CueRules:
    """Cue phrases by role, and the word classes the phrase grammar (``_phrases``) uses."""

    metastasis_nouns: tuple[str, ...]
    metastasis_adjectives: tuple[str, ...]
    metastasis_verbs: tuple[str, ...]
    lesion_nouns: tuple[str, ...]
    recurrence_nouns: tuple[str, ...]
    positive_words: tuple[str, ...]
    implied_sites: dict[str, str]
    treatment_words: dict[str, tuple[str, ...]]
    glue: frozenset[str]
    coordinators: frozenset[str]
    attach_preps: tuple[str, ...]
    origin_preps: tuple[str, ...]
    stop_words: frozenset[str]
    not_primary_histologies: tuple[str, ...] = ()

    def cue_forms(self) -> list[tuple[str, str, str]]:
        """(phrase, cue kind, canonical phrase) for the matcher."""
        out: list[tuple[str, str, str]] = []
        for kind, phrases in (
            ("cue:met_noun", self.metastasis_nouns),
            ("cue:met_adj", self.metastasis_adjectives),
            ("cue:met_verb", self.metastasis_verbs),
            ("cue:lesion", self.lesion_nouns),
            ("cue:recur", self.recurrence_nouns),
            ("cue:positive", self.positive_words),
            ("cue:prep", self.attach_preps),
            ("cue:origin", self.origin_preps),
        ):
            out.extend((p, kind, p) for p in phrases)
        out.extend((p, "cue:treat", p) for p in self.treatment_words)
        return out


def _keys(words: list[str]) -> frozenset[str]:
    return frozenset(token_key(w) for w in words if token_key(w))


@cache
def cue_rules() -> CueRules:
    """The cue rules from ``rules/cues.json`` (cached)."""
    data: dict[str, Any] = json.loads((RULES_DIR / "cues.json").read_text(encoding="utf-8"))
    implied = {k: v for k, v in data["implied_sites"].items() if not k.startswith("_")}
    treatments = {k: tuple(v) for k, v in data["treatment_words"].items() if not k.startswith("_")}
    return CueRules(
        metastasis_nouns=tuple(data["metastasis_nouns"]),
        metastasis_adjectives=tuple(data["metastasis_adjectives"]),
        metastasis_verbs=tuple(data["metastasis_verbs"]),
        lesion_nouns=tuple(data["lesion_nouns"]),
        recurrence_nouns=tuple(data["recurrence_nouns"]),
        positive_words=tuple(data["positive_words"]),
        implied_sites=implied,
        treatment_words=treatments,
        glue=_keys(data["group_glue"]),
        coordinators=_keys(data["coordinators"]),
        attach_preps=tuple(data["attach_preps"]),
        origin_preps=tuple(data["origin_preps"]),
        stop_words=_keys(data["stop_words"]),
        not_primary_histologies=tuple(data.get("not_primary_histologies", {}).get("labels", [])),
    )
