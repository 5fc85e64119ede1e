"""Find ontology terms (and cue phrases) in a tokenised report.

Why not spaCy's PhraseMatcher: it compares one token attribute at a time, so it cannot
apply the ontology's own normalisation (``ontology.normalize``: case, hyphens, possessive
's, British spelling) nor a plural last word, nor skip the hyphen and apostrophe tokens
spaCy splits off. This matcher keys every token with the same normalisation the ontology's
``lookup`` uses, skips tokens that normalise to nothing, joins hyphenated fragments
("rhab-domyosarcoma", "pyloruspreserving" vs "pylorus-preserving"), and walks a trie of
the vocabulary's key sequences: what ``onto.lookup`` finds, extraction finds.

Short all-capital forms (abbreviations such as "PR", "SD", "GD", "AI", "IVC") match
case-sensitively, so "pr" or "Ai" in running text is not a term.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc

from ontology import normalize

__all__ = ["DocView", "Entry", "RawMatch", "TermMatcher", "is_case_sensitive_form", "singular", "token_key"]

_SKIP_KEYS = frozenset({"", "the"})
_CS_FORM = re.compile(r"^[A-Z0-9][A-Z0-9\-/.]*$")


def singular(word: str) -> str:
    """A crude, consistent singular: applied to both sides of a match, so it only must agree.

    >>> [singular(w) for w in ("lungs", "metastases", "vertebrae", "masses", "arteries", "pancreas")]
    ['lung', 'metastasis', 'vertebra', 'mass', 'artery', 'pancrea']
    """
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    for suffix, repl in (("ases", "asis"), ("sses", "ss"), ("ies", "y"), ("ches", "ch"), ("xes", "x")):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)] + repl
    if word.endswith("ae") and len(word) > 4:
        return word[:-1]
    if word.endswith("s"):
        return word[:-1]
    return word


@lru_cache(maxsize=1 << 16)
def token_key(text: str) -> str:
    """The comparison key of one token ("" for tokens that carry no word).

    >>> token_key("Tumours"), token_key("'s"), token_key("-"), token_key("The")
    ('tumor', '', '', 'the')
    """
    return " ".join(singular(w) for w in normalize(text).split())


def is_case_sensitive_form(form: str) -> bool:
    """Short all-capital abbreviations ("PR", "G-CSF", "IVC") are matched case-sensitively.

    >>> is_case_sensitive_form("PR"), is_case_sensitive_form("uLMS"), is_case_sensitive_form("GIST")
    (True, False, True)
    """
    letters = [c for c in form if c.isalpha()]
    return bool(_CS_FORM.match(form)) and 0 < len(letters) <= 6 and len(form) <= 10


@dataclass(frozen=True, slots=True)
class Entry:
    """What a surface form names: a kind ("site", "histology", ..., or "cue:met"...) and a value."""

    kind: str
    value: str  # an ontology IRI, or a cue's canonical phrase
    rank: int = 0  # label 0, exact 1, related 2, ... (lower is better)


@dataclass(frozen=True, slots=True)
class RawMatch:
    """A match over tokens ``start``..``end`` (exclusive) of one kind."""

    start: int
    end: int
    entry: Entry


class _Trie:
    __slots__ = ("children", "entries")

    def __init__(self) -> None:
        self.children: dict[str, _Trie] = {}
        self.entries: list[Entry] = []

    def insert(self, keys: Sequence[str], entry: Entry) -> None:
        node = self
        for key in keys:
            node = node.children.setdefault(key, _Trie())
        if entry not in node.entries:
            node.entries.append(entry)


class TermMatcher:
    """A trie over normalised token keys, built once per process from (form, entry) pairs."""

    def __init__(self, tokenizer: object, forms: Iterable[tuple[str, Entry]]) -> None:
        self._ci = _Trie()  # case-insensitive, normalised keys
        self._cs = _Trie()  # case-sensitive, exact token texts
        assert callable(tokenizer)
        for form, entry in forms:
            tokens = [t.text for t in tokenizer(form) if not t.is_space]
            if not tokens:
                continue
            if is_case_sensitive_form(form):
                self._cs.insert(tokens, entry)
                continue
            for variant in _key_variants(tokens):
                if variant:
                    self._ci.insert(variant, entry)

    def match(self, doc: Doc, view: DocView | None = None) -> list[RawMatch]:
        """Every match, longest per start and kind; overlaps between kinds are kept."""
        view = view or DocView(doc)
        keys = view.keys
        found: list[RawMatch] = []
        n = len(doc)
        for i in range(n):
            if view.space[i]:
                continue
            best: dict[str, tuple[int, Entry]] = {}
            if keys[i] not in _SKIP_KEYS:
                self._walk_ci(view, i, i, self._ci, best)
            if view.texts[i] in self._cs.children or view.texts[i][:-1] in self._cs.children:
                self._walk_cs(view, i, best)
            for _kind, (end, entry) in best.items():
                found.append(RawMatch(i, end, entry))
        return _drop_nested_same_kind(found)

    # -- internals -----------------------------------------------------------------------
    def _walk_ci(
        self, view: DocView, origin: int, i: int, node: _Trie, best: dict[str, tuple[int, Entry]]
    ) -> None:
        keys = view.keys
        n = len(keys)
        if i >= n or (i > origin and view.sent_start[i]):
            return
        key = keys[i]
        child = node.children.get(key) if key not in _SKIP_KEYS else None
        if child is not None:
            _record(child, i + 1, best)
            nxt = _next_word(keys, i + 1)
            if nxt < n and child.children:
                self._walk_ci(view, origin, nxt, child, best)
        # a hyphenated fragment joined to the next one: "rhab-domyosarcoma"
        if i + 2 < n and view.texts[i + 1] == "-" and not view.ws[i] and not view.ws[i + 1] and keys[i + 2]:
            child = node.children.get(key + keys[i + 2])
            if child is not None:
                _record(child, i + 3, best)
                nxt = _next_word(keys, i + 3)
                if nxt < n and child.children:
                    self._walk_ci(view, origin, nxt, child, best)

    def _walk_cs(self, view: DocView, i: int, best: dict[str, tuple[int, Entry]]) -> None:
        node = self._cs
        j = i
        n = len(view.texts)
        while j < n:
            text = view.texts[j]
            child = node.children.get(text)
            if child is None and j == i and text.endswith("s") and len(text) > 2:
                # a plural abbreviation as one token: "GISTs", "SFTLs"
                plural = node.children.get(text[:-1])
                if plural is not None and plural.entries and not view.glued(i, j + 1):
                    _record(plural, j + 1, best)
            if child is None:
                return
            if not view.glued(i, j + 1):
                _record(child, j + 1, best)
            node = child
            j += 1


class DocView:
    """Plain lists of what the rules read from a Doc's tokens (spaCy token access is slow in loops)."""

    __slots__ = ("alpha", "keys", "num", "punct", "sent_start", "space", "texts", "ws")

    def __init__(self, doc: Doc) -> None:
        tokens = list(doc)
        self.texts = [t.text for t in tokens]
        self.ws = [bool(t.whitespace_) for t in tokens]
        self.space = [t.is_space for t in tokens]
        self.sent_start = [bool(t.is_sent_start) for t in tokens]
        self.num = [t.like_num for t in tokens]
        self.punct = [t.is_punct for t in tokens]
        self.alpha = [t.is_alpha for t in tokens]
        self.keys = ["" if sp else token_key(tx) for tx, sp in zip(self.texts, self.space, strict=True)]

    def glued(self, start: int, end: int) -> bool:
        """An abbreviation inside a hyphenated compound ("PD-L1", "anti-VEGF") is not that term."""
        t, ws = self.texts, self.ws
        if end < len(t) - 1 and t[end] == "-" and not ws[end - 1] and not ws[end]:
            return True
        return start >= 2 and t[start - 1] == "-" and not ws[start - 2] and not ws[start - 1]


def _next_word(keys: list[str], i: int) -> int:
    while i < len(keys) and keys[i] in _SKIP_KEYS:
        i += 1
    return i


def _record(node: _Trie, end: int, best: dict[str, tuple[int, Entry]]) -> None:
    for entry in node.entries:
        kind = entry.kind
        have = best.get(kind)
        if have is None or end > have[0] or (end == have[0] and entry.rank < have[1].rank):
            best[kind] = (end, entry)


def _key_variants(tokens: list[str]) -> list[tuple[str, ...]]:
    """The form's key sequence, and the same with hyphenated fragments joined."""
    split = tuple(k for t in tokens if (k := token_key(t)) and k != "the")
    joined: list[str] = []
    i = 0
    while i < len(tokens):
        word = tokens[i]
        while i + 2 < len(tokens) and tokens[i + 1] == "-":
            word += tokens[i + 2]
            i += 2
        key = token_key(word)
        if key and key != "the":
            joined.append(key)
        i += 1
    variants = [split]
    if tuple(joined) != split:
        variants.append(tuple(joined))
    return variants


def _drop_nested_same_kind(found: list[RawMatch]) -> list[RawMatch]:
    """Within one kind keep the longest of overlapping matches (earliest on ties)."""
    by_kind: dict[str, list[RawMatch]] = {}
    for m in found:
        by_kind.setdefault(m.entry.kind, []).append(m)
    kept: list[RawMatch] = []
    for matches in by_kind.values():
        matches.sort(key=lambda m: (-(m.end - m.start), m.start))
        taken: list[RawMatch] = []
        for m in matches:
            if all(m.end <= t.start or m.start >= t.end for t in taken):
                taken.append(m)
        kept.extend(taken)
    kept.sort(key=lambda m: (m.start, -m.end))
    return kept
