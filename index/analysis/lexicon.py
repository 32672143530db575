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

import sqlite3
from collections import Counter
from functools import lru_cache
from pathlib import Path

from corpus.cache_dir import ReadOnlyDB, cache_dir, installed_version, is_complete, open_keyed

#: Bump when the tables or what goes into them change: old files are then ignored.
FORMAT = 1
#: Point lookups remembered per table and language (the analysis asks the same words again).
LRU_SIZE = 1 << 16


def _simplemma_version() -> str:
    # Read from the installed package's metadata: importing simplemma costs 0.1-0.3 s, and a
    # process that finds its lexicons needs nothing else from it.
    return installed_version("simplemma") or "none"


def lexicon_path(lang: str, directory: Path | None = None) -> Path | None:
    """The lexicon file of a language for this simplemma version, or None when the cache is off."""
    directory = directory or cache_dir()
    if directory is None:
        return None
    return directory / f"lexicon-{lang}-simplemma{_simplemma_version()}-f{FORMAT}.sqlite"


def _meta(lang: str) -> dict[str, str]:
    return {"lang": lang, "simplemma": _simplemma_version(), "format": str(FORMAT)}


def _fill(lang: str, db: sqlite3.Connection) -> dict[str, str]:
    """Creates and fills the lexicon tables of `lang` in `db`; returns the counts for the meta table."""
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
    db.execute("CREATE TABLE forms (form TEXT PRIMARY KEY, lemma TEXT) WITHOUT ROWID")
    db.execute("CREATE TABLE lemmas (lemma TEXT PRIMARY KEY) WITHOUT ROWID")
    db.execute("CREATE TABLE stems (stem TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID")
    # simplemma's keys come sorted (front coding), so the B-tree is filled in order.
    db.executemany("INSERT OR REPLACE INTO forms VALUES (?, ?)", rows)
    db.executemany("INSERT INTO lemmas VALUES (?)", ((w,) for w in sorted(lemmas)))
    db.executemany("INSERT INTO stems VALUES (?, ?)", sorted(family.items()))
    return {"forms": str(len(forms)), "lemmas": str(len(lemmas))}


def _valid(path: Path, lang: str) -> bool:
    """True when `path` is a complete lexicon of `lang` for this simplemma and format."""
    return is_complete(path, _meta(lang), "forms")


class Lexicon(ReadOnlyDB):
    """Read-only point lookups in one language's lexicon file, with an LRU in front of each table.

    One connection per thread: the web app analyses queries in several threads at once.
    `misses` counts the lookups that reached SQLite (LRU misses): `Vocabulary` moves to memory
    past a limit.
    """

    def __init__(self, lang: str, path: Path):
        super().__init__(path)
        self.lang = lang
        self.lemma_of = lru_cache(maxsize=LRU_SIZE)(self._lemma_of)
        self.is_lemma = lru_cache(maxsize=LRU_SIZE)(self._is_lemma)
        self.family = lru_cache(maxsize=LRU_SIZE)(self._family)

    def _value(self, sql: str, key: str):
        row = self.one(sql, key)
        return None if row is None else row[0]

    def _lemma_of(self, form: str) -> str | None:
        return self._value("SELECT lemma FROM forms WHERE form = ?", form)

    def _is_lemma(self, word: str) -> bool:
        return self._value("SELECT 1 FROM lemmas WHERE lemma = ?", word) is not None

    def _family(self, stem: str) -> int:
        return self._value("SELECT n FROM stems WHERE stem = ?", stem) or 0

    def stem_family(self) -> Counter[str]:
        """The whole stems table (small: about 100k rows), for the in-memory vocabulary."""
        return Counter(dict(self.db().execute("SELECT stem, n FROM stems")))

    def all_lemmas(self) -> frozenset[str]:
        return frozenset(row[0] for row in self.db().execute("SELECT lemma FROM lemmas"))


def open_lexicon(lang: str, directory: Path | None = None) -> Lexicon | None:
    """The lexicon of `lang`, built first if needed; None when the cache is off or unusable
    (then the caller analyses from simplemma's dictionary directly)."""
    path = lexicon_path(lang, directory)
    if path is None or not open_keyed(path, _meta(lang), "forms", lambda db: _fill(lang, db), f"the {lang} lexicon"):
        return None
    return Lexicon(lang, path)
