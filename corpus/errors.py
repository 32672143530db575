"""The exception tree shared by every nordsearch package.

    NordsearchError                 base: the CLI turns any of these into one line, exit 1
    ├── CorpusError                 corpus/: the store, configuration, ingest
    │   ├── ConfigError             a malformed config.toml / areas.toml / sources.toml
    │   │   ├── AreaConfigError
    │   │   └── SourceConfigError
    │   ├── StoreError              the SQLite store or the raw file store is unusable
    │   ├── DocumentNotFound        an id that the store does not hold
    │   └── ExtractionError         one document could not be read (recorded, never escapes a batch)
    ├── CrawlError                  crawler/ (defined in crawler/errors.py)
    ├── IndexingError               index/  (defined in index/errors.py)
    └── SearchError                 search/ (defined in search/errors.py)
        ├── QuerySyntaxError
        ├── DigestError             a draft file or digest command is wrong (names file and line)
        ├── MailError               SMTP settings, the relay, an e-mail address
        └── AlertError              a saved search (alert) is wrong or unknown

Per-document failures inside a batch are data (a reason stored on the document), not
exceptions: `ExtractionError` is raised by an extractor and caught by the ingest step.
"""

from __future__ import annotations


class NordsearchError(Exception):
    """Base of every error nordsearch raises on purpose."""


class CorpusError(NordsearchError):
    pass


class ConfigError(CorpusError):
    """A configuration file is malformed; the message names the file, line or key."""


class AreaConfigError(ConfigError):
    pass


class SourceConfigError(ConfigError):
    pass


class StoreError(CorpusError):
    pass


class DocumentNotFound(CorpusError):
    pass


class ExtractionError(CorpusError):
    """One document could not be extracted; `reason` is the short text stored on it."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
