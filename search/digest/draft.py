"""Drafting a digest: the window's candidates in the chosen areas, grouped, ranked and summarised.

    documents (status ok, first seen or published in the window, not yet in a published digest)
      ─► language versions grouped (grouping.py) ─► groups with an area among the chosen ones
      ─► ranked by area score and recency ─► items with a summary in the digest's language

Only the window's rows are read from SQLite, and sections only for the documents that make
it into the digest, so a draft over a large store costs what the window costs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from corpus.model import LANGUAGES, Document
from corpus.store import Store
from search.digest import records
from search.digest.grouping import Edition, group_versions
from search.digest.model import DIGEST_LANGUAGES, Digest, DigestItem, Summary, Version
from search.digest.safety import safe_url
from search.digest.summary import abstracts, summarize
from search.errors import DigestError
from search.i18n import message

#: How many characters of a document's first sections grouping looks at for report numbers.
HEAD_CHARS = 1500


@dataclass(frozen=True)
class Candidate:
    """A document in the window, without its sections: enough to group and rank it."""

    edition: Edition
    country: str | None
    areas: dict[str, float]  # area id -> score

    @property
    def id(self) -> str:
        return self.edition.id


def _period(value: str | None) -> tuple[date, date] | None:
    """The days a (possibly partial) ISO date covers: 2026 is the whole year, 2026-11 the month."""
    if not value:
        return None
    try:
        if len(value) == 4:
            return date(int(value), 1, 1), date(int(value), 12, 31)
        if len(value) == 7:
            start = date.fromisoformat(value + "-01")
            following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
            return start, date.fromordinal(following.toordinal() - 1)
        day = date.fromisoformat(value[:10])
        return day, day
    except ValueError:
        return None


def in_window(value: str | None, since: date, until: date) -> bool:
    period = _period(value)
    return bool(period and period[0] <= until and period[1] >= since)


def window_candidates(store: Store, since: date, until: date) -> list[Candidate]:
    """Documents (status ok) first seen or published in [since, until] and not yet published."""
    published = records.published_doc_ids(store)
    q = store.connection.execute
    # A coarse prefilter in SQL (a partial date such as "2026-11" sorts before "2026-11-01"),
    # made exact in Python by `in_window`.
    rows = q(
        """SELECT id, url, title, lang, publisher, source, country, date, first_seen, meta FROM documents
           WHERE status='ok' AND ((date >= ? AND date <= ?) OR (substr(first_seen, 1, 10) BETWEEN ? AND ?))
           ORDER BY id""",
        (since.isoformat()[:4], until.isoformat() + "~", since.isoformat(), until.isoformat()),
    ).fetchall()
    rows = [
        r
        for r in rows
        if r["id"] not in published and (in_window(r["date"], since, until) or in_window(r["first_seen"], since, until))
    ]
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    areas: dict[str, dict[str, float]] = {i: {} for i in ids}
    heads: dict[str, list[str]] = {i: [] for i in ids}
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        marks = ",".join("?" * len(chunk))
        for r in q(f"SELECT doc_id, area_id, score FROM doc_areas WHERE doc_id IN ({marks})", chunk):
            areas[r[0]][r[1]] = r[2]
        for r in q(
            f"SELECT doc_id, substr(text, 1, {HEAD_CHARS}) FROM sections WHERE position < 2 AND doc_id IN ({marks}) "
            "ORDER BY doc_id, position",
            chunk,
        ):
            heads[r[0]].append(r[1])
    out = []
    for r in rows:
        edition = Edition(
            id=r["id"],
            url=r["url"],
            title=r["title"],
            lang=r["lang"],
            publisher=r["publisher"],
            source=r["source"],
            date=r["date"] or (r["first_seen"] or "")[:10] or None,
            head=" ".join(heads[r["id"]])[:HEAD_CHARS],
            meta=json.loads(r["meta"] or "{}"),
        )
        out.append(Candidate(edition, r["country"], areas[r["id"]]))
    return out


def _recency(value: str | None, since: date, until: date) -> float:
    """0 at the start of the window, 1 at its end."""
    period = _period(value)
    if not period:
        return 0.0
    span = max(1, (until - since).days)
    return min(1.0, max(0.0, (period[1] - since).days / span))


def _primary(group: Sequence[Candidate], lang: str) -> Candidate:
    """The version linked first: the one in the digest's language, else the best-scored (the original)."""
    for c in group:
        if c.edition.lang == lang:
            return c
    return max(
        group,
        key=lambda c: (
            max(c.areas.values(), default=0.0),
            -LANGUAGES.index(c.edition.lang) if c.edition.lang in LANGUAGES else -99,
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


def build_items(
    store: Store,
    candidates: Sequence[Candidate],
    *,
    since: date,
    until: date,
    areas: Sequence[str],
    lang: str,
    area_order: Sequence[str] = (),
) -> list[DigestItem]:
    """Group candidates into items, keep those in `areas` (any area when empty), rank and summarise."""
    chosen = set(areas)
    by_id = {c.id: c for c in candidates}
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
        order = {a: i for i, a in enumerate(list(areas) or list(area_order))}
        best_area = min(scores, key=lambda a: (-scores[a], order.get(a, len(order)), a))
        newest = max((m.edition.date or "" for m in members), default="")
        rank = scores[best_area] * (0.5 + 0.5 * _recency(newest, since, until))
        ranked.append((rank, best_area, members))
    ranked.sort(key=lambda t: (-t[0], t[2][0].id))
    items = []
    for position, (rank, best_area, members) in enumerate(ranked, start=1):
        primary = _primary(members, lang)
        ordered = [primary] + sorted(
            (m for m in members if m is not primary), key=lambda m: _lang_order(m.edition.lang, lang)
        )
        docs = [store.get(m.id) for m in ordered]
        all_areas: dict[str, float] = {}
        for m in members:
            for area_id, score in m.areas.items():
                all_areas[area_id] = max(score, all_areas.get(area_id, 0.0))
        head = docs[0]
        items.append(
            DigestItem(
                versions=tuple(Version(d.id, d.lang, safe_url(d.url) or "", d.title) for d in docs),
                title=head.title,
                publisher=head.publisher or next((d.publisher for d in docs if d.publisher), None),
                country=head.country or next((d.country for d in docs if d.country), None),
                date=head.date or (head.first_seen or "")[:10] or None,
                area=best_area,
                areas=tuple(sorted(all_areas, key=lambda a: (-all_areas[a], a))),
                url=safe_url(head.url) or "",
                summary=_summary_for(docs, lang),
                score=round(rank, 4),
                position=position,
            )
        )
    return items


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
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Digest:
    """A draft digest for the window [since, until] (until defaults to today, by `clock`).

    `area_order` (the thesaurus order) breaks ties between areas when none are chosen.
    An empty window gives a digest with no items, not an error.
    """
    now = clock().replace(microsecond=0)
    until = until or now.date()
    if lang not in DIGEST_LANGUAGES:
        raise DigestError(f"a digest is written in {' or '.join(DIGEST_LANGUAGES)}, not {lang!r}")
    if until < since:
        raise DigestError(f"the window ends ({until}) before it starts ({since})")
    candidates = window_candidates(store, since, until)
    items = build_items(store, candidates, since=since, until=until, areas=areas, lang=lang, area_order=area_order)
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
    )
