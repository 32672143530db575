"""Alerts in the store: the saved searches, what each has mailed, and the web form's rate limit.

alerts           id, email, query, filters (canonical JSON), lang, state (pending | active),
                 created_at, confirmed_at, batch (the number of its next mail);
                 one alert per (email, query, filters)
alert_docs       (alert_id, doc_id) -> the batch that carries it: a document goes into one
                 mail of an alert, ever
alert_requests   (key, at): "follow this search" requests per address and per client, for
                 the rate limit; rows older than a day are dropped as new ones come
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from corpus.store import Store
from search.alerts.model import Alert, SavedSearch
from search.errors import AlertError
from search.mail.address import normalise

SCHEMA = """
CREATE TABLE IF NOT EXISTS alerts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    query TEXT NOT NULL,
    filters TEXT NOT NULL DEFAULT '{}',
    lang TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    confirmed_at TEXT,
    batch INTEGER NOT NULL DEFAULT 0,
    UNIQUE (email, query, filters)
);
CREATE TABLE IF NOT EXISTS alert_docs (
    alert_id INTEGER NOT NULL,
    doc_id TEXT NOT NULL,
    batch INTEGER NOT NULL,
    PRIMARY KEY (alert_id, doc_id)
);
CREATE TABLE IF NOT EXISTS alert_requests (
    key TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_requests_key ON alert_requests(key, at);
"""


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def ensure_schema(store: Store) -> None:
    store.ensure_schema(SCHEMA)


def _has_tables(store: Store) -> bool:
    return bool(store.connection.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alerts'").fetchone())


def _alert(row) -> Alert:
    return Alert(
        id=row["id"],
        email=row["email"],
        search=SavedSearch.from_json(row["query"], row["filters"]),
        lang=row["lang"],
        state=row["state"],
        created_at=row["created_at"],
        confirmed_at=row["confirmed_at"],
        batch=row["batch"],
    )


def save(store: Store, email: str, search: SavedSearch, lang: str, *, state: str) -> tuple[Alert, bool]:
    """The alert for (email, search), made in `state` when new; returns it and whether it is new.

    An alert that exists keeps its state (a pending one stays pending, an active one active).
    """
    ensure_schema(store)
    address = normalise(email)
    if not search.query.strip() and not search.areas:
        raise AlertError("an alert needs words to search for or an area to follow")
    now = now_iso()
    with store.connection as conn:
        new = conn.execute(
            """INSERT INTO alerts (email, query, filters, lang, state, created_at, confirmed_at)
               VALUES (?,?,?,?,?,?,?) ON CONFLICT (email, query, filters) DO NOTHING""",
            (address, search.query, search.filters_json(), lang, state, now, now if state == "active" else None),
        ).rowcount
        row = conn.execute(
            "SELECT * FROM alerts WHERE email=? AND query=? AND filters=?",
            (address, search.query, search.filters_json()),
        ).fetchone()
    return _alert(row), new > 0


def get(store: Store, alert_id: int) -> Alert:
    row = None
    if _has_tables(store):
        row = store.connection.execute("SELECT * FROM alerts WHERE id=?", (alert_id,)).fetchone()
    if row is None:
        raise AlertError(f"no alert number {alert_id} (list them with 'nordsearch alerts list')")
    return _alert(row)


def listing(store: Store, *, state: str | None = None) -> list[Alert]:
    if not _has_tables(store):
        return []
    sql, args = "SELECT * FROM alerts", ()
    if state:
        sql, args = sql + " WHERE state=?", (state,)
    return [_alert(r) for r in store.connection.execute(sql + " ORDER BY id", args)]


def confirm(store: Store, alert_id: int, email: str) -> bool:
    """Activate a pending alert of `email`; returns whether one was there (active or now activated)."""
    if not _has_tables(store):
        return False
    with store.connection as conn:
        conn.execute(
            "UPDATE alerts SET state='active', confirmed_at=? WHERE id=? AND email=? AND state='pending'",
            (now_iso(), alert_id, email),
        )
        return conn.execute("SELECT 1 FROM alerts WHERE id=? AND email=?", (alert_id, email)).fetchone() is not None


def remove(store: Store, alert_id: int, email: str | None = None) -> bool:
    """Delete an alert (only if it belongs to `email`, when given) and what it mailed."""
    if not _has_tables(store):
        return False
    with store.connection as conn:
        sql, args = "DELETE FROM alerts WHERE id=?", (alert_id,)
        if email is not None:
            sql, args = sql + " AND email=?", (alert_id, email)
        gone = conn.execute(sql, args).rowcount > 0
        if gone:
            conn.execute("DELETE FROM alert_docs WHERE alert_id=?", (alert_id,))
    return gone


def mailed(store: Store, alert: Alert) -> set[str]:
    """The documents earlier mails of `alert` carried."""
    rows = store.connection.execute(
        "SELECT doc_id FROM alert_docs WHERE alert_id=? AND batch<?", (alert.id, alert.batch)
    )
    return {r[0] for r in rows}


def set_batch_docs(store: Store, alert: Alert, doc_ids: Iterable[str]) -> None:
    """The documents of the alert's next mail (replacing an earlier attempt at the same mail)."""
    with store.connection as conn:
        conn.execute("DELETE FROM alert_docs WHERE alert_id=? AND batch>=?", (alert.id, alert.batch))
        conn.executemany(
            "INSERT INTO alert_docs (alert_id, doc_id, batch) VALUES (?,?,?)",
            [(alert.id, d, alert.batch) for d in doc_ids],
        )


def batch_docs(store: Store, alert: Alert) -> list[str]:
    rows = store.connection.execute(
        "SELECT doc_id FROM alert_docs WHERE alert_id=? AND batch=? ORDER BY doc_id", (alert.id, alert.batch)
    )
    return [r[0] for r in rows]


def next_batch(store: Store, alert: Alert) -> None:
    """The alert's mail number `alert.batch` is done: the next one gets a new number."""
    with store.connection as conn:
        conn.execute("UPDATE alerts SET batch=? WHERE id=? AND batch=?", (alert.batch + 1, alert.id, alert.batch))


def count_request(store: Store, windows: dict[str, timedelta]) -> dict[str, int]:
    """Record one request under each key; returns each key's requests within its window (this one included)."""
    ensure_schema(store)
    now = datetime.now(UTC).replace(microsecond=0)
    with store.connection as conn:
        conn.execute("DELETE FROM alert_requests WHERE at < ?", ((now - timedelta(days=1)).isoformat(),))
        conn.executemany("INSERT INTO alert_requests (key, at) VALUES (?,?)", [(k, now.isoformat()) for k in windows])
        return {
            k: conn.execute(
                "SELECT COUNT(*) FROM alert_requests WHERE key=? AND at >= ?", (k, (now - window).isoformat())
            ).fetchone()[0]
            for k, window in windows.items()
        }
