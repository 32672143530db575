"""PDF text extraction: pypdfium2 as the fast path, pdfminer.six for the pages it reads poorly.

pypdfium2 extracts about 30× faster than pdfminer.six with the same Nordic letters, but some
font encodings only pdfminer.six decodes (the Czech non-Unicode CMap sample comes out of pdfium
as a shifted alphabet, `3HQČåQt` for `Peněžní`). So every page goes through pdfium; a page
whose text looks poor (`text_quality`) is read again by pdfminer, and the better of the two is
kept. pdfminer runs under a time budget, so a pathological file costs at most that much.
"""

from __future__ import annotations

import ctypes
import io
import logging
import re
import time
from collections.abc import Iterable

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

from corpus.biblio.claims import best
from corpus.errors import ExtractionError
from corpus.extract.pdf_meta import first_page_title, pdf_claims, pdf_date
from corpus.model import Block, Claim, Extracted

#: pdfminer logs every recoverable oddity of a file (circular references, broken xref) at
#: WARNING; a crawl would drown in them, and the outcome is judged on the text instead.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

#: Below this score a page's text counts as poor and pdfminer.six gets a try at it.
POOR_QUALITY = 0.6
#: Seconds pdfminer.six may spend on one document before we keep what pdfium gave.
PDFMINER_BUDGET_SECONDS = 30.0

_CID = re.compile(r"\(cid:\d+\)")
_TOKEN = re.compile(r"[^\W\d_]+")
# Lower case followed by upper case inside a word ("HQČåQtSURVW") is what a wrong font
# encoding looks like; real words do it rarely (SONet, iPhone).
_CASE_FLIP = re.compile(r"[^\W\d_][a-zà-ÿ][A-ZÀ-Þ]")
_NEUTRAL = re.compile(r"[\d.,;:!?\-–—()\[\]/\\§%&+=*'\"’”«»_…]")
_LETTER = re.compile(r"[^\W\d_]")
_SPACE = re.compile(r"\s")
_ODD = re.compile("[\ufffd\ue000-\uf8ff\x00-\x08\x0b\x0e-\x1f]")


def text_quality(text: str) -> float:
    """A score in [0, 1]: the share of letters, less replacement, private-use and control
    characters, `(cid:N)` escapes and case-scrambled tokens.

    >>> text_quality("Peněžní prostředky na účtech") > 0.8 > text_quality("3HQČåQtSURVWĜHGN\\\\QD~þWHFK")
    True
    """
    cids = len(_CID.findall(text))
    text = _CID.sub("\ufffd", text)
    visible = len(text) - len(_SPACE.findall(text))
    if not visible:
        return 0.0
    # Digits and ordinary punctuation are neither good nor bad: a table of contents is mostly
    # dot leaders and page numbers, and statute references are mostly digits.
    judged = visible - len(_NEUTRAL.findall(text)) or visible
    letters = len(_LETTER.findall(text))
    odd = len(_ODD.findall(text))
    tokens = _TOKEN.findall(text)
    scrambled = sum(len(t) for t in tokens if _CASE_FLIP.search(t) or len(t) > 40)
    token_chars = sum(len(t) for t in tokens) or 1
    score = min(1.0, letters / judged) * (1 - (odd + cids) / visible) * (1 - scrambled / token_chars)
    return max(0.0, min(1.0, score))


def _is_pdf(body: bytes) -> bool:
    # The spec allows junk before the header; readers accept it within the first kilobyte.
    return b"%PDF-" in body[:1024]


# -- pdfium --------------------------------------------------------------------------------


def _open(body: bytes) -> pdfium.PdfDocument:
    """Open with the empty user password (what readers do silently), or say why not."""
    try:
        return pdfium.PdfDocument(body)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ExtractionError("needs password (encrypted PDF; the empty user password fails)") from exc
        raise


def _catalog_lang(pdf: pdfium.PdfDocument) -> str | None:
    size = pdfium_raw.FPDFCatalog_GetLanguage(pdf, None, 0)
    if size <= 2:
        return None
    buffer = (ctypes.c_ushort * (size // 2))()
    pdfium_raw.FPDFCatalog_GetLanguage(pdf, buffer, size)
    lang = bytes(buffer).decode("utf-16-le", "ignore").rstrip("\x00").strip()
    return lang or None


def _pdfium_pages(pdf: pdfium.PdfDocument) -> tuple[list[str], list[bool], bool]:
    """Text per page, whether each empty page still has text objects, whether any has images."""
    texts, hidden_text, images = [], [], False
    for index in range(len(pdf)):
        page = pdf[index]
        try:
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            textpage.close()
            has_text_objects = False
            if not text.strip():
                kinds = {obj.type for obj in page.get_objects(max_depth=1)}
                has_text_objects = pdfium_raw.FPDF_PAGEOBJ_TEXT in kinds
                images |= pdfium_raw.FPDF_PAGEOBJ_IMAGE in kinds or pdfium_raw.FPDF_PAGEOBJ_FORM in kinds
        finally:
            page.close()
        texts.append(text)
        hidden_text.append(has_text_objects)
    return texts, hidden_text, images


# -- pdfminer ------------------------------------------------------------------------------


def pdfminer_pages(
    body: bytes, wanted: Iterable[int] | None = None, budget: float = PDFMINER_BUDGET_SECONDS
) -> dict[int, str]:
    """Text of the pages `wanted` (0-based; all when None) read by pdfminer.six.

    Stops when the budget is spent and returns what it has; a file pdfminer cannot parse gives
    an empty result, never an exception.
    """
    from pdfminer.converter import TextConverter
    from pdfminer.layout import LAParams
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    wanted_set = set(wanted) if wanted is not None else None
    out: dict[int, str] = {}
    deadline = time.monotonic() + budget
    buffer = io.StringIO()
    try:
        manager = PDFResourceManager()
        device = TextConverter(manager, buffer, laparams=LAParams())
        interpreter = PDFPageInterpreter(manager, device)
        for index, page in enumerate(PDFPage.get_pages(io.BytesIO(body), password="")):
            if wanted_set is not None and index not in wanted_set:
                continue
            if time.monotonic() > deadline:
                break
            buffer.seek(0)
            buffer.truncate()
            try:
                interpreter.process_page(page)
            except RecursionError:  # self-referencing forms that pdfminer's own guard misses
                continue
            out[index] = buffer.getvalue()
            if wanted_set is not None and len(out) == len(wanted_set):
                break
    except RecursionError:
        return out
    except Exception:  # pdfminer raises many kinds on broken files; the caller judges the text
        return out
    return out


# -- the extractor -------------------------------------------------------------------------


def extract_pdf(body: bytes) -> Extracted:
    """Pages of text and metadata of one PDF; raises ExtractionError with a short reason."""
    if not body:
        raise ExtractionError("empty file")
    if not _is_pdf(body):
        raise ExtractionError("not a PDF (no %PDF- header)")
    try:
        pdf = _open(body)
    except pdfium.PdfiumError:
        # pdfium gave up on the file; pdfminer sometimes reads damaged files that pdfium refuses.
        texts = pdfminer_pages(body)
        if not any(t.strip() for t in texts.values()):
            raise ExtractionError("broken PDF (cannot be parsed)") from None
        pages = [texts.get(i, "") for i in range(max(texts) + 1)]
        return _result(pages, {}, None, ())
    try:
        texts, hidden_text, images = _pdfium_pages(pdf)
        meta = pdf.get_metadata_dict(skip_empty=True)
        lang = _catalog_lang(pdf)
        layout_title = first_page_title(pdf)
    finally:
        pdf.close()
    poor = [i for i, t in enumerate(texts) if hidden_text[i] or (t.strip() and text_quality(t) < POOR_QUALITY)]
    if poor:
        for index, text in pdfminer_pages(body, poor).items():
            if text_quality(text) > text_quality(texts[index]):
                texts[index] = text
    if not any(t.strip() for t in texts):
        if images:
            raise ExtractionError("no text layer (scanned PDF; OCR not supported)")
        raise ExtractionError("no text in PDF" if texts else "broken PDF (no pages)")
    return _result(texts, meta, lang, (layout_title,) if layout_title else (), body)


def _result(texts: list[str], meta: dict, lang: str | None, layout: tuple[Claim, ...], body: bytes = b"") -> Extracted:
    blocks = tuple(Block(text=t, kind="page", page=i + 1) for i, t in enumerate(texts) if t.strip())
    claims = pdf_claims(body, meta, blocks[0].text if blocks else "", layout)
    title, date = best(claims, "title"), best(claims, "date")
    return Extracted(
        format="pdf",
        title=title[0].value if title else "",
        blocks=blocks,
        lang_hint=lang,
        date=date[0].value if date else pdf_date(meta.get("CreationDate", "")),
        description=(meta.get("Subject") or "").strip() or None,
        pages=len(texts),
        claims=tuple(claims),
        front_text=_front_text(blocks),
    )


def _front_text(blocks: tuple[Block, ...]) -> str:
    """Where a PDF states its own facts: the first five pages and the last (colophons sit on
    the back of the title page, after a table of contents, or at the very end)."""
    chosen = list(blocks[:5]) + ([blocks[-1]] if len(blocks) > 5 else [])
    return "\n".join(b.text for b in chosen)
