"""Where nordsearch keeps what it compiles once per machine: lexicons, word frequencies, thesauri.

`NORDSEARCH_CACHE` overrides the place (a directory), or turns the cache off with `off`
(then every process derives everything from simplemma and the thesaurus files, as before
the cache existed: what the cold-start benchmark compares against). Otherwise the cache is
`$XDG_CACHE_HOME/nordsearch`, else `~/.cache/nordsearch`.

Files here are disposable: each is keyed by what it was built from, written to a temporary
file and renamed into place (so a reader never sees half a file), and rebuilt when missing,
stale or unreadable. `open_keyed` does all of that for a SQLite file (the lexicons, the word
frequencies); `ReadOnlyDB` reads one from many threads. A key names the versions of what a file
was built from, read by `installed_version` without importing the package (importing
simplemma or wordfreq is what a cached file saves).
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import logging
import os
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

ENV_CACHE = "NORDSEARCH_CACHE"
OFF_VALUES = frozenset({"off", "0", "no", "none", "false"})


def cache_dir() -> Path | None:
    """The cache directory, or None when the cache is turned off."""
    value = os.environ.get(ENV_CACHE, "").strip()
    if value.lower() in OFF_VALUES:
        return None
    if value:
        return Path(value).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "nordsearch"


@contextlib.contextmanager
def build_lock(path: Path) -> Iterator[None]:
    """Held while `path` is built, so that concurrent processes build it once, not each.

    Readers never take it: they open whatever complete file the last rename left.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(str(path) + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the flock


@contextlib.contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """A temporary path beside `path`, renamed onto it when the block succeeds, removed otherwise."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the cache is not secret
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


@cache
def installed_version(package: str) -> str | None:
    """The installed version of a top-level package, read without importing it; None if absent.

    The `<name>-<version>.dist-info` folder beside the package says it for 0.2 ms;
    `importlib.metadata` (25 ms to import) answers for other layouts (an editable install).
    """
    spec = importlib.util.find_spec(package)
    if spec is None:
        return None
    if spec.origin is not None:
        origin = Path(spec.origin).parent
        site = origin.parent if spec.submodule_search_locations else origin
        prefix = package.lower().replace("-", "_") + "-"
        with contextlib.suppress(OSError):
            found = [
                name[len(prefix) : -len(".dist-info")]
                for name in os.listdir(site)
                if name.endswith(".dist-info") and name.lower().startswith(prefix)
            ]
            if len(found) == 1:  # several: a stale leftover beside the real one; let importlib decide
                return found[0]
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _read_meta(path: Path, table: str) -> dict[str, str] | None:
    """The meta table of a complete keyed file, or None when it is missing or unreadable."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()  # `table` is ours, never user input
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return meta


def is_complete(path: Path, key: Mapping[str, str], table: str) -> bool:
    """True when `path` is a readable keyed file built for `key` (its meta table holds every pair)."""
    meta = _read_meta(path, table)
    return meta is not None and all(meta.get(k) == v for k, v in key.items())


def write_keyed(path: Path, key: Mapping[str, str], fill: Callable[[sqlite3.Connection], Mapping[str, str]]) -> None:
    """Writes a keyed SQLite file atomically: `fill(db)` creates and fills the tables and returns
    extra meta (counts, for the curious); `key` goes into the meta table beside it."""
    with atomic_target(path) as tmp:
        db = sqlite3.connect(tmp, isolation_level=None)
        try:
            # A file nobody reads before the rename needs no journal and no fsync per page.
            db.execute("PRAGMA journal_mode=OFF")
            db.execute("PRAGMA synchronous=OFF")
            db.execute("BEGIN")
            db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID")
            extra = fill(db)
            db.executemany("INSERT INTO meta VALUES (?, ?)", {**extra, **key}.items())
            db.execute("COMMIT")
        finally:
            db.close()
        # fsync before the rename: after a crash the name must not point at a half-written file.
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())


def open_keyed(
    path: Path, key: Mapping[str, str], table: str, fill: Callable[[sqlite3.Connection], Mapping[str, str]], what: str
) -> bool:
    """Makes sure `path` is a complete file for `key`, building it (once, under a lock) if not.

    False when the cache cannot be written (a read-only home, a full disk): the caller then
    derives what it needs in memory, as without the cache.
    """
    try:
        if not is_complete(path, key, table):
            with build_lock(path):
                # Another process may have built it while this one waited for the lock.
                if not is_complete(path, key, table):
                    log.info("building %s in %s (once per machine)", what, path)
                    write_keyed(path, key, fill)
    except (OSError, sqlite3.Error) as exc:
        log.warning("cache unusable for %s (%s): computing it in memory instead", what, exc)
        return False
    return True


class ReadOnlyDB:
    """Read-only access to one cache file, a connection per thread (the web app searches in
    several threads at once; a SQLite connection belongs to one)."""

    def __init__(self, path: Path):
        self.path = path
        self._local = threading.local()
        #: Lookups that reached SQLite: callers move to memory past a limit.
        self.misses = 0

    def db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        return db

    def one(self, sql: str, key: str):
        """The first row of `sql` for one parameter, or None."""
        self.misses += 1
        return self.db().execute(sql, (key,)).fetchone()
