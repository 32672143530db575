"""`nordsearch check [--fix]`: does the index agree with the store, and is the store sound?

    store     SQLite's quick_check of the store file
    pending   documents changed since the index's last commit (the next `index` run takes them)
    missing   documents the index should hold (searchable or withdrawn, changed before its last
              commit) but does not
    extra     ids the index holds that the store does not have as indexable (failed, or unknown)
    withdrawn whether the index's searchable count matches the store's (a document withdrawn
              in the store but searchable in the index, or the reverse); exact only with
              nothing pending
    raw       documents whose fetched bytes are missing from the raw store (re-crawl or
              re-ingest them; nothing else can bring bytes back)

`repair` fixes what the store can fix: it first brings the index up to date (so later changes
never move the index's recorded sequence number past documents it lacks), re-indexes the
missing documents, removes the extra ids, and rebuilds the index when the searchable counts
still disagree (the index cannot say which documents it holds in the wrong state). A damaged
store is not repaired here: restore a backup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace

from corpus.config import DataDir
from corpus.rawstore import RawStore
from corpus.store import Store

#: Ids shown per kind of problem (the counts are always whole).
SHOWN = 20


@dataclass(frozen=True)
class CheckReport:
    store_ok: bool
    store_message: str
    documents: int  # indexable documents in the store (searchable or withdrawn)
    searchable: int  # in the store
    indexed: int  # ids in the index
    indexed_searchable: int  # what the index finds
    pending: int
    missing: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    raw_missing: tuple[str, ...] = ()
    index_exists: bool = True
    fixed: dict = field(default_factory=dict)

    @property
    def count_mismatch(self) -> bool:
        return self.pending == 0 and self.indexed_searchable != self.searchable

    @property
    def problems(self) -> int:
        """Disagreements `--fix` can repair, plus a damaged store (pending changes and missing raw
        files are reported, not counted: the first is normal between runs, the second needs a crawl)."""
        return (
            (not self.store_ok)
            + (not self.index_exists)
            + len(self.missing)
            + len(self.extra)
            + (1 if self.count_mismatch and not self.missing and not self.extra else 0)
        )

    def as_json(self) -> dict:
        data = asdict(self)
        for key in ("missing", "extra", "raw_missing"):
            data[key] = {"count": len(data[key]), "ids": list(data[key][:SHOWN])}
        data["count_mismatch"] = self.count_mismatch
        data["problems"] = self.problems
        return data

    def lines(self) -> list[str]:
        out = [f"store: {'ok' if self.store_ok else 'DAMAGED: ' + self.store_message}"]
        if not self.index_exists:
            out.append("index: none yet (run 'nordsearch index')")
        else:
            out.append(
                f"index: {self.indexed} documents ({self.indexed_searchable} searchable); store: "
                f"{self.documents} indexable ({self.searchable} searchable); {self.pending} changed since the last "
                "index run"
            )
        for name, ids, what in (
            ("missing", self.missing, "in the store but not in the index"),
            ("extra", self.extra, "in the index but not indexable in the store"),
            ("raw missing", self.raw_missing, "without their fetched bytes (re-crawl or re-ingest them)"),
        ):
            if ids:
                shown = ", ".join(ids[:5]) + (" ..." if len(ids) > 5 else "")
                out.append(f"{name}: {len(ids)} documents {what}: {shown}")
        if self.count_mismatch:
            out.append(
                f"withdrawn: the index finds {self.indexed_searchable}, the store has {self.searchable} searchable"
            )
        if self.fixed:
            out.append("fixed: " + ", ".join(f"{k} {v}" for k, v in self.fixed.items()))
        out.append(
            "store and index agree" if not self.problems else f"{self.problems} problems: run 'nordsearch check --fix'"
        )
        return out


def check(data_dir: DataDir) -> CheckReport:
    """Compare the store with the index (read-only)."""
    from index.backend import open_backend

    with Store(data_dir.store_file, readonly=True) as store:
        db = store.connection
        message = db.execute("PRAGMA quick_check").fetchone()[0]
        rows = db.execute("SELECT id, status, seq, content_hash FROM documents").fetchall()
    backend = open_backend(data_dir, workers=1)
    try:
        exists = backend.exists()
        last_seq = backend.last_seq() if exists else 0
        indexed_ids = backend.doc_ids() if exists else set()
        indexed_searchable = backend.count() if exists else 0
    finally:
        backend.close()
    indexable = {r[0] for r in rows if r[1] in ("ok", "withdrawn")}
    settled = {r[0] for r in rows if r[2] <= last_seq}
    raw = RawStore(data_dir.raw_dir)
    return CheckReport(
        store_ok=message == "ok",
        store_message=message,
        documents=len(indexable),
        searchable=sum(1 for r in rows if r[1] == "ok"),
        indexed=len(indexed_ids),
        indexed_searchable=indexed_searchable,
        pending=sum(1 for r in rows if r[2] > last_seq) if exists else len(rows),
        missing=tuple(sorted((indexable & settled) - indexed_ids)) if exists else (),
        extra=tuple(sorted(indexed_ids - indexable - (set(r[0] for r in rows) - settled))),
        raw_missing=tuple(sorted(r[0] for r in rows if r[1] != "failed" and r[3] and not raw.has(r[3]))),
        index_exists=exists,
    )


def repair(
    data_dir: DataDir,
    *,
    on_progress: Callable[..., None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> CheckReport:
    """Fix what `check` found (see the module docstring); returns the check after the repair."""
    from index.backend import open_backend
    from index.document_record import document_change
    from index.records import Change
    from index.update import update_index

    before = check(data_dir)
    fixed: dict[str, int] = {}
    if not before.store_ok:
        return replace(before, fixed={"nothing: the store is damaged, restore a backup": 0})
    with Store(data_dir.store_file) as store:
        caught_up = update_index(data_dir, store, on_progress=on_progress, on_total=on_total)
        if caught_up.changes:
            fixed["brought up to date"] = caught_up.changes
        found = check(data_dir)
        if found.missing or found.extra:
            backend = open_backend(data_dir)
            try:
                last = backend.last_seq()
                # at the recorded sequence number (not the documents' own): it must not move
                changes = [document_change(last, store.get(doc_id)) for doc_id in found.missing]
                changes += [Change(0, doc_id, None) for doc_id in found.extra]
                backend.apply(changes, on_progress=on_progress, count_hint=len(changes))
            finally:
                backend.close()
            fixed["re-indexed"] = len(found.missing)
            fixed["removed"] = len(found.extra)
            found = check(data_dir)
        if found.count_mismatch or not found.index_exists:
            rebuilt = update_index(data_dir, store, rebuild=True, on_progress=on_progress, on_total=on_total)
            fixed["rebuilt"] = rebuilt.applied.added
    return replace(check(data_dir), fixed=fixed)
