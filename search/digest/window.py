"""Which documents a digest window offers: by publication date, and a new source's back catalogue apart.

A document enters the window [since, until] by its publication date. A document without one
enters by the date it was first seen, but only when its source had been harvested before
that: a first crawl of a new source brings in years of undated back catalogue in one night,
and "first seen this month" would pour all of it into the next digest. Documents ingested by
hand (no source) are the consultant's own choice and count by the date first seen.

A source's first harvest ends when its first crawl run finished (`crawl_source_runs`); for a
source never crawled (documents imported with a source id) when a day has passed since its
first document arrived. A source whose first harvest falls in the window is *new*: its back
catalogue (what the first harvest brought that the window does not hold) is offered once, in
a separate section per source (draft.py keeps the best `new_source_items` of it), and never
again once an issue carrying that offer is published (records.offered_sources).

    >>> in_window("2026-11", date(2026, 11, 20), date(2026, 12, 31))
    True
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from corpus.store import Store
from search.digest import records
from search.digest.grouping import Edition

#: How many characters of a document's first sections grouping looks at for report numbers.
HEAD_CHARS = 1500
#: A source never crawled (imported documents) counts as harvested this long after its first document.
FIRST_HARVEST_GRACE = timedelta(days=1)
_COLUMNS = "id, url, title, lang, publisher, source, country, date, first_seen, meta"


@dataclass(frozen=True)
class Candidate:
    """A document in the window, without its sections: enough to group and rank it."""

    edition: Edition
    country: str | None
    areas: dict[str, float]  # area id -> score

    @property
    def id(self) -> str:
        return self.edition.id


@dataclass(frozen=True)
class Window:
    """The window's candidates: by publication (or first seen), and each new source's back catalogue."""

    regular: list[Candidate]
    new_sources: dict[str, list[Candidate]]  # source id -> its back catalogue's candidates


def period(value: str | None) -> tuple[date, date] | None:
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
    found = period(value)
    return bool(found and found[0] <= until and found[1] >= since)


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def first_harvests(store: Store) -> dict[str, tuple[datetime, datetime]]:
    """Per source: (when its first document arrived, when its first harvest ended)."""
    q = store.connection.execute
    starts = {
        r[0]: _moment(r[1])
        for r in q("SELECT source, MIN(first_seen) FROM documents WHERE source IS NOT NULL GROUP BY source")
    }
    ends: dict[str, datetime | None] = {}
    if q("SELECT 1 FROM sqlite_master WHERE type='table' AND name='crawl_source_runs'").fetchone():
        ends = {
            r[0]: _moment(r[1]) for r in q("SELECT source, MIN(finished_at) FROM crawl_source_runs GROUP BY source")
        }
    out = {}
    for source, start in starts.items():
        if start is None:
            continue
        end = ends.get(source) or start + FIRST_HARVEST_GRACE
        out[source] = (start, max(start, end))
    return out


def _enters(row, since: date, until: date, harvests: dict[str, tuple[datetime, datetime]]) -> bool:
    """Whether a document enters the window: by its publication date, else by first seen after its source's first harvest."""
    if period(row["date"]) is not None:
        return in_window(row["date"], since, until)
    if not in_window(row["first_seen"], since, until):
        return False
    harvest = harvests.get(row["source"]) if row["source"] else None
    seen = _moment(row["first_seen"])
    return harvest is None or (seen is not None and seen > harvest[1])


def _candidates(store: Store, rows) -> list[Candidate]:
    """Candidates for `rows` of the documents table, with their areas and first lines."""
    if not rows:
        return []
    q = store.connection.execute
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


def window_candidates(store: Store, since: date, until: date, lang: str) -> Window:
    """The documents (status ok, not yet in a published edition in `lang`) the window offers.

    Only the window's rows are read (and a new source's), so a draft over a large store costs
    what the window costs.
    """
    published = records.published_doc_ids(store, lang)
    harvests = first_harvests(store)
    q = store.connection.execute
    # A coarse prefilter in SQL (a partial date such as "2026-11" sorts before "2026-11-01"),
    # made exact in Python by `_enters`.
    rows = q(
        f"""SELECT {_COLUMNS} FROM documents
           WHERE status='ok' AND ((date >= ? AND date <= ?) OR (substr(first_seen, 1, 10) BETWEEN ? AND ?))
           ORDER BY id""",
        (since.isoformat()[:4], until.isoformat() + "~", since.isoformat(), until.isoformat()),
    ).fetchall()
    regular = [r for r in rows if r["id"] not in published and _enters(r, since, until, harvests)]
    taken = {r["id"] for r in regular}
    offered = records.offered_sources(store)
    new = sorted(
        source for source, (start, _) in harvests.items() if source not in offered and since <= start.date() <= until
    )
    back: dict[str, list] = {}
    for source in new:
        end = harvests[source][1]
        back[source] = [
            r
            for r in q(f"SELECT {_COLUMNS} FROM documents WHERE status='ok' AND source=? ORDER BY id", (source,))
            if r["id"] not in published and r["id"] not in taken and (_moment(r["first_seen"]) or end) <= end
        ]
    return Window(_candidates(store, regular), {s: _candidates(store, rows) for s, rows in back.items() if rows})
