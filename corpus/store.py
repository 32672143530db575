"""The corpus store: documents, versions, sections and areas in SQLite (WAL, one writer).

Other packages keep their own tables in the same database file (crawl state, digests,
index bookkeeping) through `Store.connection` and `Store.ensure_schema`, so that one backup
of the data directory is the whole state.

Every change to a document bumps a store-wide sequence number (`documents.seq`); the index
asks for "everything after the sequence I last saw", which makes indexing incremental and
lets a killed index run pick up where the last committed one ended.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from corpus.errors import DocumentNotFound, StoreError
from corpus.model import AreaMatch, Claim, Document, Link, Section

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'und',
    langs TEXT NOT NULL DEFAULT '[]',
    country TEXT,
    publisher TEXT,
    source TEXT,
    format TEXT NOT NULL DEFAULT '',
    doc_type TEXT NOT NULL DEFAULT '',
    date TEXT,
    description TEXT,
    content_hash TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    first_seen TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'ok',
    error TEXT,
    meta TEXT NOT NULL DEFAULT '{}',
    seq INTEGER NOT NULL,
    record TEXT NOT NULL DEFAULT '[]',
    links TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS documents_seq ON documents(seq);
CREATE INDEX IF NOT EXISTS documents_first_seen ON documents(first_seen);
CREATE TABLE IF NOT EXISTS versions (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    stored_at TEXT NOT NULL,
    PRIMARY KEY (doc_id, version)
);
CREATE TABLE IF NOT EXISTS sections (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    heading TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'body',
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (doc_id, position)
);
CREATE TABLE IF NOT EXISTS doc_areas (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    area_id TEXT NOT NULL,
    score REAL NOT NULL,
    terms TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (doc_id, area_id)
);
CREATE INDEX IF NOT EXISTS doc_areas_area ON doc_areas(area_id);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""
#: Columns added to `documents` after stores were first made: (name, definition). A store made
#: before gets them on open (`ALTER TABLE ... ADD COLUMN`, the same in PostgreSQL).
ADDED_COLUMNS = (
    ("record", "TEXT NOT NULL DEFAULT '[]'"),  # the bibliographic claims (issue 13)
    ("links", "TEXT NOT NULL DEFAULT '[]'"),  # URLs of the same work the document names
)


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def doc_id_for(url: str) -> str:
    """A stable id from the document's URL: the same URL is always the same document."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


class Store:
    """The SQLite corpus store. Open one per process; writes go through one connection."""

    def __init__(self, path: Path, *, readonly: bool = False):
        self.path = Path(path)
        try:
            if readonly:
                if not self.path.exists():
                    raise StoreError(f"no store at {self.path}: run 'nordsearch ingest' or 'nordsearch crawl' first")
                uri = f"file:{self.path}?mode=ro"
                self.connection = sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.connection = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
                self.connection.execute("PRAGMA journal_mode=WAL")
                self.connection.execute("PRAGMA synchronous=NORMAL")
                self.ensure_schema(SCHEMA)
                self._add_columns()
            self.connection.execute("PRAGMA foreign_keys=ON")
            self.connection.row_factory = sqlite3.Row
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"the store {self.path} is unusable: {exc}") from exc

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def ensure_schema(self, ddl: str) -> None:
        with self.connection:
            self.connection.executescript(ddl)

    def _add_columns(self) -> None:
        have = {row[1] for row in self.connection.execute("PRAGMA table_info(documents)")}
        with self.connection:
            for name, definition in ADDED_COLUMNS:
                if name not in have:
                    self.connection.execute(f"ALTER TABLE documents ADD COLUMN {name} {definition}")

    # -- sequence -------------------------------------------------------------------------
    def _next_seq(self) -> int:
        row = self.connection.execute(
            "INSERT INTO counters(name, value) VALUES('seq', 1) "
            "ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value"
        ).fetchone()
        return int(row[0])

    def max_seq(self) -> int:
        row = self.connection.execute("SELECT value FROM counters WHERE name='seq'").fetchone()
        return int(row[0]) if row else 0

    # -- writing --------------------------------------------------------------------------
    def stored_hash(self, url: str) -> str | None:
        row = self.connection.execute("SELECT content_hash FROM documents WHERE url=?", (url,)).fetchone()
        return row[0] if row else None

    def save(self, doc: Document) -> str:
        """Store `doc` (by url); returns "new", "changed" or "unchanged".

        Identical content is a no-op; new content at a known URL becomes a new version.
        A failed document keeps its last good version and only records the error.
        """
        now = now_iso()
        row = self.connection.execute(
            "SELECT id, content_hash, version, first_seen, status FROM documents WHERE url=?", (doc.url,)
        ).fetchone()
        if row and row["content_hash"] == doc.content_hash and row["status"] == doc.status:
            return "unchanged"
        with self.connection:
            seq = self._next_seq()
            if row is None:
                version, first_seen, outcome = 1, doc.first_seen or now, "new"
            else:
                same = row["content_hash"] == doc.content_hash
                version = row["version"] if same else row["version"] + 1
                first_seen, outcome = row["first_seen"], "changed"
            doc_id = row["id"] if row else (doc.id or doc_id_for(doc.url))
            self.connection.execute(
                """INSERT INTO documents (id, url, title, lang, langs, country, publisher, source, format,
                       doc_type, date, description, content_hash, version, first_seen, updated_at, status,
                       error, meta, seq, record, links)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                   ON CONFLICT(url) DO UPDATE SET title=excluded.title, lang=excluded.lang,
                       langs=excluded.langs, country=excluded.country, publisher=excluded.publisher,
                       source=excluded.source, format=excluded.format, doc_type=excluded.doc_type,
                       date=excluded.date, description=excluded.description,
                       content_hash=excluded.content_hash, version=excluded.version,
                       updated_at=excluded.updated_at, status=excluded.status, error=excluded.error,
                       meta=excluded.meta, seq=excluded.seq, record=excluded.record, links=excluded.links""",
                (
                    doc_id,
                    doc.url,
                    doc.title,
                    doc.lang,
                    json.dumps(list(doc.langs)),
                    doc.country,
                    doc.publisher,
                    doc.source,
                    doc.format,
                    doc.doc_type,
                    doc.date,
                    doc.description,
                    doc.content_hash,
                    version,
                    first_seen,
                    now,
                    doc.status,
                    doc.error,
                    json.dumps(doc.meta, ensure_ascii=False),
                    seq,
                    json.dumps([c.as_json() for c in doc.record], ensure_ascii=False),
                    json.dumps([link.as_json() for link in doc.links], ensure_ascii=False),
                ),
            )
            if doc.status == "failed" and row is not None and row["status"] != "failed":
                # keep the sections of the last good version searchable
                pass
            else:
                self.connection.execute("DELETE FROM sections WHERE doc_id=?", (doc_id,))
                self.connection.executemany(
                    "INSERT INTO sections (doc_id, position, heading, kind, lang, text) VALUES (?,?,?,?,?,?)",
                    [(doc_id, i, s.heading, s.kind, s.lang, s.text) for i, s in enumerate(doc.sections)],
                )
                self._write_areas(doc_id, doc.areas)
            if doc.content_hash and (row is None or row["content_hash"] != doc.content_hash):
                self.connection.execute(
                    "INSERT OR IGNORE INTO versions (doc_id, version, content_hash, stored_at) VALUES (?,?,?,?)",
                    (doc_id, version, doc.content_hash, now),
                )
        return outcome

    def _write_areas(self, doc_id: str, areas: tuple[AreaMatch, ...]) -> None:
        self.connection.execute("DELETE FROM doc_areas WHERE doc_id=?", (doc_id,))
        self.connection.executemany(
            "INSERT INTO doc_areas (doc_id, area_id, score, terms) VALUES (?,?,?,?)",
            [(doc_id, a.id, a.score, json.dumps(list(a.terms), ensure_ascii=False)) for a in areas],
        )

    def set_areas(self, doc_id: str, areas: tuple[AreaMatch, ...]) -> bool:
        """Replace a document's areas (re-classification); returns whether they changed."""
        before = self.areas_of(doc_id)
        if before == tuple(areas):
            return False
        with self.connection:
            self._write_areas(doc_id, areas)
            self.connection.execute("UPDATE documents SET seq=? WHERE id=?", (self._next_seq(), doc_id))
        return True

    def withdraw(self, url: str, reason: str = "withdrawn at source") -> bool:
        """Mark a document withdrawn: kept in the store, hidden from search by default."""
        with self.connection:
            cur = self.connection.execute(
                "UPDATE documents SET status='withdrawn', error=?, updated_at=?, seq=? "
                "WHERE url=? AND status!='withdrawn'",
                (reason, now_iso(), self._next_seq(), url),
            )
        return cur.rowcount > 0

    # -- reading --------------------------------------------------------------------------
    def areas_of(self, doc_id: str) -> tuple[AreaMatch, ...]:
        rows = self.connection.execute(
            "SELECT area_id, score, terms FROM doc_areas WHERE doc_id=? ORDER BY score DESC, area_id", (doc_id,)
        ).fetchall()
        return tuple(AreaMatch(r["area_id"], r["score"], tuple(json.loads(r["terms"]))) for r in rows)

    def _document(self, row: sqlite3.Row, with_sections: bool = True) -> Document:
        sections: tuple[Section, ...] = ()
        if with_sections:
            sections = tuple(
                Section(text=s["text"], lang=s["lang"], heading=s["heading"], kind=s["kind"], position=s["position"])
                for s in self.connection.execute(
                    "SELECT * FROM sections WHERE doc_id=? ORDER BY position", (row["id"],)
                )
            )
        return Document(
            id=row["id"],
            url=row["url"],
            title=row["title"],
            lang=row["lang"],
            langs=tuple(json.loads(row["langs"])),
            country=row["country"],
            publisher=row["publisher"],
            source=row["source"],
            format=row["format"],
            doc_type=row["doc_type"],
            date=row["date"],
            description=row["description"],
            content_hash=row["content_hash"],
            version=row["version"],
            first_seen=row["first_seen"],
            updated_at=row["updated_at"],
            status=row["status"],
            error=row["error"],
            sections=sections,
            areas=self.areas_of(row["id"]),
            meta=json.loads(row["meta"]),
            record=tuple(Claim(**c) for c in json.loads(row["record"])),
            links=tuple(Link(**link) for link in json.loads(row["links"])),
        )

    def get(self, doc_id: str, *, with_sections: bool = True) -> Document:
        row = self.connection.execute("SELECT * FROM documents WHERE id=?", (doc_id,)).fetchone()
        if row is None:
            raise DocumentNotFound(f"no document with id {doc_id!r} (list them with 'nordsearch docs')")
        return self._document(row, with_sections)

    def get_by_url(self, url: str, *, with_sections: bool = True) -> Document | None:
        row = self.connection.execute("SELECT * FROM documents WHERE url=?", (url,)).fetchone()
        return self._document(row, with_sections) if row else None

    def documents(self, *, status: str | None = "ok", with_sections: bool = False) -> Iterator[Document]:
        """All documents (by default only the searchable ones), oldest first."""
        sql, args = "SELECT * FROM documents", ()
        if status:
            sql, args = sql + " WHERE status=?", (status,)
        for row in self.connection.execute(sql + " ORDER BY first_seen, id", args).fetchall():
            yield self._document(row, with_sections)

    def changed_since(self, seq: int) -> Iterator[tuple[int, Document]]:
        """Every document whose row changed after `seq`, in sequence order, with sections."""
        rows = self.connection.execute("SELECT * FROM documents WHERE seq>? ORDER BY seq", (seq,)).fetchall()
        for row in rows:
            yield row["seq"], self._document(row, with_sections=True)

    def versions(self, doc_id: str) -> list[dict]:
        return [
            dict(r)
            for r in self.connection.execute(
                "SELECT version, content_hash, stored_at FROM versions WHERE doc_id=? ORDER BY version", (doc_id,)
            )
        ]

    def count(self, status: str | None = "ok") -> int:
        if status is None:
            return self.connection.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        return self.connection.execute("SELECT COUNT(*) FROM documents WHERE status=?", (status,)).fetchone()[0]

    def status_counts(self) -> dict:
        """Counts by status, language, format, country and failure reason (for `nordsearch status`)."""
        q = self.connection.execute

        def grouped(column: str, where: str = "status='ok'") -> dict:
            return {
                (r[0] or "unknown"): r[1]
                for r in q(f"SELECT {column}, COUNT(*) FROM documents WHERE {where} GROUP BY 1 ORDER BY 2 DESC, 1")
            }

        return {
            "documents": self.count(None),
            "by_status": grouped("status", "1=1"),
            "by_lang": grouped("lang"),
            "by_format": grouped("format"),
            "by_doc_type": grouped("doc_type"),
            "by_country": grouped("country"),
            "errors": grouped("error", "status='failed'"),
            "sections_by_lang": {
                r[0]: r[1] for r in q("SELECT lang, COUNT(*) FROM sections GROUP BY 1 ORDER BY 2 DESC, 1")
            },
        }
