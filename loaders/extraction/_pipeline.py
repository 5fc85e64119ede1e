"""The NLP pipeline: spaCy tokens and sentences, ontology terms, abbreviations, ConText.

Built lazily, once per process and ontology version (:func:`get_pipeline`): medspaCy's
TargetRules/ConText objects do not pickle, so a process pool builds its own in each
worker. spaCy's rule-based ``sentencizer`` (not medspaCy's PyRuSH: same sentences here,
about ten times faster) plus a small rule for headings and blank lines splits sentences.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from loaders.extraction._abbreviations import find_definitions
from loaders.extraction._analysis import Analysis, Mention
from loaders.extraction._matcher import DocView, Entry, RawMatch, TermMatcher, singular
from loaders.extraction._rules import CONTEXT_RULES_FILE, CueRules, cue_rules
from loaders.extraction._sentences import KindName, classify_sentences
from ontology import SMO, Ontology, load_ontology, normalize

__all__ = ["Pipeline", "get_pipeline"]

SPAN_GROUP = "sarcokg_targets"
_SCOPE_RANK = {"label": 0, "exact": 1, "related": 2, "narrow": 3, "broad": 4}
_AGENT_ROOTS = {
    str(SMO.DrugAgent),
    str(SMO.ChemotherapyAgent),
    str(SMO.TargetedAgent),
    str(SMO.ImmunotherapyAgent),
    str(SMO.SupportiveAgent),
}
_NOT_TARGETS = frozenset({"cue:prep", "cue:origin"})
_SHORT_LINE = re.compile(r"^[^.;:!?]{1,60}$")


def _silence_loguru() -> None:
    try:
        from loguru import logger

        logger.disable("medspacy")
        logger.disable("PyRuSH")
    except ImportError:  # pragma: no cover - loguru comes with medspaCy
        pass


class Pipeline:
    """spaCy + ontology matcher + ConText for one ontology version."""

    def __init__(self, onto: Ontology) -> None:
        _silence_loguru()
        from medspacy.context import ConText, ConTextRule  # heavy import; registers span extensions

        self.onto = onto
        self.rules: CueRules = cue_rules()
        self.nlp: Language = spacy.blank("en")
        self.nlp.add_pipe("sentencizer")
        self.context = ConText(
            self.nlp,
            rules=None,
            input_span_type="group",
            span_group_name=SPAN_GROUP,
            span_attrs=None,
        )
        data = json.loads(CONTEXT_RULES_FILE.read_text(encoding="utf-8"))
        self.context.add([ConTextRule(**rule) for rule in data["context_rules"]])
        self.qualified = _site_qualified_histologies(onto)
        self.matcher = TermMatcher(self.nlp.tokenizer, self._forms())
        self.literal_forms = {normalize(v.form) for v in onto.vocabulary()}
        self.not_primary_histologies: set[str] = set()
        for label in self.rules.not_primary_histologies:
            root = onto.find(label, "histology")
            if root is not None:
                self.not_primary_histologies |= onto.descendants(root.iri, include_self=True)
        self.implied_sites = {
            normalize(word): term.iri
            for word, label in self.rules.implied_sites.items()
            if (term := onto.find(label, "site")) is not None
        }

    # -- building --------------------------------------------------------------------------
    def _forms(self) -> Iterator[tuple[str, Entry]]:
        for v in self.onto.vocabulary():
            if v.iri in _AGENT_ROOTS:  # "chemotherapy agent" names no drug
                continue
            yield v.form, Entry(v.kind, v.iri, _SCOPE_RANK.get(v.scope, 5))
        for phrase, kind, canonical in self.rules.cue_forms():
            yield phrase, Entry(kind, canonical)

    # -- running ---------------------------------------------------------------------------
    def analyse(self, text: str) -> Analysis:
        """Tokenise, split sentences, find terms and cues, apply ConText."""
        doc = self.nlp(text)
        _split_headings(doc)
        view = DocView(doc)
        matches = self.matcher.match(doc, view)
        matches = self._apply_abbreviations(doc, matches)
        mentions = self._mentions(doc, matches)
        # prepositions are grammar, not findings: ConText need not judge them
        targets = [m for m in mentions if m.kind not in _NOT_TARGETS]
        doc.spans[SPAN_GROUP] = [
            Span(doc, m.start, m.end, label=m.kind.replace("cue:", "cue_").upper()) for m in targets
        ]
        self.context(doc)
        terminators = [
            mod.modifier_span for mod in doc._.context_graph.modifiers if mod.direction.upper() == "TERMINATE"
        ]
        for m, span in zip(targets, doc.spans[SPAN_GROUP], strict=True):
            # medspaCy's overlap test misses a trigger *inside* a target ("EWSR1-non-ETS fusion")
            m.flags = {
                mod.category
                for mod in span._.modifiers
                if not (m.start <= mod.modifier_span[0] and mod.modifier_span[1] <= m.end)
                and not _terminated(mod.modifier_span, (m.start, m.end), terminators)
            }
        kinds = [
            KindName(m.start, m.end, self._plural(m))
            for m in mentions
            if m.kind == "histology" and m.nested_in is None
        ]
        sentences = classify_sentences(doc, self.rules, kinds)
        return Analysis(
            text=text, doc=doc, sentences=sentences, mentions=mentions, pipeline=self, tokens=view
        )

    def _plural(self, m: Mention) -> bool:
        """Whether a term is written in the plural ("leiomyosarcomas", "GISTs", not "protuberans")."""
        if m.abbreviation:
            return m.text.endswith("s") and m.text[:-1].isupper() and len(m.text) > 2
        last = m.text.split()[-1].lower() if m.text.split() else ""
        return singular(last) != last and normalize(m.text) not in self.literal_forms

    def _apply_abbreviations(self, doc: Doc, matches: list[RawMatch]) -> list[RawMatch]:
        defs = find_definitions(doc, matches)
        if not defs:
            return matches
        out = list(matches)
        for d in defs:
            own = {m.entry for m in matches if m.start == d.sf_start and m.end == d.sf_end}
            meanings = [
                e
                for e in d.meanings
                if e.kind
                in ("histology", "site", "agent", "regimen", "procedure", "radiotherapy", "response")
            ]
            if not meanings and not own:
                continue
            if own and not meanings:
                # the report defines the short form as something else ("progesterone receptor (PR)")
                if any(m.start >= d.lf_start and m.end <= d.lf_end for m in matches):
                    continue
                out = [m for m in out if doc[m.start : m.end].text != d.short]
                continue
            if own & set(meanings):
                continue
            targets = [
                t.i for t in doc if t.text in (d.short, d.short + "s") and not d.sf_start <= t.i < d.sf_end
            ]
            out = [m for m in out if not (m.end - m.start == 1 and m.start in targets)]
            for i in targets:
                for e in meanings:
                    out.append(RawMatch(i, i + 1, Entry(e.kind, e.value, -1)))
        out.sort(key=lambda m: (m.start, -m.end))
        return out

    def _mentions(self, doc: Doc, matches: list[RawMatch]) -> list[Mention]:
        sent_of = _sentence_index(doc)
        cues = [m for m in matches if m.entry.kind.startswith("cue:")]
        # a cue inside a longer cue ("metastatic" in "metastatic tumors") is that cue
        matches = [
            m
            for m in matches
            if not m.entry.kind.startswith("cue:")
            or not any(
                c is not m and c.start <= m.start and m.end <= c.end and c.end - c.start > m.end - m.start
                for c in cues
            )
        ]
        vocab = [m for m in matches if not m.entry.kind.startswith("cue:")]
        out: list[Mention] = []
        for m in matches:
            kind, value = m.entry.kind, m.entry.value
            nested = next(
                (
                    v.entry.kind
                    for v in vocab
                    if v is not m
                    and v.start <= m.start
                    and m.end <= v.end
                    and (v.end - v.start) > (m.end - m.start)
                ),
                None,
            )
            if kind.startswith("cue:") and nested is not None and nested != "site":
                continue  # "tumor" inside "desmoid tumor"
            if kind == "site" and nested == "histology":
                host = next(
                    v for v in vocab if v.entry.kind == "histology" and v.start <= m.start and m.end <= v.end
                )
                if host.entry.value in self.qualified:
                    nested = None  # "uterine" in "uterine leiomyosarcoma" is where the tumour is
            span = doc[m.start : m.end]
            mention = Mention(
                kind=kind,
                value=value,
                start=m.start,
                end=m.end,
                char_start=span.start_char,
                char_end=span.end_char,
                sent=sent_of[m.start],
                text=span.text,
                abbreviation=m.entry.rank < 0,
                nested_in=nested,
            )
            if kind == "histology" and value in self.qualified:
                parent, site = self.qualified[value]
                mention.value = parent
                if not any(o.entry.kind == "site" and o.start < m.end and m.start < o.end for o in vocab):
                    out.append(
                        Mention(
                            "site",
                            site,
                            m.start,
                            m.end,
                            span.start_char,
                            span.end_char,
                            sent_of[m.start],
                            span.text,
                            abbreviation=True,
                            nested_in="histology",
                        )
                    )
            out.append(mention)
        out.sort(key=lambda x: (x.start, -x.end))
        return out


def _terminated(
    trigger: tuple[int, int], target: tuple[int, int], terminators: list[tuple[int, int]]
) -> bool:
    """Whether a terminating word ("but", ";", "which"...) stands between a trigger and its target.

    medspaCy 1.3 applies a TERMINATE rule only when the trigger's scope reaches the sentence's
    edge (its overlap test misses a scope lying inside the terminator's): a trigger with a
    ``max_scope`` window ("radiotherapy was planned", 12 tokens back) then crossed a
    semicolon into the previous clause. This applies the rule for every trigger.

    >>> _terminated((23, 25), (17, 18), [(20, 21)]), _terminated((23, 25), (21, 22), [(20, 21)])
    (True, False)
    """
    lo, hi = (target[1], trigger[0]) if target[1] <= trigger[0] else (trigger[1], target[0])
    return any(lo <= t0 and t1 <= hi for t0, t1 in terminators)


def _sentence_index(doc: Doc) -> list[int]:
    index = [0] * len(doc)
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            index[i] = n
    return index


def _split_headings(doc: Doc) -> None:
    """Blank lines, short title-like lines and the first line (a title) end a sentence."""
    text = doc.text
    first_line = True
    for tok in doc:
        if not tok.is_space or "\n" not in tok.text or tok.i + 1 >= len(doc):
            continue
        nxt = doc[tok.i + 1]
        line_start = text.rfind("\n", 0, tok.idx) + 1
        line = text[line_start : tok.idx].strip()
        blank_line = "\n\n" in tok.text.replace(" ", "").replace("\t", "")
        starts_upper = nxt.text[:1].isupper()
        heading = bool(line and _SHORT_LINE.match(line) and len(line.split()) <= 8)
        title = first_line and _looks_like_title(line)
        if blank_line or (starts_upper and (heading or title)):
            nxt.is_sent_start = True
        if line:
            first_line = False


def _looks_like_title(line: str) -> bool:
    """A first line without final punctuation that is short or in title case."""
    if not line or line.endswith((".", "!", "?", ":", ";", ",")):
        return False
    words = line.split()
    long_words = [w for w in words if len(w) >= 4]
    title_case = bool(long_words) and sum(w[0].isupper() for w in long_words) >= 0.6 * len(long_words)
    return len(words) <= 15 or title_case


def _site_qualified_histologies(onto: Ontology) -> dict[str, tuple[str, str]]:
    """Histology terms named "<site> <parent histology>" (uterine leiomyosarcoma -> (LMS, uterus)).

    A record has a site field, so such a subtype is recorded as its parent histology plus
    its site: statistics by histology then group the same tumour whatever its site.
    """
    out: dict[str, tuple[str, str]] = {}
    for term in onto.terms("histology"):
        # the parent must be a specific tumour type: "soft tissue sarcoma" (parent "sarcoma")
        # names a family of tumours by tissue, not a site-specific subtype
        parents = [
            p
            for p in onto.parents(term.iri)
            if p.kind == "histology"
            and sum(
                onto.get(a) is not None and onto.term(a).kind == "histology" for a in onto.ancestors(p.iri)
            )
            >= 2
        ]
        if not parents:
            continue
        forms = [normalize(term.label)]
        for parent in parents:
            for pform in {normalize(f) for f in (parent.label, *parent.exact_synonyms)}:
                for form in forms:
                    site = None
                    if form.endswith(" " + pform):
                        site = onto.find(form[: -len(pform) - 1], "site")
                    elif form.startswith(pform + " of "):
                        site = onto.find(form[len(pform) + 4 :].removeprefix("the "), "site")
                    if site is not None:
                        out[term.iri] = (parent.iri, site.iri)
                        break
                if term.iri in out:
                    break
            if term.iri in out:
                break
    return out


_CACHE: dict[tuple[str, str], Pipeline] = {}
_LOCK = threading.Lock()


def get_pipeline(onto: Ontology | None = None) -> Pipeline:
    """The pipeline for ``onto`` (default: the configured ontology), built once per process."""
    onto = onto or load_ontology()
    key = (str(onto.path), onto.sha256)
    with _LOCK:
        pipe = _CACHE.get(key)
        if pipe is None:
            pipe = Pipeline(onto)
            _CACHE.clear()  # one ontology version at a time
            _CACHE[key] = pipe
        return pipe
