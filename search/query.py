"""Searching the index: a `SearchRequest` in, a `SearchResult` with ranked, highlighted hits and facets out.

    parse (search.parse) ─► query language ─► cross-lingual expansion (search.expand, when
    present) ─► QuerySpec ─► the index backend (index.backend) ─► hits with snippets

Only the backend interface (index.backend) is used, whichever engine holds the index. A malformed query never raises: the parser degrades it to words and says so
in `SearchResult.notes`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, fields

from corpus.config import DataDir
from corpus.model import LANGUAGES
from index.backend import Clause, Expansion, Filters, IndexBackend, QuerySpec, open_backend
from index.query_cache import QueryCache
from search.errors import QuerySyntaxError
from search.model import MAX_LIMIT, MAX_PAGE, SORTS, Hit, SearchRequest, SearchResult
from search.parse import parse_query
from search.snippets import make_snippet

#: A language guess must be at least this sure to boost that language's fields.
QUERY_LANG_MIN = 0.5
#: One search at a time per process (a backend, e.g. its whoosh searcher, and the sqlite query
#: cache are not thread-safe). Measured on the 10k collection, 2 CPUs, 8 threads: per-thread backends without
#: this lock gave 10.4 searches/s (p95 1.6 s) against 17.3/s (p95 0.2 s) with it — whoosh
#: searching is pure Python, so threads only contend for the GIL (and thrash their caches).
_lock = threading.Lock()
#: Expansion terms kept per clause and language, in the thesaurus's order (the concept's own
#: most typical terms first, then the first term of related concepts). Each one is a sub-query
#: in three fields. 6 keeps eval_retrieval and eval_cross_retrieval identical (5: cross nDCG
#: 0.756 -> 0.754; 4: cross recall 0.952 -> 0.940) and cuts the long tail of a core concept.
MAX_EXPANSIONS_PER_LANG = 6


#: Open backends and query caches per data directory, most recently used last (at most
#: MAX_BACKENDS; used under `_lock`). A data directory's cache is released with its backend;
#: each cache is kept with the index identity it was opened for (see `_cache`).
_BACKENDS: dict[DataDir, IndexBackend] = {}
_CACHES: dict[DataDir, tuple[str, QueryCache]] = {}
MAX_BACKENDS = 8


def _backend(data_dir: DataDir) -> IndexBackend:
    """The process's backend for `data_dir` (call with `_lock` held).

    One backend per data directory and process: the web app reuses its searcher between
    requests (it refreshes itself when the index changed). A backend pushed out by newer
    ones is closed, not left for the garbage collector with its index files open.
    """
    backend = _BACKENDS.pop(data_dir, None) or open_backend(data_dir)
    _BACKENDS[data_dir] = backend
    while len(_BACKENDS) > MAX_BACKENDS:
        _release(next(iter(_BACKENDS)))
    return backend


def _cache(data_dir: DataDir) -> QueryCache:
    """The data directory's query cache (call with `_lock` held).

    Query analysis and expansion open dictionaries and the thesaurus (tenths of a second to
    seconds); a CLI search is a fresh process each time, so their answers are kept on disk.
    The file lives in the index directory and goes with it on a rebuild, so the cache is kept
    per index identity: a long-running process opens it again (memory emptied) when the index
    changed, instead of answering from a deleted file and the old analysis.
    """
    identity = _backend(data_dir).identity()  # the cache lives and is released with the backend's entry
    kept = _CACHES.get(data_dir)
    if kept is not None and kept[0] == identity:
        return kept[1]
    if kept is not None:
        kept[1].close()
    cache = QueryCache(data_dir.index_dir if data_dir.index_dir.is_dir() else None)
    _CACHES[data_dir] = (identity, cache)
    return cache


def _release(data_dir: DataDir) -> None:
    _BACKENDS.pop(data_dir).close()
    kept = _CACHES.pop(data_dir, None)
    if kept is not None:
        kept[1].close()


def keep_current(data_dir: DataDir) -> str:
    """Makes this process's searcher read the newest index and returns its identity.

    A long-running process (a web worker) calls this every second or so: after a commit or a
    rebuild the new index is opened here, before a user's search has to wait for it, and the
    old one's files are let go. Raises IndexingError when there is no readable index.
    """
    with _lock:
        backend = _backend(data_dir)
        backend.count()  # opens the current index (and its arrays) when the identity changed
        _cache(data_dir)
        return backend.identity()


def close_backends() -> None:
    """Closes every backend and query cache this process keeps (a server shutting down, tests)."""
    with _lock:
        while _BACKENDS:
            _release(next(iter(_BACKENDS)))


def guess_query_lang(text: str, request: SearchRequest, cache: QueryCache) -> str | None:
    """The query's likely language: a single `--lang` filter, else a guess (cached per query text).

    The guess (search.query_lang) asks the dictionaries the analysis opens anyway, not a
    language detector's n-gram models, whose loading cost 1–4 s of every cold CLI search.
    """
    if len(request.langs) == 1:
        return request.langs[0]
    if not text.strip():
        return None

    def guess() -> list:
        from search.query_lang import best_language, guess_scores

        scores = guess_scores(text)
        best = best_language(scores)
        return [best, scores[best]] if best else [None, 0.0]

    # Its own kind: answers cached by the lingua-based detection before are not mixed in.
    lang, score = cache.get("query-lang", "", text, guess)
    return lang if lang in LANGUAGES and score >= QUERY_LANG_MIN else None


def _thesaurus_stamp(data_dir: DataDir) -> str:
    """Changes whenever the thesaurus files or the measured translation weights change."""
    from corpus.areas import SHIPPED_FILE
    from search.translation_weights import weights_path

    files = [SHIPPED_FILE, data_dir.areas_file, *data_dir.thesaurus_files(), weights_path(data_dir)]
    return ",".join(str(f.stat().st_mtime_ns) if f.exists() else "-" for f in files)


#: The boost of a translation of weight 1 (below the literal word, which has 1); an equivalent
#: in the query's own language (a regional variant, a synonym) is trusted more.
TRANSLATION_BOOST = 0.2
SAME_LANGUAGE_BOOST = 0.5


def expand_clauses(
    clauses: tuple[Clause, ...], query_lang: str | None, data_dir: DataDir
) -> tuple[tuple[Clause, ...], dict[str, list[str]]]:
    """Adds each positive clause's thesaurus equivalents and translations (search.expand).

    Answers are cached per (language, clauses) like the analysis: compiling the thesaurus
    analyses every term in every language, seconds in a fresh process.
    """
    try:
        from search.expand import ExpansionTerm
        from search.expand import expand_clauses as thesaurus_expansions
    except ImportError:  # a build without the thesaurus: search without expansion
        return clauses, {}
    positive = [c for c in clauses if not c.exclude]
    if not positive:
        return clauses, {}
    texts = [c.text for c in positive]
    # A changed thesaurus (shipped or the data directory's areas.toml) must not reuse old answers.
    stamp = (query_lang or "") + "|" + _thesaurus_stamp(data_dir)

    def compute() -> list:
        # One call for all clauses: a thesaurus phrase typed without quotes spans two clauses.
        return [[t.as_json() for t in added] for added in thesaurus_expansions(texts, query_lang, data_dir=data_dir)]

    def valid(value: object) -> bool:  # an older cache file may hold another shape under this key
        return (
            isinstance(value, list)
            and len(value) == len(texts)
            and all(isinstance(x, list) and all(isinstance(t, dict) for t in x) for x in value)
        )

    found = _cache(data_dir).get("expansions", stamp, "\x1f".join(texts), compute, valid)
    per_clause = {
        id(c): _capped([ExpansionTerm.from_json(t) for t in added]) for c, added in zip(positive, found, strict=True)
    }
    out: list[Clause] = []
    shown: dict[str, list[str]] = {}
    for clause in clauses:
        added = per_clause.get(id(clause), [])
        if added:
            shown[clause.text] = list(dict.fromkeys(t.text for t in added))
        exps = tuple(
            Expansion(
                text=t.text,
                lang=t.lang,
                boost=round((SAME_LANGUAGE_BOOST if t.relation == "same" else TRANSLATION_BOOST) * t.weight, 4),
            )
            for t in added
        )
        out.append(Clause(clause.text, clause.phrase, clause.exclude, exps))
    return tuple(out), shown


def _capped(added: list) -> list:
    kept = []
    per_lang: dict[str, int] = {}
    for t in added:
        if per_lang.get(t.lang, 0) < MAX_EXPANSIONS_PER_LANG:
            per_lang[t.lang] = per_lang.get(t.lang, 0) + 1
            kept.append(t)
    return kept


def _check(request: SearchRequest) -> None:
    if request.sort not in SORTS:
        raise QuerySyntaxError(f"unknown sort {request.sort!r} (use one of: {', '.join(SORTS)})")
    if not 1 <= request.limit <= MAX_LIMIT:
        raise QuerySyntaxError(f"limit must be between 1 and {MAX_LIMIT}, got {request.limit}")
    if not 1 <= request.page <= MAX_PAGE:
        raise QuerySyntaxError(f"page must be between 1 and {MAX_PAGE}, got {request.page}")
    if request.year_from and request.year_to and request.year_from > request.year_to:
        raise QuerySyntaxError(f"year range {request.year_from}-{request.year_to} is empty (FROM after TO)")


def _hit(backend: IndexBackend, bh, spec: QuerySpec) -> Hit:
    stored = bh.stored
    excerpts: dict[str, str] = stored.get("excerpts") or {}
    lang = stored.get("lang")
    # The snippet comes from the document's own language, unless only another language matched.
    order = [lang] + [x for x in excerpts if x != lang] if lang in excerpts else list(excerpts)
    snippet, snippet_lang = (), None
    for candidate in order:
        spans = backend.match_spans(excerpts[candidate], candidate, spec)
        if spans or snippet_lang is None:
            snippet, snippet_lang = make_snippet(excerpts[candidate], spans), candidate
        if spans:
            break
    return Hit(
        id=bh.id,
        url=stored.get("url", ""),
        title=stored.get("title", ""),
        lang=lang or "und",
        country=stored.get("country"),
        publisher=stored.get("publisher"),
        date=stored.get("date"),
        doc_type=stored.get("doc_type", ""),
        areas=tuple(stored.get("areas") or ()),
        score=bh.score,
        snippet=snippet,
        snippet_lang=snippet_lang,
    )


def mark_scanned(data_dir: DataDir, hits: tuple[Hit, ...]) -> tuple[Hit, ...]:
    """Hits whose text was partly recognised from a scan say so (the store knows; the index need not)."""
    from dataclasses import replace

    from search.documents import scanned_ids

    scanned = scanned_ids(data_dir.store_file, [h.id for h in hits]) if hits else set()
    return tuple(replace(h, scanned=True) if h.id in scanned else h for h in hits)


def search(data_dir: DataDir, request: SearchRequest, *, backend: IndexBackend | None = None) -> SearchResult:
    """Run `request` against the index of `data_dir`."""
    _check(request)
    parsed = parse_query(request.query)
    notes = list(parsed.notes)
    if request.query.strip() and not parsed.clauses:
        notes.append("the query has no words to search for")
        return SearchResult(request.query, 0, (), {}, {}, None, request.page, request.limit, tuple(notes))
    with _lock:
        backend = backend or _backend(data_dir)
        query_lang = guess_query_lang(" ".join(parsed.words), request, _cache(data_dir))
        clauses, expanded = (
            expand_clauses(parsed.clauses, query_lang, data_dir) if request.expand else (parsed.clauses, {})
        )
        spec = QuerySpec(
            clauses=clauses,
            query_lang=query_lang,
            # SearchRequest carries every filter under the same name, so the filters are derived
            filters=Filters(**{f.name: getattr(request, f.name) for f in fields(Filters)}),
            sort=request.sort,
            page=request.page,
            limit=request.limit,
        )
        found = backend.search(spec)
        if found.total == 0 and any(not c.exclude for c in clauses) and not found.facets:
            notes.append("only very common words: nothing to search for")
        hits = tuple(_hit(backend, bh, spec) for bh in found.hits)
    hits = mark_scanned(data_dir, hits)
    return SearchResult(
        query=request.query,
        total=found.total,
        hits=hits,
        facets=found.facets,
        expanded=expanded,
        query_lang=query_lang,
        page=request.page,
        limit=request.limit,
        notes=tuple(notes),
    )


@dataclass(frozen=True)
class IndexInfo:
    """What this process's index is now (for /readyz and /metrics)."""

    identity: str
    documents: int
    committed_at: float | None  # when the last commit was made (seconds since the epoch)
    size_bytes: int | None


def describe_index(data_dir: DataDir) -> IndexInfo | None:
    """The index this process searches (opened, or refreshed to the newest commit); None when
    there is no index yet. Raises IndexingError when it cannot be read."""
    with _lock:
        backend = _backend(data_dir)
        if not backend.exists():
            return None
        documents = backend.count()
        committed_at = backend.committed_at()
        return IndexInfo(
            identity=f"{backend.last_seq()}@{committed_at}",
            documents=documents,
            committed_at=committed_at,
            size_bytes=backend.size_bytes(),
        )
