"""The likely language of a search query, told without loading a language detector's models.

A query's language only steers ranking (its language's fields weigh ×1.5) and the order in
which the thesaurus is matched (search.expand); a wrong or missing guess costs a little
ranking, never a hit. lingua's n-gram models take 1–4 s to load, most of a cold
`nordsearch search`, for an answer about one to four words. Those words are better told by
the dictionaries the index's analysis opens anyway:

    word evidence (corpus.nordic_words)     function words, endings and spellings that differ
  + known words                             Voikko knows the Finnish form (inflected, compound);
                                            the compiled lexicon (index.analysis.lexicon)
                                            knows the sv/nb/nn/da/en form

and the scores become probabilities with a softmax. A word that only one language knows
(`kommunerna`, `lastensuojelun`) decides alone; a word every Scandinavian language knows
(`barn`) tells them apart no more than it should.

    >>> best_language(guess_scores("barnskydd i kommunerna"))
    'sv'
    >>> best_language(guess_scores("lastensuojelun kustannukset"))
    'fi'

Without Voikko, Finnish words are only told by their spelling. Without the compiled lexicons
(NORDSEARCH_CACHE=off, or a cache that cannot be written) only Finnish words would be known,
which made UD short texts 14% wrong guesses (mostly Finnish): then the lingua-based detection
(corpus.language.detect_scores) answers, as before. tests/eval/eval_query_lang.py compares
this guess with that one.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from corpus import nordic_words
from corpus.model import LANGUAGES

#: Evidence of one word known to a language's dictionary (word evidence: a common word is 1,
#: a marker 2). Shared among the languages that know it, so only the difference counts.
KNOWN_WEIGHT = 2.0
#: Scores are divided by this before the softmax: larger is less sure (tuned on the queries of
#: tests/eval, checked on UD short texts, see tests/eval/eval_query_lang.py).
TEMPERATURE = 1.0
#: Shortest part of a compound looked up in the lexicons (shorter ones match by chance).
MIN_PART = 3
#: Words longer than this are not looked up (pasted identifiers, URLs without scheme).
MAX_WORD = 60

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
#: The languages whose compiled lexicon says whether a form is known (Finnish asks Voikko).
LEXICON_LANGS = ("sv", "nb", "nn", "da", "en")


@lru_cache(maxsize=1)
def _voikko():
    from index.analysis.finnish import _voikko as shared

    return shared()


@lru_cache(maxsize=len(LEXICON_LANGS))
def _lexicon(lang: str):
    from index.analysis.lexicon import open_lexicon

    return open_lexicon(lang)


def _known_form(lexicon, word: str) -> bool:
    return lexicon.lemma_of(word) is not None or lexicon.is_lemma(word)


def _known_compound(lexicon, word: str, depth: int = 2) -> bool:
    """`word` is a known form after known words (`barnskyddsanmälan`: barn + skydd + s + anmälan).

    The last part may be inflected, the others are known lemmas, optionally with a linking `s`
    or `e`; parts are at least `MIN_PART` letters. Voikko does this for Finnish by itself.
    """
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        head, tail = word[:cut], word[cut:]
        if not _known_form(lexicon, tail):
            continue
        heads = [head] + ([head[:-1]] if head[-1] in "se" and len(head) > MIN_PART else [])
        for h in heads:
            if lexicon.is_lemma(h) or (depth > 1 and _known_compound(lexicon, h, depth - 1)):
                return True
    return False


def known_languages(word: str) -> tuple[str, ...]:
    """The languages whose dictionary knows `word` (lowercased) as written, or as a compound of known words."""
    voikko = _voikko()
    if voikko is not None and voikko.spell(word):
        known = ["fi"]
    else:
        known = []
    lexicons = [(lang, lex) for lang in LEXICON_LANGS if (lex := _lexicon(lang)) is not None]
    known += [lang for lang, lex in lexicons if _known_form(lex, word)]
    if not known and len(word) >= 2 * MIN_PART:
        known = [lang for lang, lex in lexicons if _known_compound(lex, word)]
    return tuple(known)


def guess_scores(text: str) -> dict[str, float]:
    """Probability per language (fi, sv, nb, nn, da, en), best first; `{}` for text without letters."""
    words = [w for w in _WORD.findall(text.lower()) if len(w) <= MAX_WORD]
    if not words:
        return {}
    if any(_lexicon(lang) is None for lang in LEXICON_LANGS):
        from corpus.language import detect_scores

        return detect_scores(text)
    scores = nordic_words.word_scores(words)
    for word in words:
        known = known_languages(word)
        for lang in known:
            scores[lang] += KNOWN_WEIGHT / len(known)
    top = max(scores.values())
    exp = {lang: math.exp((scores[lang] - top) / TEMPERATURE) for lang in LANGUAGES}
    total = sum(exp.values())
    return dict(sorted(((lang, v / total) for lang, v in exp.items()), key=lambda kv: (-kv[1], kv[0])))


def best_language(scores: dict[str, float]) -> str | None:
    """The most likely language of `scores`, or None when there is none."""
    return max(scores, key=scores.get) if scores else None
