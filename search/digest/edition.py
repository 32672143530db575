"""A further language edition of a published issue: the same items in the same order, in another language.

    published issue N (its first edition) ─► each item rebuilt in the new language (the version
    in that language linked first, a summary in it where a version or abstract offers one) ─►
    a draft with `edition_of = N`, every item marked `review = true` with the first edition's
    assessment beside it for the consultant to write in the new language

Publishing that draft adds the edition to issue N (check.py makes sure it carries nothing the
issue does not). The "already published" rule is per language, so the items of issue N are
free for its other editions and for nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

from corpus.errors import DocumentNotFound
from corpus.store import Store
from search.digest import records
from search.digest.draft import draft_id_for, item_for
from search.digest.model import DIGEST_LANGUAGES, Digest, DigestItem
from search.errors import DigestError
from search.i18n import format_date, message


def _rebuilt(store: Store, item: DigestItem, lang: str) -> DigestItem:
    """`item` in `lang`, from the store's documents (the frozen item when they are gone)."""
    try:
        docs = [store.get(doc_id) for doc_id in item.doc_ids]
    except DocumentNotFound:
        again = item
    else:
        again = item_for(store, docs, lang=lang, area=item.area, score=item.score, position=item.position)
    return replace(
        again,
        area=item.area,
        position=item.position,
        section=item.section,
        source=item.source,
        comment="",
        review=True,
        reference=item.comment,
    )


def draft_edition(
    store: Store,
    number: int,
    lang: str,
    *,
    title: str | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Digest:
    """A draft of issue `number`'s edition in `lang`; DigestError when the issue has one already."""
    if lang not in DIGEST_LANGUAGES:
        raise DigestError(f"a digest is written in {' or '.join(DIGEST_LANGUAGES)}, not {lang!r}")
    issue = records.get_issue(store, number)
    existing = issue.edition(lang)
    if existing is not None:
        raise DigestError(
            f"digest number {number} already has a {lang} edition (published {format_date(existing.published_at, 'fi')})"
        )
    first = issue.first
    items = tuple(_rebuilt(store, item, lang) for item in first.included)
    now = clock().replace(microsecond=0)
    since, until = date.fromisoformat(first.since), date.fromisoformat(first.until)
    drafted_at = now.isoformat()
    return Digest(
        title=title or message("digest.default_title", lang),
        lang=lang,
        since=first.since,
        until=first.until,
        areas=first.areas,
        intro="",
        items=items,
        draft_id=draft_id_for(since, until, first.areas, lang, items, drafted_at),
        drafted_at=drafted_at,
        edition_of=number,
    )
