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

import re
from functools import lru_cache

from index.analysis.normalize import fold
from index.analysis.tokenizer import TOKEN_PATTERN

MIN_PREFIX = 3
MIN_INFIX = 5
MIN_STEM = 6


@lru_cache(maxsize=256)
def _word_pattern(wanted: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for the three tests against every (folded) query token at once.

    A word matches when it starts with a token of `MIN_PREFIX`+ letters, contains one of
    `MIN_INFIX`+ letters, or starts with all but the last two letters of one of `MIN_STEM`+
    letters. A query with expansions has dozens of tokens; testing them one by one per word of
    a 3,000-character excerpt took ~10 ms per hit.
    """
    prefixes = {t for t in wanted if len(t) >= MIN_PREFIX} | {t[:-2] for t in wanted if len(t) >= MIN_STEM}
    infixes = {t for t in wanted if len(t) >= MIN_INFIX}
    alternatives = []
    if prefixes:
        alternatives.append("^(?:" + "|".join(map(re.escape, sorted(prefixes, key=len, reverse=True))) + ")")
    if infixes:
        alternatives.append("(?:" + "|".join(map(re.escape, sorted(infixes, key=len, reverse=True))) + ")")
    return re.compile("|".join(alternatives) or r"(?!)")


def match_spans(text: str, lang: str, terms: set[str]) -> list[tuple[int, int]]:
    """Character spans of the words of `text` that the (analysed) query `terms` point to.

    >>> match_spans("Barnavårdsutredningen i kommunerna", "sv", {"utredning", "kommun"})
    [(0, 21), (24, 34)]
    """
    wanted = tuple(sorted({fold(t, lang) for t in terms if t}))
    if not wanted:
        return []
    search = _word_pattern(wanted).search
    spans = []
    for m in TOKEN_PATTERN.finditer(text):
        if search(fold(m.group().lower(), lang)):
            spans.append((m.start(), m.end()))
    return spans
