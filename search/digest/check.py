"""A draft checked against the store before it is rendered or published.

A hand-edited draft may name a document the store does not hold (a typo in an id), or a
document withdrawn at its source since the draft was written; both are errors that name the
file, the line and the item, because the consultant has to decide what to do about them.
Items with `include = false` are not checked: they will not be shown.
"""

from __future__ import annotations

from pathlib import Path

from corpus.errors import DocumentNotFound
from corpus.store import Store
from search.digest import records
from search.digest.draftfile import id_line
from search.digest.model import Digest
from search.errors import DigestError


def check_documents(digest: Digest, text: str, path: str | Path, store: Store) -> None:
    """DigestError for the first included item whose document is unknown or withdrawn."""
    for index, item in enumerate(digest.items):
        if not item.include:
            continue
        for doc_id in item.doc_ids:
            line = id_line(text, item.line, doc_id)
            where = f"{path}, line {line} (item {index + 1}, {item.title[:60]!r})"
            try:
                doc = store.get(doc_id, with_sections=False)
            except DocumentNotFound:
                raise DigestError(
                    f"{where}: unknown document id {doc_id!r} (check the id, or draft the digest again)"
                ) from None
            if doc.status == "withdrawn":
                reason = f": {doc.error}" if doc.error else ""
                raise DigestError(
                    f"{where}: document {doc_id!r} was withdrawn since the draft{reason} "
                    "(set include = false for this item, or draft again)"
                )


def check_not_published(digest: Digest, text: str, path: str | Path, store: Store) -> None:
    """DigestError when this draft, or any of its included documents, is already published."""
    found = records.find_published(store, draft_id=digest.draft_id, toml_text=text)
    if found:
        number, published_at = found
        raise DigestError(
            f"{path}: this digest is already published as number {number} ({published_at[:10]}); "
            "draft a new one for a new digest"
        )
    carried = records.published_doc_ids(store)
    for index, item in enumerate(digest.items):
        if not item.include:
            continue
        for doc_id in item.doc_ids:
            if doc_id in carried:
                raise DigestError(
                    f"{path}, line {id_line(text, item.line, doc_id)} (item {index + 1}, {item.title[:60]!r}): "
                    f"document {doc_id!r} was already published in digest number {carried[doc_id]} "
                    "(set include = false for this item)"
                )
