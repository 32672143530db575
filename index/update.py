"""Bringing the index up to date with the store: incremental by sequence number, or a full rebuild.

`update_index` asks the store for every document changed after the sequence number the index
last committed (`Store.changed_since`), turns each into its index record (`index.document_record`:
a failed document becomes a removal) and hands them to the data directory's backend
(`index.backend.open_backend`), which adds, updates, marks withdrawn (kept, hidden from search
by default) or removes them in one atomic commit and records the new sequence number with it. A killed run therefore leaves the
previous index searchable, and the next run picks up everything since that commit.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from corpus.config import DataDir
from corpus.store import Store
from index.backend import ApplyReport, open_backend
from index.document_record import document_change


@dataclass(frozen=True)
class IndexReport:
    """What an index run did (the `nordsearch index --json` document)."""

    rebuilt: bool
    changes: int
    applied: ApplyReport
    documents: int  # searchable documents in the index afterwards
    seconds: float

    def summary(self) -> str:
        a = self.applied
        if not self.changes and not self.rebuilt:
            return f"index up to date ({self.documents} documents)"
        what = "rebuilt" if self.rebuilt else "updated"
        return (
            f"index {what}: {a.added} added, {a.updated} updated, {a.deleted} removed, "
            f"{a.skipped} failed not indexed; {self.documents} documents searchable ({self.seconds:.1f} s)"
        )

    def as_json(self) -> dict:
        return {
            "rebuilt": self.rebuilt,
            "changes": self.changes,
            **{k: v for k, v in asdict(self.applied).items()},
            "documents": self.documents,
            "seconds": round(self.seconds, 3),
            "summary": self.summary(),
        }


def update_index(
    data_dir: DataDir,
    store: Store,
    *,
    rebuild: bool = False,
    on_progress: Callable[..., None] | None = None,
    on_total: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> IndexReport:
    """Index what changed in `store` since the last commit (everything with `rebuild`).

    `on_total(n)` is told how many documents will be handled, before the first;
    `on_progress(n, item)` is called once per document handled.
    """
    started = time.perf_counter()
    backend = open_backend(data_dir, workers=workers)
    try:
        rebuild = rebuild or backend.needs_rebuild()
        since = 0 if rebuild else backend.last_seq()
        # Count first (cheap) so the pool is only started for real work.
        pending = store.connection.execute("SELECT COUNT(*) FROM documents WHERE seq>?", (since,)).fetchone()[0]
        if on_total:
            on_total(pending)
        changes = (document_change(seq, doc) for seq, doc in store.changed_since(since))
        applied = backend.apply(changes, rebuild=rebuild, on_progress=on_progress, count_hint=pending)
        documents = backend.count()
    finally:
        backend.close()
    return IndexReport(
        rebuilt=rebuild, changes=pending, applied=applied, documents=documents, seconds=time.perf_counter() - started
    )
