"""A small persistent cache of query analysis, so that a cold `nordsearch search` stays fast.

Analysing one query word in all six languages needs every language's dictionaries (simplemma,
the decompounder's vocabulary, Voikko): several seconds to load in a fresh process, for an
answer that is a handful of tokens. A CLI search is a fresh process every time, so the answers
are kept in a SQLite file in the index directory, keyed by (kind, language, text). The file
is disposable: it is removed with the index on `--rebuild` (the analysis may have changed), and
any error reading or writing it just means analysing again.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

CACHE_FILE = "query-cache.sqlite"


class QueryCache:
    """(kind, lang, text) → JSON-able value, in memory and in `dir/query-cache.sqlite`."""

    def __init__(self, directory: Path | None):
        self.path = Path(directory) / CACHE_FILE if directory is not None else None
        self._memory: dict[tuple[str, str, str], object] = {}
        self._db: sqlite3.Connection | None = None
        self._broken = self.path is None

    def _connection(self) -> sqlite3.Connection | None:
        if self._db is None and not self._broken:
            try:
                # Any thread may use it: callers serialise every use (search.query's lock), and a
                # web worker's threads share one cache (with the default check, every thread but
                # the first failed each lookup quietly and recomputed).
                self._db = sqlite3.connect(self.path, timeout=1, isolation_level=None, check_same_thread=False)
                # Disposable data: no fsync per answer (a lost answer is computed again).
                self._db.execute("PRAGMA synchronous=OFF")
                self._db.execute(
                    "CREATE TABLE IF NOT EXISTS cache (kind TEXT, lang TEXT, text TEXT, value TEXT,"
                    " PRIMARY KEY (kind, lang, text))"
                )
            except sqlite3.Error:
                self._broken = True  # read-only or damaged: work without the file
                self._db = None
        return self._db

    def get(
        self,
        kind: str,
        lang: str,
        text: str,
        compute: Callable[[], object],
        valid: Callable[[object], bool] | None = None,
    ):
        """The cached answer, else `compute()`'s (kept). An answer failing `valid` (a file written by
        an older version of the code, in another shape) is computed again and replaced."""
        key = (kind, lang, text)
        if key in self._memory:
            return self._memory[key]
        db = self._connection()
        value = None
        if db is not None:
            try:
                row = db.execute("SELECT value FROM cache WHERE kind=? AND lang=? AND text=?", key).fetchone()
                if row is not None:
                    value = json.loads(row[0])
                    if valid is not None and not valid(value):
                        value = None
            except (sqlite3.Error, ValueError):
                row = None
        if value is None:
            value = compute()
            if db is not None:
                try:
                    db.execute("INSERT OR REPLACE INTO cache VALUES (?,?,?,?)", (*key, json.dumps(value)))
                except sqlite3.Error:
                    pass  # a reader cannot write: the answer is still right, only not kept
        self._memory[key] = value
        return value

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
