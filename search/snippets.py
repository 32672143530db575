"""Cutting a snippet around the matches and splitting it into highlighted `Fragment`s.

The window with the most matches wins (the first one on a tie); it is widened to word
boundaries and marked with `…` where text was cut. Text stays raw: renderers escape it.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from search.model import Fragment

_SPACES = re.compile(r"\s+")

SNIPPET_CHARS = 220


def best_window(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS) -> tuple[int, int]:
    """(start, end) of the `width`-character window of `text` covering the most spans."""
    if not spans:
        return 0, min(len(text), width)
    ends = [e for _, e in spans]
    in_order = all(a <= b for a, b in zip(ends, ends[1:], strict=False))
    best, best_count = spans[0][0], 0
    for i, (start, _) in enumerate(spans):
        if in_order:  # spans in text order (as match_spans gives them): count by bisection
            count = bisect_right(ends, start + width, lo=i) - i
        else:
            count = sum(1 for s, e in spans[i:] if e <= start + width)
        if count > best_count:
            best, best_count = start, count
    # Lead in a little so that the first match is not the very first word.
    start = max(0, best - width // 5)
    return start, min(len(text), start + width)


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    if start > 0:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 20 else start
    if end < len(text):
        space = text.find(" ", end)
        end = space if 0 <= space and space - end < 20 else end
    return start, end


def make_snippet(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS) -> tuple[Fragment, ...]:
    """Fragments of the best window of `text`, matches marked.

    >>> [(f.text, f.match) for f in make_snippet("a kommunerna b", [(2, 12)])]
    [('a ', False), ('kommunerna', True), (' b', False)]
    """
    if not text.strip():
        return ()
    start, end = _widen(text, *best_window(text, spans, width))
    pieces: list[Fragment] = []
    if start > 0:
        pieces.append(Fragment("…"))
    pos = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        if s > pos:
            pieces.append(Fragment(text[pos:s]))
        pieces.append(Fragment(text[s:e], match=True))
        pos = e
    if pos < end:
        pieces.append(Fragment(text[pos:end]))
    if end < len(text):
        pieces.append(Fragment("…"))
    # Line breaks and runs of spaces from the extracted text read as one space in a snippet.
    return tuple(Fragment(_SPACES.sub(" ", f.text), f.match) for f in pieces)
