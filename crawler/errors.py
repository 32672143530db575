"""Errors of the crawler package; see corpus/errors.py for the whole tree.

    NordsearchError
    └── CrawlError                  a crawl job could not run (exit code 1)
        ├── CrawlLockedError        another crawl holds the data directory's crawl lock
        ├── UnknownSourceError      `--source ID` names no configured source
        └── CrawlEngineError        the crawl process could not start or died before it began

Per-URL failures (timeouts, 404, robots.txt refusals, too large) are data: a reason counted in
the crawl report and stored on the URL's crawl state, never exceptions.
Malformed `sources.toml` entries raise `corpus.errors.SourceConfigError`.
"""

from __future__ import annotations

from corpus.errors import NordsearchError


class CrawlError(NordsearchError):
    pass


class CrawlLockedError(CrawlError):
    pass


class UnknownSourceError(CrawlError):
    pass


class CrawlEngineError(CrawlError):
    pass
