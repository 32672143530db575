"""Normalising token text: Unicode NFC and lowercase, and folding away Nordic letters.

Folding serves users who type without Nordic letters (`aldreomsorg`, `barnevern`,
`borneforsorg`): the folded analyzer writes folded tokens into their own field, which search
queries with a lower boost than the exact field, so exact spellings rank first.

Folding decisions (the same function runs at index and at query time, so what matters is that
a user's likely spelling lands where the document's lands):
- ä→a, ö→o, å→a, ø→o, ü→u, and every other accent stripped (é→e): what a keyboard without
  Nordic letters makes of them;
- æ→ae: Danish and Norwegian writers without æ write "ae" (`aeldre`), not "a";
- for Danish and Norwegian, "aa"→"a": the old spelling of å (`Aabenraa`, `paa`) and what users
  type for it. Not for Finnish, where a double vowel is a different word (`vaara`, `vara`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from index.analysis.pipeline import Filter, Token


class StopWordFilter(Filter):
    """Drops stop words and renumbers positions over the words that remain.

    A lean version of whoosh's StopFilter (no size limits), which cost a sixth of analysis time.

    >>> from index.analysis.tokenizer import NordicTokenizer
    >>> [(t.text, t.pos) for t in (NordicTokenizer() | StopWordFilter({"och"}))("vård och omsorg", positions=True)]
    [('vård', 0), ('omsorg', 1)]
    """

    def __init__(self, stops: frozenset[str] | set[str]):
        self.stops = frozenset(stops)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stops = self.stops
        pos = None
        for t in tokens:
            if t.text in stops and t.removestops:
                continue
            if t.positions:
                # Keep the caller's start_pos: the first surviving word takes the first position.
                pos = t.pos if pos is None else pos + 1
                t.pos = pos
            yield t


# Letters that NFD does not decompose into base letter + accent.
_SPECIAL = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ð": "d", "þ": "th", "ł": "l"})
AA_LANGUAGES = frozenset({"da", "nb", "nn"})


class NormalizeFilter(Filter):
    """Lowercases, composes to Unicode NFC (`a` + combining ring becomes `å`), drops soft hyphens.

    >>> from index.analysis.tokenizer import NordicTokenizer
    >>> [t.text for t in (NordicTokenizer() | NormalizeFilter())("A\\u030aLDRE LVU")]
    ['åldre', 'lvu']
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        is_nfc = unicodedata.is_normalized
        for t in tokens:
            text = t.text.lower()
            # The check is much cheaper than normalising, and almost all text is NFC already.
            if not text.isascii():
                if "\u00ad" in text:
                    text = text.replace("\u00ad", "")
                if not is_nfc("NFC", text):
                    text = unicodedata.normalize("NFC", text)
            if text:  # a token of soft hyphens alone leaves nothing
                t.text = text
                yield t


@lru_cache(maxsize=200_000)
def fold(text: str, lang: str = "") -> str:
    """Folds Nordic letters and accents away.

    >>> fold("äldreomsorg"), fold("børnehus", "da"), fold("paa", "da"), fold("maa", "fi")
    ('aldreomsorg', 'bornehus', 'pa', 'maa')
    >>> fold("ærø", "da")
    'aero'
    """
    if text.isascii():
        folded = text
    else:
        decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
        folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    if lang in AA_LANGUAGES and "aa" in folded:
        folded = folded.replace("aa", "a")
    return folded


class FoldingFilter(Filter):
    """Replaces each token by its folded form (see `fold`); drops repeats at one position.

    >>> from index.analysis.tokenizer import NordicTokenizer
    >>> [t.text for t in (NordicTokenizer() | NormalizeFilter() | FoldingFilter("sv"))("Äldreomsorg")]
    ['aldreomsorg']
    """

    def __init__(self, lang: str = ""):
        self.lang = lang

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        lang = self.lang
        last_pos = object()
        seen: set[str] = set()
        for t in tokens:
            folded = fold(t.text, lang)
            # Two outputs of one word can fold to the same text (`vård`, `vard`): index it once.
            pos = t.pos if t.positions else t.startchar if t.chars else None
            if pos != last_pos or pos is None:
                seen = set()
                last_pos = pos
            if folded in seen:
                continue
            seen.add(folded)
            t.text = folded
            yield t
