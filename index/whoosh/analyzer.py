"""The Nordic analyzers (index.analysis) as whoosh analyzers, for the schema's text fields.

nordsearch's writer hands whoosh ready postings (index/whoosh/postings.py) and its queries are
built from analysed tokens (index/whoosh/compiler.py), so whoosh itself analyses only when
something asks a field to (`field.index(text)`, `field.process_text(text)`, its highlighter).
Then this adapter runs our analyzer and copies each token into whoosh's `Token`.

whoosh pickles the schema, analyzers included, into every table of contents: the adapter
pickles as (language, folded) only, so an index does not depend on how the analysis modules
are laid out.
"""

from __future__ import annotations

from whoosh.analysis import Analyzer, Token

from index.analysis import analyzer_for, folded_analyzer_for


class NordicWhooshAnalyzer(Analyzer):
    """whoosh's face of `analyzer_for(lang)` (or `folded_analyzer_for(lang)`).

    >>> [t.text for t in NordicWhooshAnalyzer("sv")("Äldreomsorgen")]
    ['äldreomsorg', 'äldre', 'omsorg']
    """

    def __init__(self, lang: str, folded: bool = False):
        self.lang = lang
        self.folded = folded

    def __reduce__(self):
        return (NordicWhooshAnalyzer, (self.lang, self.folded))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NordicWhooshAnalyzer) and (other.lang, other.folded) == (self.lang, self.folded)

    def __hash__(self) -> int:
        return hash((self.lang, self.folded))

    def __repr__(self) -> str:
        return f"NordicWhooshAnalyzer({self.lang!r}, folded={self.folded})"

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        mode="",
        **kwargs,
    ):
        ours = folded_analyzer_for(self.lang) if self.folded else analyzer_for(self.lang)
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        tokens = ours(
            value,
            positions=positions,
            chars=chars,
            removestops=removestops,
            start_pos=start_pos,
            start_char=start_char,
            mode=mode,
        )
        for ot in tokens:
            t.text = ot.text
            t.kind = ot.kind
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = ot.text
            if positions:
                t.pos = ot.pos
            if chars:
                t.startchar, t.endchar = ot.startchar, ot.endchar
            yield t
