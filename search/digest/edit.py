"""Editing a draft by document id: `digest add FILE ID...` and `digest drop FILE ID...`.

The draft is the consultant's file, with her assessments and her own `#` notes in it, so it is
edited as text, never rewritten from the parsed data: an added document becomes a new
`[[item]]` block at the end, a dropped one sets `include = false` on its item (or, for one
language version of a report, takes that version out of the item). The result is parsed and
checked against the store before it replaces the file, so a failed edit leaves the file as
it was; the new file is written to a temporary name and renamed.

    >>> # nordsearch digest add draft.toml 1a2b3c4d5e6f7a8b     (add, or include again)
    >>> # nordsearch digest drop draft.toml 1a2b3c4d5e6f7a8b    (include = false)
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from corpus.errors import DocumentNotFound
from corpus.model import Document
from corpus.store import Store
from search.digest import records
from search.digest.check import check_documents, check_not_published
from search.digest.draft import item_for
from search.digest.draftfile import parse_draft, read_draft, write_item
from search.digest.grouping import Edition, group_versions
from search.digest.model import Digest, DigestItem
from search.errors import DigestError

_INCLUDE = re.compile(r"^include\s*=.*$", re.MULTILINE)
# The comment lines `write_item` makes; any other comment in an item is the consultant's own.
_OURS = re.compile(r"^# (── \d+\. |   |First edition's assessment: |Your assessment:)")


@dataclass(frozen=True)
class Edited:
    """What an edit did, item by item, and what the re-check of the whole draft says."""

    path: Path
    changes: tuple[str, ...]
    items: int  # included items after the edit
    problems: tuple[str, ...]  # the re-check: what would stop `publish`, or notes

    def as_json(self) -> dict:
        return {
            "file": str(self.path),
            "changes": list(self.changes),
            "items": self.items,
            "problems": list(self.problems),
        }


class _Blocks:
    """The text of a draft cut into its head and one block per `[[item]]` (with the comments above it)."""

    def __init__(self, text: str):
        lines = text.splitlines(keepends=True)
        starts = [i for i, line in enumerate(lines) if re.match(r"^\s*\[\[\s*item\s*\]\]", line)]
        begin = []
        for start in starts:
            first = start
            while first > 0 and lines[first - 1].startswith("#") and (first - 1) not in starts:
                first -= 1
            begin.append(first)
        self.head = "".join(lines[: begin[0]]) if begin else text
        self.blocks = ["".join(lines[b:e]) for b, e in zip(begin, [*begin[1:], len(lines)][: len(begin)], strict=True)]

    def text(self) -> str:
        return self.head + "".join(self.blocks)


def _document(store: Store, doc_id: str) -> Document:
    try:
        doc = store.get(doc_id)
    except DocumentNotFound:
        raise DigestError(
            f"unknown document id {doc_id!r} (find ids with 'nordsearch docs' or 'nordsearch search')"
        ) from None
    if doc.status != "ok":
        raise DigestError(
            f"document {doc_id!r} is {doc.status}{': ' + doc.error if doc.error else ''}: it cannot be listed"
        )
    return doc


def _best_area(doc_group: Sequence[Document], areas: Sequence[str]) -> str:
    """The area an added report is listed under: its best among the digest's, else its best of all."""
    scores: dict[str, float] = {}
    for d in doc_group:
        for match in d.areas:
            scores[match.id] = max(match.score, scores.get(match.id, 0.0))
    chosen = [a for a in scores if a in areas] or list(scores)
    return min(chosen, key=lambda a: (-scores[a], a)) if chosen else ""


def _checked(text: str, path: Path, store: Store) -> tuple[Digest, tuple[str, ...]]:
    """The edited draft parsed, and what the checks before publishing say about it."""
    digest = parse_draft(text, path)
    problems: list[str] = []
    try:
        check_documents(digest, text, path, store)
        problems += check_not_published(digest, text, path, store)
    except DigestError as exc:
        problems.append(str(exc))
    return digest, tuple(problems)


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise DigestError(f"{path}: cannot write the draft: {exc}") from None


def add_documents(store: Store, path: str | Path, doc_ids: Sequence[str]) -> Edited:
    """Add documents to the draft at `path` (language versions among them become one item)."""
    path = Path(path)
    digest, text = read_draft(path)
    carried = records.published_doc_ids(store, digest.lang)
    blocks = _Blocks(text)
    changes: list[str] = []
    new_docs: list[Document] = []
    for doc_id in dict.fromkeys(doc_ids):
        doc = _document(store, doc_id)
        index = next((n for n, item in enumerate(digest.items) if doc_id in item.doc_ids), None)
        if index is not None:
            item = digest.items[index]
            if item.include:
                changes.append(f"{doc_id}: already in item {index + 1} ({item.title[:60]})")
            else:
                blocks.blocks[index] = _INCLUDE.sub("include = true", blocks.blocks[index], count=1)
                changes.append(f"{doc_id}: item {index + 1} included again ({item.title[:60]})")
            continue
        if doc_id in carried:
            raise DigestError(
                f"document {doc_id!r} was already published in digest number {carried[doc_id]} ({digest.lang})"
            )
        new_docs.append(doc)
    position = max((i.position for i in digest.items), default=0)
    count = len(digest.items)
    by_id = {d.id: d for d in new_docs}
    editions = [
        Edition(d.id, d.url, d.title, d.lang, d.publisher, d.source, d.date, d.text[:1500], d.meta) for d in new_docs
    ]
    for group in group_versions(editions):
        docs = [by_id[e.id] for e in group]
        position += 1
        count += 1
        item = item_for(store, docs, lang=digest.lang, area=_best_area(docs, digest.areas), position=position)
        blocks.blocks.append(_block(item, count, blocks))
        changes.append(f"{', '.join(item.doc_ids)}: added as item {count} ({item.title[:60]})")
    return _save(store, path, blocks, changes)


def _block(item: DigestItem, n: int, blocks: _Blocks) -> str:
    before = "" if (blocks.blocks[-1] if blocks.blocks else blocks.head).endswith("\n\n") else "\n"
    return before + "\n".join(write_item(item, n)) + "\n"


def drop_documents(store: Store, path: str | Path, doc_ids: Sequence[str]) -> Edited:
    """Drop documents from the draft at `path`: their item is left out, or the version taken out of it."""
    path = Path(path)
    digest, text = read_draft(path)
    blocks = _Blocks(text)
    changes: list[str] = []
    dropped: dict[int, set[str]] = {}
    for doc_id in dict.fromkeys(doc_ids):
        index = next((n for n, item in enumerate(digest.items) if doc_id in item.doc_ids), None)
        if index is None:
            raise DigestError(f"{path}: document {doc_id!r} is not in this draft")
        dropped.setdefault(index, set()).add(doc_id)
    for index, ids in sorted(dropped.items()):
        item = digest.items[index]
        kept = [d for d in item.doc_ids if d not in ids]
        if not kept:
            blocks.blocks[index] = _INCLUDE.sub("include = false", blocks.blocks[index], count=1)
            changes.append(f"{', '.join(sorted(ids))}: item {index + 1} left out ({item.title[:60]})")
            continue
        docs = [_document(store, d) for d in kept]
        again = item_for(store, docs, lang=digest.lang, area=item.area, position=item.position)
        again = _keeping(again, item)
        old = blocks.blocks[index]
        own = [line for line in old.splitlines() if line.startswith("#") and not _OURS.match(line)]
        trailing = old[len(old.rstrip("\n")) :]
        blocks.blocks[index] = "\n".join([*own, *write_item(again, index + 1)]) + (trailing or "\n")
        changes.append(f"{', '.join(sorted(ids))}: taken out of item {index + 1} ({item.title[:60]})")
    return _save(store, path, blocks, changes)


def _keeping(again: DigestItem, item: DigestItem) -> DigestItem:
    """A rebuilt item that keeps what the consultant set on the old one."""
    return replace(
        again,
        include=item.include,
        comment=item.comment,
        section=item.section,
        source=item.source,
        review=item.review,
        score=item.score,
    )


def _save(store: Store, path: Path, blocks: _Blocks, changes: list[str]) -> Edited:
    text = blocks.text()
    digest, problems = _checked(text, path, store)
    _write(path, text)
    return Edited(path, tuple(changes), len(digest.included), problems)
