"""Ingest: raw resources in, stored documents out, as a list of small steps.

    Resource ─► extract ─► repair ─► sections + languages ─► areas ─► Document ─► store

`process` is a pure function of a resource (it runs in worker processes, one per core);
`ingest_resources` feeds it and writes results through the one store writer. A failure on one
document becomes a `failed` document with a one-line reason; the batch goes on.
"""

from __future__ import annotations

import concurrent.futures as cf
import mimetypes
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from corpus.biblio.claims import best
from corpus.biblio.publishers import Registry, load_registry
from corpus.config import Settings, worker_count
from corpus.errors import ExtractionError
from corpus.model import AreaMatch, Document, IngestOutcome, Resource, Section
from corpus.rawstore import RawStore, content_hash
from corpus.store import Store, doc_id_for, now_iso

#: File endings `ingest` picks up from folders, with the content type they stand for.
FILE_TYPES = {".html": "text/html", ".htm": "text/html", ".pdf": "application/pdf", ".txt": "text/plain"}

#: A classifier takes (title, description, sections) and returns the document's areas.
Classifier = Callable[[str, str, tuple[Section, ...]], tuple[AreaMatch, ...]]


@dataclass(frozen=True)
class Pipeline:
    """What `process` needs besides the resource; picklable, so workers get their own copy."""

    settings: Settings = field(default_factory=Settings)
    classify: Classifier | None = None
    publishers: Registry = field(default_factory=load_registry)


@dataclass
class IngestReport:
    """Counts of one ingest run, and the failures with their reasons."""

    counts: Counter = field(default_factory=Counter)
    failures: list[IngestOutcome] = field(default_factory=list)
    outcomes: list[IngestOutcome] = field(default_factory=list)

    def add(self, outcome: IngestOutcome) -> None:
        self.counts[outcome.status] += 1
        self.outcomes.append(outcome)
        if outcome.status == "failed":
            self.failures.append(outcome)

    def summary(self) -> str:
        parts = [f"{self.counts[k]} {k}" for k in ("new", "changed", "unchanged", "failed")]
        return f"{sum(self.counts.values())} documents: " + ", ".join(parts)

    def as_json(self) -> dict:
        return {
            "total": sum(self.counts.values()),
            **{k: self.counts[k] for k in ("new", "changed", "unchanged", "failed")},
            "failures": [{"url": f.url, "reason": f.reason} for f in self.failures],
            "documents": [
                {"url": o.url, "id": o.doc_id, "status": o.status, **({"reason": o.reason} if o.reason else {})}
                for o in self.outcomes
            ],
        }


def doc_type_for(fmt: str, hints: dict) -> str:
    if hints.get("doc_type"):
        return str(hints["doc_type"])
    return {"pdf": "report", "html": "web page", "txt": "text"}.get(fmt, fmt or "unknown")


def process(resource: Resource, pipeline: Pipeline) -> Document:
    """Turn one resource into a document; never raises for a bad document."""
    from corpus import extract, language, repair, sections
    from corpus.biblio.record import build_record

    hints = resource.hints
    base = Document(
        id=doc_id_for(resource.url),
        url=resource.url,
        title=hints.get("title", ""),
        lang="und",
        country=hints.get("country"),
        publisher=hints.get("publisher"),
        source=hints.get("source"),
        content_hash=content_hash(resource.body),
        first_seen=resource.fetched_at,
        meta={k: v for k, v in hints.items() if k in ("subjects", "creator", "oai_identifier", "language")},
    )
    try:
        extracted = repair.repair(extract.extract(resource, pipeline.settings))
        secs = sections.sectionize(
            extracted, default_lang=hints.get("lang"), langdetect_seed=pipeline.settings.langdetect_seed
        )
        if not secs:
            # a landing page may be no more than its title and a link to the full text
            headings = tuple(replace(b, kind="paragraph") for b in extracted.blocks if b.kind == "heading")
            secs = sections.sectionize(
                replace(extracted, blocks=headings),
                default_lang=hints.get("lang"),
                langdetect_seed=pipeline.settings.langdetect_seed,
            )
        if not secs:
            raise ExtractionError("no text found")
        lang, langs = language.document_languages(secs)
        record = build_record(
            extracted.claims,
            hints,
            url=resource.url,
            front_text=extracted.front_text or "\n".join(b.text for b in extracted.blocks[:3]),
            description=extracted.description,
            registry=pipeline.publishers,
        )
        won = {f: c[0].value for f in ("title", "date", "publisher") if (c := best(record, f))}
        title = won.get("title") or Path(resource.url).stem
        areas = pipeline.classify(title, extracted.description or "", secs) if pipeline.classify else ()
    except ExtractionError as exc:
        return _replace(base, status="failed", error=exc.reason, format=_format_of(resource))
    except Exception as exc:  # one hostile document must never stop a batch
        return _replace(
            base, status="failed", error=f"unexpected {type(exc).__name__}: {exc}"[:300], format=_format_of(resource)
        )
    meta = dict(base.meta)
    if extracted.pages:
        meta["pages"] = extracted.pages
    return _replace(
        base,
        title=title,
        lang=lang,
        langs=langs,
        format=extracted.format,
        doc_type=doc_type_for(extracted.format, hints),
        date=won.get("date"),
        publisher=won.get("publisher"),
        description=extracted.description,
        sections=secs,
        areas=areas,
        meta=meta,
        record=record,
        links=extracted.links,
    )


def _replace(doc: Document, **changes) -> Document:
    return replace(doc, **changes)


def _format_of(resource: Resource) -> str:
    ctype = (resource.content_type or "").split(";")[0].strip()
    return {"text/html": "html", "application/pdf": "pdf", "text/plain": "txt"}.get(ctype, "")


# -- local files ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FileTask:
    """A local file to ingest, or the reason it cannot be read."""

    path: Path
    resource: Resource | None = None
    reason: str | None = None


def find_files(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """The files to ingest under `paths` (recursively), in a stable order."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for sub in sorted(p for p in path.rglob("*") if p.is_file()):
                if sub.suffix.lower() in FILE_TYPES and not sub.name.startswith("."):
                    yield sub
        else:
            yield path  # a missing or odd file named by the user is reported, not skipped


def read_file(path: Path, settings: Settings, hints: dict) -> FileTask:
    url = path.absolute().as_uri()
    ctype = FILE_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    try:
        size = path.stat().st_size
        if size > settings.max_file_bytes:
            return FileTask(
                path, reason=f"file too large ({size / 1e6:.0f} MB > {settings.max_file_bytes / 1e6:.0f} MB cap)"
            )
        body = path.read_bytes()
    except FileNotFoundError:
        return FileTask(path, reason="file not found (removed before it could be read?)")
    except IsADirectoryError:
        return FileTask(path, reason="is a directory")
    except OSError as exc:
        return FileTask(path, reason=f"cannot read file: {exc.strerror or exc}")
    if ctype not in FILE_TYPES.values():
        return FileTask(path, reason=f"unsupported file type {path.suffix or '(none)'} (use .html, .htm, .pdf or .txt)")
    return FileTask(path, Resource(url=url, body=body, content_type=ctype, fetched_at=now_iso(), hints=hints))


# -- the batch -----------------------------------------------------------------------------


def _process_in_worker(args: tuple[Resource, Pipeline]) -> Document:
    return process(*args)


def ingest_resources(
    store: Store,
    raw: RawStore,
    resources: Iterable[Resource | FileTask],
    pipeline: Pipeline,
    *,
    force: bool = False,
    on_done: Callable[[IngestOutcome], None] | None = None,
) -> IngestReport:
    """Ingest resources with one worker per core; the store is written only from here.

    Unchanged bytes at a known URL are skipped before any extraction (unless `force`).
    """
    report = IngestReport()

    def finish(outcome: IngestOutcome) -> None:
        report.add(outcome)
        if on_done:
            on_done(outcome)

    def failed_file(task: FileTask) -> IngestOutcome:
        url = task.path.absolute().as_uri()
        doc = Document(
            id=doc_id_for(url),
            url=url,
            title=task.path.name,
            lang="und",
            status="failed",
            error=task.reason,
            first_seen=now_iso(),
            content_hash=f"failed:{task.reason}",
        )
        store.save(doc)
        return IngestOutcome(url, "failed", doc.id, task.reason)

    def to_do() -> Iterator[Resource]:
        for item in resources:
            if isinstance(item, FileTask):
                if item.resource is None:
                    finish(failed_file(item))
                    continue
                item = item.resource
            digest = content_hash(item.body)
            if not force and store.stored_hash(item.url) == digest:
                finish(IngestOutcome(item.url, "unchanged", doc_id_for(item.url)))
                continue
            raw.put(item.body)
            yield item

    def store_result(doc: Document) -> None:
        status = store.save(doc)
        if doc.status == "failed":
            finish(IngestOutcome(doc.url, "failed", doc.id, doc.error))
        else:
            finish(IngestOutcome(doc.url, status, doc.id))

    workers = worker_count(pipeline.settings)
    if workers <= 1:
        for resource in to_do():
            store_result(process(resource, pipeline))
        return report
    _run_in_pool(to_do(), pipeline, workers, store_result)
    return report


def _run_in_pool(
    resources: Iterator[Resource], pipeline: Pipeline, workers: int, store_result: Callable[[Document], None]
) -> None:
    """Process resources in worker processes, at most 2 per worker in flight.

    A worker that dies (a crash deep in a PDF library, the OOM killer) takes only the
    documents it held: they are recorded as failed and a fresh pool carries on.
    """
    pool = cf.ProcessPoolExecutor(max_workers=workers)
    pending: dict[cf.Future, Resource] = {}

    def collect(done: Iterable[cf.Future]) -> bool:
        broken = False
        for fut in done:
            resource = pending.pop(fut)
            try:
                store_result(fut.result())
            except cf.process.BrokenProcessPool:
                broken = True
                store_result(_crashed(resource))
        return broken

    try:
        for resource in resources:
            pending[pool.submit(_process_in_worker, (resource, pipeline))] = resource
            if len(pending) >= workers * 2:  # bounded: big PDFs must not pile up in memory
                done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                if collect(done):
                    collect(list(pending))
                    pool.shutdown(cancel_futures=True)
                    pool = cf.ProcessPoolExecutor(max_workers=workers)
        while pending:
            done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            if collect(done):
                collect(list(pending))
    finally:
        pool.shutdown(cancel_futures=True)


def _crashed(resource: Resource) -> Document:
    return Document(
        id=doc_id_for(resource.url),
        url=resource.url,
        title="",
        lang="und",
        status="failed",
        error="extraction crashed its worker process",
        content_hash=content_hash(resource.body),
        first_seen=resource.fetched_at,
    )


def ingest_paths(
    store: Store,
    raw: RawStore,
    paths: Iterable[str | os.PathLike],
    pipeline: Pipeline,
    *,
    hints: dict | None = None,
    force: bool = False,
    on_done: Callable[[IngestOutcome], None] | None = None,
) -> IngestReport:
    """Ingest local files and folders; `hints` labels them (country, publisher)."""
    tasks = (read_file(p, pipeline.settings, dict(hints or {})) for p in find_files(paths))
    return ingest_resources(store, raw, tasks, pipeline, force=force, on_done=on_done)
