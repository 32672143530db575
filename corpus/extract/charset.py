"""Turning bytes into text: BOM, valid UTF-8, declared charset, then Nordic detection.

Close to what browsers do, with one change: bytes that are valid UTF-8 are read as UTF-8
even when the header or `<meta>` says ISO-8859-1, because pages re-saved as UTF-8 under an
old declaration are common (sn.dk) and Latin-1 text is almost never valid UTF-8 by chance.
Then the HTTP header, then `<meta charset>` / `http-equiv` / the XML prolog, then detection.
Detection matters because Nordic pages in ISO-8859-1 or cp1252 without any declaration are
common; a general detector (charset-normalizer) calls them cp1250 or hp_roman8 on short
Swedish text, so single-byte text is scored on Nordic letters among the few single-byte codecs
that Nordic documents really use; charset-normalizer is kept for what looks binary (UTF-16
without a BOM).
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from corpus.errors import ExtractionError

#: Byte-order marks, longest first (UTF-32 LE starts with the UTF-16 LE mark).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Labels that browsers decode as windows-1252 (WHATWG Encoding): its extra letters (€, š, ž, Ÿ)
#: turn up in "Latin-1" pages written on Windows.
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii", "cp819", "iso_8859-1"}

#: Single-byte codecs Nordic documents come in; the first wins ties.
_NORDIC_SINGLE_BYTE = ("cp1252", "mac_roman", "cp850")
_NORDIC_LETTERS = set("åäöæøéüÅÄÖÆØÉÜðþÐÞ")

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._-]+)""", re.I)


def charset_param(content_type: str | None) -> str | None:
    """The `charset=` parameter of a Content-Type header value, if any.

    >>> charset_param('text/html; charset="ISO-8859-1"')
    'ISO-8859-1'
    """
    if not content_type:
        return None
    match = re.search(r"""charset\s*=\s*["']?([^"';\s]+)""", content_type, re.I)
    return match.group(1) if match else None


def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None for an unknown label."""
    if not label:
        return None
    label = label.strip().lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def bom_codec(body: bytes) -> str | None:
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    return None


def declared_in_markup(body: bytes) -> str | None:
    """The charset a page declares for itself in its first few kilobytes."""
    head = body[:4096]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii", "replace") if match else None


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_binary(body: bytes) -> bool:
    sample = body[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(2, len(sample) // 100)


def _nordic_score(text: str) -> float:
    """Higher when a decoding yields Nordic letters rather than symbols and box drawing."""
    nordic = sum(1 for c in text if c in _NORDIC_LETTERS)
    odd = sum(1 for c in text if ord(c) >= 128 and not c.isalpha() and c not in "–—‘’“”€…•«»§°½¼±×·")
    return nordic - 2 * odd


def decode(body: bytes, declared: str | None = None, *, markup: bool = False) -> tuple[str, str]:
    """Decode `body`; returns (text, codec). `declared` is the HTTP header's charset.

    Order: BOM, valid UTF-8, the header's charset, the page's own declaration (`markup`),
    then detection among Nordic single-byte codecs.

    Raises ExtractionError when the bytes are not text in any encoding we can tell.
    """
    if codec := bom_codec(body):
        if (text := _strict(body, codec)) is not None:
            return text.lstrip("\ufeff"), codec
    binary = _looks_binary(body)
    # Valid UTF-8 with non-ASCII letters is almost never Latin-1 by chance, while pages that
    # declare iso-8859-1 but were re-saved as UTF-8 are common (sn.dk): UTF-8 wins over a
    # single-byte declaration.
    if not binary and (text := _strict(body, "utf-8")) is not None:
        return text, "utf-8"
    for label in (declared, declared_in_markup(body) if markup else None):
        if (codec := _codec(label)) and (text := _strict(body, codec)) is not None:
            return text.lstrip("\ufeff"), codec
    if binary:
        # UTF-16 without a BOM looks binary byte-wise; charset-normalizer recognises it.
        best = charset_normalizer.from_bytes(body[:65536]).best()
        if best is None or best.encoding.startswith("utf_8"):
            raise ExtractionError("undecodable bytes (binary data, not text in a known encoding)")
        text = _strict(body, best.encoding)
        if text is None or _looks_binary(text.encode("utf-8", "replace")):
            raise ExtractionError("undecodable bytes (binary data, not text in a known encoding)")
        return text, best.encoding
    candidates = []
    for codec in _NORDIC_SINGLE_BYTE:
        text = body.decode(codec, errors="replace")
        candidates.append((_nordic_score(text), -len(candidates), text, codec))
    _, _, text, codec = max(candidates)
    return text, codec
