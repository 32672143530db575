"""Word-frequency evidence for language identification: how common a word is in each language.

Bokmål and Danish share most letters and many words, so a character n-gram model (lingua) often
cannot tell a sentence valid in both apart. Frequent words can: `mye`, `noen`, `penger`,
`ganger`, `rikeste`, `ytelser`, `gjerne`, `uke` are common Bokmål and (next to) unheard of in
Danish, and `meget`, `nogen`, `penge`, `uge` the other way round. wordfreq's lists (built from
Wikipedia, subtitles, news, books and web text, not from the evaluation's treebanks) give each
word a Zipf frequency (log10 of occurrences per billion words) per language.

Each list is cut at the same depth, `CUTOFF` (Zipf 3, once per million words: wordfreq's Danish
list goes no deeper), so a language with a longer list does not win by knowing more rare words;
a word below the cut counts as `UNKNOWN`. wordfreq has no Nynorsk list: Nynorsk takes the Bokmål
frequency, or `NYNORSK_KNOWN` when simplemma's Nynorsk dictionary knows the word
(`ikkje`, `kva`, `eg`), whichever is higher.

A word's evidence is its Zipf frequency in each language minus the mean over the six, so a
word equally common everywhere (`i`, `er`) says nothing.

    >>> ev = evidence("penger")
    >>> ev["nb"] > ev["da"]
    True

Reading wordfreq's lists costs 0.5–2 s a process (importing wordfreq pulls ftfy, langcodes,
regex and msgpack; then the five lists and simplemma's Nynorsk dictionary are read), most of a
cold `nordsearch search` whose query language is guessed from a few words. So the final Zipf
values of every word that is not `UNKNOWN` everywhere (the Nynorsk rule applied) are compiled
once per machine into a SQLite file in the cache directory, like the lexicons
(index.analysis.lexicon): keyed by wordfreq's and simplemma's versions, `FORMAT` and the
constants below, built under a lock, rebuilt when missing, stale or damaged. A lookup is then a
B-tree probe with neither package loaded; after `SWITCH_AFTER` probes (language detection of
whole documents) the file is read into memory in 0.2–0.3 s. With the cache off
(`NORDSEARCH_CACHE=off`) or unwritable, the tables are built in memory as before. Both give the
same values. Importing this module loads nothing.
"""

from __future__ import annotations

import sqlite3
import threading
from functools import lru_cache
from pathlib import Path

LANGS = ("fi", "sv", "nb", "nn", "da", "en")
#: Zipf frequency at which every list is cut (Danish, the shortest list, ends here).
CUTOFF = 3.0
#: The Zipf frequency given to a word below the cut or missing from a list.
UNKNOWN = 2.0
#: The Zipf frequency given to a word that simplemma's Nynorsk dictionary knows.
NYNORSK_KNOWN = 3.5
#: wordfreq's lists hold one bucket per centibel: bucket i is Zipf 9 - i/100.
_BUCKETS = round((9 - CUTOFF) * 100)
#: Bump when the compiled file's table or what goes into it changes: old files are then ignored.
FORMAT = 1
#: Words remembered in front of the compiled file.
LRU_SIZE = 1 << 16
#: File lookups after which a process reads the whole file into memory (a document's words).
SWITCH_AFTER = 20_000
_ALL_UNKNOWN = (UNKNOWN,) * len(LANGS)


@lru_cache(maxsize=1)
def tables() -> dict[str, dict[str, float]] | None:
    """word → Zipf frequency per language (fi, sv, nb, da, en), or None without wordfreq."""
    try:
        import wordfreq
    except ImportError:  # the word lists and lingua still decide; only this evidence is missing
        return None
    found: dict[str, dict[str, float]] = {}
    for lang in ("fi", "sv", "nb", "da", "en"):
        buckets = wordfreq.get_frequency_list(lang, wordlist="best")[: _BUCKETS + 1]
        found[lang] = {word: 9 - i / 100 for i, bucket in enumerate(buckets) for word in bucket}
    return found


@lru_cache(maxsize=1)
def _nynorsk():
    """simplemma's Nynorsk dictionary (forms → lemmas; about 140k forms, 0.2 s), or an empty set."""
    try:
        from simplemma.strategies import DefaultDictionaryFactory
    except ImportError:
        return frozenset()
    return DefaultDictionaryFactory().get_dictionary("nn")


def memory_zipf(word: str) -> tuple[float, ...]:
    """The Zipf frequencies of `word` in `LANGS` order, from wordfreq and simplemma in memory."""
    found = tables()
    if found is None:
        return _ALL_UNKNOWN
    nb = found["nb"].get(word, UNKNOWN)
    nn = nb if nb >= NYNORSK_KNOWN or word not in _nynorsk() else NYNORSK_KNOWN
    return (
        found["fi"].get(word, UNKNOWN),
        found["sv"].get(word, UNKNOWN),
        nb,
        nn,
        found["da"].get(word, UNKNOWN),
        found["en"].get(word, UNKNOWN),
    )


# -- the compiled file --------------------------------------------------------------------------


def _key() -> dict[str, str] | None:
    """What the compiled values depend on; None without wordfreq (then every word is `UNKNOWN`)."""
    from corpus.cache_dir import installed_version

    wordfreq = installed_version("wordfreq")
    if wordfreq is None:
        return None
    return {
        "what": "word-frequencies",
        "wordfreq": wordfreq,
        "simplemma": installed_version("simplemma") or "none",
        "format": str(FORMAT),
        "cutoff": repr(CUTOFF),
        "unknown": repr(UNKNOWN),
        "nynorsk_known": repr(NYNORSK_KNOWN),
    }


def frequencies_path(directory: Path | None = None) -> Path | None:
    """The compiled file for the installed wordfreq and simplemma; None when the cache is off."""
    from corpus.cache_dir import cache_dir

    directory = directory or cache_dir()
    key = _key()
    if directory is None or key is None:
        return None
    return directory / (
        f"word-frequencies-wordfreq{key['wordfreq']}-simplemma{key['simplemma']}-f{FORMAT}-c{CUTOFF:g}.sqlite"
    )


def _fill(db: sqlite3.Connection) -> dict[str, str]:
    """Creates and fills the `zipf` table: every word that some language knows above `UNKNOWN`."""
    words = set().union(*(tables() or {}).values())
    words.update(_nynorsk())  # Nynorsk forms absent from the lists still get `NYNORSK_KNOWN`
    rows = [(word, *z) for word in sorted(words) if (z := memory_zipf(word)) != _ALL_UNKNOWN]
    columns = ", ".join(f"{lang} REAL" for lang in LANGS)
    db.execute(f"CREATE TABLE zipf (word TEXT PRIMARY KEY, {columns}) WITHOUT ROWID")
    db.executemany(f"INSERT INTO zipf VALUES (?{', ?' * len(LANGS)})", rows)
    return {"words": str(len(rows))}


class CompiledFrequencies:
    """Read-only lookups in the compiled file: an LRU in front of SQLite, then all in memory."""

    def __init__(self, path: Path):
        from corpus.cache_dir import ReadOnlyDB

        self.file = ReadOnlyDB(path)
        self.row = lru_cache(maxsize=LRU_SIZE)(self._row)
        self._memory: dict[str, tuple[float, ...]] | None = None
        self._lock = threading.Lock()

    def _row(self, word: str) -> tuple[float, ...]:
        memory = self._memory
        if memory is None:
            if self.file.misses <= SWITCH_AFTER:
                row = self.file.one("SELECT * FROM zipf WHERE word = ?", word)
                return _ALL_UNKNOWN if row is None else row[1:]
            memory = self.load()
        return memory.get(word, _ALL_UNKNOWN)

    def load(self) -> dict[str, tuple[float, ...]]:
        """Reads the whole file into memory (once): faster per word for bulk detection."""
        with self._lock:
            if self._memory is None:
                self._memory = {row[0]: row[1:] for row in self.file.db().execute("SELECT * FROM zipf")}
        return self._memory


def open_frequencies(directory: Path | None = None) -> CompiledFrequencies | None:
    """The compiled file, built first if needed; None when the cache is off or cannot be written,
    or without wordfreq."""
    from corpus.cache_dir import open_keyed

    path = frequencies_path(directory)
    if path is None or not open_keyed(path, _key(), "zipf", _fill, "the word frequencies"):
        return None
    return CompiledFrequencies(path)


@lru_cache(maxsize=1)
def _compiled() -> CompiledFrequencies | None:
    return open_frequencies()


def zipf(word: str) -> dict[str, float]:
    """The Zipf frequency of a lowercased word in each of our six languages (`UNKNOWN` if rare)."""
    compiled = _compiled()
    return dict(zip(LANGS, compiled.row(word) if compiled is not None else memory_zipf(word), strict=True))


def evidence(word: str) -> dict[str, float]:
    """How much more common than average `word` is in each language (Zipf units; all 0 if unknown)."""
    z = zipf(word)
    mean = sum(z.values()) / len(z)
    return {lang: value - mean for lang, value in z.items()}
