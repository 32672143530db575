"""Known words per language, derived from simplemma's bundled dictionaries on first use.

simplemma ships a form→lemma dictionary per language (Swedish: 964k forms of 129k lemmas).
Its lemmas are the known words that decompounding splits into, and the number of known lemmas
sharing one snowball stem says how safe that stem is as an extra token (see
`lemmas.SimplemmaLemmatizer`). Everything here is built once per process (about a second per
language) and kept out of pickles, so analyzers stay cheap to send to worker processes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from functools import cache

import Stemmer
from simplemma.strategies import DefaultDictionaryFactory

#: PyStemmer's algorithm per language (snowball; 20× faster than whoosh's bundled stemmers).
SNOWBALL = {"fi": "finnish", "sv": "swedish", "nb": "norwegian", "nn": "norwegian", "da": "danish", "en": "english"}


@cache
def stemmer(lang: str) -> Stemmer.Stemmer:
    """The snowball stemmer for a language (one per process: PyStemmer objects don't pickle)."""
    return Stemmer.Stemmer(SNOWBALL[lang])


def _lemma_set(forms: Mapping[str, str]) -> frozenset[str]:
    # simplemma keeps bytes and decodes on access; deduplicating the raw values first and
    # decoding only the distinct lemmas is ~10× faster (Finnish: 3.5M forms, 125k lemmas).
    raw = getattr(forms, "_dict", None)
    if isinstance(raw, dict):
        return frozenset(value.decode() for value in set(raw.values()))
    return frozenset(forms.values())


class Vocabulary:
    """simplemma's form→lemma dictionary for one language, and what we derive from it.

    >>> v = vocabulary("sv")
    >>> v.lemma_of("kommunerna"), v.is_known("socialtjänst"), v.is_known("xqzv")
    ('kommun', True, False)
    """

    def __init__(self, lang: str):
        self.lang = lang
        self.forms: Mapping[str, str] = DefaultDictionaryFactory().get_dictionary(lang)
        self.lemmas: frozenset[str] = _lemma_set(self.forms)
        stem = stemmer(lang).stemWord
        #: How many known lemmas share each snowball stem.
        self.stem_family: Counter[str] = Counter(stem(lemma) for lemma in self.lemmas)

    def lemma_of(self, form: str) -> str | None:
        """The dictionary's lemma for a form, or None when the form is not in it."""
        return self.forms.get(form)

    def is_known(self, word: str) -> bool:
        return word in self.lemmas or self.forms.get(word) is not None


@cache
def vocabulary(lang: str) -> Vocabulary:
    return Vocabulary(lang)
