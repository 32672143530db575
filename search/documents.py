"""A document as the CLI's `--json` and the web API show it: one shape for both."""

from __future__ import annotations

from corpus.biblio.claims import summary
from corpus.model import Document


def document_summary(doc: Document) -> dict:
    """The fields `nordsearch docs --json` lists for a document."""
    return {
        "id": doc.id,
        "url": doc.url,
        "title": doc.title,
        "lang": doc.lang,
        "langs": list(doc.langs),
        "country": doc.country,
        "publisher": doc.publisher,
        "authors": list(doc.authors),
        "date": doc.date,
        "date_precision": doc.date_precision,
        "series": doc.series,
        "isbn": list(doc.isbn),
        "issn": list(doc.issn),
        "urn": doc.urn,
        "areas": list(doc.area_ids),
        "format": doc.format,
        "doc_type": doc.doc_type,
        "status": doc.status,
        **({"error": doc.error} if doc.error else {}),
    }


def document_json(doc: Document, versions: list[dict]) -> dict:
    """A document as `nordsearch show ID --json` prints it (a test keeps the two equal)."""
    return {
        **document_summary(doc),
        "description": doc.description,
        "content_hash": doc.content_hash,
        "version": doc.version,
        "versions": versions,
        "first_seen": doc.first_seen,
        "updated_at": doc.updated_at,
        "source": doc.source,
        "meta": doc.meta,
        # each field's value with the source it came from; `claims` holds every source's say
        "record": summary(doc.record),
        "claims": [c.as_json() for c in doc.record],
        "links": [link.as_json() for link in doc.links],
        "areas": [{"id": a.id, "score": round(a.score, 3), "terms": list(a.terms)} for a in doc.areas],
        "sections": [
            {"position": s.position, "heading": s.heading, "kind": s.kind, "lang": s.lang, "text": s.text}
            for s in doc.sections
        ],
    }
