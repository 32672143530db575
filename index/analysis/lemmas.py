"""Lemmas: each word becomes its base form(s), plus a snowball stem where that is safe.

A lemmatizer is a small object with `analyse(word) -> (main, parts)`: `main` are the whole
word's base forms (what a query for the word must meet), `parts` the base forms of its
compound parts (what a query for a part may meet). `LemmaFilter` turns that into tokens at the
word's position; a per-process cache keeps each distinct word's answer, because running text
repeats its words and the lookups are the cost of analysis.

`SimplemmaLemmatizer` (sv, nb, nn, da, en, and Finnish without Voikko):
- the lemma from simplemma's dictionary for each of its languages (Nynorsk asks Nynorsk and
  Bokmål: simplemma's Nynorsk dictionary is small and Nynorsk texts share much of Bokmål's
  vocabulary; on UD Nynorsk this lifts conflation from about 0.92 to 0.96);
- the snowball stem of the lemma, but only when the word is unknown to the dictionary or when
  at most `max_family` known lemmas share that stem (Nynorsk: counted in nn + nb). Stemming every lemma (simplemma→snowball)
  conflates most but also merges unrelated lemmas more than snowball alone (the issue's 13–17.5%);
  a stem shared by few known lemmas is almost always a variant spelling or a sibling form
  (nn `svikta`/`svikte`), a stem shared by many is a trap (sv `uttryck`). The per-language
  thresholds were chosen on the UD data by tests/eval/eval_conflation.py.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator

from index.analysis.pipeline import Filter, Token
from index.analysis.vocabulary import stemmer, vocabulary

Analysis = tuple[tuple[str, ...], tuple[str, ...]]

#: Largest number of known lemmas that may share a stem for the stem to be indexed too.
MAX_STEM_FAMILY = {"sv": 4, "nb": 3, "nn": 5, "da": 3, "en": 1, "fi": 1}
#: Dictionaries asked per analyzer language, first one first.
SIMPLEMMA_LANGUAGES = {"nn": ("nn", "nb")}
#: Forget the cache past this many words, so that a long indexing run stays bounded in memory.
CACHE_LIMIT = 400_000


def _not_a_word(word: str) -> bool:
    """Numbers, codes (`2017`, `b12`) and letterless tokens (`_`) are kept as they are."""
    return not word.isalpha() and (any(c.isdigit() for c in word) or not any(c.isalpha() for c in word))


class CachedLemmatizer(ABC):
    """Base: caches `_analyse(word)` per word; numbers and codes pass through untouched."""

    def __init__(self) -> None:
        self._cache: dict[str, Analysis] = {}
        self._lock = threading.Lock()

    def analyse(self, word: str) -> Analysis:
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        result: Analysis = ((word,), ()) if _not_a_word(word) else self._analyse(word)
        if len(self._cache) >= CACHE_LIMIT:
            with self._lock:
                self._cache.clear()
        self._cache[word] = result
        return result

    @abstractmethod
    def _analyse(self, word: str) -> Analysis:
        """The lemmas and compound parts of one word (uncached)."""


class SimplemmaLemmatizer(CachedLemmatizer):
    """simplemma lemma(s), a guarded snowball stem, and compound parts from a decompounder.

    >>> lem = SimplemmaLemmatizer("sv")
    >>> lem.analyse("kommunerna")[0]
    ('kommun',)
    """

    def __init__(self, lang: str, decompound: Callable[[str], tuple[str, tuple[str, ...]] | None] | None = None):
        super().__init__()
        self.lang = lang
        self.langs = SIMPLEMMA_LANGUAGES.get(lang, (lang,))
        self.vocabularies = [vocabulary(code) for code in self.langs]
        self.max_family = MAX_STEM_FAMILY.get(lang, 1)
        self.stem = stemmer(lang).stemWord
        self.decompound = decompound

    def _known(self, word: str) -> bool:
        return any(v.is_known(word) for v in self.vocabularies)

    def _family(self, stem: str) -> int:
        # Summed over the dictionaries asked (Nynorsk: nn + nb), so a lemma both know counts twice:
        # the threshold for Nynorsk is set with that in mind.
        return sum(v.family(stem) for v in self.vocabularies)

    def _analyse(self, word: str) -> Analysis:
        lemmas: list[str] = []
        for vocab in self.vocabularies:
            lemma = vocab.lemmatize(word)
            if lemma not in lemmas:
                lemmas.append(lemma)
        known = self._known(word) or self._known(lemmas[0])
        parts: tuple[str, ...] = ()
        if self.decompound is not None:
            split = self.decompound(lemmas[0] if known else word)
            if split is not None:
                whole, parts = split
                # An unknown compound whose head is known gets a whole-word lemma from its head:
                # `barnavårdsutredningarnas` → `barnavårdsutredning`.
                if not known and whole not in lemmas:
                    lemmas.append(whole)
        main = list(lemmas)
        for lemma in lemmas:
            stem = self.stem(lemma)
            if stem not in main and (not known or self._family(stem) <= self.max_family):
                main.append(stem)
        return tuple(main), tuple(p for p in parts if p not in main)


class LemmaFilter(Filter):
    """Replaces each word by its lemmas (kind kept) and adds its compound parts (kind "part").

    Every output shares the word's position and character span, so phrases and highlights
    work on the original text. At query time (`mode="query"`) compound parts are
    left out: a query for `lastensuojelun` should need `lastensuojelu`, not any `lapsi`. Lemmatizers come from a factory called once per process, which
    keeps the filter itself small and picklable (an engine may store its analyzers with pickle).

    >>> from index.analysis.tokenizer import NordicTokenizer
    >>> ana = NordicTokenizer() | LemmaFilter("sv")
    >>> [(t.text, t.kind) for t in ana("kommunerna")]
    [('kommun', 'main')]
    """

    def __init__(self, lang: str, parts: bool = True, use_voikko: bool | None = None):
        self.lang = lang
        self.parts = parts
        self.use_voikko = use_voikko  # None: Voikko where available; False: the fallback

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        from index.analysis.analyzers import lemmatizer_for

        analyse = lemmatizer_for(self.lang, self.use_voikko).analyse
        want_parts = self.parts
        for t in tokens:
            main, parts = analyse(t.text)
            if t.mode == "query":
                parts = ()
            kind = t.kind
            for text in main:
                t.text = text
                yield t
            if want_parts and parts:
                t.kind = "part"
                for text in parts:
                    t.text = text
                    yield t
                t.kind = kind
