"""Where a query matches in a piece of text, for snippet highlights, without loading dictionaries.

Exact highlighting would run the language's full analysis over the snippet text, which in a
fresh process (every CLI search) loads that language's dictionaries: seconds, for a few
highlights. Instead a surface word is marked when its folded form starts with a query token
(`kommun` marks `kommunerna`), contains a long one (`utredning` marks
`barnavårdsutredningen`, a compound part), or shares all but the last two letters of a long
token (`sijaishuolto` marks `sijaishuollon`). Irregular forms (fi `lapsi` / `lasten`) are not
marked; the document still matched through the index, which has the real analysis.
"""

from __future__ import annotations

from index.analysis.normalize import fold
from index.analysis.tokenizer import TOKEN_PATTERN

MIN_PREFIX = 3
MIN_INFIX = 5
MIN_STEM = 6


def _matches(word: str, terms: list[str]) -> bool:
    for term in terms:
        if word.startswith(term) and len(term) >= MIN_PREFIX:
            return True
        if len(term) >= MIN_INFIX and term in word:
            return True
        if len(term) >= MIN_STEM and word.startswith(term[:-2]):
            return True
    return False


def match_spans(text: str, lang: str, terms: set[str]) -> list[tuple[int, int]]:
    """Character spans of the words of `text` that the (analysed) query `terms` point to.

    >>> match_spans("Barnavårdsutredningen i kommunerna", "sv", {"utredning", "kommun"})
    [(0, 21), (24, 34)]
    """
    wanted = sorted({fold(t, lang) for t in terms if t}, key=len, reverse=True)
    if not wanted:
        return []
    spans = []
    for m in TOKEN_PATTERN.finditer(text):
        if _matches(fold(m.group().lower(), lang), wanted):
            spans.append((m.start(), m.end()))
    return spans
