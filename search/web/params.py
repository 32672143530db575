"""Request parameters of a search, bounded and validated, turned into a `SearchRequest`.

The search page, the JSON API and the "follow this search" feed read the same parameters, so
a URL copied from one works in the others:

    q          the query (cut to MAX_QUERY_CHARS)
    area, country, lang, publisher, type    filters, repeatable (`?area=a&area=b`)
    from, to   year range        sort  relevance | date        xl  1 (default) | 0: no expansion
    page       1..MAX_PAGE       limit (API only) 1..MAX_LIMIT

Everything comes from the network, so nothing here raises: an unknown area, a country that is
not a country code, a page of `-3` or `1e9` are dropped or clamped, never an error page.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from werkzeug.datastructures import MultiDict

from corpus.model import COUNTRIES, LANGUAGES
from search.model import MAX_LIMIT, MAX_PAGE, MAX_QUERY_CHARS, SORTS, SearchRequest

#: Results per page in the HTML pages and feeds.
PAGE_SIZE = 10
#: At most this many values per filter, each at most this long: bounds the work one URL causes.
MAX_VALUES = 20
MAX_VALUE_CHARS = 200
YEAR_MIN, YEAR_MAX = 1900, 2100
#: The filter parameters, in the order the page shows them, with the SearchRequest field each fills.
FILTERS = {"area": "areas", "country": "countries", "lang": "langs", "publisher": "publishers", "type": "doc_types"}


@dataclass(frozen=True)
class SearchParams:
    """A search as the web app understands it: the request plus the parameters to rebuild its URL."""

    request: SearchRequest
    truncated: bool = False  # the query was cut to MAX_QUERY_CHARS

    @property
    def has_filters(self) -> bool:
        r = self.request
        return bool(r.areas or r.countries or r.langs or r.publishers or r.doc_types or r.year_from or r.year_to)

    @property
    def is_empty(self) -> bool:
        """Nothing asked yet: the start page."""
        return not self.request.query.strip() and not self.has_filters

    def selected(self, name: str) -> tuple[str, ...]:
        return getattr(self.request, FILTERS[name])

    def query_args(self, **changes) -> list[tuple[str, str]]:
        """The URL parameters of this search (repeatable filters as repeated pairs), with `changes`.

        `changes` take a filter name with a tuple of values, or `q`, `sort`, `xl`, `page`, `from`,
        `to` with a value; None removes a parameter. Default values are left out to keep URLs short.
        """
        r = self.request
        args: dict[str, object] = {
            "q": r.query,
            **{name: getattr(r, field) for name, field in FILTERS.items()},
            "from": r.year_from,
            "to": r.year_to,
            "sort": r.sort if r.sort != "relevance" else None,
            "xl": None if r.expand else "0",
            "page": r.page if r.page > 1 else None,
        }
        args.update(changes)
        pairs: list[tuple[str, str]] = []
        for key, value in args.items():
            if value is None or value == "" or value == ():
                continue
            if isinstance(value, tuple | list):
                pairs.extend((key, str(v)) for v in value)
            else:
                pairs.append((key, str(value)))
        return pairs

    def toggled(self, name: str, value: str) -> list[tuple[str, str]]:
        """The parameters with one filter value added or removed (for facet links), back on page 1."""
        current = self.selected(name)
        values = tuple(v for v in current if v != value) if value in current else (*current, value)
        return self.query_args(**{name: values, "page": None})


def _int(value: str | None, lo: int, hi: int, default: int | None) -> int | None:
    """`value` as an int clamped into [lo, hi]; `default` when it is not a small integer."""
    if value is None:
        return default
    text = value.strip()
    if not text.isascii() or not text.lstrip("-").isdigit() or len(text) > 9:
        return default
    return min(max(int(text), lo), hi)


def _values(args: MultiDict, name: str, allowed: Collection[str] | None) -> tuple[str, ...]:
    out: list[str] = []
    for raw in args.getlist(name)[:MAX_VALUES]:
        value = " ".join(raw.split())[:MAX_VALUE_CHARS]
        if not value or value in out:
            continue
        if allowed is not None and value not in allowed:
            continue
        out.append(value)
    return tuple(out)


def parse_search(args: MultiDict, *, area_ids: Collection[str], api: bool = False) -> SearchParams:
    """The bounded search of a request's query string; `area_ids` are the thesaurus's areas."""
    raw_query = args.get("q", "")
    query = " ".join(raw_query.split())
    truncated = len(query) > MAX_QUERY_CHARS
    query = query[:MAX_QUERY_CHARS]
    year_from = _int(args.get("from"), YEAR_MIN, YEAR_MAX, None)
    year_to = _int(args.get("to"), YEAR_MIN, YEAR_MAX, None)
    if year_from and year_to and year_from > year_to:
        year_from, year_to = year_to, year_from
    sort = args.get("sort", "relevance")
    limit = _int(args.get("limit"), 1, MAX_LIMIT, PAGE_SIZE) if api else PAGE_SIZE
    request = SearchRequest(
        query=query,
        areas=_values(args, "area", area_ids),
        countries=_values(args, "country", COUNTRIES),
        langs=_values(args, "lang", LANGUAGES),
        publishers=_values(args, "publisher", None),
        doc_types=_values(args, "type", None),
        year_from=year_from,
        year_to=year_to,
        sort=sort if sort in SORTS else "relevance",
        limit=limit or PAGE_SIZE,
        page=_int(args.get("page"), 1, MAX_PAGE, 1) or 1,
        expand=args.get("xl", "1") != "0",
    )
    return SearchParams(request, truncated)


def for_feed(params: SearchParams) -> SearchParams:
    """The same search as a feed shows it: newest first, first page only."""
    return replace(params, request=replace(params.request, sort="date", page=1, limit=20))
