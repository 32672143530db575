"""The area classifier of a data directory: the thesaurus bound to the index's analysis.

`classifier_for(data_dir)` returns the `Classifier` that ingest runs on every document. It is
a small frozen dataclass holding only paths, so it pickles cheaply into worker processes;
each process compiles the thesaurus once, on first use, and keeps it (`matcher_for`); the
terms' analyses are kept across processes too (`index.thesaurus_cache`).

    >>> classify = classifier_for(DataDir.resolve("nordsearch-data"))
    >>> classify("Barnevernet i Norge", "", sections)
    (AreaMatch(id='child-protection', score=..., terms=('barnevern', ...)),)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from corpus.area_match import AreaMatcher
from corpus.areas import SHIPPED_FILE, Thesaurus, load_thesaurus
from corpus.config import DataDir
from corpus.model import AreaMatch, Section


def analyzer():
    """The index's `analyze(text, lang)`; terms must be analysed exactly as the index does."""
    from index.analysis import analyze

    return analyze


@dataclass(frozen=True)
class AreaClassifier:
    """Picklable classifier: (title, description, sections) → areas, for one thesaurus."""

    files: tuple[str, ...]  # the shipped thesaurus first, then the data directory's

    def __call__(self, title: str, description: str, sections: tuple[Section, ...]) -> tuple[AreaMatch, ...]:
        return matcher_for(self.files).classify(title, description, sections)

    @property
    def thesaurus(self) -> Thesaurus:
        return matcher_for(self.files).thesaurus


@functools.lru_cache(maxsize=4)
def matcher_for(files: tuple[str, ...]) -> AreaMatcher:
    """The compiled thesaurus of these files, built once per process."""
    from index.thesaurus_cache import compile_with_cache

    shipped, *extra = files
    thesaurus = load_thesaurus(*extra, shipped=shipped)
    analyze = analyzer()
    # The terms' analyses come from the per-machine cache when the files and the analysis are
    # unchanged (milliseconds instead of seconds); text is then analysed directly, unrecorded.
    matcher = compile_with_cache(files, analyze, lambda recorded: AreaMatcher(thesaurus, recorded))
    matcher.analyze = analyze
    return matcher


def thesaurus_files(data_dir: DataDir | None) -> tuple[str, ...]:
    """The shipped thesaurus, then the data directory's areas.toml and imported SKOS schemes."""
    files = [str(SHIPPED_FILE)]
    if data_dir is not None:
        files += [str(f) for f in data_dir.thesaurus_files()]
    return tuple(files)


def classifier_for(data_dir: DataDir | None) -> AreaClassifier:
    """The classifier for a data directory; its areas.toml and imported schemes extend the shipped one.

    The thesaurus is loaded here once, so a broken areas.toml fails the command at once
    (one line naming file and line) instead of failing every document in the workers.
    """
    files = thesaurus_files(data_dir)
    load_thesaurus(*files[1:], shipped=Path(files[0]))
    return AreaClassifier(files)
