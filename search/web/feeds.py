"""Atom feeds: published digests (all, and per substance area) and any search ("follow this search").

    /digests/feeds/all.atom                every published edition, newest issue first
    /digests/feeds/area-<id>.atom          the editions' parts in one area (the area must exist)
    /digests/feeds/<lang>/all.atom         the editions in one language (fi, sv)
    /digests/feeds/<lang>/area-<id>.atom   one language, one area
    /feeds/search.atom?q=...         the newest documents of a search, with the page's filters

Digest feeds are the digest layer's own (`search.digest.feeds.feed_xml`, the same files
`digest publish` writes), built from the store with links into this app; their paths mirror
the published archive folder, so a link in a written feed also works against the web app.
Absolute links start with the configured public address (`absolute_url`), never with the
request's Host header, which any client can set. The search feed is built here with ElementTree, which escapes text; characters XML cannot
carry at all (control characters from broken PDFs) are dropped first, so a hostile title can
neither inject markup nor make the feed unparseable.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, g, request

from search.errors import SearchError
from search.web.app import collection
from search.web.helpers import absolute_url, public_url
from search.web.i18n import t
from search.web.params import for_feed, parse_search

bp = Blueprint("feeds", __name__)

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
EPOCH = "1970-01-01T00:00:00Z"
#: Digest issues listed in a feed: readers only need the recent ones.
MAX_ENTRIES = 50
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

ET.register_namespace("", ATOM)


def clean(text: str | None) -> str:
    return _NOT_XML.sub("", text or "")


def atom_time(value: str | None) -> str | None:
    """An ISO date or timestamp as an RFC 3339 timestamp in UTC; None when it is not one."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: clean(v) for k, v in attrs.items()})
    if text is not None:
        el.text = clean(text)
    return el


class Feed:
    """An Atom feed being built: the feed element and its entries' update times."""

    def __init__(self, title: str, feed_id: str, self_url: str, page_url: str, lang: str):
        self.root = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: lang})
        _sub(self.root, "title", title)
        _sub(self.root, "id", feed_id)
        _sub(self.root, "link", rel="self", type="application/atom+xml", href=self_url)
        _sub(self.root, "link", rel="alternate", type="text/html", href=page_url)
        self.updated = _sub(self.root, "updated")
        _sub(self.root, "generator", "nordsearch")
        self.times: list[str] = []

    def entry(self, *, title: str, entry_id: str, link: str, updated: str | None, lang: str | None = None):
        attrs = {XML_LANG: lang} if lang else {}
        el = ET.SubElement(self.root, f"{{{ATOM}}}entry", attrs)
        _sub(el, "title", title or "—")
        _sub(el, "id", entry_id)
        _sub(el, "link", rel="alternate", type="text/html", href=link)
        stamp = updated or EPOCH  # unknown: a fixed time, so the feed does not change by itself
        _sub(el, "updated", stamp)
        self.times.append(stamp)
        return el

    def response(self) -> Response:
        self.updated.text = max(self.times) if self.times else EPOCH
        body = ET.tostring(self.root, encoding="unicode", xml_declaration=False)
        return Response('<?xml version="1.0" encoding="utf-8"?>\n' + body, content_type=ATOM_TYPE)


def _digest_feed(area: str | None, lang: str | None = None) -> Response:
    """The digest layer's Atom feed (`search.digest.feeds.feed_xml`), with links into this app."""
    from search.digest import records
    from search.digest.feeds import feed_xml

    c = collection()
    # Every edition of the recent issues: which edition came first decides its entry's id.
    digests = [e for issue in records.list_issues(c.store(), with_items=True)[:MAX_ENTRIES] for e in issue.editions]
    base = absolute_url("views.digests_page") + "/"
    text = feed_xml(
        digests,
        base_url=base,
        area=area,
        lang=g.ui,
        only_lang=lang,
        area_label=c.area_label,
        area_order=c.thesaurus.ids,
    )
    return Response(text, content_type=ATOM_TYPE)


def _digest_lang(lang: str) -> str:
    from search.digest.model import DIGEST_LANGUAGES

    if lang not in DIGEST_LANGUAGES:
        abort(404)
    return lang


@bp.get("/digests/feeds/all.atom")
def digests_all():
    return _digest_feed(None)


@bp.get("/digests/feeds/area-<area>.atom")
def digests_area(area: str):
    if area not in collection().area_ids:
        abort(404)
    return _digest_feed(area)


@bp.get("/digests/feeds/<lang>/all.atom")
def digests_lang(lang: str):
    return _digest_feed(None, _digest_lang(lang))


@bp.get("/digests/feeds/<lang>/area-<area>.atom")
def digests_lang_area(lang: str, area: str):
    if area not in collection().area_ids:
        abort(404)
    return _digest_feed(area, _digest_lang(lang))


def _changed_at(store, doc_ids: list[str]) -> dict[str, str]:
    """When each document last changed in the store (content or status): an entry's <updated>.

    Not its publication date (many documents have none) and never the time of the request, so
    a feed reader polling an unchanged search sees an unchanged feed.
    """
    if not doc_ids:
        return {}
    marks = ",".join("?" * len(doc_ids))
    rows = store.connection.execute(
        f"SELECT id, updated_at, first_seen FROM documents WHERE id IN ({marks})", doc_ids
    ).fetchall()
    return {r[0]: atom_time(r[1]) or atom_time(r[2]) for r in rows}


@bp.get("/feeds/search.atom")
def search_feed():
    """The newest documents of a search: subscribe to it to follow new knowledge."""
    c = collection()
    asked = parse_search(request.args, area_ids=c.area_ids)
    params = for_feed(asked)
    try:
        result = c.search(params.request)
    except SearchError:
        abort(400)
    ui = g.ui
    described = params.request.query or ", ".join(c.area_label(a, ui) for a in params.request.areas)
    page_args = asked.query_args(page=None)
    self_url = absolute_url("feeds.search_feed")
    page_url = absolute_url("views.search_page")
    if page_args:
        self_url += "?" + urlencode(page_args)
        page_url += "?" + urlencode(page_args)
    feed = Feed(t("web.feed.search_title", ui, query=described or "*"), self_url, self_url, page_url, ui)
    changed = _changed_at(c.store(), [h.id for h in result.hits])
    for hit in result.hits:
        doc_page = absolute_url("views.document_page", doc_id=hit.id)
        entry = feed.entry(
            title=hit.title, entry_id=doc_page, link=doc_page, updated=changed.get(hit.id), lang=hit.lang
        )
        if atom_time(hit.date):
            _sub(entry, "published", atom_time(hit.date))
        original = public_url(hit.url)
        if original:
            _sub(entry, "link", rel="related", href=original)
        if hit.publisher:
            _sub(_sub(entry, "author"), "name", hit.publisher)
        for area_id in hit.areas:
            _sub(entry, "category", term=area_id, label=c.area_label(area_id, ui))
        summary = _sub(entry, "summary", hit.snippet_text, type="text")
        if hit.snippet_lang:
            summary.set(XML_LANG, hit.snippet_lang)
    return feed.response()
