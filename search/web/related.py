"""A document's neighbours: its language versions, and similar documents in other languages.

Language versions reuse the digest's grouping (`search.digest.grouping.group_versions`) over a
bounded set of candidates: documents in another language from the same source, publisher or
host, nearest in date first. Similar documents are a "more like this" search: the terms that
put the document into its areas (or, without areas, the longer words of its title) searched
with cross-lingual expansion, so a Finnish report on `sijaishuolto` brings the Norwegian one on
`fosterhjem`. Both are best effort: a failure leaves the lists empty, never the page broken.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from corpus.errors import NordsearchError
from corpus.model import Document
from corpus.store import Store
from search.digest.grouping import Edition, group_versions
from search.model import Hit, SearchRequest, SearchResult

log = logging.getLogger(__name__)

#: Candidates looked at for language versions; grouping is pairwise, so keep this small.
MAX_CANDIDATES = 200
HEAD_CHARS = 1500
#: Similar documents shown on a document page.
SIMILAR_COUNT = 6
_WORD = re.compile(r"[^\W\d_]{5,}")


@dataclass(frozen=True)
class Related:
    """A link to another document in the store, with what the page shows about it."""

    id: str
    title: str
    lang: str
    country: str | None = None
    publisher: str | None = None
    date: str | None = None


def _edition(row, head: str) -> Edition:
    return Edition(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        lang=row["lang"],
        publisher=row["publisher"],
        source=row["source"],
        date=row["date"] or (row["first_seen"] or "")[:10] or None,
        head=head[:HEAD_CHARS],
        meta=json.loads(row["meta"] or "{}"),
    )


def _heads(store: Store, ids: list[str]) -> dict[str, str]:
    heads: dict[str, list[str]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for doc_id, text in store.connection.execute(
            f"SELECT doc_id, text FROM sections WHERE doc_id IN ({marks}) AND position < 3 ORDER BY doc_id, position",
            chunk,
        ):
            heads[doc_id].append(text[:HEAD_CHARS])
    return {i: " ".join(parts) for i, parts in heads.items()}


def language_versions(store: Store, doc: Document) -> list[Related]:
    """Other-language versions of `doc` (at most one per language), as the digest groups them."""
    host = urlsplit(doc.url).netloc
    day = doc.date or (doc.first_seen or "")[:10] or None
    rows = store.connection.execute(
        "SELECT id, url, title, lang, publisher, source, date, first_seen, meta, country FROM documents "
        "WHERE status='ok' AND id != ? AND lang != ? AND (source = ? OR publisher = ? OR url LIKE ? OR url LIKE ?) "
        "ORDER BY abs(julianday(coalesce(date, substr(first_seen, 1, 10))) - julianday(coalesce(?, date('now')))) "
        "LIMIT ?",
        (doc.id, doc.lang, doc.source, doc.publisher, f"http://{host}/%", f"https://{host}/%", day, MAX_CANDIDATES),
    ).fetchall()
    if not rows:
        return []
    heads = _heads(store, [r["id"] for r in rows])
    own = Edition(
        id=doc.id,
        url=doc.url,
        title=doc.title,
        lang=doc.lang,
        publisher=doc.publisher,
        source=doc.source,
        date=day,
        head=" ".join(s.text[:HEAD_CHARS] for s in doc.sections[:3])[:HEAD_CHARS],
        meta=doc.meta,
    )
    by_id = {r["id"]: r for r in rows}
    for group in group_versions([own, *(_edition(r, heads.get(r["id"], "")) for r in rows)]):
        if any(e.id == doc.id for e in group):
            return [
                Related(e.id, e.title, e.lang, by_id[e.id]["country"], e.publisher, by_id[e.id]["date"])
                for e in group
                if e.id != doc.id
            ]
    return []


def similarity_query(doc: Document, max_terms: int = 8) -> str:
    """The words a "more like this" search uses: area terms first, then long title words."""
    words: list[str] = []
    for area in doc.areas[:2]:
        words.extend(area.terms)
    if len(words) < 3:
        words.extend(_WORD.findall(doc.title.lower()))
    seen: list[str] = []
    for w in words:
        w = " ".join(w.split())
        if w and " " not in w and w.lower() not in (s.lower() for s in seen):
            seen.append(w)
    return " ".join(seen[:max_terms])


def similar_documents(search: Callable[[SearchRequest], SearchResult], doc: Document, exclude: set[str]) -> list[Hit]:
    """Documents like `doc`, other languages first; `exclude` holds ids already shown (versions)."""
    query = similarity_query(doc)
    if not query:
        return []
    skip = {doc.id, *exclude}
    hits: list[Hit] = []
    # A long OR of terms may be strict in some backends: fall back to the three strongest terms.
    for q in dict.fromkeys((query, " ".join(query.split()[:3]))):
        try:
            result = search(SearchRequest(query=q, limit=SIMILAR_COUNT * 3, expand=True))
        except NordsearchError as exc:
            log.info("similar documents of %s: %s", doc.id, exc)
            return []
        hits = [h for h in result.hits if h.id not in skip]
        if len(hits) >= 3:
            break
    hits.sort(key=lambda h: h.lang == doc.lang)  # stable: keeps ranking within each group
    return hits[:SIMILAR_COUNT]
