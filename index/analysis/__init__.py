"""Nordic analyzers: one per language, composed from a tokenizer and filters (index.analysis.pipeline).

This package knows no search engine: each engine takes the tokens (the whoosh engine through
an adapter, `index/whoosh/analyzer.py`; the PostgreSQL engine into tsvectors).

Public API (see the modules for the pieces):

- `analyzer_for(lang)`: the analyzer of a language's exact field (fi, sv, nb, nn, da, en),
  used at index and at query time. One word can give several tokens at one position (lemma
  readings, a stem), and a query should accept any of them.
- `folded_analyzer_for(lang)`: the same tokens folded (`ä`→`a`, `ø`→`o`, `æ`→`ae`, ...) for a
  second, lower-boosted field that finds words typed without Nordic letters.
- `analyze(text, lang)`: the token texts, for matching thesaurus terms after the same analysis.
- `analyze_tokens(text, lang)`: (text, position, kind) triples; kind is "main" (the word's
  own base forms) or "part" (a compound part); positions group a word's alternatives, which a
  phrase query needs (a sequence of alternatives per position); `analyze_positions` groups them.
- `voikko_available()`: whether Finnish runs through Voikko (else simplemma + snowball).
"""

from __future__ import annotations

from index.analysis.analyzers import ANALYZER_LANGUAGES, analyzer_for, folded_analyzer_for, lemmatizer_for
from index.analysis.finnish import voikko_available


def analyze(text: str, lang: str, *, mode: str = "index") -> list[str]:
    """The token texts of `text` after the language's analysis (compound parts included).

    >>> analyze("lastensuojelun sijaishuolto", "fi")
    ['lastensuojelu', 'lapsi', 'suojelu', 'sijaishuolto', 'sijais', 'huolto']
    """
    return [t.text for t in analyzer_for(lang)(text, mode=mode)]


def analyze_tokens(text: str, lang: str, *, mode: str = "index", folded: bool = False) -> list[tuple[str, int, str]]:
    """(text, position, kind) for every token; kind is "main" or "part".

    >>> analyze_tokens("sote-uudistus", "fi")[:2]
    [('sote-uudistus', 0, 'main'), ('sote', 0, 'part')]
    """
    analyzer = folded_analyzer_for(lang) if folded else analyzer_for(lang)
    return [(t.text, t.pos, t.kind) for t in analyzer(text, positions=True, mode=mode)]


def analyze_positions(text: str, lang: str, *, mode: str = "query", folded: bool = False) -> list[tuple[str, ...]]:
    """The main tokens of each word position, for building a phrase query.

    Treating every token as the next word would break a phrase at a word with two readings;
    a sequence of one set of alternatives per position does not.

    >>> analyze_positions("kommunen granskade", "sv")
    [('kommun',), ('granska', 'gransk')]
    """
    groups: dict[int, list[str]] = {}
    for text_, pos, kind in analyze_tokens(text, lang, mode=mode, folded=folded):
        if kind == "main" and text_ not in groups.setdefault(pos, []):
            groups[pos].append(text_)
    return [tuple(groups[pos]) for pos in sorted(groups)]


__all__ = [
    "ANALYZER_LANGUAGES",
    "analyze",
    "analyze_positions",
    "analyze_tokens",
    "analyzer_for",
    "folded_analyzer_for",
    "lemmatizer_for",
    "voikko_available",
]
