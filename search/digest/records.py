"""Published digests in the store: issues and their language editions, frozen and read back.

The tables live in the corpus store's database (one backup is the whole state) but belong to
this module; nothing else writes them. An issue has one number and one edition per language:

    digest_editions       one row per (number, lang): title, published_at, window, areas,
                          intro, the TOML as published, its hash and the draft's id
    digest_edition_items  each edition's included items in their order, as frozen
    digest_edition_docs   one row per (document, language) an edition carried: what "already
                          published" means. Per language, so the Swedish edition of issue 3 may
                          carry what the Finnish one did, and no later Swedish issue may.
    digest_new_sources    sources whose back catalogue an issue has offered (offered once)

The SQL is portable (standard types, `ON CONFLICT`), as a PostgreSQL store is being built
beside SQLite. Stores written before editions existed (tables `digests`, `digest_items`,
`digest_docs`: one language per number) are moved into these tables the first time a writer
opens them, and read through `_LEGACY_*` until then.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

from corpus.store import Store
from search.digest.model import Digest, DigestItem, Issue, Summary, Version
from search.errors import DigestError

SCHEMA = """
CREATE TABLE IF NOT EXISTS digest_editions (
    number INTEGER NOT NULL,
    lang TEXT NOT NULL,
    draft_id TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    published_at TEXT NOT NULL,
    window_since TEXT NOT NULL,
    window_until TEXT NOT NULL,
    areas TEXT NOT NULL DEFAULT '[]',
    intro TEXT NOT NULL DEFAULT '',
    toml TEXT NOT NULL,
    PRIMARY KEY (number, lang)
);
CREATE TABLE IF NOT EXISTS digest_edition_items (
    number INTEGER NOT NULL,
    lang TEXT NOT NULL,
    position INTEGER NOT NULL,
    section TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
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
    PRIMARY KEY (number, lang, position)
);
CREATE TABLE IF NOT EXISTS digest_edition_docs (
    doc_id TEXT NOT NULL,
    lang TEXT NOT NULL,
    number INTEGER NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (doc_id, lang)
);
CREATE TABLE IF NOT EXISTS digest_new_sources (
    source TEXT PRIMARY KEY,
    number INTEGER NOT NULL
);
"""

_EDITION_COLUMNS = (
    "number, lang, draft_id, content_hash, title, published_at, window_since, window_until, areas, intro, toml"
)
_ITEM_COLUMNS = (
    "area, areas, title, publisher, country, date, url, summary, summary_lang, summary_source, comment, versions"
)
# Read-only views of a store from before editions (until a writer moves it, see `_migrate`).
_LEGACY_EDITIONS = f"(SELECT {_EDITION_COLUMNS} FROM digests)"
_LEGACY_ITEMS = (
    "(SELECT i.digest_number AS number, d.lang AS lang, i.position AS position, '' AS section, '' AS source, "
    + ", ".join(f"i.{c.strip()}" for c in _ITEM_COLUMNS.split(","))
    + " FROM digest_items i JOIN digests d ON d.number = i.digest_number)"
)
_LEGACY_DOCS = (
    "(SELECT c.doc_id AS doc_id, d.lang AS lang, c.digest_number AS number, c.position AS position "
    "FROM digest_docs c JOIN digests d ON d.number = c.digest_number)"
)


def _tables(store: Store) -> set[str]:
    return {r[0] for r in store.connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _sources(store: Store) -> tuple[str, str, str] | None:
    """The (editions, items, docs) tables or legacy views to read; None when nothing was published."""
    tables = _tables(store)
    if "digest_editions" in tables:
        return "digest_editions", "digest_edition_items", "digest_edition_docs"
    if "digests" in tables:
        return _LEGACY_EDITIONS, _LEGACY_ITEMS, _LEGACY_DOCS
    return None


def _migrate(store: Store) -> None:
    """Move a store's digests from before editions into the edition tables (one transaction)."""
    conn = store.connection
    with conn:
        conn.execute(f"INSERT INTO digest_editions ({_EDITION_COLUMNS}) SELECT {_EDITION_COLUMNS} FROM digests")
        conn.execute(
            f"INSERT INTO digest_edition_items (number, lang, position, section, source, {_ITEM_COLUMNS}) "
            f"SELECT * FROM {_LEGACY_ITEMS}"
        )
        conn.execute(f"INSERT INTO digest_edition_docs (doc_id, lang, number, position) SELECT * FROM {_LEGACY_DOCS}")
        conn.execute("DROP TABLE digest_docs")
        conn.execute("DROP TABLE digest_items")
        conn.execute("DROP TABLE digests")


def ensure_schema(store: Store) -> None:
    """Create the tables (and move digests from before editions into them) on a writable store."""
    had = _tables(store)
    store.ensure_schema(SCHEMA)
    if "digests" in had and "digest_editions" not in had:
        _migrate(store)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def published_doc_ids(store: Store, lang: str) -> dict[str, int]:
    """Every document an edition in `lang` carried, with its issue number."""
    found = _sources(store)
    if found is None:
        return {}
    docs = found[2]
    return {r[0]: r[1] for r in store.connection.execute(f"SELECT doc_id, number FROM {docs} WHERE lang=?", (lang,))}


def find_published(store: Store, *, draft_id: str, toml_text: str) -> tuple[int, str, str] | None:
    """(number, lang, published_at) of an edition published from this draft or with this exact text."""
    found = _sources(store)
    if found is None:
        return None
    row = store.connection.execute(
        f"SELECT number, lang, published_at FROM {found[0]} WHERE draft_id=? OR content_hash=? ORDER BY number LIMIT 1",
        (draft_id, content_hash(toml_text)),
    ).fetchone()
    return (row[0], row[1], row[2]) if row else None


def offered_sources(store: Store) -> dict[str, int]:
    """Sources whose back catalogue a published issue has offered, with that issue's number."""
    if "digest_new_sources" not in _tables(store):
        return {}
    return {r[0]: r[1] for r in store.connection.execute("SELECT source, number FROM digest_new_sources")}


def insert(store: Store, digest: Digest, toml_text: str, published_at: str) -> int:
    """Freeze `digest` (its included items) as a new issue, or as an edition of `digest.edition_of`.

    One transaction: the number, the items, the documents carried and the new sources offered
    are all written or none. Returns the issue's number.
    """
    ensure_schema(store)
    items = digest.included
    conn = store.connection
    try:
        with conn:
            if digest.edition_of is None:
                number = conn.execute("SELECT COALESCE(MAX(number), 0) + 1 FROM digest_editions").fetchone()[0]
            else:
                number = digest.edition_of
            conn.execute(
                f"INSERT INTO digest_editions ({_EDITION_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    number,
                    digest.lang,
                    digest.draft_id or content_hash(toml_text)[:16],
                    content_hash(toml_text),
                    digest.title,
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
                    f"""INSERT INTO digest_edition_items (number, lang, position, section, source, {_ITEM_COLUMNS})
                        VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                    (
                        number,
                        digest.lang,
                        position,
                        item.section,
                        item.source,
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
                        json.dumps([_version_json(v) for v in item.versions], ensure_ascii=False),
                    ),
                )
                conn.executemany(
                    "INSERT INTO digest_edition_docs (doc_id, lang, number, position) VALUES (?,?,?,?)",
                    [(doc_id, digest.lang, number, position) for doc_id in item.doc_ids],
                )
            conn.executemany(
                "INSERT INTO digest_new_sources (source, number) VALUES (?,?) ON CONFLICT (source) DO NOTHING",
                [(source, number) for source in digest.new_sources],
            )
    except sqlite3.IntegrityError as exc:  # a concurrent publish took the number or carried a document
        raise DigestError(f"could not publish: {exc} (another digest was published meanwhile; draft again)") from exc
    return number


def _version_json(v: Version) -> dict:
    return {"doc_id": v.doc_id, "lang": v.lang, "url": v.url, "title": v.title}


def _items(store: Store, items_table: str, number: int, lang: str) -> tuple[DigestItem, ...]:
    rows = store.connection.execute(
        f"SELECT * FROM {items_table} WHERE number=? AND lang=? ORDER BY position", (number, lang)
    )
    return tuple(
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
            section=r["section"],
            source=r["source"],
        )
        for r in rows
    )


def _edition(store: Store, row: sqlite3.Row, items_table: str | None) -> Digest:
    items = _items(store, items_table, row["number"], row["lang"]) if items_table else ()
    return Digest(
        title=row["title"],
        lang=row["lang"],
        since=row["window_since"],
        until=row["window_until"],
        areas=tuple(json.loads(row["areas"])),
        intro=row["intro"],
        items=items,
        draft_id=row["draft_id"],
        number=row["number"],
        published_at=row["published_at"],
    )


def list_issues(store: Store, *, with_items: bool = False) -> list[Issue]:
    """Every published issue, newest first, each with its editions in the order they were published."""
    found = _sources(store)
    if found is None:
        return []
    editions_table, items_table, _ = found
    rows = store.connection.execute(
        f"SELECT * FROM {editions_table} ORDER BY number DESC, published_at, lang"
    ).fetchall()
    issues: dict[int, list[Digest]] = {}
    for row in rows:
        issues.setdefault(row["number"], []).append(_edition(store, row, items_table if with_items else None))
    return [Issue(number, tuple(editions)) for number, editions in issues.items()]


def list_digests(store: Store, *, with_items: bool = False, lang: str | None = None) -> list[Digest]:
    """Every published edition (only those in `lang` when given), newest issue first."""
    return [e for issue in list_issues(store, with_items=with_items) for e in issue.editions if lang in (None, e.lang)]


def get_issue(store: Store, number: int) -> Issue:
    """One published issue with its editions and items; DigestError when there is no such number."""
    found = _sources(store)
    rows = []
    if found is not None:
        rows = store.connection.execute(
            f"SELECT * FROM {found[0]} WHERE number=? ORDER BY published_at, lang", (number,)
        ).fetchall()
    if not rows:
        raise DigestError(f"no published digest number {number} (list them with 'nordsearch digest list')")
    return Issue(number, tuple(_edition(store, r, found[1]) for r in rows))


def get_digest(store: Store, number: int, lang: str | None = None) -> Digest:
    """Issue `number`'s edition in `lang` (its first edition when `lang` is None); DigestError when missing."""
    issue = get_issue(store, number)
    if lang is None:
        return issue.first
    edition = issue.edition(lang)
    if edition is None:
        raise DigestError(
            f"digest number {number} has no {lang!r} edition (it has {', '.join(issue.langs)}); "
            f"draft one with 'nordsearch digest draft --lang {lang} --edition-of {number}'"
        )
    return edition


def item_counts(store: Store) -> dict[tuple[int, str], int]:
    """Included items per (issue number, edition language)."""
    found = _sources(store)
    if found is None:
        return {}
    return {
        (r[0], r[1]): r[2]
        for r in store.connection.execute(f"SELECT number, lang, COUNT(*) FROM {found[1]} GROUP BY number, lang")
    }
