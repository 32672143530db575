"""Drafting a digest: the window's candidates in the chosen areas, grouped, ranked and summarised.

    documents in the window (window.py: by publication date; not yet in a published edition
    in the digest's language) ─► language versions grouped (grouping.py) ─► groups with an
    area among the chosen ones ─► ranked by area score and recency ─► items with a summary
    in the digest's language; then each new source's back catalogue, best `new_source_items`
    of it, as its own section

Sections are read only for the documents that make it into the digest, so a draft over a
large store costs what the window costs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime

from corpus.model import LANGUAGES, Document
from corpus.store import Store
from search.digest.grouping import group_versions
from search.digest.model import DIGEST_LANGUAGES, NEW_SOURCE, Digest, DigestItem, Summary, Version
from search.digest.safety import safe_url
from search.digest.summary import abstracts, summarize
from search.digest.window import Candidate, period, window_candidates
from search.errors import DigestError
from search.i18n import message

#: Items offered from a new source's back catalogue, unless the data directory's settings say otherwise.
NEW_SOURCE_ITEMS = 5


def _recency(value: str | None, since: date, until: date) -> float:
    """0 at the start of the window, 1 at its end."""
    found = period(value)
    if not found:
        return 0.0
    span = max(1, (until - since).days)
    return min(1.0, max(0.0, (found[1] - since).days / span))


def _primary(docs: Sequence[Document], lang: str) -> Document:
    """The version linked first: the one in the digest's language, else the best-scored (the original)."""
    for d in docs:
        if d.lang == lang:
            return d
    return max(
        docs,
        key=lambda d: (
            max((a.score for a in d.areas), default=0.0),
            -LANGUAGES.index(d.lang) if d.lang in LANGUAGES else -99,
        ),
    )


def _summary_for(docs: Sequence[Document], lang: str) -> Summary:
    """A summary in the digest's language when any version offers one, else the first version's own.

    `docs[0]` is the primary version. An abstract in the digest's language wins (a Finnish
    report's Swedish "Sammanfattning" for a Swedish digest); then the lead of a version in the
    digest's language; then the primary's own summary; then any version's.
    """
    for doc in docs:
        for found in abstracts(doc):
            if found.lang == lang:
                return found
    for doc in docs:
        if doc.lang == lang:
            found = summarize(doc, lang)
            if found.text:
                return found
    for doc in docs:
        found = summarize(doc, lang)
        if found.text:
            return found
    return summarize(docs[0], lang)


def _lang_order(lang: str, digest_lang: str) -> tuple[int, int]:
    return (0 if lang == digest_lang else 1, LANGUAGES.index(lang) if lang in LANGUAGES else 99)


def item_for(
    store: Store,
    members: Sequence[Candidate] | Sequence[Document],
    *,
    lang: str,
    area: str,
    score: float = 0.0,
    position: int = 0,
) -> DigestItem:
    """One item of a digest in `lang` from the language versions of one report (candidates or documents)."""
    docs = [m if isinstance(m, Document) else store.get(m.id) for m in members]
    primary = _primary(docs, lang)
    ordered = [primary] + sorted((d for d in docs if d is not primary), key=lambda d: _lang_order(d.lang, lang))
    all_areas: dict[str, float] = {}
    for d in ordered:
        for match in d.areas:
            all_areas[match.id] = max(match.score, all_areas.get(match.id, 0.0))
    head = ordered[0]
    return DigestItem(
        versions=tuple(Version(d.id, d.lang, safe_url(d.url) or "", d.title) for d in ordered),
        title=head.title,
        publisher=head.publisher or next((d.publisher for d in ordered if d.publisher), None),
        country=head.country or next((d.country for d in ordered if d.country), None),
        date=head.date,  # a publication date only: the day first seen is not one
        area=area,
        areas=tuple(sorted(all_areas, key=lambda a: (-all_areas[a], a))),
        url=safe_url(head.url) or "",
        summary=_summary_for(ordered, lang),
        score=round(score, 4),
        position=position,
    )


def rank_groups(
    candidates: Sequence[Candidate],
    *,
    since: date,
    until: date,
    areas: Sequence[str],
    area_order: Sequence[str] = (),
) -> list[tuple[float, str, list[Candidate]]]:
    """Candidates grouped into reports, those with an area in `areas` (any when empty), best first.

    Each group comes with its rank (area score, weighed by recency in the window) and the area
    it is listed under.
    """
    chosen = set(areas)
    by_id = {c.id: c for c in candidates}
    order = {a: i for i, a in enumerate(list(areas) or list(area_order))}
    ranked = []
    for group in group_versions([c.edition for c in candidates]):
        members = [by_id[e.id] for e in group]
        scores: dict[str, float] = {}
        for m in members:
            for area_id, score in m.areas.items():
                if not chosen or area_id in chosen:
                    scores[area_id] = max(score, scores.get(area_id, 0.0))
        if not scores:
            continue  # off-topic, or no area at all
        best_area = min(scores, key=lambda a: (-scores[a], order.get(a, len(order)), a))
        newest = max((m.edition.date or "" for m in members), default="")
        rank = scores[best_area] * (0.5 + 0.5 * _recency(newest, since, until))
        ranked.append((rank, best_area, members))
    ranked.sort(key=lambda t: (-t[0], t[2][0].id))
    return ranked


def build_items(
    store: Store,
    candidates: Sequence[Candidate],
    *,
    since: date,
    until: date,
    areas: Sequence[str],
    lang: str,
    area_order: Sequence[str] = (),
    limit: int | None = None,
    first_position: int = 1,
) -> list[DigestItem]:
    """Group candidates into items, keep those in `areas` (any area when empty), rank and summarise."""
    ranked = rank_groups(candidates, since=since, until=until, areas=areas, area_order=area_order)
    return [
        item_for(store, members, lang=lang, area=best_area, score=rank, position=position)
        for position, (rank, best_area, members) in enumerate(ranked[:limit], start=first_position)
    ]


def draft_id_for(
    since: date, until: date, areas: Sequence[str], lang: str, items: Sequence[DigestItem], drafted_at: str
) -> str:
    """A stable id for this draft: publishing the same draft twice is recognised by it."""
    data = json.dumps([since.isoformat(), until.isoformat(), list(areas), lang, [i.doc_ids for i in items], drafted_at])
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def draft_digest(
    store: Store,
    *,
    since: date,
    until: date | None = None,
    areas: Sequence[str] = (),
    lang: str = "fi",
    title: str | None = None,
    area_order: Sequence[str] = (),
    new_source_items: int = NEW_SOURCE_ITEMS,
    source_names: Mapping[str, str] | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Digest:
    """A draft digest for the window [since, until] (until defaults to today, by `clock`).

    `area_order` (the thesaurus order) breaks ties between areas when none are chosen. Each
    new source's back catalogue adds at most `new_source_items` items in its own section,
    headed by its name from `source_names` (else its publisher, else its id).
    An empty window gives a digest with no items, not an error.
    """
    now = clock().replace(microsecond=0)
    until = until or now.date()
    if lang not in DIGEST_LANGUAGES:
        raise DigestError(f"a digest is written in {' or '.join(DIGEST_LANGUAGES)}, not {lang!r}")
    if until < since:
        raise DigestError(f"the window ends ({until}) before it starts ({since})")
    window = window_candidates(store, since, until, lang)
    common = {"since": since, "until": until, "areas": areas, "lang": lang, "area_order": area_order}
    items = build_items(store, window.regular, **common)
    offered = []
    for source, candidates in window.new_sources.items():
        found = build_items(store, candidates, **common, limit=new_source_items, first_position=len(items) + 1)
        if not found:
            continue
        name = (source_names or {}).get(source) or _publisher_of(found) or source
        items += [replace(i, section=NEW_SOURCE, source=name) for i in found]
        offered.append(source)
    drafted_at = now.isoformat()
    return Digest(
        title=title or message("digest.default_title", lang),
        lang=lang,
        since=since.isoformat(),
        until=until.isoformat(),
        areas=tuple(areas),
        intro="",
        items=tuple(items),
        draft_id=draft_id_for(since, until, areas, lang, items, drafted_at),
        drafted_at=drafted_at,
        new_sources=tuple(offered),
    )


def _publisher_of(items: Sequence[DigestItem]) -> str | None:
    """The most common publisher of a source's items (a name for a source not in the registry)."""
    names = [i.publisher for i in items if i.publisher]
    return max(set(names), key=lambda n: (names.count(n), n)) if names else None
