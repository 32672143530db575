"""The domain: the plain data that flows between nordsearch's stages.

Every stage takes and returns these frozen dataclasses; storage code converts at the edge.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Languages nordsearch analyses. `und` marks text whose language could not be told.
LANGUAGES = ("fi", "sv", "nb", "nn", "da", "en")
COUNTRIES = ("FI", "SE", "NO", "DK", "IS", "NORDIC", "INT")


@dataclass(frozen=True)
class Resource:
    """Raw bytes as fetched or read, before any extraction.

    `hints` are what the source or the user said about the resource (country, publisher,
    source id, default language, Dublin Core title/date/subject from OAI-PMH); extraction
    treats them as hints, not truth.
    """

    url: str
    body: bytes
    content_type: str | None = None  # from the HTTP header or the file extension
    fetched_at: str = ""  # ISO 8601, UTC
    hints: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Block:
    """One unit of extracted text: a heading, a paragraph block or a page."""

    text: str
    kind: str = "paragraph"  # "heading" | "paragraph" | "page"
    level: int = 0  # heading level (1–6) for headings
    page: int | None = None  # 1-based page number in a PDF


@dataclass(frozen=True)
class Claim:
    """One bibliographic value with its provenance: what one source says a field of a document is.

    `source` is the kind of source (`corpus.biblio.claims.SOURCES` ranks them: curated over OAI
    over `citation_*` over Dublin Core ... over a PDF's creation date); `where` says exactly where
    (`meta name="citation_title"`, `PDF /Title`, `page 1, largest type`). A multi-valued field
    (authors, isbn, issn, urn) has one claim per value.

    >>> Claim("title", "Barnskydd 2025", "citation", 'meta name="citation_title"').rank < Claim("title", "x", "print").rank
    True
    """

    field: str  # one of corpus.biblio.claims.FIELDS
    value: str
    source: str
    where: str = ""

    @property
    def rank(self) -> int:
        from corpus.biblio.claims import source_rank

        return source_rank(self.source)

    def as_json(self) -> dict:
        return {"field": self.field, "value": self.value, "source": self.source, "where": self.where}


@dataclass(frozen=True)
class Link:
    """A document's own statement that another URL belongs to the same work.

    kind "pdf": the landing page's full text (`citation_pdf_url`, or the one report PDF a
    publication page links); kind "translation": a language version (`hreflang`, a "på svenska"
    link), with its language when said.
    """

    kind: str  # "pdf" | "translation"
    url: str
    lang: str | None = None
    where: str = ""

    def as_json(self) -> dict:
        return {"kind": self.kind, "url": self.url, "lang": self.lang, "where": self.where}


@dataclass(frozen=True)
class Extracted:
    """What an extractor found in one resource, before sections and languages."""

    format: str  # "html" | "pdf" | "txt"
    title: str
    blocks: tuple[Block, ...]
    lang_hint: str | None = None  # <html lang>, PDF /Lang: a hint only
    date: str | None = None  # ISO date of publication, when the document says it
    description: str | None = None
    pages: int | None = None
    claims: tuple[Claim, ...] = ()  # bibliographic values found in the file, with provenance
    links: tuple[Link, ...] = ()  # other URLs of the same work the file names
    # where a document states its own facts (colophon, series, ISBN): an HTML page's text
    # outside its chrome, a PDF's first pages and last page
    front_text: str = ""


@dataclass(frozen=True)
class Section:
    """A run of a document's text in one language, under one heading."""

    text: str
    lang: str  # one of LANGUAGES, or "und"
    heading: str = ""
    kind: str = "body"  # "summary" (abstract, tiivistelmä, sammanfattning, ...) | "body"
    position: int = 0


@dataclass(frozen=True)
class AreaMatch:
    """A document's membership of a substance area, with the terms that explain it."""

    id: str
    score: float
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """A document in the corpus: metadata, sections and substance areas."""

    id: str
    url: str
    title: str
    lang: str
    langs: tuple[str, ...] = ()
    country: str | None = None
    publisher: str | None = None
    source: str | None = None
    format: str = ""  # "html" | "pdf" | "txt"
    doc_type: str = ""  # "report" | "web page" | "statute" | ... when known
    date: str | None = None  # publication date (ISO), when known
    description: str | None = None
    content_hash: str = ""
    version: int = 1
    first_seen: str = ""
    updated_at: str = ""
    status: str = "ok"  # "ok" | "failed" | "withdrawn"
    error: str | None = None  # the one-line reason when status is "failed"
    sections: tuple[Section, ...] = ()
    areas: tuple[AreaMatch, ...] = ()
    meta: dict = field(default_factory=dict)  # e.g. Dublin Core subjects, pages
    record: tuple[Claim, ...] = ()  # every bibliographic claim found, best source first per field
    links: tuple[Link, ...] = ()

    @property
    def text(self) -> str:
        return "\n\n".join(s.text for s in self.sections)

    @property
    def area_ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.areas)

    # The bibliographic fields beyond title, date and publisher, from the best claims of `record`.
    @property
    def authors(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.best("authors"))

    @property
    def series(self) -> str | None:
        return next((c.value for c in self.best("series")), None)

    @property
    def isbn(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.best("isbn"))

    @property
    def issn(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.best("issn"))

    @property
    def urn(self) -> str | None:
        return next((c.value for c in self.best("urn")), None)

    @property
    def date_precision(self) -> str | None:
        """ "year" or "day" (a month-only date counts as its year)."""
        return ("year" if len(self.date) < 10 else "day") if self.date else None

    def best(self, field_name: str) -> tuple[Claim, ...]:
        """The winning claims of one field (all values of the best source)."""
        from corpus.biblio.claims import best

        return best(self.record, field_name)


@dataclass(frozen=True)
class IngestOutcome:
    """What happened to one resource in an ingest run."""

    url: str
    status: str  # "new" | "changed" | "unchanged" | "failed"
    doc_id: str | None = None
    reason: str | None = None
