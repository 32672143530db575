"""Is this a word of the language? The dictionary behind OCR fixes and the garbage-layer check.

Finnish asks Voikko (every inflected and compound form), then simplemma's word list; Swedish,
Norwegian and Danish ask simplemma's lists (inflected forms included), then wordfreq's
frequency lists (corpus.word_frequencies). A lookup is a dictionary probe; answers are cached.

    >>> Lexicon().known("barnomsorgen", "sv"), Lexicon().known("barnornsorgen", "sv")
    (True, False)
"""

from __future__ import annotations

from functools import lru_cache

#: Languages with a dictionary here.
LEXICON_LANGS = ("fi", "sv", "nb", "nn", "da", "en")


@lru_cache(maxsize=1)
def _voikko():
    try:
        import libvoikko

        return libvoikko.Voikko("fi")
    except Exception:  # no libvoikko1 / voikko-fi: simplemma's Finnish list answers alone
        return None


class Lexicon:
    """Word lists per language (loaded on first use, shared by every Lexicon in the process)."""

    def has(self, lang: str) -> bool:
        return lang in LEXICON_LANGS

    def known(self, word: str, lang: str) -> bool:
        return _known(word, lang)


@lru_cache(maxsize=1 << 16)
def _known(word: str, lang: str) -> bool:
    import simplemma

    from corpus import word_frequencies

    if lang not in LEXICON_LANGS or len(word) < 2:
        return True  # nothing to check against: never "fix" it
    lower = word.lower()
    if lang == "fi":
        voikko = _voikko()
        if voikko is not None and voikko.spell(word):
            return True
    if simplemma.is_known(lower, lang) or (word != lower and simplemma.is_known(word, lang)):
        return True
    return word_frequencies.zipf(lower)[lang] > word_frequencies.UNKNOWN
