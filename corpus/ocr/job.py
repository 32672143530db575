"""The OCR job: read the queued pages with one worker process per core, then ingest again the
documents whose pages are all read.

run_ocr(data_dir, pipeline, options)
  ├─ Tesseract and its language data checked first (one line saying what to install)
  ├─ the data directory's OCR lock (flock, released by the kernel when the job dies)
  ├─ documents left ready by a killed run are ingested first
  ├─ waiting pages, oldest document first, to `spawn` workers that die with the job
  │  (corpus.workers); each page's text is written in its own transaction, only if the page is
  │  still waiting: a SIGKILL loses only pages in flight, and no page is read twice
  ├─ a document whose last page is written is ingested again at once (it becomes searchable)
  └─ no new page is started after the job's minutes (the cap); the rest wait for the next run

A crash of a worker on one page (a hostile PDF deep inside pdfium or Tesseract) takes the
pages in flight with it: they are tried once more in a fresh pool, and a page that kills a
worker twice is recorded as failed.
"""

from __future__ import annotations

import concurrent.futures as cf
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from corpus.config import DataDir, worker_count
from corpus.errors import CorpusError
from corpus.ingest import Pipeline, ingest_resources
from corpus.model import OcrPage, Resource
from corpus.ocr import queue
from corpus.ocr.engine import check_available
from corpus.rawstore import RawStore
from corpus.store import Store, now_iso

LOCK_NAME = "ocr.lock"


class OcrLockedError(CorpusError):
    """Another OCR job holds this data directory's OCR lock."""


@dataclass(frozen=True)
class OcrOptions:
    """What one OCR job may do: its minutes (None: the data directory's `ocr_job_minutes`)."""

    max_minutes: float | None = None
    workers: int | None = None  # None: one per core (the `workers` setting)


@dataclass
class OcrReport:
    """What one OCR job did."""

    pages: Counter = field(default_factory=Counter)
    documents: int = 0
    left: int = 0
    seconds: float = 0.0
    capped: bool = False

    def as_json(self) -> dict:
        return {
            "pages_done": self.pages["done"],
            "pages_failed": self.pages["failed"],
            "pages_left": self.left,
            "documents_ingested": self.documents,
            "seconds": round(self.seconds, 1),
            "stopped_by_time_cap": self.capped,
        }

    def summary(self) -> str:
        rate = self.pages["done"] / self.seconds if self.seconds and self.pages["done"] else 0.0
        text = (
            f"OCR: {self.pages['done']} pages read, {self.pages['failed']} failed, "
            f"{self.documents} documents ingested again, {self.left} pages waiting ({rate:.2f} pages/s)"
        )
        return text + ("; stopped at the time cap" if self.capped else "")


@contextmanager
def ocr_lock(data_dir: DataDir) -> Iterator[int]:
    """An exclusive flock on the data directory's OCR; a killed job's lock is freed by the kernel."""
    from corpus.workers import job_lock

    data_dir.ensure()

    def busy(pid: str) -> OcrLockedError:
        return OcrLockedError(f"another OCR job (pid {pid}) is running on {data_dir.root}; wait for it to finish")

    with job_lock(data_dir.root / LOCK_NAME, busy) as fd:
        yield fd


# -- the worker side -------------------------------------------------------------------------

_worker: dict = {}


def _init_worker() -> None:
    from corpus.ocr.engine import Engine
    from corpus.ocr.lexicon import Lexicon
    from corpus.workers import die_with_parent

    die_with_parent()
    _worker["engine"] = Engine()
    _worker["lexicon"] = Lexicon()


def _read_page(raw_path: str, task: queue.PageTask) -> tuple[OcrPage | None, float, str]:
    """Runs in a worker: the page's text, seconds spent, and an error (one line) if it failed."""
    import pypdfium2 as pdfium

    from corpus.ocr.recognise import recognise_page

    started = time.monotonic()
    cached = _worker.get("pdf")
    try:
        if cached is None or cached[0] != task.content_hash:
            if cached is not None:
                cached[1].close()
                _worker.pop("pdf")
            with open(raw_path, "rb") as f:
                pdf = pdfium.PdfDocument(f.read())
            _worker["pdf"] = cached = (task.content_hash, pdf)
        result = recognise_page(cached[1], task.page, task.lang, _worker["engine"], _worker["lexicon"])
        return result, time.monotonic() - started, ""
    except Exception as exc:  # one unreadable page is recorded, never stops the job
        return None, time.monotonic() - started, f"{type(exc).__name__}: {exc}"[:200]


# -- the job side ----------------------------------------------------------------------------


def _deadline(data_dir: DataDir, options: OcrOptions) -> float:
    minutes = options.max_minutes if options.max_minutes is not None else data_dir.settings().ocr_job_minutes
    return time.monotonic() + minutes * 60.0


def apply_document(store: Store, raw: RawStore, item: queue.Queued, pipeline: Pipeline) -> str | None:
    """Ingest a document again with its pages' text; returns the outcome, None if it is gone."""
    current = store.stored_hash(item.url)
    if current is not None and current != item.content_hash:
        queue.mark_applied(store, item)  # the URL has newer bytes since: this version is history
        return None
    try:
        body = raw.get(item.content_hash)
    except Exception:
        queue.mark_applied(store, item)
        return None
    resource = Resource(
        url=item.url,
        body=body,
        content_type=item.content_type,
        fetched_at=item.fetched_at,
        hints=item.hints,
        ocr_pages=queue.final_pages(store, item.content_hash),
    )
    one_process = replace(pipeline, settings=replace(pipeline.settings, workers=1))
    report = ingest_resources(store, raw, [resource], one_process, force=True)
    queue.mark_applied(store, item)
    return report.outcomes[0].status if report.outcomes else None


def apply_ready(store: Store, raw: RawStore, pipeline: Pipeline, content_hash: str | None = None) -> int:
    """Ingest again every document whose pages are all final (only this PDF's, if given)."""
    done = 0
    for item in list(queue.ready(store)):
        if content_hash is None or item.content_hash == content_hash:
            if apply_document(store, raw, item, pipeline) is not None:
                done += 1
    return done


def run_ocr(
    data_dir: DataDir,
    pipeline: Pipeline,
    options: OcrOptions | None = None,
    *,
    deadline: float | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> OcrReport:
    """Run one OCR job (see the module docstring); `deadline` (time.monotonic) overrides the minutes.

    `on_progress(done, total, label)` is called once before the first page and after each page.
    """
    options = options or OcrOptions()
    check_available()
    deadline = deadline if deadline is not None else _deadline(data_dir, options)
    report = OcrReport()
    started = time.monotonic()
    raw = RawStore(data_dir.raw_dir)
    with ocr_lock(data_dir), Store(data_dir.store_file) as store:
        queue.ensure(store)
        report.documents += apply_ready(store, raw, pipeline)
        tasks = queue.waiting_tasks(store)
        if on_progress:
            on_progress(0, len(tasks), "")
        if tasks:
            workers = min(options.workers or worker_count(pipeline.settings), len(tasks))
            _read_pages(store, raw, pipeline, tasks, workers, deadline, report, on_progress)
        report.left = len(queue.waiting_tasks(store))
    report.seconds = time.monotonic() - started
    return report


def _read_pages(store, raw, pipeline, tasks, workers, deadline, report, on_progress) -> None:
    from corpus.workers import spawn_context

    run = f"{now_iso()} pid {os.getpid()}"
    todo = list(tasks)
    todo.reverse()  # popped from the end: oldest first
    crashes: Counter = Counter()
    total = len(tasks)
    waiting_per_pdf = Counter(t.content_hash for t in tasks)

    def new_pool() -> cf.ProcessPoolExecutor:
        return cf.ProcessPoolExecutor(max_workers=workers, mp_context=spawn_context(), initializer=_init_worker)

    pool = new_pool()
    pending: dict[cf.Future, queue.PageTask] = {}

    def finish(task: queue.PageTask, result: OcrPage | None, seconds: float, error: str) -> None:
        if queue.record(store, task, result, seconds=seconds, run=run, error=error):
            report.pages["done" if result else "failed"] += 1
        waiting_per_pdf[task.content_hash] -= 1
        if waiting_per_pdf[task.content_hash] <= 0:
            report.documents += apply_ready(store, raw, pipeline, task.content_hash)
        if on_progress:
            on_progress(report.pages["done"] + report.pages["failed"], total, f"page {task.page + 1}")

    try:
        while todo or pending:
            while todo and len(pending) < workers * 2:
                if time.monotonic() >= deadline:
                    report.capped = True
                    todo.clear()
                    break
                task = todo.pop()
                pending[pool.submit(_read_page, str(raw.path(task.content_hash)), task)] = task
            if not pending:
                break
            done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            broken = False
            for fut in done:
                task = pending.pop(fut)
                try:
                    finish(task, *fut.result())
                except cf.process.BrokenProcessPool:
                    broken = True
                    crashes[task] += 1
                    if crashes[task] >= 2:
                        finish(task, None, 0.0, "OCR crashed its worker process")
                    else:
                        todo.append(task)
            if broken:
                for task in list(pending.values()):
                    crashes[task] += 1
                    todo.append(task)
                pending.clear()
                pool.shutdown(cancel_futures=True)
                pool = new_pool()
    finally:
        pool.shutdown(cancel_futures=True)
