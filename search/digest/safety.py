"""What may come out of a digest: only absolute http(s) and file links; everything else is text.

Everything in a digest comes from documents (titles, summaries, URLs) or from a hand-edited
file, so renderers treat all of it as hostile: HTML is escaped by Jinja2's autoescape,
Markdown by `escape_markdown`, and links pass `safe_url`.

    >>> safe_url("javascript:alert(1)") is None
    True
    >>> safe_url("https://thl.fi/a b(c)")
    'https://thl.fi/a%20b%28c%29'
    >>> escape_markdown("*Barn* <script>")
    '\\\\*Barn\\\\* \\\\<script\\\\>'
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

SAFE_SCHEMES = ("http", "https", "file")
# Backslash-escapable ASCII punctuation that means something in Markdown or inline HTML.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~&])")
# At a line's start these make a list, a quote or a heading underline; "1." an ordered list.
_LINE_START = re.compile(r"^(\s*)([-=+>])", re.MULTILINE)
_ORDERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def safe_url(url: str | None) -> str | None:
    """`url` when it is an absolute http(s) or file URL (with risky characters percent-encoded), else None."""
    if not url:
        return None
    text = url.strip()
    if any(ord(ch) < 32 for ch in text):
        return None
    parts = urlsplit(text)
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return None
    if parts.scheme.lower() != "file" and not parts.netloc:
        return None
    # Keep reserved characters, encode what could end a Markdown link or an attribute.
    return quote(text, safe=":/?#@!$&*+,;=%~-._")


def escape_markdown(text: str) -> str:
    """`text` with Markdown and inline-HTML syntax escaped, so it shows as written and never as markup."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    escaped = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)
    return _ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)
