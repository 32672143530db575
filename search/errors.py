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


class MailError(SearchError):
    """E-mail cannot be sent or an address is wrong: SMTP settings, the relay, an address."""


class AlertError(SearchError):
    """A saved search (alert) is wrong or unknown."""
