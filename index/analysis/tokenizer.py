"""Tokenizing Nordic text: words, numbers, abbreviations and hyphenated compounds.

`NordicTokenizer` finds whole tokens (`LSS`, `2017–2018` as two numbers, `ROP-lidelser`,
`sote-uudistus`); `HyphenPartsFilter` then adds the parts of a hyphenated token at the same
position, so `sote-uudistus` is found by `uudistus` and a phrase query still lines up.

Every token carries `kind`: "main" for what the text says, "part" for a piece of a longer
word. Later filters keep the kind of their input, so an evaluation (or a query builder) can
tell whole-word output from compound parts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from index.analysis.pipeline import Filter, Token, Tokenizer

# Numbers with decimal or thousands separators stay whole (`1,5`, `12.000`); otherwise a token
# is a run of word characters joined by hyphens (ASCII hyphen, U+2010, U+2011). Combining marks
# (decomposed `å` = `a` + U+030A) and soft hyphens (U+00AD, left by PDF extraction) are not `\w`
# but belong inside a word; NormalizeFilter composes the former and drops the latter. One
# character class rather than an alternation per character: the tokenizer was a third of the
# analysis time with `(?:[^\W_]|[...])+`. (So `_` counts as a word character, as in whoosh.)
_WORD = r"[\w\u0300-\u036f\u00ad]+"
TOKEN_PATTERN = re.compile(rf"\d+(?:[.,]\d+)+|{_WORD}(?:[-\u2010\u2011]{_WORD})*")
HYPHENS = re.compile(r"[-\u2010\u2011]")


class NordicTokenizer(Tokenizer):
    """Splits text into words, numbers and whole hyphenated compounds.

    >>> [t.text for t in NordicTokenizer()("LSS och ROP-lidelser 2017, 1,5 %")]
    ['LSS', 'och', 'ROP-lidelser', '2017', '1,5']
    """

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
    ) -> Iterator[Token]:
        # One Token object reused for every token (see index.analysis.pipeline).
        t = Token(positions, chars, removestops=removestops, mode=mode)
        pos = start_pos
        for match in TOKEN_PATTERN.finditer(value):
            t.text = match.group()
            t.kind = "main"
            if positions:
                t.pos = pos
                pos += 1
            if chars:
                t.startchar = start_char + match.start()
                t.endchar = start_char + match.end()
            yield t


class HyphenPartsFilter(Filter):
    """After a hyphenated token, adds its parts at the same position (kind "part").

    Each part gets its own character span, so a highlighter marks just the part that matched.

    >>> from index.analysis.normalize import NormalizeFilter
    >>> ana = NordicTokenizer() | NormalizeFilter() | HyphenPartsFilter()
    >>> [(t.text, t.pos, t.kind) for t in ana("sote-uudistus", positions=True)]
    [('sote-uudistus', 0, 'main'), ('sote', 0, 'part'), ('uudistus', 0, 'part')]
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            yield t
            text = t.text
            if "-" not in text and "\u2010" not in text and "\u2011" not in text:
                continue
            # Save what we need before yielding again: the token object is shared.
            kind = t.kind
            chars = t.chars
            start = t.startchar if chars else 0
            offset = 0
            for part in HYPHENS.split(text):
                if part:
                    t.text = part
                    t.kind = "part"
                    if chars:
                        t.startchar = start + offset
                        t.endchar = start + offset + len(part)
                    yield t
                offset += len(part) + 1
            t.kind = kind
