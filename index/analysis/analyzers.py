"""One analyzer per language, composed from the tokenizer and filters of this package.

    NordicTokenizer | NormalizeFilter | StopWordFilter(lang) | HyphenPartsFilter | LemmaFilter(lang)
    (| FoldingFilter(lang) for the folded variant)

The pipeline is cheap to build and to pickle: the heavy resources (simplemma dictionaries,
Voikko, the per-word caches) live in `lemmatizer_for(lang)`, built once per process on first use.
"""

from __future__ import annotations

import os
from functools import cache

from index.analysis.decompound import Decompounder
from index.analysis.finnish import VoikkoLemmatizer, voikko_available
from index.analysis.lemmas import CachedLemmatizer, LemmaFilter, SimplemmaLemmatizer
from index.analysis.normalize import FoldingFilter, NormalizeFilter, StopWordFilter
from index.analysis.pipeline import Analyzer
from index.analysis.stopwords import stopwords_for
from index.analysis.tokenizer import HyphenPartsFilter, NordicTokenizer

ANALYZER_LANGUAGES = ("fi", "sv", "nb", "nn", "da", "en")
DECOMPOUND_LANGUAGES = frozenset({"sv", "nb", "nn", "da"})


def _check(lang: str) -> None:
    if lang not in ANALYZER_LANGUAGES:
        raise ValueError(f"no analyzer for language {lang!r} (known: {', '.join(ANALYZER_LANGUAGES)})")


@cache
def _lemmatizer(lang: str, use_voikko: bool, pid: int) -> CachedLemmatizer:
    if lang == "fi" and use_voikko:
        return VoikkoLemmatizer()
    decompound = Decompounder(lang) if lang in DECOMPOUND_LANGUAGES else None
    return SimplemmaLemmatizer(lang, decompound=decompound)


def lemmatizer_for(lang: str, use_voikko: bool | None = None) -> CachedLemmatizer:
    """The process's lemmatizer for a language (built on first use, then cached).

    `use_voikko=False` gives the Finnish fallback even where Voikko works (for tests and the
    evaluation). Keyed by process id too: a forked worker builds its own instead of sharing a
    Voikko handle and a cache with its parent.
    """
    _check(lang)
    if use_voikko is None:
        use_voikko = voikko_available()
    return _lemmatizer(lang, lang == "fi" and use_voikko, os.getpid())


def preload(lang: str) -> None:
    """Loads the dictionaries a language's analysis asks into memory now, not after many lookups.

    For processes that index in bulk (the index workers): each new word costs hundreds of
    lookups while decompounding, and memory answers them ten times faster than the lexicon.
    """
    for vocab in getattr(lemmatizer_for(lang), "vocabularies", ()):
        vocab.preload()


def _pipeline(lang: str, folded: bool, use_voikko: bool | None = None) -> Analyzer:
    _check(lang)
    analyzer = (
        NordicTokenizer()
        | NormalizeFilter()
        | StopWordFilter(stopwords_for(lang))
        | HyphenPartsFilter()
        | LemmaFilter(lang, use_voikko=use_voikko)
    )
    if folded:
        analyzer = analyzer | FoldingFilter(lang)
    return analyzer


def fallback_analyzer_for(lang: str) -> Analyzer:
    """The analyzer as it runs without Voikko (differs from `analyzer_for` only for Finnish)."""
    return _pipeline(lang, folded=False, use_voikko=False)


@cache
def analyzer_for(lang: str) -> Analyzer:
    """The analyzer for a language's exact field, the same at index and query time.

    >>> [t.text for t in analyzer_for("sv")("Barnavårdsutredningen i kommunerna")]
    ['barnavårdsutredning', 'barnavård', 'utredning', 'kommun']
    """
    return _pipeline(lang, folded=False)


@cache
def folded_analyzer_for(lang: str) -> Analyzer:
    """The analyzer for a language's folded field: the same tokens without Nordic letters.

    >>> [t.text for t in folded_analyzer_for("sv")("äldreomsorgen")]
    ['aldreomsorg', 'aldre', 'omsorg']
    """
    return _pipeline(lang, folded=True)


__all__ = ["analyzer_for", "folded_analyzer_for", "lemmatizer_for", "preload", "voikko_available", "ANALYZER_LANGUAGES"]
