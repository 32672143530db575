"""Bringing the index up to date with the store: incremental by sequence number, or a full rebuild.

`update_index` asks the store for every document changed after the sequence number the index
last committed (`Store.changed_since`), and hands them to the backend, which adds, updates,
marks withdrawn (kept, hidden from search by default) or removes (failed) them in one atomic
commit and only then records the new sequence number. A killed run therefore leaves the
previous index searchable, and the next run picks up everything since that commit.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from corpus.config import DataDir, worker_count
from corpus.store import Store
from index.backend import ApplyReport


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
    workers: int | None = None,
) -> IndexReport:
    """Index what changed in `store` since the last commit (everything with `rebuild`).

    `on_progress(n, item)` is called once per document handled.
    """
    from index.whoosh_backend import WhooshBackend

    started = time.perf_counter()
    settings = data_dir.settings()
    backend = WhooshBackend(
        data_dir.index_dir,
        lock_timeout=settings.index_lock_timeout,
        workers=worker_count(settings) if workers is None else workers,
    )
    try:
        rebuild = rebuild or backend.needs_rebuild()
        since = 0 if rebuild else backend.last_seq()
        # Count first (cheap) so the pool is only started for real work.
        pending = store.connection.execute("SELECT COUNT(*) FROM documents WHERE seq>?", (since,)).fetchone()[0]
        applied = backend.apply(
            store.changed_since(since), rebuild=rebuild, on_progress=on_progress, count_hint=pending
        )
        documents = backend.count()
    finally:
        backend.close()
    return IndexReport(
        rebuilt=rebuild, changes=pending, applied=applied, documents=documents, seconds=time.perf_counter() - started
    )
