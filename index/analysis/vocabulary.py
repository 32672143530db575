"""Known words per language: simplemma's dictionaries, asked through the compiled lexicon.

simplemma ships a form→lemma dictionary per language (Swedish: 964k forms of 129k lemmas).
Its lemmas are the known words that decompounding splits into, and the number of known lemmas
sharing one snowball stem says how safe that stem is as an extra token (see
`lemmas.SimplemmaLemmatizer`).

A `Vocabulary` answers from one of two places, chosen per use:

- the lexicon (`lexicon.Lexicon`, a SQLite file built once per machine): nothing to load, a
  few microseconds per new word. Right for queries, thesaurus compilation and small updates,
  which ask a few thousand words and would otherwise spend seconds loading dictionaries;
- memory (simplemma's own dictionary, shared with `simplemma.lemmatize`): a second or more
  to load, then ten times faster per lookup. Right for bulk indexing, where decompounding
  probes many substrings of every new word. A vocabulary moves there by itself after
  `SWITCH_AFTER` lexicon lookups (about the time loading takes), or at once on `preload()`
  (the index workers), or from the start when the cache is off or unusable.

Both give the same answers: the lexicon holds exactly what memory would derive. Everything is
built once per process and kept out of pickles, so analyzers stay cheap to send to workers.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING

import Stemmer

if TYPE_CHECKING:
    import simplemma

log = logging.getLogger(__name__)

#: PyStemmer's algorithm per language (snowball; 20× faster than whoosh's bundled stemmers).
SNOWBALL = {"fi": "finnish", "sv": "swedish", "nb": "norwegian", "nn": "norwegian", "da": "danish", "en": "english"}
#: Lexicon lookups (LRU misses) after which a process loads the dictionary into memory: at
#: 5–8 µs a lookup, about a third of a second, less than loading costs. A query or a thesaurus
#: compilation asks a few thousand; decompounding a document's new words passes it quickly.
SWITCH_AFTER = 50_000


@cache
def stemmer(lang: str) -> Stemmer.Stemmer:
    """The snowball stemmer for a language (one per process: PyStemmer objects don't pickle)."""
    return Stemmer.Stemmer(SNOWBALL[lang])


def lemma_set(forms: Mapping[str, str]) -> frozenset[str]:
    """The distinct lemmas of a simplemma dictionary."""
    # simplemma keeps bytes and decodes on access; deduplicating the raw values first and
    # decoding only the distinct lemmas is ~10× faster (Finnish: 3.5M forms, 125k lemmas).
    raw = getattr(forms, "_dict", None)
    if isinstance(raw, dict):
        return frozenset(value.decode() for value in set(raw.values()))
    return frozenset(forms.values())


class _LexiconForms(Mapping[str, str]):
    """The lexicon's forms table as the read-only mapping simplemma's strategies ask with `.get`."""

    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab

    def get(self, key: str, default=None):
        value = self.vocab.lemma_of(key)
        return default if value is None else value

    def __getitem__(self, key: str) -> str:
        value = self.vocab.lemma_of(key)
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self):  # simplemma's lemmatization only probes; listing is not needed
        raise TypeError("a lexicon-backed dictionary is not iterable")

    def __len__(self) -> int:
        raise TypeError("a lexicon-backed dictionary has no cheap length")


class _LexiconFactory:
    """A simplemma `DictionaryFactory` serving one vocabulary's forms (lemmatizing without loading)."""

    def __init__(self, vocab: Vocabulary):
        self.mapping = _LexiconForms(vocab)
        self.lang = vocab.lang

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        if lang != self.lang:
            raise ValueError(f"this factory serves {self.lang!r}, not {lang!r}")
        return self.mapping


class Vocabulary:
    """simplemma's form→lemma dictionary for one language, and what we derive from it.

    >>> v = vocabulary("sv")
    >>> v.lemma_of("kommunerna"), v.is_known("socialtjänst"), v.is_known("xqzv")
    ('kommun', True, False)
    """

    def __init__(self, lang: str, *, use_lexicon: bool = True):
        from index.analysis.lexicon import open_lexicon

        self.lang = lang
        self._lock = threading.Lock()
        self.lexicon = open_lexicon(lang) if use_lexicon else None
        self._lemmatizer: simplemma.Lemmatizer | None = None
        #: True once the dictionary is loaded (then `forms`, `lemmas`, `stem_family` exist).
        self.in_memory = False
        if self.lexicon is None:
            self._load()
        else:
            import simplemma
            from simplemma.strategies import DefaultStrategy

            # simplemma's own strategies, asking our lexicon instead of its loaded dictionary:
            # the same lemmas as `simplemma.lemmatize`, without the load.
            strategy = DefaultStrategy(dictionary_factory=_LexiconFactory(self))
            self._lemmatizer = simplemma.Lemmatizer(lemmatization_strategy=strategy)

    def _load(self) -> None:
        from simplemma.strategies import DEFAULT_DICTIONARY_FACTORY

        # The process-wide simplemma dictionary: `simplemma.lemmatize` uses the same one.
        self.forms: Mapping[str, str] = DEFAULT_DICTIONARY_FACTORY.get_dictionary(self.lang)
        lexicon = self.lexicon
        if lexicon is not None:
            # Reading the derived tables back is cheaper than stemming every lemma again.
            self.lemmas: frozenset[str] = lexicon.all_lemmas()
            self.stem_family: Counter[str] = lexicon.stem_family()
        else:
            self.lemmas = lemma_set(self.forms)
            stem = stemmer(self.lang).stemWord
            #: How many known lemmas share each snowball stem.
            self.stem_family = Counter(stem(lemma) for lemma in self.lemmas)
        self.in_memory = True

    def preload(self) -> None:
        """Loads the dictionary into memory now (bulk indexing: thousands of lookups a document)."""
        with self._lock:
            if self.lexicon is not None:
                self._load()
                self.lexicon = None
                self._lemmatizer = None

    def _maybe_switch(self) -> None:
        lexicon = self.lexicon
        if lexicon is not None and lexicon.misses > SWITCH_AFTER:
            log.debug("%s: %d lexicon lookups, loading the dictionary into memory", self.lang, lexicon.misses)
            self.preload()

    def lemma_of(self, form: str) -> str | None:
        """The dictionary's lemma for a form, or None when the form is not in it."""
        lexicon = self.lexicon
        if lexicon is None:
            return self.forms.get(form)
        self._maybe_switch()
        return lexicon.lemma_of(form)

    def is_lemma(self, word: str) -> bool:
        """True when the word is one of the dictionary's lemmas."""
        lexicon = self.lexicon
        if lexicon is None:
            return word in self.lemmas
        return lexicon.is_lemma(word)

    def is_known(self, word: str) -> bool:
        return self.is_lemma(word) or self.lemma_of(word) is not None

    def family(self, stem: str) -> int:
        """How many known lemmas share this snowball stem."""
        lexicon = self.lexicon
        if lexicon is None:
            return self.stem_family.get(stem, 0)
        return lexicon.family(stem)

    def lemmatize(self, word: str) -> str:
        """`simplemma.lemmatize(word, lang)`, through the lexicon until the dictionary is loaded."""
        lemmatizer = self._lemmatizer
        if lemmatizer is None:
            import simplemma  # loaded already: `_load` took the dictionary from it

            return simplemma.lemmatize(word, lang=self.lang)
        return lemmatizer.lemmatize(word, self.lang)


@cache
def vocabulary(lang: str) -> Vocabulary:
    return Vocabulary(lang)


def preload(langs: tuple[str, ...] | list[str]) -> None:
    """Loads these languages' dictionaries into memory (for a process about to index in bulk)."""
    for lang in langs:
        vocabulary(lang).preload()
