"""The plain records every index engine speaks: what goes in, what a search asks, what comes out.

    IndexRecord   one entry of the index: id, keyword fields, per-language texts, a stored payload
    Change        one step of an update: a record to add or replace, or an id to remove
    ApplyReport   what one atomic update did, and the store sequence number it reached
    QuerySpec     a search: Clauses (words, phrases, exclusions, with Expansions), Filters,
                  sort, page, facets
    BackendHit    one ranked hit: id, score, the record's stored payload
    BackendResult the total, the page of hits, and FacetCounts over every match

No engine is named here: `index.backend.IndexBackend` takes and returns these records, and
each engine (`index/whoosh/`, `index/postgres/`) turns them into its own structures. An index
record is deliberately not a `Document`: the record of a document is built by
`index.document_record`, and a record may as well stand for a group of documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

#: Facets every search can ask for (names as in `SearchResult.facets`).
FACETS = ("lang", "country", "area", "year", "publisher", "doc_type")

#: The keyword fields of a record: exact values for filters and facets. Several values are
#: allowed in `langs` and `areas`; the others hold at most one.
KEYWORD_FIELDS = ("lang", "langs", "country", "publisher", "source", "doc_type", "status", "year", "areas")
MULTI_VALUED = frozenset({"langs", "areas"})

#: The keyword field each facet counts.
FACET_FIELDS = {
    "lang": "lang",
    "country": "country",
    "area": "areas",
    "year": "year",
    "publisher": "publisher",
    "doc_type": "doc_type",
}

#: The keyword field each `Filters` value list restricts (any of the values; lists are AND'ed).
FILTER_FIELDS = {
    "langs": "lang",
    "countries": "country",
    "publishers": "publisher",
    "areas": "areas",
    "doc_types": "doc_type",
}

#: The `status` of a record hidden from searches unless `Filters.include_withdrawn`.
WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class IndexRecord:
    """One entry of the index, engine-neutral.

    `texts[lang]` is the text searched in that language's fields (the analysis happens in the
    engine's writer, with `index.analysis`); `titles[lang]` is the title, searched again in a
    boosted field. `keywords` hold the filter and facet values (see KEYWORD_FIELDS).
    `date` is YYYYMMDD as a number (0: unknown) for sorting newest first and the year range.
    `stored` is returned with every hit exactly as given (JSON-able: url, title, excerpts...).
    """

    id: str
    keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    date: int = 0
    texts: Mapping[str, str] = field(default_factory=dict)
    titles: Mapping[str, str] = field(default_factory=dict)
    stored: Mapping = field(default_factory=dict)

    def keyword(self, name: str) -> str | None:
        """The single value of a keyword field (None when it has none)."""
        values = self.keywords.get(name) or ()
        return values[0] if values else None

    @property
    def year(self) -> int | None:
        return self.date // 10000 if self.date else None


@dataclass(frozen=True)
class Change:
    """One change to apply, in the order of the store's sequence numbers.

    `record` None removes `id` from the index (a document that failed, or was deleted).
    """

    seq: int
    id: str
    record: IndexRecord | None

    @property
    def label(self) -> str:
        """What progress reports name this change by."""
        if self.record is None:
            return self.id
        return str(self.record.stored.get("title") or self.record.stored.get("url") or self.id)


@dataclass(frozen=True)
class ApplyReport:
    """What one atomic update of the index did."""

    added: int = 0
    updated: int = 0
    deleted: int = 0
    skipped: int = 0  # removals of ids the index never had (failed documents, never indexed)
    last_seq: int = 0


@dataclass(frozen=True)
class Expansion:
    """A term in another language added to a clause (from the thesaurus), ranked below the literal match.

    `boost` None takes the ranking's expansion weight (`index.ranking.RANKING.expansion_weight`).
    """

    text: str
    lang: str
    boost: float | None = None


@dataclass(frozen=True)
class Clause:
    """One word or quoted phrase of a query; `exclude` for `-word`."""

    text: str
    phrase: bool = False
    exclude: bool = False
    expansions: tuple[Expansion, ...] = ()


@dataclass(frozen=True)
class Filters:
    """Restrictions of a search; an empty tuple restricts nothing. See FILTER_FIELDS."""

    langs: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    include_withdrawn: bool = False

    def keyword_filters(self) -> list[tuple[str, tuple[str, ...]]]:
        """(keyword field, accepted values) of every value list given."""
        return [(name, getattr(self, attr)) for attr, name in FILTER_FIELDS.items() if getattr(self, attr)]


@dataclass(frozen=True)
class QuerySpec:
    """A search as the backend sees it. No clauses means every document (filters still apply)."""

    clauses: tuple[Clause, ...]
    query_lang: str | None = None  # the query's likely language: its fields rank first
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"  # "relevance" | "date" (newest first; no date last)
    page: int = 1
    limit: int = 10
    facets: tuple[str, ...] = FACETS


@dataclass(frozen=True)
class BackendHit:
    id: str
    score: float
    stored: Mapping  # the record's `stored` payload, as indexed


#: facet name → value → number of matching documents, most frequent first (ties by value).
FacetCounts = dict[str, dict[str, int]]


@dataclass(frozen=True)
class BackendResult:
    total: int
    hits: tuple[BackendHit, ...]
    facets: FacetCounts


def sorted_counts(pairs) -> dict[str, int]:
    """Facet counts in their contract order: most frequent first, ties by value; zeros left out."""
    return dict(sorted(((k, int(v)) for k, v in pairs if v), key=lambda kv: (-kv[1], kv[0])))
