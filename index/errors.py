"""Errors of the index package; see corpus/errors.py for the whole tree.

IndexingError                   index/: building, updating and opening the search index
├── IndexMissingError           no index yet in the data directory (run `nordsearch index`)
├── IndexLockedError            another writer held the lock past `index_lock_timeout`
├── IndexCorruptError           the index files cannot be read (rebuild with `--rebuild`)
├── IndexOutdatedError          the index was built by another version of nordsearch (rebuild)
└── IndexEngineError            the configured engine cannot run here (a library missing or of
                                the wrong version, a database that cannot be reached)
"""

from __future__ import annotations

from corpus.errors import NordsearchError


class IndexingError(NordsearchError):
    pass


class IndexMissingError(IndexingError):
    pass


class IndexLockedError(IndexingError):
    pass


class IndexCorruptError(IndexingError):
    pass


class IndexOutdatedError(IndexingError):
    pass


class IndexEngineError(IndexingError):
    pass
