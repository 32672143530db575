"""Matching text against the substance-area thesaurus: document classification and query hits.

Pure functions of the thesaurus and an `analyze(text, lang) -> list[str]` callable (the
index's analysis, so that inflected forms and compounds hit). Text is split into words; each
distinct word is analysed once (cached) and stands for the set of its *forms*: the lowercase
word, its lemma(s) and whatever compound parts the analysis gives. Then:

- a one-word term hits a word whose forms contain the term's lemma, or — for terms of at
  least `MIN_AFFIX` letters not written `=term` — a form that begins or ends with it
  (`barnevernstjenesten` → `barnevern`; `kriisisijaisperhe` → `sijaisperhe`);
- a several-word term hits consecutive words whose forms contain each of its words' lemmas;
- an abbreviation (`LVU`, `SoL`) hits the same letters in the original text, case-sensitively.

Every lookup is a dict or set probe, so a 1000-page report costs one pass over its words.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from corpus.areas import Concept, Term, Thesaurus
from corpus.model import LANGUAGES, AreaMatch, Section

Analyze = Callable[[str, str], list[str]]

#: Shortest term that also matches as the first or last part of a compound word.
MIN_AFFIX = 6
#: Shortest rest of a compound beside a matched part (so "familjehemmet" is not a compound).
MIN_REST = 3
#: Languages whose terms are tried on text of a language: Bokmål and Nynorsk are told apart
#: unreliably, so each also tries the other's terms.
LANG_GROUPS = {"nb": ("nb", "nn"), "nn": ("nn", "nb"), "no": ("nb", "nn")}

_WORD = re.compile(r"\w+")
_CACHE_LIMIT = 400_000  # distinct (lang, word) pairs kept per process


@dataclass(frozen=True)
class Hit:
    """One occurrence of a thesaurus term in a text: which term, and which words it covered."""

    concept: Concept
    term: Term
    start: int  # index of the first word
    end: int  # index after the last word
    surface: str  # the words as written in the text


@dataclass(frozen=True)
class Scoring:
    """Weights and thresholds of classification; the defaults are tuned on tests/eval."""

    title: float = 1.5  # a concept in the title
    summary: float = 1.0  # a concept in the description or a summary section (saturating)
    body: float = 1.0  # a concept in the body, by density per 1000 words (saturating)
    body_half: float = 3.0  # density (hits per 1000 words) that gives half the body weight
    min_body_words: int = 300  # short texts count as this long, so one hit is not a density of 20
    min_score: float = 0.9  # an area needs at least this score …
    min_concepts: int = 2  # … and this many distinct concepts, unless a strong concept is in the title
    min_concept_evidence: float = 0.2  # a concept counts towards min_concepts from this evidence
    strong_weight: float = 0.8  # concepts this heavy decide an area from the title alone …
    min_terms: int = 3  # … or from this many distinct terms of strong concepts
    relative: float = 0.25  # an area below this share of the best area's score is dropped
    max_terms: int = 8  # matched terms kept as the explanation


class _LangIndex:
    """The compiled terms of one language."""

    def __init__(self) -> None:
        self.words: dict[str, tuple[Concept, Term]] = {}  # lemma or lowercase → term
        self.affixes: dict[str, tuple[Concept, Term]] = {}  # lemmas that may be compound parts
        self.phrases: dict[str, list[tuple[tuple[frozenset[str], ...], Concept, Term]]] = defaultdict(list)


class AreaMatcher:
    """The thesaurus compiled for matching with one analysis; build once per process."""

    def __init__(self, thesaurus: Thesaurus, analyze: Analyze, scoring: Scoring | None = None):
        self.thesaurus = thesaurus
        self.analyze = analyze
        self.scoring = scoring or Scoring()
        self._forms_cache: dict[tuple[str, str], frozenset[str]] = {}
        self._word_cache: dict[tuple[str, str], tuple] = {}
        self.index: dict[str, _LangIndex] = {lang: _LangIndex() for lang in LANGUAGES}
        # abbreviations are international (CRPD, NEET) and all-capitals anyway: one table for all
        self.acronyms: dict[str, tuple[Concept, Term]] = {}
        for concept in thesaurus.concepts:
            for term in concept.terms:
                self._compile(concept, term)

    # -- analysis ----------------------------------------------------------------------------
    def forms(self, word: str, lang: str) -> frozenset[str]:
        """The lowercase word and everything the analysis makes of it (lemmas, compound parts)."""
        key = (lang, word)
        found = self._forms_cache.get(key)
        if found is None:
            lower = word.lower()
            try:
                analysed = self.analyze(word, lang) if lang in LANGUAGES else []
            except Exception:  # an analyzer failing on one odd word must not lose the document
                analysed = []
            found = frozenset([lower, *(t.lower() for t in analysed)])
            if len(self._forms_cache) > _CACHE_LIMIT:
                self._forms_cache.clear()
                self._word_cache.clear()
            self._forms_cache[key] = found
        return found

    def _lemma(self, word: str, lang: str) -> str:
        """The one form a term word is indexed by: the longest analysed token (the whole lemma)."""
        try:
            analysed = [t.lower() for t in self.analyze(word, lang)]
        except Exception:
            analysed = []
        return max(analysed, key=len) if analysed else word.lower()

    def _compile(self, concept: Concept, term: Term) -> None:
        index = self.index[term.lang]
        entry = (concept, term)
        if term.kind == "acronym":
            self.acronyms.setdefault(term.text, entry)
            return
        words = _WORD.findall(term.text)
        keys = [frozenset({w.lower(), self._lemma(w, term.lang)}) for w in words]
        if len(words) == 1:
            for key in keys[0]:
                index.words.setdefault(key, entry)
                if term.kind == "word" and len(key) >= MIN_AFFIX:
                    index.affixes.setdefault(key, entry)
            return
        for first in keys[0]:
            index.phrases[first].append((tuple(keys), concept, term))

    # -- matching ----------------------------------------------------------------------------
    def _word_hits(self, word: str, lang: str, langs: tuple[str, ...]) -> tuple:
        """(forms, one-word hit or None, phrase candidates) for a word, cached per process."""
        key = (lang, word)
        found = self._word_cache.get(key)
        if found is not None:
            return found
        forms = self.forms(word, lang) if lang in LANGUAGES else frozenset([word.lower()])
        # Abbreviations are matched as written (LVU, SoL): a lowercase `sol` is a word.
        single = self.acronyms.get(word) if word[:1].isupper() else None
        phrases = []
        for other in langs:
            index = self.index[other]
            if single is None:
                # prefer the longest exact form, then the longest compound part
                for form in sorted(forms, key=len, reverse=True):
                    if form in index.words:
                        single = index.words[form]
                        break
            if single is None:
                single = _affix(forms, index.affixes)
            for form in forms:
                phrases.extend(index.phrases.get(form, ()))
        found = (forms, single, tuple(phrases))
        self._word_cache[key] = found
        return found

    def find(self, text: str, lang: str) -> list[Hit]:
        """Every term occurrence in `text` (of language `lang`; "und" tries every language)."""
        langs = LANG_GROUPS.get(lang, (lang,)) if lang in LANGUAGES or lang == "no" else LANGUAGES
        analysis_lang = "nb" if lang == "no" else lang
        words = _WORD.findall(text)
        infos = [self._word_hits(w, analysis_lang, langs) for w in words]
        hits: list[Hit] = []
        covered_until = 0
        for i, (_forms, single, phrases) in enumerate(infos):
            if i < covered_until:  # inside a phrase already matched ("out-of-home care" ⊅ "home care")
                continue
            best = None
            for keys, concept, term in phrases:
                n = len(keys)
                if (
                    i + n <= len(infos)
                    and (best is None or n > best[0])
                    and all(keys[k] & infos[i + k][0] for k in range(1, n))
                ):
                    best = (n, concept, term)
            if best is not None:
                n, concept, term = best
                hits.append(Hit(concept, term, i, i + n, " ".join(words[i : i + n])))
                covered_until = max(covered_until, i + n)
            elif single is not None:
                hits.append(Hit(single[0], single[1], i, i + 1, words[i]))
        return hits

    # -- classification ----------------------------------------------------------------------
    def classify(self, title: str, description: str, sections: Sequence[Section]) -> tuple[AreaMatch, ...]:
        """The document's areas, best first, each with its score and the terms that explain it."""
        lang = main_language(sections)
        title_hits = self.find(title or "", lang)
        summary_hits = self.find(description or "", lang)
        body_hits: list[Hit] = []
        body_words = 0
        for section in sections:
            found = self.find(section.text, section.lang)
            if section.kind == "summary":
                summary_hits += found
            else:
                body_hits += found
                body_words += len(_WORD.findall(section.text))
            if section.heading:
                summary_hits += self.find(section.heading, section.lang)
        return self.score(title_hits, summary_hits, body_hits, body_words)

    def score(
        self, title_hits: Iterable[Hit], summary_hits: Iterable[Hit], body_hits: Iterable[Hit], body_words: int
    ) -> tuple[AreaMatch, ...]:
        s = self.scoring
        # Concepts of no area (imported from a SKOS scheme) expand queries but classify nothing;
        # a term marked ambiguous (`missbruk`: also misuse of a system) counts only for an area
        # that an unambiguous term of the same text already signals.
        title_hits, summary_hits, body_hits = (
            [h for h in hits if h.concept.area] for hits in (title_hits, summary_hits, body_hits)
        )
        supported = {h.concept.area for hs in (title_hits, summary_hits, body_hits) for h in hs if not h.term.ambiguous}
        title_hits, summary_hits, body_hits = (
            [h for h in hits if not h.term.ambiguous or h.concept.area in supported]
            for hits in (title_hits, summary_hits, body_hits)
        )
        in_title = {h.concept.id for h in title_hits}
        summary = Counter(h.concept.id for h in summary_hits)
        body = Counter(h.concept.id for h in body_hits)
        terms: dict[str, Counter] = defaultdict(Counter)
        concepts: dict[str, Concept] = {}
        for field_hits, boost in ((title_hits, 3), (summary_hits, 2), (body_hits, 1)):
            for h in field_hits:
                terms[h.concept.area][h.term.text] += boost
                concepts[h.concept.id] = h.concept
        hits_of: dict[str, list[str]] = defaultdict(list)  # area → concept id per distinct term
        for h in {
            (h.concept.area, h.concept.id, h.term.text) for hs in (title_hits, summary_hits, body_hits) for h in hs
        }:
            hits_of[h[0]].append(h[1])
        length = max(body_words, s.min_body_words)
        by_area: dict[str, list[tuple[float, Concept]]] = defaultdict(list)
        for cid, concept in concepts.items():
            density = body[cid] * 1000 / length
            evidence = concept.weight * (
                s.title * (cid in in_title)
                + s.summary * summary[cid] / (summary[cid] + 1)
                + s.body * density / (density + s.body_half)
            )
            by_area[concept.area].append((evidence, concept))
        scored = []
        for area_id, evidences in by_area.items():
            total = sum(e for e, _ in evidences)
            distinct = sum(1 for e, _ in evidences if e >= s.min_concept_evidence)
            strong = {c.id for _, c in evidences if c.weight >= s.strong_weight}
            strong_title = bool(strong & in_title)
            # one strong concept named in several ways is as good as two concepts
            strong_terms = sum(1 for h in hits_of[area_id] if h in strong)
            if total >= s.min_score and (distinct >= s.min_concepts or strong_title or strong_terms >= s.min_terms):
                scored.append((total, area_id))
        if not scored:
            return ()
        best = max(total for total, _ in scored)
        kept = sorted((t, a) for t, a in scored if t >= s.relative * best)
        kept.sort(key=lambda ta: (-ta[0], ta[1]))
        return tuple(
            AreaMatch(a, round(1 - math.exp(-t / 2), 3), tuple(term for term, _ in terms[a].most_common(s.max_terms)))
            for t, a in kept
        )


def _affix(forms: Iterable[str], affixes: dict) -> tuple | None:
    """A thesaurus lemma that is the first or last part of one of the forms (a compound)."""
    best = None
    for form in forms:
        n = len(form)
        for cut in range(MIN_AFFIX, n - MIN_REST + 1):
            head, tail = form[:cut], form[n - cut :]
            for part in (head, tail):
                entry = affixes.get(part)
                if entry is not None and (best is None or cut > best[0]):
                    best = (cut, entry)
    return best[1] if best else None


def main_language(sections: Sequence[Section]) -> str:
    """The language most of the document's text is in ("und" when none is known)."""
    sizes: Counter = Counter()
    for section in sections:
        sizes[section.lang] += len(section.text)
    known = [(n, lang) for lang, n in sizes.items() if lang in LANGUAGES]
    return max(known)[1] if known else "und"
