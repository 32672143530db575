"""Digest subscribers in the store: an address, the language of the edition they read, the areas they follow.

    subscribers   email (normalised, the key), lang ("fi" | "sv"), areas (JSON list; empty:
                  every area), created_at, updated_at

Adding an address that is already there updates its language and areas (one row per address).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from corpus.store import Store
from search.digest.model import DIGEST_LANGUAGES
from search.errors import MailError
from search.mail.address import normalise

SCHEMA = """
CREATE TABLE IF NOT EXISTS subscribers (
    email TEXT PRIMARY KEY,
    lang TEXT NOT NULL,
    areas TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Subscriber:
    email: str
    lang: str
    areas: tuple[str, ...] = ()  # empty: every area
    created_at: str = ""

    def follows(self, area: str) -> bool:
        return not self.areas or area in self.areas

    def as_json(self) -> dict:
        return {"email": self.email, "lang": self.lang, "areas": list(self.areas), "since": self.created_at}


def _has_table(store: Store) -> bool:
    return bool(
        store.connection.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='subscribers'").fetchone()
    )


def add(store: Store, email: str, lang: str, areas: Sequence[str] = ()) -> tuple[Subscriber, bool]:
    """Add (or update) a subscriber; returns it and whether it is new."""
    address = normalise(email)
    if lang not in DIGEST_LANGUAGES:
        raise MailError(f"a subscriber reads the {' or '.join(DIGEST_LANGUAGES)} edition, not {lang!r}")
    store.ensure_schema(SCHEMA)
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    chosen = tuple(dict.fromkeys(areas))
    with store.connection as conn:
        new = conn.execute("SELECT 1 FROM subscribers WHERE email=?", (address,)).fetchone() is None
        conn.execute(
            """INSERT INTO subscribers (email, lang, areas, created_at, updated_at) VALUES (?,?,?,?,?)
               ON CONFLICT (email) DO UPDATE SET lang=excluded.lang, areas=excluded.areas,
                   updated_at=excluded.updated_at""",
            (address, lang, json.dumps(list(chosen)), now, now),
        )
    return get(store, address), new


def get(store: Store, email: str) -> Subscriber:
    row = None
    if _has_table(store):
        row = store.connection.execute("SELECT * FROM subscribers WHERE email=?", (email,)).fetchone()
    if row is None:
        raise MailError(f"{email} is not a subscriber (list them with 'nordsearch subscribers list')")
    return _subscriber(row)


def _subscriber(row) -> Subscriber:
    return Subscriber(row["email"], row["lang"], tuple(json.loads(row["areas"])), row["created_at"])


def listing(store: Store, lang: str | None = None) -> list[Subscriber]:
    """Every subscriber (only those reading `lang` when given), by address."""
    if not _has_table(store):
        return []
    sql, args = "SELECT * FROM subscribers", ()
    if lang:
        sql, args = sql + " WHERE lang=?", (lang,)
    return [_subscriber(r) for r in store.connection.execute(sql + " ORDER BY email", args)]


def remove(store: Store, email: str) -> bool:
    """Remove a subscriber; returns whether there was one (an address not in the list is not an error here)."""
    if not _has_table(store):
        return False
    try:
        address = normalise(email)
    except MailError:
        address = email.strip()
    with store.connection as conn:
        return conn.execute("DELETE FROM subscribers WHERE email=?", (address,)).rowcount > 0
