"""Errors of the search package (queries, digests, the web app); see corpus/errors.py for the tree."""

from __future__ import annotations

from corpus.errors import NordsearchError


class SearchError(NordsearchError):
    pass


class QuerySyntaxError(SearchError):
    pass


class DigestError(SearchError):
    """A digest file or command is wrong; the message names the file and line."""


class ServeError(SearchError):
    """The web app cannot be served (the address is taken, a bad base URL); the message says what to do."""
