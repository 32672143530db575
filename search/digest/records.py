"""Published digests in the store: the digest tables, freezing a digest, and reading it back.

The tables live in the corpus store's SQLite file (one backup is the whole state) but belong
to this module; nothing else writes them.

    digests        one row per published digest: number, title, lang, published_at, window,
                   areas, intro, the TOML as published, its hash and the draft's id
    digest_items   the included items in their order, as frozen (title, summary, comment, ...)
    digest_docs    one row per document a digest carried: what "already published" means
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

from corpus.store import Store
from search.digest.model import Digest, DigestItem, Summary, Version
from search.errors import DigestError

SCHEMA = """
CREATE TABLE IF NOT EXISTS digests (
    number INTEGER PRIMARY KEY,
    draft_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    lang TEXT NOT NULL,
    published_at TEXT NOT NULL,
    window_since TEXT NOT NULL,
    window_until TEXT NOT NULL,
    areas TEXT NOT NULL DEFAULT '[]',
    intro TEXT NOT NULL DEFAULT '',
    toml TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS digests_draft ON digests(draft_id);
CREATE TABLE IF NOT EXISTS digest_items (
    digest_number INTEGER NOT NULL REFERENCES digests(number),
    position INTEGER NOT NULL,
    area TEXT NOT NULL,
    areas TEXT NOT NULL DEFAULT '[]',
    title TEXT NOT NULL,
    publisher TEXT,
    country TEXT,
    date TEXT,
    url TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    summary_lang TEXT NOT NULL DEFAULT '',
    summary_source TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    versions TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (digest_number, position)
);
CREATE TABLE IF NOT EXISTS digest_docs (
    doc_id TEXT PRIMARY KEY,
    digest_number INTEGER NOT NULL REFERENCES digests(number),
    position INTEGER NOT NULL
);
"""


def _has_tables(store: Store) -> bool:
    row = store.connection.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='digest_docs'").fetchone()
    return row is not None


def ensure_schema(store: Store) -> None:
    store.ensure_schema(SCHEMA)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def published_doc_ids(store: Store) -> dict[str, int]:
    """Every document an earlier published digest carried, with that digest's number."""
    if not _has_tables(store):
        return {}
    return {r[0]: r[1] for r in store.connection.execute("SELECT doc_id, digest_number FROM digest_docs")}


def find_published(store: Store, *, draft_id: str, toml_text: str) -> tuple[int, str] | None:
    """(number, published_at) of a published digest from this draft or with this exact text."""
    if not _has_tables(store):
        return None
    row = store.connection.execute(
        "SELECT number, published_at FROM digests WHERE draft_id=? OR content_hash=? ORDER BY number LIMIT 1",
        (draft_id, content_hash(toml_text)),
    ).fetchone()
    return (row[0], row[1]) if row else None


def insert(store: Store, digest: Digest, toml_text: str, published_at: str) -> int:
    """Freeze `digest` (its included items) in one transaction; returns its number."""
    ensure_schema(store)
    items = digest.included
    conn = store.connection
    try:
        with conn:
            number = conn.execute("SELECT COALESCE(MAX(number), 0) + 1 FROM digests").fetchone()[0]
            conn.execute(
                """INSERT INTO digests (number, draft_id, content_hash, title, lang, published_at, window_since,
                       window_until, areas, intro, toml) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
                (
                    number,
                    digest.draft_id or content_hash(toml_text)[:16],
                    content_hash(toml_text),
                    digest.title,
                    digest.lang,
                    published_at,
                    digest.since,
                    digest.until,
                    json.dumps(list(digest.areas)),
                    digest.intro,
                    toml_text,
                ),
            )
            for position, item in enumerate(items, start=1):
                conn.execute(
                    """INSERT INTO digest_items (digest_number, position, area, areas, title, publisher, country,
                           date, url, summary, summary_lang, summary_source, comment, versions)
                       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                    (
                        number,
                        position,
                        item.area,
                        json.dumps(list(item.areas)),
                        item.title,
                        item.publisher,
                        item.country,
                        item.date,
                        item.url,
                        item.summary.text,
                        item.summary.lang,
                        item.summary.source,
                        item.comment,
                        json.dumps([v.__dict__ for v in item.versions], ensure_ascii=False),
                    ),
                )
                conn.executemany(
                    "INSERT INTO digest_docs (doc_id, digest_number, position) VALUES (?,?,?)",
                    [(doc_id, number, position) for doc_id in item.doc_ids],
                )
    except sqlite3.IntegrityError as exc:  # a concurrent publish carried one of these documents
        raise DigestError(f"could not publish: {exc} (another digest was published meanwhile; draft again)") from exc
    return number


def _digest_from_row(store: Store, row: sqlite3.Row, with_items: bool) -> Digest:
    items: list[DigestItem] = []
    if with_items:
        for r in store.connection.execute(
            "SELECT * FROM digest_items WHERE digest_number=? ORDER BY position", (row["number"],)
        ):
            items.append(
                DigestItem(
                    versions=tuple(Version(**v) for v in json.loads(r["versions"])),
                    title=r["title"],
                    publisher=r["publisher"],
                    country=r["country"],
                    date=r["date"],
                    area=r["area"],
                    areas=tuple(json.loads(r["areas"])),
                    url=r["url"],
                    summary=Summary(r["summary"], r["summary_lang"], r["summary_source"]),
                    position=r["position"],
                    comment=r["comment"],
                )
            )
    return Digest(
        title=row["title"],
        lang=row["lang"],
        since=row["window_since"],
        until=row["window_until"],
        areas=tuple(json.loads(row["areas"])),
        intro=row["intro"],
        items=tuple(items),
        draft_id=row["draft_id"],
        number=row["number"],
        published_at=row["published_at"],
    )


def list_digests(store: Store, *, with_items: bool = False) -> list[Digest]:
    """Every published digest, newest first."""
    if not _has_tables(store):
        return []
    rows = store.connection.execute("SELECT * FROM digests ORDER BY number DESC").fetchall()
    return [_digest_from_row(store, r, with_items) for r in rows]


def get_digest(store: Store, number: int) -> Digest:
    """One published digest with its items; DigestError when there is no such number."""
    row = None
    if _has_tables(store):
        row = store.connection.execute("SELECT * FROM digests WHERE number=?", (number,)).fetchone()
    if row is None:
        raise DigestError(f"no published digest number {number} (list them with 'nordsearch digest list')")
    return _digest_from_row(store, row, with_items=True)


def item_counts(store: Store) -> dict[int, int]:
    if not _has_tables(store):
        return {}
    return {
        r[0]: r[1]
        for r in store.connection.execute("SELECT digest_number, COUNT(*) FROM digest_items GROUP BY digest_number")
    }
