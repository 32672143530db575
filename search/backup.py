"""Backups of a data directory while crawls and the web app keep running: `backup DEST`, `restore SRC`.

A backup is a folder:

    manifest.json   what it holds: when, which version, the store's documents and sequence
                    number, whether the index is in it, the store file's SHA-256
    store.sqlite    the store, through SQLite's online backup API: one consistent snapshot,
                    taken in a single step (a stepwise copy restarts whenever a crawl writes)
    index/          a snapshot of the search index where the engine can take one (whoosh can);
                    without it the index is rebuilt from the store on restore
    raw/            the fetched bytes (content-addressed, never changed once written)
    files/          everything else of the data directory: config.toml, sources.toml,
                    areas.toml, published digests ...

Order matters. The index snapshot is taken first and the store after it, so the store is never
behind the index: on restore, an ordinary update brings the index level with the store. The raw
files are copied last, so every body the store refers to is already on disk. The backup is
written into `DEST.partial` and renamed when complete: a killed backup never looks like one.

A restore takes the crawl lock (no crawl runs meanwhile), copies the store back through the
same backup API (into the live store, so a running web app's readers see the old or the new
one, never a mix), adds the missing raw files, copies the other files, puts the index snapshot
in place and updates it (or rebuilds the index when the backup has none).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from corpus.config import DataDir
from corpus.errors import StoreError
from search.errors import SearchError

FORMAT = 1
MANIFEST = "manifest.json"
STORE = "store.sqlite"
#: Top-level entries of a data directory a backup does not copy as plain files: the live store
#: and the index (copied their own ways), the raw files (copied by name), locks, leftovers.
SKIPPED = {"store.sqlite", "store.sqlite-wal", "store.sqlite-shm", "store.sqlite-journal", "raw"}
SKIPPED_PREFIXES = ("index", ".")
SKIPPED_SUFFIXES = (".lock", ".partial", ".tmp")


class BackupError(SearchError):
    """A backup cannot be made or restored; the message says why and what to do."""


@dataclass(frozen=True)
class BackupReport:
    """What a backup holds (its manifest)."""

    format: int
    created_at: str
    nordsearch: str
    documents: dict[str, int]  # by status
    store_seq: int
    store_sha256: str
    index_snapshot: bool
    raw_files: int
    raw_bytes: int
    files: list[str]

    def as_json(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        docs = sum(self.documents.values())
        index = "with an index snapshot" if self.index_snapshot else "without an index (rebuilt on restore)"
        return (
            f"backup of {docs} documents ({self.documents.get('ok', 0)} searchable), {self.raw_files} raw files "
            f"({self.raw_bytes / 1e6:.1f} MB), {index}"
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _store_facts(path: Path) -> tuple[dict[str, int], int]:
    """(documents by status, the sequence counter) of a store file, read-only."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        check = db.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the store copy {path} is damaged ({check})")
        by_status = dict(db.execute("SELECT status, COUNT(*) FROM documents GROUP BY status").fetchall())
        row = db.execute("SELECT value FROM counters WHERE name='seq'").fetchone()
        return by_status, int(row[0]) if row else 0
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"the store copy {path} cannot be read: {exc}") from exc
    finally:
        db.close()


def copy_store(source: Path, target: Path) -> None:
    """SQLite's online backup of `source` into `target` (created or overwritten), in one step."""
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=60)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"the store {source} cannot be opened: {exc}") from exc
    dst = sqlite3.connect(target, timeout=60)
    try:
        src.backup(dst)  # pages=-1: one read transaction, one consistent snapshot
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"the store {source} could not be copied: {exc}") from exc
    finally:
        dst.close()
        src.close()


def _copy_raw(source: Path, target: Path, on_file: Callable[[str], None] | None) -> tuple[int, int]:
    """Content-addressed files from `source` missing in `target` (half-written `.tmp-` files skipped)."""
    count = size = 0
    if not source.is_dir():
        return 0, 0
    for folder in sorted(p for p in source.iterdir() if p.is_dir()):
        for item in folder.iterdir():
            if item.name.startswith(".tmp-") or not item.is_file():
                continue
            dest = target / folder.name / item.name
            if not dest.exists():
                dest.parent.mkdir(parents=True, exist_ok=True)
                tmp = dest.with_name(".tmp-" + item.name)
                shutil.copyfile(item, tmp)
                os.replace(tmp, dest)
            count += 1
            size += item.stat().st_size
            if on_file:
                on_file(item.name)
    return count, size


def _other_entries(root: Path) -> list[Path]:
    """The data directory's entries a backup copies as they are (see SKIPPED)."""
    out = []
    for entry in sorted(root.iterdir()):
        name = entry.name
        if name in SKIPPED or name.startswith(SKIPPED_PREFIXES) or name.endswith(SKIPPED_SUFFIXES):
            continue
        out.append(entry)
    return out


def _copy_entry(entry: Path, target: Path) -> None:
    if entry.is_dir():
        shutil.copytree(entry, target, dirs_exist_ok=True)
    elif entry.is_file():
        shutil.copy2(entry, target)


def backup(data_dir: DataDir, dest: Path, *, on_raw: Callable[[str], None] | None = None) -> BackupReport:
    """Back `data_dir` up into the new folder `dest` (see the module docstring)."""
    from index.backend import open_backend

    if not data_dir.store_file.exists():
        raise BackupError(f"no store at {data_dir.store_file}: nothing to back up")
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(f"{dest} already exists and is not empty: give a new folder for the backup")
    partial = dest.with_name(dest.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        (partial / "index").mkdir(parents=True)
        (partial / "raw").mkdir()
        (partial / "files").mkdir()
        # 1. the index first: the store copied after it is never behind it
        backend = open_backend(data_dir)
        try:
            snapshot = backend.snapshot(partial / "index")
        finally:
            backend.close()
        if not snapshot:
            shutil.rmtree(partial / "index")
        # 2. the store, one consistent snapshot
        copy_store(data_dir.store_file, partial / STORE)
        documents, seq = _store_facts(partial / STORE)
        # 3. raw files: every body the copied store refers to was written before it
        raw_files, raw_bytes = _copy_raw(data_dir.raw_dir, partial / "raw", on_raw)
        # 4. everything else
        names = []
        for entry in _other_entries(data_dir.root):
            _copy_entry(entry, partial / "files" / entry.name)
            names.append(entry.name)
        report = BackupReport(
            format=FORMAT,
            created_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
            nordsearch=version("nordsearch"),
            documents=documents,
            store_seq=seq,
            store_sha256=_sha256(partial / STORE),
            index_snapshot=snapshot,
            raw_files=raw_files,
            raw_bytes=raw_bytes,
            files=names,
        )
        (partial / MANIFEST).write_text(json.dumps(report.as_json(), indent=2), encoding="utf-8")
        if dest.exists():
            dest.rmdir()  # empty, checked above
        os.replace(partial, dest)
    except OSError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise BackupError(f"cannot write the backup to {dest}: {exc.strerror or exc}") from exc
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return report


def read_manifest(src: Path) -> BackupReport:
    """The manifest of the backup in `src`, checked against its store file."""
    try:
        data = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
        report = BackupReport(**data)
    except FileNotFoundError:
        raise BackupError(f"{src} is not a nordsearch backup (no {MANIFEST})") from None
    except (OSError, ValueError, TypeError) as exc:
        raise BackupError(f"the manifest of {src} cannot be read: {exc}") from exc
    if report.format != FORMAT:
        raise BackupError(f"{src} is a backup of format {report.format}; this nordsearch reads format {FORMAT}")
    if not (src / STORE).is_file() or _sha256(src / STORE) != report.store_sha256:
        raise BackupError(f"the store in {src} does not match its manifest (damaged or changed): not restored")
    return report


@dataclass(frozen=True)
class RestoreReport:
    backup: BackupReport
    documents: int
    raw_files: int
    index: dict

    def summary(self) -> str:
        how = "from its snapshot" if self.backup.index_snapshot else "rebuilt from the store"
        return (
            f"restored {self.documents} documents and {self.raw_files} raw files from the backup of "
            f"{self.backup.created_at}; index {how}: {self.index['summary']}"
        )

    def as_json(self) -> dict:
        return {
            "backup": self.backup.as_json(),
            "documents": self.documents,
            "raw_files": self.raw_files,
            "index": self.index,
            "summary": self.summary(),
        }


def restore(
    data_dir: DataDir,
    src: Path,
    *,
    force: bool = False,
    on_progress: Callable[..., None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> RestoreReport:
    """Bring the backup in `src` back into `data_dir` (see the module docstring)."""
    from corpus.store import Store
    from crawler.job import crawl_lock
    from index.backend import open_backend
    from index.update import update_index

    manifest = read_manifest(src)
    _store_facts(src / STORE)  # the copy itself is sound
    with crawl_lock(data_dir):
        if data_dir.store_file.exists() and not force:
            with Store(data_dir.store_file, readonly=True) as store:
                held = store.count(None)
            if held:
                raise BackupError(
                    f"{data_dir.root} already holds {held} documents: restore into an empty data directory, "
                    "or give --force to replace them"
                )
        with Store(data_dir.store_file) as store:
            source = sqlite3.connect(f"file:{src / STORE}?mode=ro", uri=True)
            try:
                source.backup(store.connection)  # through SQLite: live readers see old or new
            finally:
                source.close()
        raw_files, _ = _copy_raw(src / "raw", data_dir.raw_dir, None)
        files = src / "files"
        for entry in sorted(files.iterdir()) if files.is_dir() else []:
            _copy_entry(entry, data_dir.root / entry.name)
        if manifest.index_snapshot:
            backend = open_backend(data_dir)
            try:
                backend.restore_snapshot(src / "index")
            finally:
                backend.close()
        with Store(data_dir.store_file) as store:
            indexed = update_index(
                data_dir, store, rebuild=not manifest.index_snapshot, on_progress=on_progress, on_total=on_total
            )
            documents = store.count(None)
    return RestoreReport(backup=manifest, documents=documents, raw_files=raw_files, index=indexed.as_json())
