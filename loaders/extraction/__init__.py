"""Extraction: a report's text -> case records (DESIGN.md §4) with evidence spans.

Owns the NLP pipeline and the rules that read case reports:

- ``_pipeline``: spaCy (blank English, rule-based ``sentencizer``) + the ontology term
  matcher (``_matcher``: vocabulary built at run time from ``ontology/sarcoma.ttl``
  labels and synonyms) + in-text abbreviations (``_abbreviations``) + medspaCy ConText
  (negation, uncertainty, hypothetical, historical, family, not-given, differential
  diagnosis; rules in ``rules/context_rules.json``). Built once per process.
- ``_sentences``: general statements about a tumour type or the literature yield no facts.
- ``_phrases``: the role of each site mention (metastasis, lesion, recurrence, primary).
- ``_timeline``: months from the primary diagnosis for each finding.
- ``_patient``, ``_primary``, ``_metastases``, ``_treatments``, ``_outcome``: one rule
  layer each; ``_assemble`` builds the :class:`~loaders.records.CaseRecord`.

Cue words (what marks a metastasis, a lesion, a recurrence, a generic sentence, a
treatment that was only recommended...) are rules in ``rules/*.json``; what is named
(sites, histologies, drugs, regimens, procedures, responses) comes only from the
ontology, so a synonym added there is recognised without a code change.
"""

from loaders.extraction._assemble import extract_document, extract_text
from loaders.extraction._pipeline import Pipeline, get_pipeline

__all__ = ["Pipeline", "extract_document", "extract_text", "get_pipeline"]
