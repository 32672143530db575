"""What a fetched body is: HTML, PDF or something the crawler does not keep.

Nordic sites serve PDFs from URLs without `.pdf` (`/contentassets/<hash>/<slug>`) and sometimes
with a wrong or missing Content-Type, so the body's first bytes decide when the header is
vague.

>>> kind_of("application/octet-stream", b"%PDF-1.4 ...")
'pdf'
>>> kind_of(None, b"<!DOCTYPE html><html lang=fi>")
'html'
>>> kind_of("image/png", b"\\x89PNG") is None
True
"""

from __future__ import annotations

import re

HTML_TYPES = ("text/html", "application/xhtml+xml")
PDF_TYPES = ("application/pdf", "application/x-pdf")
VAGUE_TYPES = ("", "application/octet-stream", "binary/octet-stream", "application/download", "text/plain")
_HTML_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def kind_of(content_type: str | None, body: bytes) -> str | None:
    """ "html", "pdf", or None for anything else (images, Word files, JSON...)."""
    head = body[:1024].lstrip()
    if head.startswith(b"%PDF-"):
        return "pdf"
    mtype = media_type(content_type)
    if mtype in PDF_TYPES:
        return "pdf"
    if mtype in HTML_TYPES:
        return "html"
    if mtype in VAGUE_TYPES and _HTML_START.match(body[:2048]):
        return "html"
    return None


def content_type_for(kind: str, header: str | None) -> str:
    """The content type handed to ingest: the header when it agrees, else the sniffed type."""
    if kind == "pdf":
        return "application/pdf"
    mtype = media_type(header)
    return header if mtype in HTML_TYPES and header else "text/html"
