"""The one door to the search index: `IndexBackend`, the contract every engine keeps, and `open_backend`.

`search/` and `index.update` use nothing else of an engine. They speak the plain records of
`index.records` (re-exported here): `Change`s go in, `QuerySpec`s are asked, `BackendResult`s
with neutral values come back. Each engine is a package beside this module, imported only by
`open_backend`:

    index/whoosh/     the embedded default: whoosh files in the data directory's `index/`
    index/postgres/   PostgreSQL full-text search, for collections shared by several machines

Every engine ranks by the one description in `index.ranking`, plans queries with
`index.query_plan`, and passes the same contract suite (tests/index/backend_contract.py,
after wagtail's `BackendTests`). An engine that cannot do something the suite asks fails
it; nothing is silently skipped.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar

from corpus.config import DataDir, worker_count
from index.errors import IndexEngineError
from index.highlight import match_spans
from index.query_cache import QueryCache
from index.query_plan import QueryPlanner
from index.ranking import RANKING, Ranking
from index.records import (
    FACETS,
    ApplyReport,
    BackendHit,
    BackendResult,
    Change,
    Clause,
    Expansion,
    FacetCounts,
    Filters,
    IndexRecord,
    QuerySpec,
)

__all__ = [
    "FACETS",
    "ApplyReport",
    "BackendHit",
    "BackendResult",
    "Change",
    "Clause",
    "Expansion",
    "FacetCounts",
    "Filters",
    "IndexBackend",
    "IndexRecord",
    "QuerySpec",
    "open_backend",
]

#: Called once per change handled: (number of changes, what the change is about).
Progress = Callable[[int, str], None]
#: Query analyses kept per backend for highlighting (one search asks for every hit).
SPAN_TERMS_KEPT = 64


class IndexBackend(ABC):
    """An index of the corpus: written through one writer path, searched by `QuerySpec`.

    One backend object is used by one thread at a time (search.query holds a lock around
    it); processes open their own. Reading methods see the latest commit: a backend kept
    open (by a web worker) notices commits and rebuilds by other processes by itself.
    """

    #: The engine's name, as settings and messages call it.
    engine: ClassVar[str]

    def __init__(self, *, ranking: Ranking = RANKING):
        self.ranking = ranking
        self._planner: QueryPlanner | None = None
        #: (clauses, lang) -> the tokens highlighted for them (see `match_spans`).
        self._span_terms: dict[tuple, set[str]] = {}

    # -- state --------------------------------------------------------------------------------
    @abstractmethod
    def exists(self) -> bool:
        """True once an index has been committed (even an empty one); cheap, opens nothing."""

    @abstractmethod
    def last_seq(self) -> int:
        """The store sequence number the index is complete up to (0 for no or an outdated index).

        Recorded by the same atomic commit as the changes up to it, never before them: after
        a crash the index and this number still agree, and the next update redoes the rest.
        """

    @abstractmethod
    def identity(self) -> str:
        """A string naming the index's current contents: it changes with every commit, a rebuild
        included, and never repeats ("" while there is no index).

        Readers compare it, not an engine's version counter (whoosh starts its generations
        again on a rebuild): a kept searcher is replaced when it changed, and caches of search
        results or query analyses are keyed by it. Cheap enough to ask before every search;
        needs no lock and opens nothing, so any thread may ask.
        """

    @abstractmethod
    def needs_rebuild(self) -> bool:
        """True when only a rebuild can bring the index up to date: none yet, or one written
        by another version of the engine's layout (its schema version)."""

    def committed_at(self) -> float | None:
        """When the index's last commit was made (seconds since the epoch), for health checks
        and metrics (`/readyz`, `/metrics`); None where the engine cannot tell."""
        return None

    def size_bytes(self) -> int | None:
        """Bytes the index takes in its storage, for metrics; None where the engine cannot tell."""
        return None

    # -- backups ------------------------------------------------------------------------------
    def snapshot(self, dest: Path) -> bool:
        """Copy the last commit into the empty folder `dest` while writers go on (`nordsearch
        backup`). Its recorded `last_seq` is never ahead of its contents, so an update after
        `restore_snapshot` brings it level with the store. False where the engine cannot: the
        backup's index is then rebuilt from the store on restore."""
        return False

    def restore_snapshot(self, src: Path) -> None:
        """Replace the whole index by a `snapshot` in one step (readers see the old or the new one)."""
        raise IndexEngineError(f"the {self.engine} index cannot be restored from a snapshot: rebuild it from the store")

    # -- writing ------------------------------------------------------------------------------
    @abstractmethod
    def apply(
        self,
        changes: Iterable[Change],
        *,
        rebuild: bool = False,
        on_progress: Progress | None = None,
        count_hint: int = 0,
    ) -> ApplyReport:
        """Apply `changes` in one atomic commit and record the highest `seq` among them.

        A change with a record adds it or replaces the record of the same id; a change
        without one removes the id (counted `skipped` when the index never had it). Until the
        commit, searches see the previous state; a failure or a kill leaves that state whole.
        `rebuild` replaces the whole index by `changes` (still one commit). Only one writer at
        a time: a second waits up to the data directory's `index_lock_timeout`, then raises
        IndexLockedError. `on_progress(1, label)` follows every change; `count_hint` (how many
        changes to expect) lets an engine choose how to work (worker processes or not).
        """

    # -- reading ------------------------------------------------------------------------------
    @abstractmethod
    def search(self, spec: QuerySpec) -> BackendResult:
        """The page `spec.page` of `spec.limit` hits, the total and `spec.facets` over every match.

        Matching and ranking follow `index.ranking` (the plan of `planner().plan(spec)`); a
        plan of None (stop words only) finds nothing, with no facets. Filters restrict by
        keyword values (any of a field's values, fields AND'ed) and by year; withdrawn
        records are left out unless `include_withdrawn`. `sort="date"`: newest first, records
        without a date last, ties by the index's order. Facets count the matching records
        per value, most frequent first (ties by value), values with no match left out.
        Hits carry the record's `stored` payload as it was indexed. Raises IndexMissingError
        before the first index, IndexCorruptError when the index cannot be read.
        """

    @abstractmethod
    def count(self, *, include_withdrawn: bool = False) -> int:
        """Records in the index (withdrawn ones only with `include_withdrawn`)."""

    @abstractmethod
    def doc_ids(self) -> set[str]:
        """The ids of every record in the index (an empty set when there is no index)."""

    def planner(self) -> QueryPlanner:
        """The query planner of this backend, with its cache of query analyses."""
        if self._planner is None:
            self._planner = QueryPlanner(self.query_cache(), self.ranking)
        return self._planner

    def query_cache(self) -> QueryCache:
        """Where query analyses are kept; engines with a folder of their own keep them on disk."""
        return QueryCache(None)

    def match_spans(self, text: str, lang: str, spec: QuerySpec) -> list[tuple[int, int]]:
        """Character spans of `text` (in `lang`) that the query's positive clauses point to, for highlighting.

        The same for every engine: the plan's tokens in `lang` (index.highlight decides which
        surface words they mark).
        """
        # One search asks this for every hit: the query's tokens per language are kept for
        # the last few queries instead of being collected again each time.
        key = (spec.clauses, spec.query_lang, lang)
        terms = self._span_terms.get(key)
        if terms is None:
            plan = self.planner().plan(spec)
            terms = self._span_terms[key] = plan.terms(lang) if plan is not None else set()
            if len(self._span_terms) > SPAN_TERMS_KEPT:
                self._span_terms.pop(next(iter(self._span_terms)))
        return match_spans(text, lang, terms)

    # -- life ---------------------------------------------------------------------------------
    def close(self) -> None:
        """Release files, connections and caches; the backend may be used again afterwards (it reopens)."""
        if self._planner is not None:
            self._planner.cache.close()
            self._planner = None

    def __enter__(self) -> IndexBackend:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_backend(data_dir: DataDir, *, workers: int | None = None) -> IndexBackend:
    """The index of a data directory, in the engine its settings choose (whoosh, the embedded default).

    `workers`: processes an update may use for analysis (default: the data directory's
    `workers` setting, one per core).
    """
    settings = data_dir.settings()
    from index.whoosh.backend import WhooshBackend

    return WhooshBackend(
        data_dir.index_dir,
        lock_timeout=settings.index_lock_timeout,
        workers=worker_count(settings) if workers is None else workers,
    )
