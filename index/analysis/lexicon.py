"""A compiled lexicon per language: simplemma's words in a SQLite file, built once per machine.

Loading simplemma's dictionary costs 0.1–3.5 s per language (Finnish: 3.5M forms) and a
`Vocabulary` also stems every lemma; a fresh process that analyses one query word in six
languages paid all of it. The lexicon stores what `Vocabulary` derives:

- `forms(form → lemma)`: simplemma's dictionary as it is;
- `lemmas(lemma)`: the distinct lemmas (the known words decompounding splits into);
- `stems(stem → n)`: how many known lemmas share each snowball stem;

so that a point lookup is a B-tree probe of a few microseconds with nothing to load. The file
is keyed by simplemma's version and `FORMAT`, lives in `cache_dir()`, is built under a lock
into a temporary file and renamed into place, and is rebuilt when it is missing, stale or
damaged (`open_lexicon` returns None only when the cache is off or cannot be written).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections import Counter
from functools import lru_cache
from pathlib import Path

import simplemma

from index.analysis.cache_dir import atomic_target, build_lock, cache_dir

log = logging.getLogger(__name__)

#: Bump when the tables or what goes into them change: old files are then ignored.
FORMAT = 1
#: Point lookups remembered per table and language (the analysis asks the same words again).
LRU_SIZE = 1 << 16


def lexicon_path(lang: str, directory: Path | None = None) -> Path | None:
    """The lexicon file of a language for this simplemma version, or None when the cache is off."""
    directory = directory or cache_dir()
    if directory is None:
        return None
    return directory / f"lexicon-{lang}-simplemma{simplemma.__version__}-f{FORMAT}.sqlite"


def _meta(lang: str) -> dict[str, str]:
    return {"lang": lang, "simplemma": simplemma.__version__, "format": str(FORMAT)}


def build(lang: str, path: Path) -> None:
    """Writes the lexicon of `lang` to `path` atomically (a temporary file renamed into place)."""
    from simplemma.strategies import DefaultDictionaryFactory

    from index.analysis.vocabulary import lemma_set, stemmer

    # A private factory: the process should not keep the whole dictionary after the build.
    forms = DefaultDictionaryFactory().get_dictionary(lang)
    lemmas = lemma_set(forms)
    stem = stemmer(lang).stemWord
    family = Counter(stem(lemma) for lemma in lemmas)
    raw = getattr(forms, "_dict", None)
    if isinstance(raw, dict):
        rows = ((k.decode(), v.decode()) for k, v in raw.items())
    else:
        rows = ((k, forms[k]) for k in forms)
    with atomic_target(path) as tmp:
        db = sqlite3.connect(tmp, isolation_level=None)
        try:
            # A file nobody reads before the rename needs no journal and no fsync per page.
            db.execute("PRAGMA journal_mode=OFF")
            db.execute("PRAGMA synchronous=OFF")
            db.execute("BEGIN")
            db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID")
            db.execute("CREATE TABLE forms (form TEXT PRIMARY KEY, lemma TEXT) WITHOUT ROWID")
            db.execute("CREATE TABLE lemmas (lemma TEXT PRIMARY KEY) WITHOUT ROWID")
            db.execute("CREATE TABLE stems (stem TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID")
            # simplemma's keys come sorted (front coding), so the B-tree is filled in order.
            db.executemany("INSERT OR REPLACE INTO forms VALUES (?, ?)", rows)
            db.executemany("INSERT INTO lemmas VALUES (?)", ((w,) for w in sorted(lemmas)))
            db.executemany("INSERT INTO stems VALUES (?, ?)", sorted(family.items()))
            meta = {**_meta(lang), "forms": str(len(forms)), "lemmas": str(len(lemmas))}
            db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            db.execute("COMMIT")
        finally:
            db.close()
        # fsync before the rename: after a crash the name must not point at a half-written file.
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())


def _valid(path: Path, lang: str) -> bool:
    """True when `path` is a complete lexicon of `lang` for this simplemma and format."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            db.execute("SELECT 1 FROM forms LIMIT 1").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return False
    return all(meta.get(k) == v for k, v in _meta(lang).items())


class Lexicon:
    """Read-only point lookups in one language's lexicon file, with an LRU in front of each table.

    One connection per thread: the web app analyses queries in several threads at once.
    """

    def __init__(self, lang: str, path: Path):
        self.lang = lang
        self.path = path
        self._local = threading.local()
        #: Lookups that reached SQLite (LRU misses): `Vocabulary` moves to memory past a limit.
        self.misses = 0
        self.lemma_of = lru_cache(maxsize=LRU_SIZE)(self._lemma_of)
        self.is_lemma = lru_cache(maxsize=LRU_SIZE)(self._is_lemma)
        self.family = lru_cache(maxsize=LRU_SIZE)(self._family)

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        return db

    def _one(self, sql: str, key: str):
        self.misses += 1
        row = self._db().execute(sql, (key,)).fetchone()
        return None if row is None else row[0]

    def _lemma_of(self, form: str) -> str | None:
        return self._one("SELECT lemma FROM forms WHERE form = ?", form)

    def _is_lemma(self, word: str) -> bool:
        return self._one("SELECT 1 FROM lemmas WHERE lemma = ?", word) is not None

    def _family(self, stem: str) -> int:
        return self._one("SELECT n FROM stems WHERE stem = ?", stem) or 0

    def stem_family(self) -> Counter[str]:
        """The whole stems table (small: about 100k rows), for the in-memory vocabulary."""
        return Counter(dict(self._db().execute("SELECT stem, n FROM stems")))

    def all_lemmas(self) -> frozenset[str]:
        return frozenset(row[0] for row in self._db().execute("SELECT lemma FROM lemmas"))


def open_lexicon(lang: str, directory: Path | None = None) -> Lexicon | None:
    """The lexicon of `lang`, built first if needed; None when the cache is off or unusable."""
    path = lexicon_path(lang, directory)
    if path is None:
        return None
    try:
        if not _valid(path, lang):
            with build_lock(path):
                # Another process may have built it while this one waited for the lock.
                if not _valid(path, lang):
                    log.info("building the %s lexicon in %s (once per machine)", lang, path)
                    build(lang, path)
    except (OSError, sqlite3.Error) as exc:  # a read-only home, a full disk: analyse from simplemma directly
        log.warning("lexicon cache unusable (%s): loading simplemma's %s dictionary instead", exc, lang)
        return None
    return Lexicon(lang, path)
