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


def documents_by_status(store: Store) -> dict[str, int]:
    """Documents per status (ok, withdrawn, failed)."""
    rows = store.connection.execute("SELECT status, COUNT(*) FROM documents GROUP BY status").fetchall()
    return {r[0]: r[1] for r in rows}


def latest_crawl_run(store: Store) -> dict | None:
    """The newest crawl run: its id, state ("running" also for a killed run the next one resumes),
    start and end, and the totals of its report (None before the first crawl)."""
    if not has_table(store, "crawl_runs"):
        return None
    row = store.connection.execute(
        "SELECT id, state, started_at, finished_at, report FROM crawl_runs ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    try:
        report = json.loads(row[4]) if row[4] else {}
    except ValueError:
        report = {}
    totals = report.get("totals") if isinstance(report, dict) else None
    return {"run_id": row[0], "state": row[1], "started_at": row[2], "finished_at": row[3], "totals": totals}


#: Crawl counter keys (crawler.state) that are outcomes of a fetched page, and their metric label.
PAGE_OUTCOMES = {
    "new": "new",
    "changed": "changed",
    "unchanged": "unchanged",
    "withdrawn": "withdrawn",
    "duplicate": "duplicate",
}


def crawl_pages_by_outcome(store: Store, run_id: int | None = None) -> dict[str, int]:
    """Pages by outcome over every crawl run (or one): new, changed, unchanged, withdrawn,
    duplicate, failed (every failure reason summed) and skipped (robots.txt, not due, limits)."""
    if not has_table(store, "crawl_counts"):
        return {}
    where, args = ("WHERE run_id=?", (run_id,)) if run_id is not None else ("", ())
    rows = store.connection.execute(f"SELECT key, SUM(n) FROM crawl_counts {where} GROUP BY key", args).fetchall()
    out: dict[str, int] = {}
    for key, n in rows:
        label = PAGE_OUTCOMES.get(key) or next((k for k in ("failed", "skipped") if key.startswith(k + ":")), None)
        if label:
            out[label] = out.get(label, 0) + int(n)
    return out
