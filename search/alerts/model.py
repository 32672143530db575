"""A saved search and an alert: what to search for, and who is told when something new matches it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields

from search.model import SearchRequest

#: The filters of a search that an alert keeps (the rest of a SearchRequest is paging and order).
FILTER_FIELDS = ("areas", "countries", "langs", "publishers", "doc_types", "year_from", "year_to", "expand")
#: The same filters as the web app's URL parameters (search.web.params.FILTERS, plus years and expansion).
URL_NAMES = {"areas": "area", "countries": "country", "langs": "lang", "publishers": "publisher", "doc_types": "type"}


@dataclass(frozen=True)
class SavedSearch:
    """A query with its filters: the part of a `SearchRequest` that defines what matches."""

    query: str
    areas: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    expand: bool = True

    @classmethod
    def of(cls, request: SearchRequest) -> SavedSearch:
        return cls(request.query, **{f: getattr(request, f) for f in FILTER_FIELDS})

    def request(self, *, page: int = 1, limit: int = 100) -> SearchRequest:
        """The search to run: newest first, so the new documents come early."""
        return SearchRequest(
            self.query, **{f: getattr(self, f) for f in FILTER_FIELDS}, sort="date", page=page, limit=limit
        )

    def filters_json(self) -> str:
        """The filters as canonical JSON: the same search is always the same text (one alert per search)."""
        data = {k: v for k, v in asdict(self).items() if k != "query"}
        return json.dumps({k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}, sort_keys=True)

    @classmethod
    def from_json(cls, query: str, filters: str) -> SavedSearch:
        data = json.loads(filters or "{}")
        known = {f.name for f in fields(cls)}
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known and k != "query"}
        return cls(query, **values)

    def url_args(self) -> list[tuple[str, str]]:
        """The web app's URL parameters of this search (as on the search page)."""
        args = [("q", self.query)] if self.query else []
        for field, name in URL_NAMES.items():
            args += [(name, v) for v in getattr(self, field)]
        if self.year_from:
            args.append(("from", str(self.year_from)))
        if self.year_to:
            args.append(("to", str(self.year_to)))
        if not self.expand:
            args.append(("xl", "0"))
        return args

    def describe(self, area_label=lambda a: a) -> str:
        """The search in a few words: the query and its filters ("lastensuojelu · Lastensuojelu, SE")."""
        parts = [f'"{self.query}"' if self.query else "*"]
        extra = [area_label(a) for a in self.areas] + list(self.countries) + list(self.langs)
        extra += list(self.publishers) + list(self.doc_types)
        if self.year_from or self.year_to:
            extra.append(f"{self.year_from or ''}–{self.year_to or ''}")
        return " · ".join([parts[0], ", ".join(extra)]) if extra else parts[0]


@dataclass(frozen=True)
class Alert:
    """A saved search with an address; `pending` until the address confirms it (web form), then `active`."""

    id: int
    email: str
    search: SavedSearch
    lang: str  # the language of its e-mails (fi, sv, en)
    state: str  # "pending" | "active"
    created_at: str
    confirmed_at: str | None = None
    batch: int = 0  # the number of its next mail

    @property
    def since(self) -> str:
        """Documents first seen after this are new to the alert."""
        return self.confirmed_at or self.created_at

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "email": self.email,
            "query": self.search.query,
            "filters": json.loads(self.search.filters_json()),
            "lang": self.lang,
            "state": self.state,
            "created_at": self.created_at,
            "confirmed_at": self.confirmed_at,
            "mails": self.batch,
        }
