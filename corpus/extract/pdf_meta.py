"""Metadata of a PDF as claims with provenance: information dictionary, XMP, the first page's title.

    information dictionary   pdf-info    /Title (junk rejected), /Author, a " | Site" suffix
    XMP packet               pdf-xmp     dc:title, dc:creator, dc:publisher, dc:date, identifiers
    page 1, largest type     first-page  the biggest run of lines that is not a running header,
                                         a series label, a page number or a section heading
    page 1, first lines      first-page  a weaker guess: the first line with words (continued
                                         onto the next line when that one starts in lower case)
    /CreationDate            print       when the file was made: a print or export date

Junk titles come from the tools, not the authors: "Microsoft Word - rap_2019.docx", file names
("NFS 2007-10k2.indd.indd"), "untitled", a bare series label ("Regeringens proposition",
"Prop. 2012/13:182"). A title equal to the publisher is dropped later, where the publisher
registry is known (`corpus.ingest`).
"""

from __future__ import annotations

import ctypes
import io
import re
from collections import Counter
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

from corpus.model import Claim

_JUNK_TITLE = re.compile(
    r"^(?:microsoft (?:word|powerpoint|excel) ?- |untitled|unbenannt|nimetön|namnlös|no title|"
    r"(?:document|dokument|asiakirja|slide)\s*\d*$)"
    r"|\.(?:indd|docx?|rtf|txt|pdf|qxd|p65|xlsx?|pptx?|odt|tex|dvi|ps)$",
    re.I,
)
#: A file or account name: one token with digits or underscores ("121314400", "rap_2019").
_FILE_NAME = re.compile(r"^[\w.~-]*(?:\d{4,}|_)[\w.~-]*$")
#: Labels a cover carries above the title: a series or a document kind, not a title.
_SERIES_NOUNS = re.compile(
    r"(?:författningssamling|proposition|kommittédirektiv|lagrådsremiss|säädöskokoelma|lovtidend|"
    r"raportti|rapport|report|julkaisuja|publikationer|skrivelse|betänkande|departementsserien|"
    r"offentliga utredningar|offentlige utredninger|folketrygden|folketrygda)$",
    re.I,
)
#: A series designation alone ("Prop. 2012/13:182", "NFS 2007:10", "Dir. 2016:15").
_DESIGNATION = re.compile(
    r"^(?:regeringens proposition|prop|dir|ds|sou|skr|nou|[A-ZÅÄÖ][\w-]{0,10})\.?\s*"
    r"(?:(?:19|20)\d\d(?:/(?:\d\d|\d{4}))?\s?:\s?\d{1,4}|\d{1,4}/(?:19|20)\d\d)",
    re.I,
)
#: Section headings that stand in large type on a first page but name no document.
GENERIC_HEADINGS = {
    "sammanfattning", "sammandrag", "sammendrag", "sammenfatning", "tiivistelmä", "yhteenveto", "abstract",
    "summary", "innehåll", "innehållsförteckning", "sisällys", "sisällysluettelo", "contents", "innhold",
    "indhold", "förord", "forord", "esipuhe", "foreword", "preface", "information", "informasjon",
    "tiedote", "inledning", "innledning", "indledning", "johdanto", "introduction", "bakgrund",
    "bakgrunn", "baggrund", "tausta", "background", "huvudsakliga innehåll", "propositionens huvudsakliga innehåll",
}  # fmt: skip


def is_junk_title(title: str) -> bool:
    """True for titles that tools wrote: "Microsoft Word - x.docx", file names, "untitled", labels.

    >>> [is_junk_title(t) for t in ("Microsoft Word - rap_2019.docx", "NFS 2007-10k2.indd.indd", "Prop. 2012/13:182", "Vissa skolfrågor")]
    [True, True, True, False]
    """
    text = re.sub(r"\s+", " ", title).strip()
    if len(re.findall(r"[^\W\d_]", text)) < 3 or _JUNK_TITLE.search(text):
        return True
    if " " not in text and _FILE_NAME.match(text):
        return True
    if _DESIGNATION.fullmatch(text.rstrip(". ")):
        return True
    return text.casefold() in GENERIC_HEADINGS or bool(_SERIES_NOUNS.search(text) and len(text.split()) <= 3)


def without_designation(title: str) -> str:
    """A title without a leading series designation ("Prop 2008/09:5, Bättre ..." -> "Bättre ...").

    >>> without_designation("Regeringens proposition 2013/14:104: Insatser för vissa nyanlända invandrares etablering m.m.")
    'Insatser för vissa nyanlända invandrares etablering m.m.'
    """
    m = _DESIGNATION.match(title)
    if not m:
        return title
    rest = title[m.end() :].lstrip(" ,:;-–")
    return rest if re.search(r"[^\W\d_]{6}", rest) else title


def clean_title(title: str) -> str:
    """A document title from a metadata title: the site suffix after " | " dropped.

    >>> clean_title("Sosiaalihuoltolaki | 1301/2014 | Lainsäädäntö | Finlex")
    'Sosiaalihuoltolaki'
    """
    title = re.sub(r"\s+", " ", title).strip()
    for sep in (" | ", " – ", " — ", " :: "):
        head = title.split(sep)[0].strip()
        if len(head) >= 8 or (head != title and len(head) >= 4 and sep == " | "):
            title = head
    return title


def pdf_date(value: str) -> str | None:
    """The day of a PDF date string (D:20130627163416+02'00'), or its year or month."""
    match = re.match(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?", value or "")
    if not match or not (1980 <= int(match.group(1)) <= 2100):
        return None
    return "-".join(g for g in match.groups() if g)


_NOT_A_PERSON = {"administrator", "admin", "user", "owner", "unknown", "author", "default", "microsoft", "staff"}


def _author_names(value: str) -> list[str]:
    names = []
    for part in re.split(r"\s*;\s*|\s+&\s+|\s+and\s+|\s+och\s+|\s+ja\s+", value.strip()):
        part = part.strip(" ,")
        if not part or re.search(r"\d|@|\\|/", part) or part.casefold() in _NOT_A_PERSON:
            continue
        if " " not in part and part.islower():
            continue  # an account name
        names.append(part)
    return names


def info_claims(meta: dict) -> list[Claim]:
    """Claims of the document information dictionary."""
    claims: list[Claim] = []
    raw_title = re.sub(r"\s+", " ", meta.get("Title") or "").strip()
    if raw_title:
        title = without_designation(clean_title(raw_title))
        if title and not is_junk_title(title):
            claims.append(Claim("title", title, "pdf-info", "PDF /Title"))
        parts = [p.strip() for p in raw_title.split(" | ")]
        if len(parts) >= 3:  # "Lastensuojelulaki | 417/2007 | Lainsäädäntö | Finlex": printed from a site
            claims.append(Claim("site_name", parts[-1], "pdf-info", "PDF /Title site suffix"))
    for name in _author_names(meta.get("Author") or ""):
        claims.append(Claim("authors", name, "pdf-info", "PDF /Author"))
    if day := pdf_date(meta.get("CreationDate", "")):
        claims.append(Claim("date", day, "print", "PDF /CreationDate"))
    return claims


# -- XMP -----------------------------------------------------------------------------------

_XMP_NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "prism": "http://prismstandard.org/namespaces/basic/2.0/",
}


def xmp_packet(body: bytes) -> bytes | None:
    """The XMP metadata stream of the document catalog, read by pdfminer.six (None when absent)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    try:
        document = PDFDocument(PDFParser(io.BytesIO(body)), password="")
        stream = resolve1(document.catalog.get("Metadata"))
        data = stream.get_data() if stream is not None and hasattr(stream, "get_data") else None
    except Exception:  # a broken or encrypted file: pdfium has read its text; XMP is optional
        return None
    return data if data and b"<" in data else None


def xmp_claims(packet: bytes | None) -> list[Claim]:
    from lxml import etree

    if not packet:
        return []
    start = packet.find(b"<x:xmpmeta")
    start = start if start >= 0 else packet.find(b"<rdf:RDF")
    if start < 0:
        return []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(packet[start : packet.rfind(b">") + 1], parser=parser)
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []

    def values(path: str) -> list[str]:
        out = []
        for el in root.iterfind(f".//{path}", _XMP_NS):
            items = el.findall(".//rdf:li", _XMP_NS) or [el]
            out += [re.sub(r"\s+", " ", i.text).strip() for i in items if i.text and i.text.strip()]
        # properties may also be attributes of rdf:Description
        prefix, _, local = path.partition(":")
        attr = f"{{{_XMP_NS[prefix]}}}{local}"
        out += [d.get(attr).strip() for d in root.iterfind(".//rdf:Description", _XMP_NS) if d.get(attr)]
        return out

    claims = []
    for title in values("dc:title")[:1]:
        title = without_designation(clean_title(title))
        if not is_junk_title(title):
            claims.append(Claim("title", title, "pdf-xmp", "XMP dc:title"))
    for creator in values("dc:creator"):
        for name in _author_names(creator):
            claims.append(Claim("authors", name, "pdf-xmp", "XMP dc:creator"))
    for publisher in values("dc:publisher")[:1]:
        claims.append(Claim("publisher", publisher, "pdf-xmp", "XMP dc:publisher"))
    for value in values("dc:date")[:1]:
        if day := pdf_date(value.replace("-", "")):
            claims.append(Claim("date", day, "pdf-xmp", "XMP dc:date"))
    for value in values("prism:isbn") + values("dc:identifier"):
        if re.match(r"(?:urn:)?isbn", value, re.I) or re.fullmatch(r"[\d-]{13,17}X?", value):
            claims.append(Claim("isbn", re.sub(r"^(?:urn:)?isbn:?\s*", "", value, flags=re.I), "pdf-xmp", "XMP"))
        elif value.lower().startswith("urn:nbn:"):
            claims.append(Claim("urn", "URN:NBN:" + value[8:], "pdf-xmp", "XMP dc:identifier"))
    for value in values("xmp:CreateDate")[:1]:
        if day := pdf_date(value.replace("-", "")):
            claims.append(Claim("date", day, "print", "XMP xmp:CreateDate"))
    return claims


# -- the first page ------------------------------------------------------------------------


@dataclass
class _Cell:
    """A run of characters on one line of the page, with its type size and position."""

    text: str
    size: float
    top: float
    bottom: float


def page_cells(textpage) -> list[_Cell]:
    """The page's text cut into cells: a new cell at a line end or a wide gap in a line."""
    count = pdfium_raw.FPDFText_CountChars(textpage)
    cells: list[_Cell] = []
    chars: list[str] = []
    sizes: list[float] = []
    top = bottom = right = None
    rect = pdfium_raw.FS_RECTF()

    def close() -> None:
        text = re.sub(r"\s+", " ", "".join(chars)).strip()
        if text and sizes:
            cells.append(_Cell(text, sorted(sizes)[len(sizes) // 2], top or 0.0, bottom or 0.0))
        chars.clear()
        sizes.clear()

    for i in range(count):
        code = pdfium_raw.FPDFText_GetUnicode(textpage, i)
        ch = chr(code) if code else ""
        if ch in ("\r", "\n", "") or code in (0xFFFE, 0xFFFF):
            close()
            top = bottom = right = None
            continue
        if not pdfium_raw.FPDFText_GetLooseCharBox(textpage, i, ctypes.byref(rect)):
            continue
        height = rect.top - rect.bottom
        if ch.isspace():
            chars.append(" ")
            continue
        middle = (rect.top + rect.bottom) / 2
        if top is not None and (
            not (bottom - 0.2 * height <= middle <= top + 0.2 * height)
            or rect.left - (right or rect.left) > 2.5 * height
        ):
            close()
            top = bottom = None
        chars.append(ch)
        sizes.append(round(height, 1))
        top = rect.top if top is None else max(top, rect.top)
        bottom = rect.bottom if bottom is None else min(bottom, rect.bottom)
        right = rect.right
    close()
    return cells


def _noise(cell: _Cell) -> bool:
    """Cells that break a title run: page numbers, series labels and numbers, dates."""
    text = cell.text.strip(" .")
    return (
        not re.search(r"[^\W\d_]{3}", text)
        or bool(_DESIGNATION.fullmatch(text))
        or text.casefold() in ("prop", "dir", "ds", "sou", "skr")
    )


def _acceptable(text: str) -> bool:
    words = text.split()
    if re.match(r"^\d+(?:\.\d+)*\s", text):  # "5 Opplysninger om ...": a numbered section
        return False
    if len(words) == 1 and (text.isupper() or len(text) < 8):
        return False
    return not is_junk_title(text) and text.casefold().strip(" :") not in GENERIC_HEADINGS


def first_page_title(pdf: pdfium.PdfDocument) -> Claim | None:
    """The title in the largest type on page 1, when it stands out from the body text."""
    if len(pdf) == 0:
        return None
    page = pdf[0]
    try:
        textpage = page.get_textpage()
        cells = page_cells(textpage)
        textpage.close()
    finally:
        page.close()
    if not cells:
        return None
    weights = Counter()
    for c in cells:
        weights[round(c.size)] += len(c.text)
    body = weights.most_common(1)[0][0]
    runs: list[list[_Cell]] = []
    for cell in cells:
        if _noise(cell):  # skipped, not a break: "NFS 2007:10" may sit beside a title's first line
            continue
        last = runs[-1] if runs else None
        if (
            last
            and abs(cell.size - last[-1].size) <= 0.08 * last[-1].size
            and -0.5 * cell.size <= last[-1].bottom - cell.top <= 1.5 * cell.size
            and len(last) < 4
        ):
            last.append(cell)
        else:
            runs.append([cell])
    candidates = []
    for order, run in enumerate(r for r in runs if r):
        size = max(c.size for c in run)
        text = re.sub(r"\s+", " ", " ".join(c.text for c in run)).strip(" ;:,")
        if size >= 1.15 * body and _acceptable(text):
            candidates.append((-round(size / 1.08), order, text))
    if not candidates:
        return None
    text = min(candidates)[2]
    return Claim("title", text[:300], "first-page", "page 1, largest type")


def first_lines_title(first_page: str) -> Claim | None:
    """The first line with words, continued while the next line starts in lower case."""
    lines = [re.sub(r"\s+", " ", line).strip() for line in first_page.splitlines()]
    lines = [line for line in lines if line][:20]
    for i, line in enumerate(lines):
        if sum(c.isalpha() for c in line) < 4 or not _acceptable(line) or _noise(_Cell(line, 0, 0, 0)):
            continue
        text = line
        for following in lines[i + 1 : i + 3]:
            if following[:1].islower() and not re.search(r"[.!?:]$", text):
                text = f"{text} {following}"
            else:
                break
        return Claim("title", text[:300], "first-page", "page 1, first line")
    return None


def pdf_claims(body: bytes, meta: dict, first_page: str, layout: tuple[Claim, ...] = ()) -> list[Claim]:
    """Every claim of the file, best kind first (the order breaks ties within a kind); `layout`
    is `first_page_title`'s claim, taken while pdfium had the file open."""
    claims = info_claims(meta) + xmp_claims(xmp_packet(body) if body else None) + list(layout)
    if guess := first_lines_title(first_page):
        claims.append(guess)
    return claims
