"""Text repair: small composable steps that undo the damage of PDF and Word extraction.

Each step is a plain function, `str -> str` or `list[str] -> list[str]` (pages), with its own
unit test; `repair` composes them over an `Extracted`:

    pages:  strip_markers ─► normalize_unicode ─► unify_hyphens ─► drop_repeated_lines
            ─► join_across_pages ─► dehyphenate ─► normalize_whitespace
    blocks: the same string steps, without the page steps

>>> dehyphenate("kehittämis-\\ntoiminta ja sosiaali-\\nja terveydenhuolto")
'kehittämistoiminta ja sosiaali- ja terveydenhuolto'
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from corpus.model import Block, Extracted

# -- string steps --------------------------------------------------------------------------

#: pdfium writes U+FFFE where it removed a line-end hyphen and joined the lines, and U+0002
#: for a hyphen it could not classify; U+00AD is the soft hyphen of Word and HTML. All three
#: mean "the word goes on": they are removed together with a line break that follows them.
_MARKERS = re.compile("[\u00ad\ufffe\u0002][ \t]*(?:\r\n|\r|\n)?[ \t]*")


def strip_markers(text: str) -> str:
    """Remove soft hyphens and pdfium's hyphen markers, joining the word they split.

    >>> strip_markers("för\\ufffeskollärare kehittämis\\u00ad\\ntoiminta")
    'förskollärare kehittämistoiminta'
    """
    return _MARKERS.sub("", text)


def normalize_unicode(text: str) -> str:
    """NFKC (ligatures ﬁ ﬂ, full-width forms, odd spaces), then NFC.

    NFKC itself recomposes, but the trailing NFC keeps the promise explicit: ä, ö, å, ø, æ
    come out as single code points even when the input had them decomposed (macOS, some PDFs).

    >>> normalize_unicode("eﬀective ﬁnancial a\\u0308")
    'effective financial ä'
    """
    return unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text))


#: U+2010 HYPHEN and U+2011 NON-BREAKING HYPHEN (Word, the seed files) and U+2043 HYPHEN BULLET
#: mean the same as "-" for search; one form keeps tokenisation and dehyphenation simple.
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2043": "-"})


def unify_hyphens(text: str) -> str:
    """Turn Unicode hyphens into "-" (dashes – and — are punctuation and stay).

    >>> unify_hyphens("Poh\\u2010anmaan")
    'Poh-anmaan'
    """
    return text.translate(_HYPHENS)


#: Words after which a line-end hyphen is a suspended compound ("sosiaali- ja terveydenhuolto",
#: "barn- och ungdomsvård", "helse- og omsorgstjenester"), not a broken word.
CONJUNCTIONS = frozenset("ja tai sekä että eli taikka och eller samt resp respektive og el and or und bzw".split())

_LINE_END_HYPHEN = re.compile(r"(\w+)-[ \t]*(?:\r\n|\r|\n)[ \t]*(\w+)")
_VOWELS = set("aeiouyäöå")


def _join(match: re.Match, lang: str | None) -> str:
    first, second = match.group(1), match.group(2)
    if second.lower() in CONJUNCTIONS:
        return f"{first}- {second}"
    keep = (
        first[-1].isdigit()  # "2017-\n2018", "65-\nvuotiaat"
        or (len(first) >= 2 and first.isupper())  # acronyms: "EU-\nrahoitus", "NAV-\nkontoret"
        or second[0].isupper()  # a capital goes on a name: "Keski-\nPohjanmaa", "Nord-\nNorge"
        or second[0].isdigit()
        # Finnish writes a hyphen where a compound joins two equal vowels ("meri-ilma",
        # "sosiaali-instituutio"); Swedish does not ("kvinnoorganisation"), so only for fi.
        or (lang == "fi" and first[-1].lower() in _VOWELS and first[-1].lower() == second[0].lower())
    )
    return f"{first}-{second}" if keep else first + second


def dehyphenate(text: str, lang: str | None = None) -> str:
    """Join words split with a hyphen at a line end; keep suspended and real hyphens.

    >>> dehyphenate("Poh-\\nanmaan EU-\\nrahoitus barn- och\\nungdomsvård helse-\\nog omsorg")
    'Pohanmaan EU-rahoitus barn- och\\nungdomsvård helse- og omsorg'
    """
    return _LINE_END_HYPHEN.sub(lambda m: _join(m, lang), text)


_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def normalize_whitespace(text: str) -> str:
    """Collapse runs of spaces, drop zero-width and control characters, keep paragraph breaks.

    >>> normalize_whitespace("  a  b \\r\\n\\r\\n\\r\\n\\fc\\u200b ")
    'a b\\n\\nc'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = _CONTROLS.sub("", _ZERO_WIDTH.sub("", text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# -- page steps ----------------------------------------------------------------------------

#: How many non-empty lines at the top and at the bottom of a page count as header/footer zone.
ZONE_LINES = 3
#: A line in the zone that recurs on at least this share of pages is a running header/footer.
REPEAT_SHARE = 0.4
_PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:(?:sivu|sida|side|page|s\.)\s*)?#(?:\s*(?:/|av|of|af|\()\s*#\)?)?[-–—\s]*$")


def _line_key(line: str) -> str:
    """What a running header looks like once its page number is forgotten."""
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", line)).strip().casefold()


def _zone(lines: list[str]) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:ZONE_LINES] + filled[-ZONE_LINES:]))


def drop_repeated_lines(pages: list[str]) -> list[str]:
    """Remove running headers, footers and page numbers: lines near the top or bottom of a
    page that recur, digits aside, on many pages, and bare page numbers there.

    Needs at least three pages: on two pages a repeated line may well be content.
    """
    if len(pages) < 3:
        return pages
    split = [page.replace("\r\n", "\n").replace("\r", "\n").split("\n") for page in pages]
    seen = Counter()
    for lines in split:
        seen.update({_line_key(lines[i]) for i in _zone(lines)})
    threshold = max(3, math.ceil(REPEAT_SHARE * len(pages)))
    out = []
    for lines in split:
        drop = set()
        for i in _zone(lines):
            key = _line_key(lines[i])
            if seen[key] >= threshold or _PAGE_NUMBER.match(key):
                drop.add(i)
        out.append("\n".join(line for i, line in enumerate(lines) if i not in drop))
    return out


_TRAILING_PART = re.compile(r"(\w+)-\s*$")
_LEADING_PART = re.compile(r"^\s*([^\W\d_]\w*)([^\n]*)")


def join_across_pages(pages: list[str]) -> list[str]:
    """Move the rest of a word hyphenated at the end of a page onto that page.

    >>> join_across_pages(["utbild-", "ningen är bra"])
    ['utbildningen', 'är bra']
    """
    out = list(pages)
    for i in range(len(out) - 1):
        end = _TRAILING_PART.search(out[i])
        start = _LEADING_PART.match(out[i + 1])
        if not end or not start or not start.group(1)[0].islower():
            continue
        joined = dehyphenate(f"{end.group(1)}-\n{start.group(1)}")
        out[i] = out[i][: end.start()] + joined
        out[i + 1] = out[i + 1][start.end(1) :].lstrip(" \t")
    return out


# -- composition ---------------------------------------------------------------------------


def _text_steps(lang: str | None) -> list[Callable[[str], str]]:
    return [strip_markers, normalize_unicode, unify_hyphens, lambda s: dehyphenate(s, lang), normalize_whitespace]


def repair_text(text: str, lang: str | None = None) -> str:
    """All string steps, in order: what a heading, a paragraph or a title needs."""
    for step in _text_steps(lang):
        text = step(text)
    return text


def repair_pages(pages: list[str], lang: str | None = None) -> list[str]:
    """The page steps around the string steps: headers go before words are joined."""
    pages = [unify_hyphens(normalize_unicode(strip_markers(p))) for p in pages]
    pages = join_across_pages(drop_repeated_lines(pages))
    return [normalize_whitespace(dehyphenate(p, lang)) for p in pages]


def _lang(extracted: Extracted) -> str | None:
    return (extracted.lang_hint or "").split("-")[0].lower() or None


def repair(extracted: Extracted) -> Extracted:
    """Repair every block and the title; running headers are removed across page blocks."""
    lang = _lang(extracted)
    pages = [b for b in extracted.blocks if b.kind == "page"]
    fixed_pages = iter(repair_pages([b.text for b in pages], lang)) if pages else iter(())
    blocks: list[Block] = []
    for block in extracted.blocks:
        text = next(fixed_pages) if block.kind == "page" else repair_text(block.text, lang)
        if text:
            blocks.append(replace(block, text=text))
    description = repair_text(extracted.description, lang) if extracted.description else extracted.description
    return replace(
        extracted,
        title=repair_text(extracted.title, lang).replace("\n", " "),
        blocks=tuple(blocks),
        description=description or None,
    )
