"""The whoosh engine's backend: one writer path, atomic commits, crash recovery, search with filters and facets.

Writing (`apply`):
- one writer at a time: an flock on `<data>/index.lock` held for the whole update, waited for up
  to `index_lock_timeout` seconds. flock locks die with their process, so a writer killed with
  SIGKILL leaves no stale lock (tests/index/test_crash.py kills one); whoosh's own lock (also an
  flock) is taken inside ours and is never contended;
- with many changes, worker processes analyse the records (`index.whoosh.postings`) and write
  whole segments (`index.whoosh.segment_workers`, `index.whoosh.segments`); this process deletes the old versions
  and adds the workers' segments to the index in one commit. Workers come from a
  *forkserver*, so they never inherit the lock's file descriptor (a forked worker outliving a
  killed parent would hold it), and they commit nothing: the segments of a killed run are
  unreferenced files, deleted by the next commit. A few changes go through one whoosh writer
  here, analysed in this process;
- segments are written non-compound (`compound=False`): a compound segment makes every searcher
  open read all postings into memory;
- a commit is atomic (whoosh writes a new TOC generation last); only after it succeeds is the
  store sequence number recorded (`nordsearch-state.json`, written to a temporary file and
  renamed), so a killed run leaves the previous index searchable and the next run redoes it;
- a rebuild writes a fresh index beside the old one (`index.new/`) and swaps directories after
  its commit, in one atomic `renameat2(RENAME_EXCHANGE)` where the kernel and filesystem allow
  it (else two renames; an interrupted swap is finished on the next open).

Reading: the index's *identity* (`identity()`) is the rebuild's random id (in the state file,
new with every rebuild) plus the generation of the table of contents the searcher reads (new
with every commit), so it never repeats. A searcher is reused while the identity on disk is
the one it was opened on, and replaced as a whole when not: whoosh's own `refresh` compares
generation numbers only, and a rebuilt index starts them again, so a web worker kept its old
searcher (or mixed the old and new segments) after `index --rebuild` until restarted.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from index.backend import IndexBackend
from index.errors import IndexCorruptError, IndexLockedError, IndexMissingError, IndexOutdatedError
from index.query_cache import QueryCache
from index.ranking import RANKING, Ranking
from index.records import FACET_FIELDS, WITHDRAWN, ApplyReport, BackendHit, BackendResult, Change, QuerySpec
from index.whoosh.damage import reading
from index.whoosh.schema import SCHEMA_VERSION, build_schema

STATE_FILE = "nordsearch-state.json"
#: Tries at a consistent snapshot while commits go on (each retry starts over after 0.2 s).
SNAPSHOT_ATTEMPTS = 20
#: Below this many changes, analysing in-process beats starting worker processes.
POOL_THRESHOLD = 40
#: Memory for whoosh's posting pool before it spills sorted runs to disk (MB).
WRITER_LIMIT_MB = 256
#: renameat2's flag that swaps two paths atomically (linux/fs.h), and "relative to the cwd".
RENAME_EXCHANGE = 2
AT_FDCWD = -100


def toc_generation(directory: Path) -> int:
    """The newest table of contents' generation in `directory` (-1: none), from file names only."""
    best = -1
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith("_MAIN_") and name.endswith(".toc"):
                    try:
                        best = max(best, int(name[6:-4]))
                    except ValueError:
                        continue
    except OSError:
        return -1
    return best


def exchange_paths(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step (Linux renameat2); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # the filesystem cannot exchange: the caller renames twice
    raise OSError(code, os.strerror(code), str(a))


def _toc_generation(name: str) -> int:
    """The generation number of a table of contents file `_MAIN_<n>.toc` (-1 if not one)."""
    try:
        return int(name[len("_MAIN_") : -len(".toc")])
    except ValueError:
        return -1


def _fields(record) -> dict:
    from index.whoosh.postings import whoosh_fields

    return whoosh_fields(record)


class WhooshBackend(IndexBackend):
    """The embedded whoosh index in `directory`."""

    engine = "whoosh"

    def __init__(self, directory: Path, *, lock_timeout: float = 30.0, workers: int = 1, ranking: Ranking = RANKING):
        super().__init__(ranking=ranking)
        self.directory = Path(directory)
        self.new_directory = self.directory.with_name(self.directory.name + ".new")
        self.old_directory = self.directory.with_name(self.directory.name + ".old")
        self.lock_file = self.directory.with_name(self.directory.name + ".lock")
        self.lock_timeout = lock_timeout
        self.workers = workers
        self._ix = None
        self._searcher = None
        self._compiler = None
        #: Postings, lengths, filter masks and facet values of the current searcher as arrays
        #: (index.whoosh.bulk): read once per index version, dropped when the searcher changes.
        self._arrays = None
        #: The identity (see `identity`) of the index the open searcher reads.
        self._identity = ""

    # -- state ------------------------------------------------------------------------------
    def _finish_swap(self) -> None:
        """A rebuild killed between its two renames: the new index is complete, put it in place."""
        if not self.directory.exists() and (self.new_directory / STATE_FILE).exists():
            os.rename(self.new_directory, self.directory)

    def exists(self) -> bool:
        # A table of contents on disk, not whoosh's `exists_in`: that opens the whole index and,
        # when the TOC is damaged, raises with the segment files left open.
        self._finish_swap()
        return self.directory.is_dir() and any(self.directory.glob("_MAIN_*.toc"))

    def state(self) -> dict:
        try:
            return json.loads((self.directory / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def last_seq(self) -> int:
        state = self.state()
        return int(state.get("last_seq", 0)) if state.get("schema_version") == SCHEMA_VERSION else 0

    def committed_at(self) -> float | None:
        value = self.state().get("committed_at")
        return float(value) if isinstance(value, int | float) else None

    def size_bytes(self) -> int | None:
        try:
            return sum(entry.stat().st_size for entry in os.scandir(self.directory) if entry.is_file())
        except OSError:  # no index, or swapped away meanwhile
            return None

    def needs_rebuild(self) -> bool:
        return not self.exists() or self.state().get("schema_version") != SCHEMA_VERSION

    def identity(self) -> str:
        """The rebuild's id and the commit's generation, e.g. `3f2a...c1.7` ("" without an index).

        Read from disk on every call (a small JSON file and a directory listing): searches,
        the web's result cache and the query cache compare it to what they were built on.
        """
        generation = toc_generation(self.directory)
        if generation < 0:
            return ""
        return f"{self.state().get('index_id') or 'unnamed'}.{generation}"

    @staticmethod
    def _write_state(directory: Path, last_seq: int, index_id: str | None = None) -> None:
        """Records a commit; `index_id` None: a new index (a fresh random id)."""
        state = {
            "schema_version": SCHEMA_VERSION,
            "last_seq": last_seq,
            "committed_at": time.time(),
            "index_id": index_id or uuid.uuid4().hex,
        }
        tmp = directory / (STATE_FILE + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(state, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, directory / STATE_FILE)

    # -- writing ----------------------------------------------------------------------------
    @contextmanager
    def _lock(self) -> Iterator[None]:
        self.lock_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_file, os.O_CREAT | os.O_WRONLY, 0o644)
        try:
            deadline = time.monotonic() + self.lock_timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise IndexLockedError(
                            f"another nordsearch process is writing the index {self.directory} "
                            f"(waited {self.lock_timeout:g} s; raise index_lock_timeout in config.toml "
                            "or try again when it is done)"
                        ) from None
                    time.sleep(0.1)
            yield
        finally:
            os.close(fd)  # closing releases the flock

    def apply(
        self,
        changes: Iterable[Change],
        *,
        rebuild: bool = False,
        on_progress: Callable[[int, str], None] | None = None,
        count_hint: int = 0,
    ) -> ApplyReport:
        from whoosh import index

        with self._lock():
            rebuild = rebuild or self.needs_rebuild()
            if rebuild:
                shutil.rmtree(self.new_directory, ignore_errors=True)
                self.new_directory.mkdir(parents=True)
                target = self.new_directory
                ix = index.create_in(str(target), build_schema())
                existing: set[str] = set()
                start_seq = 0
            else:
                target = self.directory
                ix = self._open_index()
                existing = self.doc_ids()
                start_seq = self.last_seq()
            counts = {"added": 0, "updated": 0, "deleted": 0, "skipped": 0}
            last_seq = start_seq

            def to_index() -> Iterator[Change]:
                # Removals of ids the index does not have are counted and passed over here.
                nonlocal last_seq
                for change in changes:
                    last_seq = max(last_seq, change.seq)
                    if change.record is None and change.id not in existing:
                        counts["skipped"] += 1
                        if on_progress:
                            on_progress(1, change.label)
                        continue
                    yield change

            if self.workers > 1 and count_hint >= POOL_THRESHOLD:
                self._apply_segments(ix, target, to_index(), existing, counts, on_progress)
            else:
                self._apply_in_process(ix, to_index(), existing, counts, on_progress)
            # Only now, after the commit: a run killed before this line is redone by the next one.
            if rebuild or last_seq != start_seq:
                # A rebuild is a new index: a new id, so that no reader takes it for the old one
                # even where whoosh's generation numbers coincide.
                self._write_state(target, last_seq, None if rebuild else self.state().get("index_id"))
            if rebuild:
                self._swap()
            self._close_searcher()
            return ApplyReport(**counts, last_seq=last_seq)

    def _apply_in_process(self, ix, changes: Iterable[Change], existing: set[str], counts: dict, on_progress) -> None:
        """A few changes: analysed here and added through one whoosh writer (no processes to start)."""
        writer = None
        try:
            for change in changes:
                if writer is None:
                    writer = ix.writer(timeout=self.lock_timeout, limitmb=WRITER_LIMIT_MB, compound=False)
                if change.record is None:
                    writer.delete_by_term("id", change.id)
                    existing.discard(change.id)
                    counts["deleted"] += 1
                elif change.id in existing:
                    writer.update_document(**_fields(change.record))
                    counts["updated"] += 1
                else:
                    writer.add_document(**_fields(change.record))
                    existing.add(change.id)
                    counts["added"] += 1
                if on_progress:
                    on_progress(1, change.label)
            if writer is not None:
                writer.commit(merge=True)
                writer = None
        except BaseException:
            if writer is not None:
                writer.cancel()
            raise

    def _apply_segments(
        self, ix, target: Path, changes: Iterable[Change], existing: set[str], counts: dict, on_progress
    ) -> None:
        """Many changes: worker processes write whole segments, committed here in one go.

        Old versions of updated and removed records are deleted by this process's writer in
        the same commit that adds the workers' segments (`index.whoosh.segments.adopt_segments`).
        A store's change list holds each document once, so a new segment never needs a
        deletion. Progress is reported as records are handed to the workers.
        """
        from index.whoosh.segment_workers import SegmentWorkers
        from index.whoosh.segments import adopt_segments

        stale: list[str] = []
        with SegmentWorkers(target, self.workers) as workers:
            for change in changes:
                if change.record is None:
                    stale.append(change.id)
                    existing.discard(change.id)
                    counts["deleted"] += 1
                else:
                    if change.id in existing:
                        stale.append(change.id)
                        counts["updated"] += 1
                    else:
                        existing.add(change.id)
                        counts["added"] += 1
                    workers.submit(change.record)
                if on_progress:
                    on_progress(1, change.label)
            segments = workers.finish()
        writer = ix.writer(timeout=self.lock_timeout, limitmb=WRITER_LIMIT_MB, compound=False)
        try:
            for doc_id in stale:
                writer.delete_by_term("id", doc_id)
            adopt_segments(writer, segments, merge=True)
        except BaseException:
            if not writer.is_closed:
                writer.cancel()
            raise

    # -- backups ----------------------------------------------------------------------------
    def snapshot(self, dest: Path) -> bool:
        """whoosh never changes a file once written: a commit adds segment files and a new table of
        contents, then deletes what the old one alone used. So the snapshot reads the state file
        first (its `last_seq` can only be older than what follows), then opens the newest TOC and
        every segment file, then copies from the open files: a file deleted meanwhile stays
        readable through its descriptor. A file gone before it was opened (a commit or a rebuild
        in between) starts the attempt again."""
        for _ in range(SNAPSHOT_ATTEMPTS):
            for leftover in dest.iterdir():
                leftover.unlink()
            try:
                return self._snapshot_once(dest)
            except FileNotFoundError:
                time.sleep(0.2)
        return False

    def _snapshot_once(self, dest: Path) -> bool:
        self._finish_swap()
        if not self.exists():
            return False
        state = (self.directory / STATE_FILE).read_bytes()
        names = os.listdir(self.directory)
        tocs = sorted((n for n in names if n.startswith("_MAIN_") and n.endswith(".toc")), key=_toc_generation)
        if not tocs:
            return False
        wanted = [tocs[-1], *(n for n in names if n.startswith("MAIN_"))]
        opened = []
        try:
            for name in wanted:
                opened.append((name, open(self.directory / name, "rb")))  # closed in the finally below
            for name, source in opened:
                with open(dest / name, "wb") as target:
                    shutil.copyfileobj(source, target, 1 << 20)
        finally:
            for _, source in opened:
                source.close()
        (dest / STATE_FILE).write_bytes(state)
        return True

    def restore_snapshot(self, src: Path) -> None:
        with self._lock():
            shutil.rmtree(self.new_directory, ignore_errors=True)
            shutil.copytree(src, self.new_directory)
            self._swap()
            self._close_searcher()

    def _swap(self) -> None:
        """Put the rebuilt index in place: readers see the old or the new one, never none."""
        if self.directory.exists() and exchange_paths(self.new_directory, self.directory):
            shutil.rmtree(self.new_directory, ignore_errors=True)  # now the old index
            return
        shutil.rmtree(self.old_directory, ignore_errors=True)
        if self.directory.exists():
            os.rename(self.directory, self.old_directory)
        try:
            os.rename(self.new_directory, self.directory)
        except FileNotFoundError:
            if not self.directory.exists():
                raise  # else a reader's `_finish_swap` did it in between
        shutil.rmtree(self.old_directory, ignore_errors=True)

    # -- reading ----------------------------------------------------------------------------
    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Damaged files become IndexCorruptError (index.whoosh.damage); the broken searcher is
        closed, so its files are released and a rebuilt index is opened afresh by the next call."""
        try:
            with reading(self.directory):
                yield
        except IndexCorruptError:
            self._close_searcher()
            raise

    def _open_index(self):
        from whoosh import index

        if not self.exists():
            raise IndexMissingError(f"no search index in {self.directory}: run 'nordsearch index' first")
        version = self.state().get("schema_version")
        if version != SCHEMA_VERSION:
            # Checked before whoosh unpickles the schema: an older layout's classes may be gone.
            raise IndexOutdatedError(
                f"the search index {self.directory} was built by another version of nordsearch "
                f"(layout {version or 'unknown'}, this version reads {SCHEMA_VERSION}): run 'nordsearch index --rebuild'"
            )
        try:
            with self._reading():
                return index.open_dir(str(self.directory))
        except (index.IndexError, OSError, EOFError, ValueError) as exc:
            raise IndexCorruptError(
                f"the search index {self.directory} cannot be read ({exc}): run 'nordsearch index --rebuild'"
            ) from exc

    def searcher(self):
        """A searcher on the latest commit: kept while the index's identity is unchanged, else
        replaced by a fresh one (never whoosh's `refresh`, see the module docstring)."""
        from whoosh.scoring import BM25F

        current = self.identity()
        if self._searcher is not None and current == self._identity:
            return self._searcher
        self._close_searcher()
        self._ix = self._open_index()
        with self._reading():
            self._searcher = self._ix.searcher(weighting=BM25F(B=self.ranking.b, K1=self.ranking.k1))
        # The generation actually opened: a commit landing between the identity read above and
        # the open gives an identity that differs from the disk's, so the next call reopens.
        generation = self._searcher.reader().generation()
        rebuild_id = current.rpartition(".")[0] or "unnamed"
        self._identity = current if generation is None else f"{rebuild_id}.{generation}"
        return self._searcher

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = self._ix = None
        self._identity = ""
        self._arrays = None
        # The query cache lives in the index folder, which a rebuild replaces: let go of it too.
        super().close()

    def close(self) -> None:
        self._close_searcher()

    def query_cache(self) -> QueryCache:
        return QueryCache(self.directory if self.directory.is_dir() else None)

    def compiler(self):
        from index.whoosh.compiler import WhooshCompiler

        if self._compiler is None:
            self._compiler = WhooshCompiler(self.ranking)
        return self._compiler

    def whoosh_query(self, spec: QuerySpec):
        """The whoosh query of `spec` (None when it asks for nothing)."""
        return self.compiler().query(self.planner().plan(spec))

    def count(self, *, include_withdrawn: bool = False) -> int:
        with self._reading():
            arrays = self.arrays()
            if include_withdrawn:
                return int(arrays.live.sum())
            return int((arrays.live & ~arrays.term_mask("status", WITHDRAWN)).sum())

    def doc_ids(self) -> set[str]:
        if not self.exists():
            return set()
        s = self.searcher()
        with self._reading():
            reader = s.reader()
            return {reader.stored_fields(n)["id"] for n in reader.all_doc_ids()}

    def arrays(self):
        """The current searcher's data as arrays (index.whoosh.bulk), rebuilt when the searcher changes."""
        from index.whoosh.bulk import SearcherArrays

        searcher = self.searcher()
        if self._arrays is None or self._arrays.searcher is not searcher:
            self._arrays = SearcherArrays(searcher)
        return self._arrays

    def search(self, spec: QuerySpec) -> BackendResult:
        """Top hits and exact totals and facet counts over every match, scored in bulk (index.whoosh.scorer).

        Every match is scored with numpy arrays over the whole collection (whoosh's matchers
        took seconds for the wide queries of six languages and expansions); filters, the
        withdrawn mask and facet values are arrays kept per searcher (index.whoosh.bulk).
        """
        from index.whoosh.compiler import filter_query, mask_query
        from index.whoosh.scorer import BulkScorer, newest, top

        q = self.whoosh_query(spec)
        if q is None:
            return BackendResult(0, (), {})
        with self._reading():
            arrays = self.arrays()
            scorer = BulkScorer(arrays)
            scores, selected = scorer.evaluate(q)
            selected &= arrays.live
            filt, mask = filter_query(spec.filters), mask_query(spec.filters)
            if filt is not None:
                selected &= scorer.mask(filt)
            if mask is not None:
                selected &= ~scorer.mask(mask)
            limit = spec.page * spec.limit
            if spec.sort == "date":
                ranked = newest(arrays.column("datenum"), selected, limit)
            else:
                ranked = top(scores, selected, limit)
            start = (spec.page - 1) * spec.limit
            s = arrays.searcher
            hits = []
            for docnum in ranked[start:].tolist():
                stored = s.stored_fields(docnum)
                hits.append(BackendHit(id=stored["id"], score=float(scores[docnum]), stored=stored.get("payload", {})))
            facets = {
                name: arrays.facet_counts(FACET_FIELDS[name], selected) for name in spec.facets if name in FACET_FIELDS
            }
            return BackendResult(total=int(selected.sum()), hits=tuple(hits), facets=facets)
