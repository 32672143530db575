"""Every source that documents came from, with its documents and its last crawl.

`nordsearch sources` and the web's sources page both list `source_summaries`: the configured
sources (shipped and the data directory's own), then any source the store still holds
documents of although it is no longer configured, then the documents ingested from local
files (no source). Only reads: the web opens the store read-only, and a store that has never
been crawled has no crawl tables yet.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from corpus.sources import Source

STATUSES = ("ok", "withdrawn", "failed")


@dataclass(frozen=True)
class SourceSummary:
    """One line of the sources listing."""

    id: str | None  # None: documents ingested from local files
    name: str
    configured: bool
    country: str | None = None
    language: str | None = None
    home: str | None = None  # the first start URL
    documents: dict[str, int] = field(default_factory=dict)  # by status (ok, withdrawn, failed)
    last_crawl: dict | None = None  # the source's part of its latest finished crawl, with finished_at
    source: Source | None = None  # the configuration, when configured

    @property
    def searchable(self) -> int:
        return self.documents.get("ok", 0)

    def as_json(self) -> dict:
        base = self.source.as_json() if self.source else {"id": self.id, "name": self.name}
        return {
            **base,
            "configured": self.configured,
            "documents": {s: self.documents.get(s, 0) for s in STATUSES},
            "last_crawl": self.last_crawl,
        }


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)).fetchone() is not None


def documents_by_source(db: sqlite3.Connection) -> dict[str | None, dict[str, int]]:
    """{source id (None: local files): {status: documents}}."""
    out: dict[str | None, dict[str, int]] = {}
    for source, status, n in db.execute("SELECT source, status, COUNT(*) FROM documents GROUP BY source, status"):
        out.setdefault(source, {})[status] = n
    return out


def last_crawls(db: sqlite3.Connection) -> dict[str, dict]:
    """The latest finished crawl report of each source ever crawled, with its `finished_at`."""
    if not _has_table(db, "crawl_source_runs"):
        return {}
    rows = db.execute(
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


def source_summaries(
    db: sqlite3.Connection | None, sources: list[Source], *, only_configured: bool = False
) -> list[SourceSummary]:
    """The configured `sources` in their order, then (unless `only_configured`) the other sources
    the store holds documents of, then local files. `db` None: no store yet (nothing counted)."""
    counts = documents_by_source(db) if db is not None else {}
    crawls = last_crawls(db) if db is not None else {}
    out = [
        SourceSummary(
            id=s.id,
            name=s.name,
            configured=True,
            country=s.country,
            language=s.language,
            home=s.start_urls[0] if s.start_urls else None,
            documents=counts.get(s.id, {}),
            last_crawl=crawls.get(s.id),
            source=s,
        )
        for s in sources
    ]
    if only_configured:
        return out
    known = {s.id for s in sources}
    for source_id in sorted((k for k in counts if k is not None and k not in known), key=str.casefold):
        out.append(
            SourceSummary(
                id=source_id,
                name=source_id,
                configured=False,
                documents=counts[source_id],
                last_crawl=crawls.get(source_id),
            )
        )
    if None in counts:
        out.append(SourceSummary(id=None, name="local files", configured=False, documents=counts[None]))
    return out
