"""The crawl job: lock, crawl in a child process, ingest what was fetched, report.

run_crawl(data_dir, options, pipeline)
  ├─ select the sources (bad config or an unknown --source fail here, before anything runs)
  ├─ take the data directory's crawl lock (flock: a killed run's lock is released by the OS)
  ├─ open or resume the run (a run left unfinished by SIGKILL keeps its frontier)
  ├─ `python -m crawler.engine PLAN` — Scrapy in a fresh process, the only store writer
  ├─ ingest every fetched body through corpus.ingest.ingest_resources (also leftovers of a
  │  killed run), dropping each from `crawl_pending` once stored
  └─ the report per source, stored with the run
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from corpus.config import DataDir
from corpus.ingest import Pipeline, ingest_resources
from corpus.model import IngestOutcome, Resource
from corpus.rawstore import RawStore
from corpus.sources import Source, configured_sources
from corpus.store import Store
from crawler.engine import CrawlPlan
from crawler.errors import CrawlEngineError, CrawlLockedError, UnknownSourceError
from crawler.listing import SourceSummary, source_summaries
from crawler.report import CrawlReport, SourceReport
from crawler.state import CrawlState

LOCK_NAME = "crawl.lock"
REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class CrawlOptions:
    """What `nordsearch crawl` was asked to do."""

    source_ids: tuple[str, ...] = ()
    max_pages: int | None = None
    max_minutes: float | None = None
    sources_file: Path | None = None


def select_sources(data_dir: DataDir, source_ids: tuple[str, ...], sources_file: Path | None) -> list[Source]:
    """The sources of this crawl; `--sources-file` alone when given, else shipped + the data dir's."""
    sources = configured_sources(data_dir.sources_file, sources_file=sources_file)
    if not source_ids:
        return sources
    by_id = {s.id: s for s in sources}
    unknown = [sid for sid in source_ids if sid not in by_id]
    if unknown:
        raise UnknownSourceError(
            f"unknown source {unknown[0]!r} (configured: {', '.join(sorted(by_id))}; list them with 'nordsearch sources')"
        )
    return [by_id[sid] for sid in dict.fromkeys(source_ids)]


@contextmanager
def crawl_lock(data_dir: DataDir) -> Iterator[int]:
    """An exclusive lock on the data directory's crawl; yields its file descriptor.

    `flock` belongs to the open file: when a crawl is killed, the kernel releases it, so a stale
    lock never blocks the next run. The pid inside is only for the error message.
    """
    data_dir.ensure()
    path = data_dir.root / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            raise CrawlLockedError(
                f"another crawl (pid {holder}) is running on {data_dir.root}; wait for it to finish"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield fd
    finally:
        os.close(fd)


def run_crawl(
    data_dir: DataDir,
    options: CrawlOptions,
    pipeline: Pipeline,
    *,
    on_event: Callable[[dict], None] | None = None,
) -> CrawlReport:
    """Run one crawl job to its end and return its report (see the module docstring)."""
    sources = select_sources(data_dir, options.source_ids, options.sources_file)
    with crawl_lock(data_dir) as lock_fd:
        with Store(data_dir.store_file) as store:
            state = CrawlState(store)
            run_id, resumed = state.open_run(
                {
                    "sources": [s.id for s in sources],
                    "max_pages": options.max_pages,
                    "max_minutes": options.max_minutes,
                }
            )
        plan = CrawlPlan(
            data_dir=str(data_dir.root),
            source_ids=tuple(s.id for s in sources),
            sources_file=str(options.sources_file) if options.sources_file else None,
            run_id=run_id,
            resumed=resumed,
            max_pages=options.max_pages,
            max_minutes=options.max_minutes,
        )
        code = _run_engine(plan, data_dir, lock_fd, on_event or (lambda e: None))
        with Store(data_dir.store_file) as store:
            state = CrawlState(store)
            ingest_pending(state, RawStore(data_dir.raw_dir), pipeline, on_event=on_event)
            if code != 0:
                # the run stays open: the next crawl resumes its frontier
                raise CrawlEngineError(
                    f"the crawl process stopped with exit code {code} (messages above); "
                    f"run 'nordsearch crawl' again to resume"
                )
            report = build_report(state, run_id, resumed, [s.id for s in sources])
            state.finish_run(run_id, report.as_json(), {s.source: s.as_json() for s in report.sources})
    return report


def _run_engine(plan: CrawlPlan, data_dir: DataDir, lock_fd: int, on_event: Callable[[dict], None]) -> int:
    import json

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    with tempfile.TemporaryDirectory(prefix="nordsearch-crawl-") as tmp:
        plan_file = plan.write(Path(tmp) / "plan.json")
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "crawler.engine", str(plan_file)],
                stdout=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                env=env,
                pass_fds=(lock_fd,),  # an orphaned crawl process keeps the lock until it ends
                text=True,
                encoding="utf-8",
            )
        except OSError as exc:
            raise CrawlEngineError(f"cannot start the crawl process: {exc}") from exc
        with proc:
            try:
                for line in proc.stdout:
                    try:
                        on_event(json.loads(line))
                    except ValueError:
                        continue
                return proc.wait()
            except BaseException:
                proc.terminate()
                proc.wait(timeout=30)
                raise


def ingest_pending(
    state: CrawlState, raw: RawStore, pipeline: Pipeline, *, on_event: Callable[[dict], None] | None = None
) -> None:
    """Ingest every fetched body still waiting (this run's and a killed run's), counting outcomes."""
    waiting = {p.url: p for p in state.pending()}
    if not waiting:
        return
    if on_event:
        on_event({"event": "ingesting", "total": len(waiting)})

    def resources() -> Iterator[Resource]:
        for item in waiting.values():
            try:
                body = raw.get(item.content_hash)
            except Exception:
                state.count(item.run_id, item.source, "failed:raw file missing")
                state.drop_pending(item.url)
                continue
            yield Resource(
                url=item.url, body=body, content_type=item.content_type, fetched_at=item.fetched_at, hints=item.hints
            )

    def done(outcome: IngestOutcome) -> None:
        item = waiting[outcome.url]
        key = outcome.status if outcome.status != "failed" else f"failed:extraction: {outcome.reason or '?'}"[:80]
        state.count(item.run_id, item.source, key)
        state.drop_pending(outcome.url)
        if on_event:
            on_event({"event": "ingested", "source": item.source, "url": outcome.url, "status": outcome.status})

    ingest_resources(state.store, raw, resources(), pipeline, on_done=done)


def build_report(state: CrawlState, run_id: int, resumed: bool, source_ids: list[str]) -> CrawlReport:
    counts = state.counts(run_id)
    return CrawlReport(
        run_id=run_id,
        started_at=state.run_started_at(run_id),
        finished_at=state.now(),
        resumed=resumed,
        sources=tuple(SourceReport.from_counts(sid, counts.get(sid, {})) for sid in source_ids),
    )


def source_listing(data_dir: DataDir, sources_file: Path | None = None) -> list[SourceSummary]:
    """Every source documents came from, with its documents and last crawl (`nordsearch sources`).

    With `sources_file`, only the sources it defines.
    """
    sources = configured_sources(data_dir.sources_file, sources_file=sources_file)
    only = sources_file is not None
    if not data_dir.store_file.exists():
        return source_summaries(None, sources, only_configured=only)
    with Store(data_dir.store_file, readonly=True) as store:
        return source_summaries(store.connection, sources, only_configured=only)
