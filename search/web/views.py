"""The HTML pages: search with facets, a document, the digest archive and a digest, the sources.

Views only gather plain data and hand it to a template; what a facet or a pager shows is
worked out in `search.web.facets`, what a document's neighbours are in `search.web.related`.
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, g, redirect, render_template, request

from corpus.errors import DocumentNotFound
from corpus.model import COUNTRIES
from search.digest.model import DIGEST_LANGUAGES
from search.errors import DigestError, SearchError
from search.web import reading, related
from search.web.app import collection
from search.web.facets import facet_groups, pager
from search.web.helpers import link
from search.web.i18n import t
from search.web.params import parse_search

bp = Blueprint("views", __name__)

#: Document ids are short hex hashes; anything else is refused before the store is touched.
DOC_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
#: Digest numbers beyond this are not looked up (and cannot overflow SQLite's integers).
MAX_DIGEST_NUMBER = 1_000_000
#: Characters of a document's text shown on its page (the rest is behind the original link).
EXCERPT_CHARS = 2500


@bp.get("/")
def search_page():
    """The search page: the start page without a query, results with facets with one."""
    c = collection()
    params = parse_search(request.args, area_ids=c.area_ids)
    result, error, browse = None, None, []
    if params.is_empty:
        counts = reading.area_counts(c.store())
        browse = [(a, counts.get(a, 0)) for a in c.thesaurus.ids]
    else:
        try:
            result = c.search(params.request)
        except SearchError as exc:
            error = t("web.search.bad_query", g.ui, reason=str(exc))
    return render_template(
        "search.html",
        params=params,
        result=result,
        error=error,
        browse=browse,
        facets=facet_groups(result, params, g.ui) if result else [],
        pages=pager(result) if result else None,
    )


def _document_or_404(doc_id: str):
    if not DOC_ID.match(doc_id):
        abort(404)
    try:
        return collection().store().get(doc_id)
    except DocumentNotFound:
        abort(404)


@bp.get("/documents/<doc_id>")
def document_page(doc_id: str):
    """One document: metadata, areas with their terms, language versions, similar documents."""
    c = collection()
    doc = _document_or_404(doc_id)
    if doc.status == "failed":
        abort(404)  # nothing readable was extracted; the CLI shows the reason to the operator
    versions = related.language_versions(c.store(), doc)
    similar = related.similar_documents(c.search, doc, {v.id for v in versions})
    summaries = [s for s in doc.sections if s.kind == "summary"]
    excerpt, used = [], 0
    for section in doc.sections:
        if section.kind == "summary" or used >= EXCERPT_CHARS:
            continue
        text = section.text[: EXCERPT_CHARS - used]
        used += len(text)
        excerpt.append((section, text, len(text) < len(section.text)))
    return render_template(
        "document.html",
        doc=doc,
        versions=versions,
        similar=similar,
        summaries=summaries,
        excerpt=excerpt,
        truncated=used >= EXCERPT_CHARS,
    )


@bp.get("/digests")
def digests_page():
    """The archive of published digests, newest first, each issue with its language editions, and the feeds."""
    from search.digest import records

    store = collection().store()
    issues = records.list_issues(store)
    counts = records.item_counts(store)
    langs = sorted({lang for issue in issues for lang in issue.langs})
    return render_template(
        "digests.html", issues=issues, counts=counts, langs=langs, area_ids=collection().thesaurus.ids
    )


@bp.get("/digests/index.html")
def digests_index():
    """The archive index as `digest publish` names it (links in written feeds point here)."""
    return redirect(link("views.digests_page"), code=301)


@bp.get("/digests/digest-<int:number>.html")
def digest_file(number: int):
    """A digest under its archive file name from before editions (`digest-0003.html`)."""
    return redirect(link("views.digest_page", number=number), code=301)


@bp.get("/digests/digest-<int:number>.<lang>.html")
def digest_edition_file(number: int, lang: str):
    """An edition under its archive file name (`digest-0003.sv.html`), still looked up by number."""
    if lang not in DIGEST_LANGUAGES:
        abort(404)
    return redirect(link("views.digest_edition_page", number=number, lang=lang), code=301)


def _issue_or_404(number: int):
    from search.digest import records

    if number > MAX_DIGEST_NUMBER:
        abort(404)
    try:
        return records.get_issue(collection().store(), number)
    except DigestError:
        abort(404)


def _edition_page(issue, edition):
    from search.digest.publish import edition_links
    from search.digest.view import layout

    c = collection()
    others = edition_links(issue, edition.lang, lambda n, lang: link("views.digest_edition_page", number=n, lang=lang))
    view = layout(edition, c.area_label, c.thesaurus.ids, others)
    return render_template("digest.html", digest=edition, view=view)


@bp.get("/digests/<int:number>")
def digest_page(number: int):
    """One published issue, looked up by its number (never by a path), in the UI language's edition if it has one."""
    issue = _issue_or_404(number)
    return _edition_page(issue, issue.edition(g.ui) or issue.first)


@bp.get("/digests/<int:number>/<lang>")
def digest_edition_page(number: int, lang: str):
    """One language edition of a published issue."""
    issue = _issue_or_404(number)
    edition = issue.edition(lang) if lang in DIGEST_LANGUAGES else None
    if edition is None:
        abort(404)
    return _edition_page(issue, edition)


@bp.get("/sources")
def sources_page():
    """About the sources: every source documents came from, with document counts and last crawl dates."""
    from corpus.sources import configured_sources
    from crawler.listing import source_summaries

    c = collection()
    store = c.store()
    summaries = source_summaries(store.connection, configured_sources(c.data_dir.sources_file))
    order = {code: i for i, code in enumerate(COUNTRIES)}
    # Configured sources by country and name; then sources no longer configured; local files last.
    group = {True: 0, False: 1}
    summaries.sort(
        key=lambda s: (group[s.configured] if s.id else 2, order.get(s.country, len(order)), s.name.casefold())
    )
    return render_template("sources.html", sources=summaries, total=store.count())
