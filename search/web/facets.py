"""Facets and paging as the search page shows them: labelled options with counts, and page links.

A facet option the user selected stays visible (checked) even when the current result has no
count for it, so every filter can be taken off again.
"""

from __future__ import annotations

from dataclasses import dataclass

from search import i18n
from search.model import MAX_PAGE, SearchResult
from search.web.app import collection
from search.web.i18n import html_lang, t, web_catalogue
from search.web.params import SearchParams

#: Options shown per facet (most frequent first); the selected ones are always shown.
MAX_OPTIONS = 15
#: The result's facet keys, in page order, and the URL parameter each filters by.
FACET_PARAMS = (
    ("area", "area"),
    ("country", "country"),
    ("lang", "lang"),
    ("year", None),
    ("publisher", "publisher"),
    ("doc_type", "type"),
)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    lang: str | None  # a `lang` attribute when the label is in the content's language
    count: int | None
    checked: bool


@dataclass(frozen=True)
class FacetGroup:
    key: str  # the result's facet key
    param: str | None  # the URL parameter; None for years (a range, set by links)
    legend: str
    options: tuple[Option, ...]


def doc_type_label(value: str, ui: str) -> str:
    """A document type in the UI language when the catalogue knows it, else as recorded."""
    key = f"web.doc_type.{value.replace(' ', '_')}"
    return web_catalogue(i18n.ui_lang(ui)).get(key) or web_catalogue("en").get(key) or value


def _label(key: str, value: str, ui: str) -> tuple[str, str | None]:
    if key == "area":
        return collection().area_label(value, ui), None
    if key == "country":
        return i18n.country_name(value, ui), None
    if key == "lang":
        return i18n.language_name(value, ui), None
    if key == "doc_type":
        return doc_type_label(value, ui), None
    return value, None  # publishers are names in their own language; years are numbers


def facet_groups(result: SearchResult, params: SearchParams, ui: str) -> list[FacetGroup]:
    groups = []
    for key, param in FACET_PARAMS:
        counts = result.facets.get(key) or {}
        selected = params.selected(param) if param else ()
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[:MAX_OPTIONS]
        if key == "year":
            ranked = sorted(ranked, key=lambda kv: str(kv[0]), reverse=True)
        shown = {str(v) for v, _ in ranked}
        options = [Option(str(v), *_label(key, str(v), ui), n, str(v) in selected) for v, n in ranked]
        options += [Option(v, *_label(key, v, ui), None, True) for v in selected if v not in shown]
        if options:
            groups.append(FacetGroup(key, param, t(f"web.facet.{key}", ui), tuple(options)))
    return groups


@dataclass(frozen=True)
class Pager:
    page: int
    last: int
    numbers: tuple[int, ...]  # a window of page numbers around the current one

    @property
    def prev(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next(self) -> int | None:
        return self.page + 1 if self.page < self.last else None


def pager(result: SearchResult, window: int = 2) -> Pager | None:
    """Page links for a result; None when everything fits on one page."""
    last = min(MAX_PAGE, max(1, -(-result.total // max(result.limit, 1))))
    if last <= 1 and result.page <= 1:
        return None
    page = result.page
    numbers = sorted({1, last, *range(max(1, page - window), min(last, page + window) + 1)})
    return Pager(page, last, tuple(numbers))


__all__ = ["FacetGroup", "Option", "Pager", "facet_groups", "html_lang", "pager"]
