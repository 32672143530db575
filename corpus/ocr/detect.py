"""Which PDF pages need OCR: judged from the text extraction already has, so a born-digital
page costs a few regular-expression passes and is never rendered.

A page needs OCR when it has

- no text layer but an image (a scan), or
- a garbage text layer: a poor `text_quality` (replacement characters, `(cid:N)`, scrambled
  case) even after pdfminer.six had a go, one glyph per line (a layer written glyph by glyph),
  or mostly non-words: tokens without vowels or with case flips, confirmed against word lists
  of our languages (corpus.word_frequencies) before the page is condemned.

    >>> ocr_reason("Lastensuojelun asiakkaana oleva lapsi ja hänen perheensä saavat tukea.", has_image=False)
    >>> ocr_reason("", has_image=True)
    'no text layer'
    >>> ocr_reason("\\n".join("Lastensuojelulaki"), has_image=False)
    'one glyph per line'
"""

from __future__ import annotations

import re

#: Below this `text_quality` (after pdfminer's try) a text layer is garbage.
GARBAGE_QUALITY = 0.5
#: A page with at least this many lines, most of them one glyph long, was written glyph by glyph.
GLYPH_LINES_MIN = 8
GLYPH_LINES_SHARE = 0.6
#: Below this share of word-shaped tokens the page's words are checked against the word lists.
WORD_SHAPE_SUSPECT = 0.75
#: Below this share of known words (of the tokens sampled) the layer is garbage.
KNOWN_WORDS_MIN = 0.4
#: Tokens looked up in the word lists per page.
SAMPLE_TOKENS = 60
#: Characters of each of the three windows of a long page that the non-word test reads.
WINDOW_CHARS = 400

_TOKEN = re.compile(r"[^\W\d_]{2,}")
_VOWELS = "aeiouyåäöæøéáàüAEIOUYÅÄÖÆØÉÁÀÜ"
#: What no word looks like: no vowel at all, a lower-case letter before a capital, five consonants in a row.
_NOT_A_WORD = re.compile(rf"^[^{_VOWELS}]+$|[a-zà-ÿ][A-ZÀ-Þ]|[^\W\d_{_VOWELS}]{{5,}}")


def _word_shaped(token: str) -> bool:
    return not _NOT_A_WORD.search(token)


def one_glyph_per_line(text: str) -> bool:
    """Most lines hold a single glyph: a text layer written one character at a time."""
    breaks = text.count("\n")
    # cheap exits for ordinary pages: few lines, or lines far longer than one glyph on average
    if breaks < GLYPH_LINES_MIN or len(text) > 12 * breaks:
        return False
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < GLYPH_LINES_MIN:
        return False
    # Latin letters only: CJK set vertically is one character per line by design
    single = sum(1 for line in lines if len(line) == 1 and line.isalpha() and line < "\u0250")
    return single / len(lines) >= GLYPH_LINES_SHARE


def known_share(tokens: list[str]) -> float:
    """The share of `tokens` that a word list of one of our languages knows."""
    from corpus import word_frequencies

    if not tokens:
        return 1.0
    known = sum(1 for t in tokens if max(word_frequencies.zipf(t.lower()).values()) > word_frequencies.UNKNOWN)
    return known / len(tokens)


def mostly_non_words(text: str) -> bool:
    """Most tokens are not words of any of our languages (checked on a sample).

    The word-shape test is cheap and runs on every page; only a page that fails it has its
    tokens looked up, so born-digital text never pays for the word lists.
    """
    if len(text) > 3 * WINDOW_CHARS:
        # three windows (start, middle, end) tell as much as the whole page at a fraction of the cost
        middle = len(text) // 2 - WINDOW_CHARS // 2
        text = " ".join((text[:WINDOW_CHARS], text[middle : middle + WINDOW_CHARS], text[-WINDOW_CHARS:]))
    tokens = _TOKEN.findall(text)
    if len(tokens) < 5:
        return False
    sample = tokens[:: max(1, len(tokens) // SAMPLE_TOKENS)][:SAMPLE_TOKENS]
    shaped = sum(1 for t in sample if _word_shaped(t)) / len(sample)
    if shaped >= WORD_SHAPE_SUSPECT:
        return False
    return known_share(sample) < KNOWN_WORDS_MIN


def ocr_reason(text: str, *, has_image: bool, quality: float | None = None) -> str | None:
    """Why this page needs OCR, or None when its text layer is usable.

    `quality` is the page's `text_quality` when the caller has it (computed here otherwise).
    """
    if not text.strip():
        return "no text layer" if has_image else None
    if quality is None:
        from corpus.extract.pdf import text_quality

        quality = text_quality(text)
    if quality < GARBAGE_QUALITY:
        return "garbage text layer"
    if one_glyph_per_line(text):
        return "one glyph per line"
    if mostly_non_words(text):
        return "text layer of non-words"
    return None
