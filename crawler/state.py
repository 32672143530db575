"""Crawl state in the store: per-URL fetch state, the frontier of a run, fetched bodies awaiting
ingest, counters for the crawl report, OAI-PMH harvest dates.

Everything lives in the corpus store's SQLite file (own tables, `Store.ensure_schema`), so a
killed crawl leaves a consistent state: the frontier says what was queued and what was done,
`crawl_pending` what was fetched but not yet ingested. `CrawlState` is an object passed to the
spider and the job, never a module global; it takes a clock so tests can move time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from corpus.store import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS crawl_urls (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    content_hash TEXT,
    content_type TEXT,
    last_fetch TEXT,
    next_due TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    http_status INTEGER
);
CREATE INDEX IF NOT EXISTS crawl_urls_hash ON crawl_urls(content_hash);
CREATE TABLE IF NOT EXISTS crawl_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    state TEXT NOT NULL DEFAULT 'running',
    options TEXT NOT NULL DEFAULT '{}',
    report TEXT
);
CREATE TABLE IF NOT EXISTS crawl_frontier (
    run_id INTEGER NOT NULL,
    url TEXT NOT NULL,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    depth INTEGER NOT NULL DEFAULT 0,
    meta TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL DEFAULT 'queued',
    PRIMARY KEY (run_id, url)
);
CREATE INDEX IF NOT EXISTS crawl_frontier_state ON crawl_frontier(run_id, source, state);
CREATE TABLE IF NOT EXISTS crawl_pending (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    run_id INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    content_type TEXT,
    fetched_at TEXT NOT NULL,
    hints TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS crawl_counts (
    run_id INTEGER NOT NULL,
    source TEXT NOT NULL,
    key TEXT NOT NULL,
    n INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, source, key)
);
CREATE TABLE IF NOT EXISTS crawl_harvests (
    source TEXT PRIMARY KEY,
    oai_from TEXT,
    harvested_at TEXT
);
CREATE TABLE IF NOT EXISTS crawl_source_runs (
    source TEXT NOT NULL,
    run_id INTEGER NOT NULL,
    finished_at TEXT NOT NULL,
    report TEXT NOT NULL,
    PRIMARY KEY (source, run_id)
);
"""

#: A failed URL rests this long after its first failure, doubling with each further failure.
FAILURE_BACKOFF = timedelta(hours=6)
#: ... but never longer than this.
MAX_BACKOFF = timedelta(days=60)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def parse_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class UrlState:
    """What the last fetches of one URL left behind."""

    url: str
    source: str
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    content_type: str | None = None
    last_fetch: str | None = None
    next_due: str | None = None
    failures: int = 0
    last_error: str | None = None
    http_status: int | None = None


@dataclass(frozen=True)
class FrontierEntry:
    url: str
    source: str
    kind: str  # "page" | "sitemap" | "oai"
    depth: int
    meta: dict


@dataclass(frozen=True)
class Pending:
    """A fetched body (in the raw store) waiting for ingest."""

    url: str
    source: str
    run_id: int
    content_hash: str
    content_type: str | None
    fetched_at: str
    hints: dict


class CrawlState:
    """The crawler's tables in the corpus store. One writer: the process that runs the crawl."""

    def __init__(self, store: Store, *, clock: Callable[[], datetime] | None = None):
        self.store = store
        self.db = store.connection
        self.clock = clock or (lambda: datetime.now(UTC))
        store.ensure_schema(SCHEMA)

    def now(self) -> str:
        return iso(self.clock())

    # -- runs -----------------------------------------------------------------------------
    def open_run(self, options: dict) -> tuple[int, bool]:
        """The run to work on: the unfinished one left by a killed crawl (resumed), or a new one."""
        row = self.db.execute("SELECT id FROM crawl_runs WHERE state='running' ORDER BY id DESC LIMIT 1").fetchone()
        if row:
            return int(row[0]), True
        with self.db:
            self.db.execute("DELETE FROM crawl_frontier")  # frontiers of finished runs are history
            cur = self.db.execute(
                "INSERT INTO crawl_runs (started_at, options) VALUES (?, ?)", (self.now(), json.dumps(options))
            )
        return int(cur.lastrowid), False

    def run_started_at(self, run_id: int) -> str:
        return self.db.execute("SELECT started_at FROM crawl_runs WHERE id=?", (run_id,)).fetchone()[0]

    def finish_run(self, run_id: int, report: dict, per_source: dict[str, dict]) -> None:
        now = self.now()
        with self.db:
            self.db.execute(
                "UPDATE crawl_runs SET state='finished', finished_at=?, report=? WHERE id=?",
                (now, json.dumps(report, ensure_ascii=False), run_id),
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO crawl_source_runs (source, run_id, finished_at, report) VALUES (?,?,?,?)",
                [(sid, run_id, now, json.dumps(rep, ensure_ascii=False)) for sid, rep in per_source.items()],
            )

    def last_report(self) -> dict | None:
        row = self.db.execute(
            "SELECT report FROM crawl_runs WHERE state='finished' ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return json.loads(row[0]) if row and row[0] else None

    # -- frontier -------------------------------------------------------------------------
    def enqueue(self, run_id: int, entry: FrontierEntry) -> bool:
        """Add a URL to the run's frontier; False when the run already knows it (the dedupe)."""
        with self.db:
            cur = self.db.execute(
                "INSERT OR IGNORE INTO crawl_frontier (run_id, url, source, kind, depth, meta) VALUES (?,?,?,?,?,?)",
                (run_id, entry.url, entry.source, entry.kind, entry.depth, json.dumps(entry.meta, ensure_ascii=False)),
            )
        return cur.rowcount > 0

    def mark(self, run_id: int, url: str, state: str = "done") -> None:
        with self.db:
            self.db.execute("UPDATE crawl_frontier SET state=? WHERE run_id=? AND url=?", (state, run_id, url))

    def queued(self, run_id: int, source: str) -> list[FrontierEntry]:
        rows = self.db.execute(
            "SELECT url, source, kind, depth, meta FROM crawl_frontier WHERE run_id=? AND source=? AND state='queued' "
            "ORDER BY rowid",
            (run_id, source),
        ).fetchall()
        return [FrontierEntry(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]

    def pages_done(self, run_id: int, source: str) -> int:
        return self.db.execute(
            "SELECT COUNT(*) FROM crawl_frontier WHERE run_id=? AND source=? AND kind='page' AND state='done'",
            (run_id, source),
        ).fetchone()[0]

    # -- per-URL state --------------------------------------------------------------------
    def url_state(self, url: str) -> UrlState | None:
        row = self.db.execute("SELECT * FROM crawl_urls WHERE url=?", (url,)).fetchone()
        return UrlState(**dict(row)) if row else None

    def record_fetch(
        self,
        url: str,
        source: str,
        *,
        status: int,
        recrawl_days: float,
        etag: str | None = None,
        last_modified: str | None = None,
        content_hash: str | None = None,
        content_type: str | None = None,
    ) -> None:
        """A successful fetch (200 or 304): validators kept, failures cleared, next due set."""
        now = self.clock()
        due = iso(now + timedelta(days=recrawl_days))
        with self.db:
            self.db.execute(
                """INSERT INTO crawl_urls (url, source, etag, last_modified, content_hash, content_type, last_fetch,
                       next_due, failures, last_error, http_status)
                   VALUES (?,?,?,?,?,?,?,?,0,NULL,?)
                   ON CONFLICT(url) DO UPDATE SET source=excluded.source,
                       etag=COALESCE(excluded.etag, etag), last_modified=COALESCE(excluded.last_modified, last_modified),
                       content_hash=COALESCE(excluded.content_hash, content_hash),
                       content_type=COALESCE(excluded.content_type, content_type), last_fetch=excluded.last_fetch,
                       next_due=excluded.next_due, failures=0, last_error=NULL, http_status=excluded.http_status""",
                (url, source, etag, last_modified, content_hash, content_type, iso(now), due, status),
            )

    def record_failure(self, url: str, source: str, reason: str, *, status: int | None = None) -> str:
        """A failed fetch: the URL rests FAILURE_BACKOFF × 2^(failures-1); returns the next due time."""
        row = self.db.execute("SELECT failures FROM crawl_urls WHERE url=?", (url,)).fetchone()
        failures = (row[0] if row else 0) + 1
        now = self.clock()
        due = iso(now + min(FAILURE_BACKOFF * 2 ** (failures - 1), MAX_BACKOFF))
        with self.db:
            self.db.execute(
                """INSERT INTO crawl_urls (url, source, last_fetch, next_due, failures, last_error, http_status)
                   VALUES (?,?,?,?,?,?,?)
                   ON CONFLICT(url) DO UPDATE SET last_fetch=excluded.last_fetch, next_due=excluded.next_due,
                       failures=excluded.failures, last_error=excluded.last_error, http_status=excluded.http_status""",
                (url, source, iso(now), due, failures, reason, status),
            )
        return due

    def is_due(self, state: UrlState | None) -> bool:
        if state is None or not state.next_due:
            return True
        return state.next_due <= self.now()

    def duplicate_of(self, content_hash: str, url: str) -> str | None:
        """Another URL already fetched with exactly these bytes (one document under two URLs)."""
        row = self.db.execute(
            "SELECT url FROM crawl_urls WHERE content_hash=? AND url!=? LIMIT 1", (content_hash, url)
        ).fetchone()
        return row[0] if row else None

    # -- pending ingest -------------------------------------------------------------------
    def add_pending(self, item: Pending) -> None:
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO crawl_pending (url, source, run_id, content_hash, content_type, fetched_at, "
                "hints) VALUES (?,?,?,?,?,?,?)",
                (
                    item.url,
                    item.source,
                    item.run_id,
                    item.content_hash,
                    item.content_type,
                    item.fetched_at,
                    json.dumps(item.hints, ensure_ascii=False),
                ),
            )

    def pending(self) -> Iterator[Pending]:
        rows = self.db.execute(
            "SELECT url, source, run_id, content_hash, content_type, fetched_at, hints FROM crawl_pending ORDER BY rowid"
        ).fetchall()
        for r in rows:
            yield Pending(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]))

    def drop_pending(self, url: str) -> None:
        with self.db:
            self.db.execute("DELETE FROM crawl_pending WHERE url=?", (url,))

    # -- counters -------------------------------------------------------------------------
    def count(self, run_id: int, source: str, key: str, n: int = 1) -> None:
        with self.db:
            self.db.execute(
                "INSERT INTO crawl_counts (run_id, source, key, n) VALUES (?,?,?,?) "
                "ON CONFLICT(run_id, source, key) DO UPDATE SET n = n + excluded.n",
                (run_id, source, key, n),
            )

    def counts(self, run_id: int) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for source, key, n in self.db.execute("SELECT source, key, n FROM crawl_counts WHERE run_id=?", (run_id,)):
            out.setdefault(source, {})[key] = n
        return out

    # -- OAI-PMH --------------------------------------------------------------------------
    def oai_from(self, source: str) -> str | None:
        row = self.db.execute("SELECT oai_from FROM crawl_harvests WHERE source=?", (source,)).fetchone()
        return row[0] if row else None

    def set_oai_from(self, source: str, day: str) -> None:
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO crawl_harvests (source, oai_from, harvested_at) VALUES (?,?,?)",
                (source, day, self.now()),
            )
