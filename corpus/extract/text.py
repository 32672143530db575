"""Plain-text extraction: decode the bytes and cut the text into paragraph or page blocks.

Plain text here is mostly text exported from PDF or Word (the seed documents): form feeds
mark pages, blank lines mark paragraphs. Repair (`corpus.repair`) then joins split words.
"""

from __future__ import annotations

import re

from corpus.errors import ExtractionError
from corpus.extract.charset import charset_param, decode
from corpus.model import Block, Extracted

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n")


def _title(text: str) -> str:
    """The first line with some letters, when it is short enough to be a title."""
    for line in text.splitlines()[:10]:
        line = line.strip()
        if sum(c.isalpha() for c in line) >= 3:
            return line if len(line) <= 200 else ""
    return ""


def extract_text(body: bytes, content_type: str | None = None) -> Extracted:
    """Blocks of a plain-text file: pages when it has form feeds, else paragraphs."""
    if not body.strip():
        raise ExtractionError("empty file")
    text, _ = decode(body, charset_param(content_type))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ExtractionError("empty file (only whitespace)")
    if "\f" in text.strip("\f"):
        pages = text.split("\f")
        blocks = tuple(Block(text=p, kind="page", page=i + 1) for i, p in enumerate(pages) if p.strip())
        count = len(pages)
    else:
        blocks = tuple(Block(text=p.strip("\n")) for p in _PARAGRAPH_BREAK.split(text) if p.strip())
        count = None
    return Extracted(format="txt", title=_title(text), blocks=blocks, pages=count)
