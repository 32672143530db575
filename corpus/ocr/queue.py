"""The OCR queue in the store: scanned pages waiting, the text read from them, and the documents
to ingest again once all their pages are read.

Pages are keyed by the PDF's content hash and page number, so the same file at two URLs is
read once, and a re-fetch of unchanged bytes finds its pages already read. Each page is
written in its own transaction, from `waiting` to a final state (`done`, `failed`, `capped`),
and only from `waiting`: a job killed mid-way loses at most the pages it held, and a rerun
never reads a page twice. The SQL is plain (ON CONFLICT ... DO NOTHING, standard types) so the
PostgreSQL store can carry the same tables.

    ocr_documents  one row per (url, content hash) that has pages queued; `applied_at` is set
                   when the document has been ingested again with its pages' text
    ocr_pages      one row per (content hash, page): reason, status, text, confidence, the
                   language whose model read it, seconds spent, the job (run) that read it
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from corpus.model import OcrPage
from corpus.store import Store, now_iso

SCHEMA = """
CREATE TABLE IF NOT EXISTS ocr_documents (
    url TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    content_type TEXT,
    fetched_at TEXT NOT NULL DEFAULT '',
    hints TEXT NOT NULL DEFAULT '{}',
    lang TEXT NOT NULL DEFAULT 'und',
    queued_at TEXT NOT NULL,
    applied_at TEXT,
    PRIMARY KEY (url, content_hash)
);
CREATE TABLE IF NOT EXISTS ocr_pages (
    content_hash TEXT NOT NULL,
    page INTEGER NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'waiting',
    text TEXT,
    confidence REAL,
    lang TEXT,
    seconds REAL,
    error TEXT,
    run TEXT,
    queued_at TEXT NOT NULL,
    done_at TEXT,
    PRIMARY KEY (content_hash, page)
);
CREATE INDEX IF NOT EXISTS ocr_pages_status ON ocr_pages(status, queued_at);
"""

#: Page states: only `waiting` pages are read; the others are final.
WAITING, DONE, FAILED, CAPPED = "waiting", "done", "failed", "capped"


@dataclass(frozen=True)
class PageTask:
    """One page to read: where its PDF's bytes are and which language to try first."""

    content_hash: str
    page: int
    lang: str


@dataclass(frozen=True)
class Queued:
    """A document with queued pages, as needed to ingest it again (its bytes are in the raw store)."""

    url: str
    content_hash: str
    doc_id: str
    content_type: str | None
    fetched_at: str
    hints: dict
    lang: str


def ensure(store: Store) -> None:
    store.ensure_schema(SCHEMA)


def enqueue(
    store: Store,
    queued: Queued,
    pages: list[tuple[int, str]],
    *,
    max_pages: int,
) -> int:
    """Queue a document's scanned pages (the first `max_pages`; the rest are `capped`).

    Returns the pages newly waiting. Pages already known (read or waiting) are left alone.
    """
    now = now_iso()
    added = 0
    with store.connection:
        store.connection.execute(
            """INSERT INTO ocr_documents (url, content_hash, doc_id, content_type, fetched_at, hints, lang, queued_at)
               VALUES (?,?,?,?,?,?,?,?)
               ON CONFLICT (url, content_hash) DO UPDATE SET hints=excluded.hints, lang=excluded.lang""",
            (
                queued.url,
                queued.content_hash,
                queued.doc_id,
                queued.content_type,
                queued.fetched_at,
                json.dumps(queued.hints, ensure_ascii=False),
                queued.lang,
                now,
            ),
        )
        for n, (page, reason) in enumerate(sorted(pages)):
            status = WAITING if n < max_pages else CAPPED
            cur = store.connection.execute(
                """INSERT INTO ocr_pages (content_hash, page, reason, status, queued_at) VALUES (?,?,?,?,?)
                   ON CONFLICT (content_hash, page) DO NOTHING""",
                (queued.content_hash, page, reason, status, now),
            )
            added += cur.rowcount if status == WAITING else 0
    return added


def final_pages(store: Store, content_hash: str) -> tuple[OcrPage, ...]:
    """Every page of this PDF that will not be read again: read ones with their text, failed and
    capped ones with empty text (so extraction stops wanting them)."""
    rows = store.connection.execute(
        "SELECT page, text, confidence, lang FROM ocr_pages WHERE content_hash=? AND status<>? ORDER BY page",
        (content_hash, WAITING),
    ).fetchall()
    return tuple(OcrPage(page=r[0], text=r[1] or "", confidence=r[2] or 0.0, lang=r[3] or "und") for r in rows)


def waiting_tasks(store: Store) -> list[PageTask]:
    """Every page still waiting, oldest document first, each with its first-guess language."""
    rows = store.connection.execute(
        """SELECT p.content_hash, p.page, MIN(d.lang) FROM ocr_pages p
           JOIN ocr_documents d ON d.content_hash = p.content_hash
           WHERE p.status = ? GROUP BY p.content_hash, p.page ORDER BY MIN(p.queued_at), p.content_hash, p.page""",
        (WAITING,),
    ).fetchall()
    return [PageTask(r[0], r[1], r[2]) for r in rows]


def record(store: Store, task: PageTask, result: OcrPage | None, *, seconds: float, run: str, error: str = "") -> bool:
    """Write one page's outcome, only if it is still waiting; returns whether it was written."""
    with store.connection:
        cur = store.connection.execute(
            """UPDATE ocr_pages SET status=?, text=?, confidence=?, lang=?, seconds=?, error=?, run=?, done_at=?
               WHERE content_hash=? AND page=? AND status=?""",
            (
                DONE if result else FAILED,
                result.text if result else None,
                result.confidence if result else None,
                result.lang if result else None,
                round(seconds, 3),
                error or None,
                run,
                now_iso(),
                task.content_hash,
                task.page,
                WAITING,
            ),
        )
    return cur.rowcount == 1


def ready(store: Store) -> Iterator[Queued]:
    """Documents not yet ingested again whose pages are all final."""
    rows = store.connection.execute(
        """SELECT d.* FROM ocr_documents d WHERE d.applied_at IS NULL AND NOT EXISTS (
               SELECT 1 FROM ocr_pages p WHERE p.content_hash = d.content_hash AND p.status = ?)
           ORDER BY d.queued_at, d.url""",
        (WAITING,),
    ).fetchall()
    for r in rows:
        yield Queued(
            url=r["url"],
            content_hash=r["content_hash"],
            doc_id=r["doc_id"],
            content_type=r["content_type"],
            fetched_at=r["fetched_at"],
            hints=json.loads(r["hints"]),
            lang=r["lang"],
        )


def mark_applied(store: Store, queued: Queued) -> None:
    with store.connection:
        store.connection.execute(
            "UPDATE ocr_documents SET applied_at=? WHERE url=? AND content_hash=?",
            (now_iso(), queued.url, queued.content_hash),
        )


def counts(store: Store) -> dict:
    """Pages by state and documents waiting, for `nordsearch status` (zeros before any OCR)."""
    out = {"pages_waiting": 0, "pages_done": 0, "pages_failed": 0, "pages_capped": 0, "documents_waiting": 0}
    try:
        by_status = store.connection.execute("SELECT status, COUNT(*) FROM ocr_pages GROUP BY status").fetchall()
    except sqlite3.OperationalError:  # a read-only store from before OCR has no queue tables yet
        return {**out, "mean_confidence": None}
    for status, n in by_status:
        out[f"pages_{status}"] = n
    out["documents_waiting"] = store.connection.execute(
        "SELECT COUNT(*) FROM ocr_documents WHERE applied_at IS NULL"
    ).fetchone()[0]
    row = store.connection.execute("SELECT AVG(confidence) FROM ocr_pages WHERE status=?", (DONE,)).fetchone()
    out["mean_confidence"] = round(row[0], 1) if row[0] is not None else None
    return out
