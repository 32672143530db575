"""Read-only queries the web pages need beyond `Store`'s own methods: counts and crawl dates.

Each query tolerates a store that a layer has not written yet (no crawl tables before the
first crawl), because the web app may be started on a freshly ingested collection.
"""

from __future__ import annotations

import json

from corpus.store import Store


def has_table(store: Store, name: str) -> bool:
    row = store.connection.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)).fetchone()
    return row is not None


def area_counts(store: Store) -> dict[str, int]:
    """Searchable documents per substance area."""
    rows = store.connection.execute(
        "SELECT a.area_id, COUNT(*) FROM doc_areas a JOIN documents d ON d.id = a.doc_id "
        "WHERE d.status='ok' GROUP BY a.area_id"
    ).fetchall()
    return {r[0]: r[1] for r in rows}


def source_counts(store: Store) -> dict[str, int]:
    """Searchable documents per crawl source id."""
    rows = store.connection.execute(
        "SELECT source, COUNT(*) FROM documents WHERE status='ok' AND source IS NOT NULL GROUP BY source"
    ).fetchall()
    return {r[0]: r[1] for r in rows}


def last_crawls(store: Store) -> dict[str, dict]:
    """The latest crawl report of each source (`finished_at`, counts), as the crawler records them.

    Read here rather than through `crawler.state.CrawlState`, which creates its tables on open
    and so needs a writable store.
    """
    if not has_table(store, "crawl_source_runs"):
        return {}
    rows = store.connection.execute(
        "SELECT source, finished_at, report FROM crawl_source_runs r WHERE run_id = "
        "(SELECT MAX(run_id) FROM crawl_source_runs WHERE source=r.source)"
    ).fetchall()
    out = {}
    for source, finished_at, report in rows:
        try:
            data = json.loads(report) if report else {}
        except ValueError:
            data = {}
        out[source] = {**(data if isinstance(data, dict) else {}), "finished_at": finished_at}
    return out
