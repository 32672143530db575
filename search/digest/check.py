"""A draft checked against the store before it is rendered or published.

A hand-edited draft may name a document the store does not hold (a typo in an id), or a
document withdrawn at its source since the draft was written; both are errors that name the
file, the line and the item, because the consultant has to decide what to do about them.
Items with `include = false` are not checked: they will not be shown.

Before publishing: a draft is published once; a document is published once per language
(an edition of issue N may carry what issue N carries, and nothing else).
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


def check_not_published(digest: Digest, text: str, path: str | Path, store: Store) -> list[str]:
    """DigestError when this draft, or any of its included documents, is already published in its language.

    Returns notes for the consultant (an edition that leaves out some of its issue's items).
    """
    found = records.find_published(store, draft_id=digest.draft_id, toml_text=text)
    if found:
        number, lang, published_at = found
        raise DigestError(
            f"{path}: this digest is already published as number {number} ({lang}, {published_at[:10]}); "
            "draft a new one for a new digest"
        )
    notes: list[str] = []
    issue_docs: frozenset[str] | None = None
    if digest.edition_of is not None:
        issue = records.get_issue(store, digest.edition_of)
        if digest.lang in issue.langs:
            raise DigestError(
                f"{path}: digest number {issue.number} already has a {digest.lang} edition; "
                "an issue has one edition per language"
            )
        issue_docs = frozenset().union(*(e.doc_ids for e in issue.editions))
        left_out = [i for i in issue.first.included if not set(i.doc_ids) & digest.doc_ids]
        if left_out:
            notes.append(
                f"{len(left_out)} item(s) of digest number {issue.number} are not in this edition: "
                + "; ".join(i.title[:60] for i in left_out)
            )
    carried = records.published_doc_ids(store, digest.lang)
    for index, item in enumerate(digest.items):
        if not item.include:
            continue
        for doc_id in item.doc_ids:
            where = f"{path}, line {id_line(text, item.line, doc_id)} (item {index + 1}, {item.title[:60]!r})"
            if issue_docs is not None and doc_id not in issue_docs:
                raise DigestError(
                    f"{where}: document {doc_id!r} is not in digest number {digest.edition_of}; an edition "
                    "carries its issue's items only (set include = false, or put it in a new digest)"
                )
            if doc_id in carried:
                raise DigestError(
                    f"{where}: document {doc_id!r} was already published in digest number {carried[doc_id]} "
                    f"({digest.lang}) (set include = false for this item)"
                )
    return notes
