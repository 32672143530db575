"""Worker processes that analyse index records and write whole index segments (`SegmentBuilder`).

The parent hands records out one at a time through a bounded queue (so the processes stay
evenly loaded and long reports do not pile up in memory); each worker analyses a record
(`index.whoosh.postings`), adds it to the segment it is building, starts a new segment once this
one holds `SEGMENT_POSTINGS` postings, and reports its finished segments when told there is no
more work. The parent, holding the index lock, commits them all at once
(`index.whoosh.segments.adopt_segments`).

Workers come from a *forkserver*, so they never inherit the lock's file descriptor. They hold
no lock and commit nothing: a worker outliving a killed parent leaves only unreferenced files,
deleted by the next commit. A worker stops by itself when the indexing process that started it
has gone, checked before every document and every few seconds while idle; that is asked of
`multiprocessing.parent_process()` (the starting process, watched through a pipe), not of
`os.getppid()`: a worker's OS parent is the forkserver, which outlives a SIGKILLed indexing
process (measured: the forkserver and its idle workers stayed forever). A worker that dies or fails makes `finish` raise
`IndexingError`, and the caller commits nothing.
"""

from __future__ import annotations

import multiprocessing
import queue
import time
from pathlib import Path

from index.errors import IndexingError
from index.records import IndexRecord

#: Postings per segment before a worker starts the next one. A segment in the making costs
#: about 50 bytes of memory per posting (0.5 GB per worker at this size); 1 GB of text gives
#: about 50 million postings, so a 10k-document rebuild ends with half a dozen segments.
SEGMENT_POSTINGS = 10_000_000
#: Seconds between checks that the other side is still alive while waiting on a queue.
POLL_SECONDS = 2.0


def _work(directory: str, jobs, results, segment_postings: int) -> None:
    from index.whoosh.postings import whoosh_fields
    from index.whoosh.schema import build_schema
    from index.whoosh.segments import SegmentBuilder

    starter = multiprocessing.parent_process()

    def orphaned() -> bool:
        return starter is not None and not starter.is_alive()

    schema = build_schema()
    builder = None
    doc_id = None
    try:
        while True:
            try:
                record = jobs.get(timeout=POLL_SECONDS)
            except queue.Empty:
                if orphaned():
                    return  # the indexing process is gone: nobody will commit this work
                continue
            if record is None:
                break
            if orphaned():
                return
            doc_id = record.id
            if builder is None:
                builder = SegmentBuilder(directory, schema)
            builder.add(whoosh_fields(record))
            if builder.postings >= segment_postings:
                results.put(("segment", builder.finish()))
                builder = None
        if builder is not None:
            results.put(("segment", builder.finish()))
        results.put(("done", None))
    except BaseException as exc:  # reported to the parent, which fails the whole run
        results.put(("error", f"{type(exc).__name__}: {exc} (record {doc_id})"))


class SegmentWorkers:
    """`workers` processes writing segments into `directory`; `submit` records, then `finish`."""

    def __init__(self, directory: Path, workers: int, *, segment_postings: int | None = None):
        segment_postings = segment_postings or SEGMENT_POSTINGS
        context = multiprocessing.get_context("forkserver")
        self.jobs = context.Queue(maxsize=workers * 4)
        self.results = context.Queue()
        self.processes = [
            context.Process(target=_work, args=(str(directory), self.jobs, self.results, segment_postings), daemon=True)
            for _ in range(workers)
        ]
        for p in self.processes:
            p.start()
        self.segments: list = []
        self.done = 0

    def __enter__(self) -> SegmentWorkers:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _check(self) -> None:
        """Raise if a worker reported an error or died before saying it was done."""
        self._drain(block=False)
        dead = [p.exitcode for p in self.processes if p.exitcode not in (None, 0)]
        if dead:
            raise IndexingError(f"an indexing worker process died (exit code {dead[0]}); nothing was committed")

    def _drain(self, *, block: bool) -> None:
        while True:
            try:
                kind, value = self.results.get(timeout=POLL_SECONDS) if block else self.results.get_nowait()
            except queue.Empty:
                return
            if kind == "error":
                raise IndexingError(f"indexing failed in a worker process: {value}; nothing was committed")
            if kind == "segment":
                if value is not None:
                    self.segments.append(value)
            else:
                self.done += 1
            if block:
                return

    def submit(self, record: IndexRecord | None) -> None:
        while True:
            try:
                self.jobs.put(record, timeout=POLL_SECONDS)
                return
            except queue.Full:
                self._check()

    def finish(self) -> list:
        """Every segment written, once all workers are done (IndexingError if one failed)."""
        for _ in self.processes:
            self.submit(None)
        while self.done < len(self.processes):
            self._drain(block=True)
            if self.done < len(self.processes):
                self._check_dead_without_report()
        return self.segments

    def _check_dead_without_report(self) -> None:
        # A worker that exited (even with code 0) without its "done" is checked after one more
        # look at the queue, since its last messages may still be in the pipe.
        if any(p.exitcode is not None for p in self.processes):
            time.sleep(0.1)
            self._drain(block=False)
            exited = sum(p.exitcode is not None for p in self.processes)
            if exited > self.done:
                codes = [p.exitcode for p in self.processes if p.exitcode]
                raise IndexingError(
                    f"an indexing worker process died (exit code {codes[0] if codes else 0}); nothing was committed"
                )

    def close(self) -> None:
        for p in self.processes:
            if p.is_alive():
                p.terminate()
        for p in self.processes:
            p.join(timeout=5)
        self.jobs.cancel_join_thread()  # records left for a worker that is gone stay unsent
        self.jobs.close()
        self.results.close()
