"""The JSON API beside the pages, with the same fields as the CLI's `--json`.

    GET /api/search?q=...        SearchResult.as_json(), the shape of `nordsearch search --json`;
                                 the same parameters as the search page, plus `limit`
    GET /api/documents/<id>      the shape of `nordsearch show ID --json`
                                 (`url` is null for a document ingested from a server's file)
    GET /api/areas               the substance areas with labels and document counts

Errors are `{"error": "...", "status": N}` with that HTTP status (see app.py).
"""

from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, request

from search.documents import document_json
from search.errors import SearchError
from search.web import reading
from search.web.app import collection
from search.web.helpers import public_url
from search.web.params import parse_search
from search.web.views import _document_or_404

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def api_search():
    c = collection()
    params = parse_search(request.args, area_ids=c.area_ids, api=True)
    try:
        result = c.search(params.request)
    except SearchError as exc:
        return jsonify({"error": str(exc), "status": 400}), 400
    data = result.as_json()
    for hit in data["hits"]:
        hit["url"] = public_url(hit["url"])  # a local file's URL is a server path: never shown
    if params.truncated and not data.get("notes"):
        data["notes"] = ["query cut to the first characters allowed"]
    return jsonify(data)


@bp.get("/documents/<doc_id>")
def api_document(doc_id: str):
    doc = _document_or_404(doc_id)
    data = document_json(doc, collection().store().versions(doc.id))
    data["url"] = public_url(data["url"])  # a local file's URL is a server path: never shown
    return jsonify(data)


@bp.get("/areas")
def api_areas():
    """Every area with its labels in every language, its label in the UI language, and its count."""
    c = collection()
    counts = reading.area_counts(c.store())
    return jsonify(
        [
            {
                "id": area.id,
                "label": c.area_label(area.id, g.ui),
                "labels": dict(area.labels),
                "documents": counts.get(area.id, 0),
            }
            for area in c.thesaurus.areas
        ]
    )


__all__ = ["bp", "document_json", "abort"]
