"""A saved search's new documents: matching now, first seen after the alert began, never mailed before.

The search runs as the search page runs it (newest first, the alert's filters); its hits are
then kept when the store says the document was first seen after the alert began (confirmed)
and no earlier mail of the alert carried it. A document that matches only after an index
update is still new to the alert, and comes in the next mail after that update.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from corpus.config import DataDir
from corpus.store import Store
from search.alerts.model import Alert
from search.alerts.store import mailed
from search.model import MAX_LIMIT, Hit, SearchRequest, SearchResult

#: Hits looked at per alert and run: an alert is a narrow search; a broad one still ends.
SCAN_LIMIT = 2000

SearchFn = Callable[[DataDir, SearchRequest], SearchResult]


def _search(data_dir: DataDir, request: SearchRequest) -> SearchResult:
    from search.query import search

    return search(data_dir, request)


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class NewDocument:
    hit: Hit
    first_seen: str


def new_documents(data_dir: DataDir, store: Store, alert: Alert, *, search_fn: SearchFn = _search) -> list[NewDocument]:
    """The documents to tell `alert` about now, newest first."""
    since = _moment(alert.since)
    done = mailed(store, alert)
    found: list[NewDocument] = []
    page = 1
    while True:
        result = search_fn(data_dir, alert.search.request(page=page, limit=MAX_LIMIT))
        fresh = [h for h in result.hits if h.id not in done]
        if fresh:
            marks = ",".join("?" * len(fresh))
            rows = store.connection.execute(
                f"SELECT id, first_seen FROM documents WHERE status='ok' AND id IN ({marks})", [h.id for h in fresh]
            )
            seen = {r[0]: r[1] for r in rows}
            for hit in fresh:
                moment = _moment(seen.get(hit.id))
                if moment is not None and since is not None and moment > since:
                    found.append(NewDocument(hit, seen[hit.id]))
        if not result.hits or page * MAX_LIMIT >= min(result.total, SCAN_LIMIT):
            return found
        page += 1
