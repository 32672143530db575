"""A document as the CLI's `--json` and the web API show it: one shape for both."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from corpus.biblio.claims import summary
from corpus.model import Document


def is_scanned(doc: Document) -> bool:
    """Some of the document's text was recognised from a scan (corpus.ocr)."""
    return bool(doc.meta.get("ocr", {}).get("pages"))


def scanned_ids(store_file: Path, ids: list[str]) -> set[str]:
    """Which of these documents have text recognised from a scan (one read-only query)."""
    if not ids or not store_file.exists():
        return set()
    marks = ",".join("?" * len(ids))
    try:
        conn = sqlite3.connect(f"file:{store_file}?mode=ro", uri=True, timeout=5)
        try:
            rows = conn.execute(
                f"SELECT id, meta FROM documents WHERE id IN ({marks}) AND meta LIKE ?", (*ids, '%"ocr"%')
            ).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:  # the label is a nicety: a busy or odd store never fails a search
        return set()
    return {doc_id for doc_id, meta in rows if json.loads(meta).get("ocr", {}).get("pages")}


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
        "scanned": is_scanned(doc),
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
            {
                "position": s.position,
                "heading": s.heading,
                "kind": s.kind,
                "lang": s.lang,
                "ocr": s.ocr,
                "text": s.text,
            }
            for s in doc.sections
        ],
    }
