"""The composition the analyzers are built from: a Tokenizer, then Filters, joined with `|`.

The same shape as whoosh's analysis (a tokenizer yields `Token`s, each filter is a generator
over the tokens before it, `tokenizer | filter | filter` is an `Analyzer`), kept here so that
the Nordic analysis depends on no search engine: the whoosh engine adapts an `Analyzer` where
whoosh needs one of its own (`index/whoosh/analyzer.py`), the PostgreSQL engine writes the
tokens into tsvectors.

    >>> from index.analysis.tokenizer import NordicTokenizer
    >>> from index.analysis.normalize import NormalizeFilter
    >>> [t.text for t in (NordicTokenizer() | NormalizeFilter())("Äldre LSS")]
    ['äldre', 'lss']

One `Token` object is reused for every token of a call (as whoosh's tokenizers do): allocation
per token is a measurable share of indexing time. A consumer that keeps tokens copies what it
needs (`t.text`, `t.pos`) before asking for the next one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator


class Token:
    """One token of a stream: its text, position, character span and kind ("main" or "part").

    `positions` and `chars` say whether `pos` and `startchar`/`endchar` are kept; `mode` is
    "index", "query" or "" (filters may act differently at query time); `removestops` lets a
    caller keep stop words.
    """

    __slots__ = ("text", "pos", "startchar", "endchar", "kind", "mode", "positions", "chars", "removestops")

    def __init__(self, positions: bool = False, chars: bool = False, removestops: bool = True, mode: str = ""):
        self.positions = positions
        self.chars = chars
        self.removestops = removestops
        self.mode = mode
        self.text = ""
        self.pos = 0
        self.startchar = 0
        self.endchar = 0
        self.kind = "main"

    def __repr__(self) -> str:
        return f"Token({self.text!r}, pos={self.pos}, kind={self.kind!r})"


class Composable:
    """Something that can be joined into an analyzer with `|`."""

    def __or__(self, other: Composable) -> Analyzer:
        if not isinstance(other, Filter):
            raise TypeError(f"{other!r} is not a Filter: only filters can follow {self!r} in an analyzer")
        return Analyzer(self, other)

    def __eq__(self, other: object) -> bool:
        return self.__class__ is other.__class__ and self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash(self.__class__)

    def __repr__(self) -> str:
        attrs = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"{self.__class__.__name__}({attrs})"


class Tokenizer(Composable):
    """Text in, tokens out: the first piece of an analyzer.

    Called as `tokenizer(value, positions=False, chars=False, removestops=True, start_pos=0,
    start_char=0, mode="")` (see `index.analysis.tokenizer.NordicTokenizer`).
    """

    def __call__(self, value: str, **options) -> Iterator[Token]:
        raise NotImplementedError


class Filter(Composable):
    """Tokens in, tokens out: drops, changes or adds tokens."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        raise NotImplementedError


class Analyzer(Composable):
    """A tokenizer followed by filters; called like the tokenizer.

    >>> from index.analysis.tokenizer import NordicTokenizer, HyphenPartsFilter
    >>> ana = NordicTokenizer() | HyphenPartsFilter()
    >>> [(t.text, t.kind) for t in ana("sote-uudistus")]
    [('sote-uudistus', 'main'), ('sote', 'part'), ('uudistus', 'part')]
    """

    def __init__(self, *items: Composable):
        flat: list[Composable] = []
        for item in items:
            flat.extend(item.items if isinstance(item, Analyzer) else (item,))
        if not flat or not isinstance(flat[0], Tokenizer) or not all(isinstance(f, Filter) for f in flat[1:]):
            raise TypeError(f"an analyzer is one tokenizer followed by filters, got {flat!r}")
        self.items = tuple(flat)

    def __or__(self, other: Composable) -> Analyzer:
        if not isinstance(other, Filter):
            raise TypeError(f"{other!r} is not a Filter: only filters can follow {self!r} in an analyzer")
        return Analyzer(*self.items, other)

    def __call__(self, value: str, **kwargs) -> Iterator[Token]:
        tokens: Iterable[Token] = self.items[0](value, **kwargs)
        for item in self.items[1:]:
            tokens = item(tokens)
        return iter(tokens)

    def __repr__(self) -> str:
        return " | ".join(map(repr, self.items))
