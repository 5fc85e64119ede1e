"""Text normalisation shared by term lookup and extraction.

Both sides of a match (the ontology's labels and synonyms, and the words of a report) go
through :func:`normalize`, so the rules may over-normalise without ever causing a miss.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize", "singular_variants"]

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_POSSESSIVE = re.compile(r"'s\b")
_NON_WORD = re.compile(r"[^0-9a-z]+")
# British -> American spellings, applied per token (order matters).
_SPELLING: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(tum|col|behavi|fav|hum)our"), r"\1or"),
    (re.compile(r"^oe(?=[a-z])"), "e"),  # oesophagus, oedema, oestrogen
    (re.compile(r"(?<=[a-z])ae(?=[a-z])"), "e"),  # haemangioma, paediatric, leukaemia (not vertebrae)
    (re.compile(r"(?<=[a-z])oe(?=[a-z])"), "e"),  # diarrhoea, foetal
    (re.compile(r"(?<=[a-z])is(e|ed|es|ing|ation|ations)$"), r"iz\1"),  # metastasise
    (re.compile(r"^(cen|fib|lit)re(s?)$"), r"\1ter\2"),
)


def _token(word: str) -> str:
    for pattern, repl in _SPELLING:
        word = pattern.sub(repl, word)
    return word


def normalize(text: str) -> str:
    """The form used to compare labels, synonyms and report words.

    Case, hyphens, punctuation, possessive 's, accents and British/American spelling
    do not matter:

    >>> normalize("Ewing's sarcoma")
    'ewing sarcoma'
    >>> normalize("Malignant peripheral nerve-sheath tumour")
    'malignant peripheral nerve sheath tumor'
    >>> normalize("epithelioid haemangioendothelioma") == normalize("Epithelioid hemangioendothelioma")
    True
    >>> normalize("Oesophagus")
    'esophagus'
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_APOSTROPHES).lower()
    text = _POSSESSIVE.sub("", text).replace("'", "")
    return " ".join(_token(w) for w in _NON_WORD.sub(" ", text).split())


_PLURALS: tuple[tuple[str, str], ...] = (
    ("ases", "asis"),  # metastases
    ("ses", "sis"),  # diagnoses
    ("ies", "y"),  # arteries
    ("ches", "ch"),
    ("xes", "x"),
    ("ae", "a"),  # vertebrae
    ("i", "us"),  # bronchi
    ("es", "e"),
    ("s", ""),  # lungs, bones
)


def singular_variants(normalized: str) -> list[str]:
    """Candidate singular forms of a normalised phrase (its last word made singular).

    >>> singular_variants("lungs")
    ['lung']
    >>> singular_variants("vertebrae")
    ['vertebra']
    >>> singular_variants("liver")
    []
    """
    head, _, last = normalized.rpartition(" ")
    out: list[str] = []
    for suffix, repl in _PLURALS:
        if last.endswith(suffix) and len(last) > len(suffix) + 2:
            cand = last[: -len(suffix)] + repl
            form = f"{head} {cand}" if head else cand
            if form not in out:
                out.append(form)
            if suffix in ("ases", "ies", "ae", "i"):
                break
    if last.endswith("ss") or last.endswith("us") or last.endswith("is"):
        return []
    return out[:2]
