"""Extraction of text and metadata from HTML, PDF and plain text.

`extract` is the one entry point: it picks the extractor from the bytes first and the declared
content type second, because crawled PDFs arrive from URLs without `.pdf` and servers label
them `application/octet-stream` or even `text/html`.
"""

from __future__ import annotations

import re

from corpus.config import Settings
from corpus.errors import ExtractionError
from corpus.model import Extracted, Resource

_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_HTML_TAG = re.compile(rb"<(?:html|head|body|div|p|table|title|meta|h[1-6]|a\s)\b", re.I)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def sniff(body: bytes, content_type: str | None = None, url: str = "") -> str:
    """ "pdf", "html" or "txt" for these bytes; the bytes outrank the declared type.

    >>> sniff(b"%PDF-1.7 ...", "text/html"), sniff(b"<!DOCTYPE html><html>", "application/octet-stream")
    ('pdf', 'html')
    """
    head = body[:2048]
    if b"%PDF-" in body[:1024]:
        return "pdf"
    declared = (content_type or "").split(";")[0].strip().lower()
    stripped = head
    for bom in _BOMS:
        if stripped.startswith(bom):
            stripped = stripped[len(bom) :]
    if declared == "application/pdf" or url.lower().split("?")[0].endswith(".pdf"):
        # Says PDF but lacks the header (often a server's HTML error page): the PDF
        # extractor records "not a PDF" rather than indexing the error page.
        return "pdf"
    if _HTML_START.match(stripped):
        return "html"
    if declared in ("text/html", "application/xhtml+xml"):
        return "html"
    if declared == "text/plain":
        return "txt"
    if _HTML_TAG.search(head):
        return "html"  # a fragment without <html>, served with no useful type
    return "txt"


def extract(resource: Resource, settings: Settings | None = None) -> Extracted:
    """Text blocks and metadata of one resource; raises ExtractionError with a short reason."""
    from corpus.extract.html import extract_html
    from corpus.extract.pdf import extract_pdf
    from corpus.extract.text import extract_text

    settings = settings or Settings()
    body = resource.body
    if len(body) > settings.max_file_bytes:
        raise ExtractionError(f"file too large ({len(body) / 1e6:.0f} MB > {settings.max_file_bytes / 1e6:.0f} MB cap)")
    if not body.strip():
        raise ExtractionError("empty file")
    kind = sniff(body, resource.content_type, resource.url)
    if kind == "pdf":
        return extract_pdf(body)
    if kind == "html":
        return extract_html(body, resource.content_type, resource.url)
    return extract_text(body, resource.content_type)
