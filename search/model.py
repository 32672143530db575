"""Plain data of a search: the request, the hits and the result, shared by the CLI, web app and digests."""

from __future__ import annotations

from dataclasses import dataclass, field

SORTS = ("relevance", "date")
MAX_QUERY_CHARS = 1000  # longer queries are cut (with a note), never an error page
MAX_LIMIT = 100
MAX_PAGE = 1000


@dataclass(frozen=True)
class SearchRequest:
    query: str
    langs: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    sort: str = "relevance"
    limit: int = 10
    page: int = 1
    expand: bool = True  # cross-lingual expansion through the thesaurus
    include_withdrawn: bool = False


@dataclass(frozen=True)
class Fragment:
    """A piece of a snippet; `match` pieces are highlighted. Text is raw: renderers escape it."""

    text: str
    match: bool = False


@dataclass(frozen=True)
class Hit:
    id: str
    url: str
    title: str
    lang: str
    country: str | None
    publisher: str | None
    date: str | None
    doc_type: str
    areas: tuple[str, ...]
    score: float
    snippet: tuple[Fragment, ...] = ()
    snippet_lang: str | None = None
    scanned: bool = False  # some of the text was recognised from a scan (OCR)

    @property
    def snippet_text(self) -> str:
        return "".join(f.text for f in self.snippet)

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date and self.date[:4].isdigit() else None


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # lang, country, area, year, publisher, doc_type
    expanded: dict[str, list[str]] = field(default_factory=dict)  # query term -> terms added in other languages
    query_lang: str | None = None
    page: int = 1
    limit: int = 10
    notes: tuple[str, ...] = ()  # e.g. "query cut to 1000 characters"

    def as_json(self) -> dict:
        """The `--json` / `/api/search` shape."""
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "limit": self.limit,
            "query_lang": self.query_lang,
            "hits": [
                {
                    "id": h.id,
                    "url": h.url,
                    "title": h.title,
                    "lang": h.lang,
                    "country": h.country,
                    "publisher": h.publisher,
                    "date": h.date,
                    "areas": list(h.areas),
                    "score": round(h.score, 4),
                    "snippet": h.snippet_text,
                    "highlights": [f.text for f in h.snippet if f.match],
                    "scanned": h.scanned,
                }
                for h in self.hits
            ],
            "facets": self.facets,
            "expanded": self.expanded,
            "notes": list(self.notes),
        }
