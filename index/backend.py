"""The backend interface: what `search/` and `index.update` may ask of an index, whatever engine holds it.

`search/` builds a `QuerySpec` out of plain words and phrases (the user's query after parsing,
plus cross-lingual expansions) and gets back a `BackendResult`; analysis, query construction,
filters and facets are the backend's business. Whoosh is the embedded default
(`index.whoosh_backend.WhooshBackend`); a server backend (PostgreSQL full-text, tantivy, ...)
implements the same protocol beside it, and `open_backend` is the one place that chooses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from corpus.config import DataDir
from corpus.model import Document

#: Facets every search can ask for (names as in `SearchResult.facets`).
FACETS = ("lang", "country", "area", "year", "publisher", "doc_type")


@dataclass(frozen=True)
class Expansion:
    """A term in another language added to a clause (from the thesaurus), ranked below the literal match."""

    text: str
    lang: str
    boost: float = 0.2


@dataclass(frozen=True)
class Clause:
    """One word or quoted phrase of a query; `exclude` for `-word`."""

    text: str
    phrase: bool = False
    exclude: bool = False
    expansions: tuple[Expansion, ...] = ()


@dataclass(frozen=True)
class Filters:
    langs: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    include_withdrawn: bool = False


@dataclass(frozen=True)
class QuerySpec:
    """A search as the backend sees it. No clauses means every document (filters still apply)."""

    clauses: tuple[Clause, ...]
    query_lang: str | None = None  # the query's likely language: its fields rank first
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"  # "relevance" | "date"
    page: int = 1
    limit: int = 10
    facets: tuple[str, ...] = FACETS


@dataclass(frozen=True)
class BackendHit:
    id: str
    score: float
    stored: dict  # url, title, lang, country, publisher, date, doc_type, areas, status, excerpts


@dataclass(frozen=True)
class BackendResult:
    total: int
    hits: tuple[BackendHit, ...]
    facets: dict[str, dict[str, int]]


@dataclass(frozen=True)
class ApplyReport:
    """What one atomic update of the index did."""

    added: int = 0
    updated: int = 0
    deleted: int = 0
    skipped: int = 0  # failed documents, never indexed
    last_seq: int = 0


class IndexBackend(Protocol):
    """An index of the corpus: written through one writer path, searched by `QuerySpec`."""

    def exists(self) -> bool: ...

    def identity(self) -> str:
        """A string naming the index's current contents: it changes with every commit, a rebuild
        included, and never repeats ("" while there is no index).

        Readers compare it, not an engine's version counter (whoosh restarts its generations on
        a rebuild): a searcher reopens when it changed, and caches of results or of query
        analysis are keyed by it. Cheap enough to ask before every search.
        """
        ...

    def last_seq(self) -> int:
        """The store sequence number the index is complete up to (0 for a new index)."""
        ...

    def apply(
        self,
        changes: Iterable[tuple[int, Document]],
        *,
        rebuild: bool = False,
        on_progress: Callable[[int, str], None] | None = None,
    ) -> ApplyReport:
        """Add, update or delete the changed documents in one atomic commit, then record the last seq.

        `rebuild` replaces the whole index by `changes` (still one commit: until then the old
        index answers searches). Failed documents are removed from the index.
        """
        ...

    def search(self, spec: QuerySpec) -> BackendResult: ...

    def count(self, *, include_withdrawn: bool = False) -> int: ...

    def doc_ids(self) -> set[str]: ...

    def match_spans(self, text: str, lang: str, spec: QuerySpec) -> list[tuple[int, int]]:
        """Character spans of `text` (in `lang`) that the query's clauses match, for highlighting."""
        ...


def open_backend(data_dir: DataDir) -> IndexBackend:
    """The index of a data directory (whoosh, the embedded default)."""
    from index.whoosh_backend import WhooshBackend

    return WhooshBackend(data_dir.index_dir, lock_timeout=data_dir.settings().index_lock_timeout)
