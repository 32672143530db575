"""The crawl report: per source, what was new, changed, unchanged, withdrawn or failed, and why."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceReport:
    """One source's part of a crawl, from the counters the spider and the ingest recorded."""

    source: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    duplicates: int = 0
    fetched: int = 0
    bytes: int = 0
    duration_s: float = 0.0
    failed: dict = field(default_factory=dict)  # reason → count
    skipped: dict = field(default_factory=dict)  # reason → count (robots.txt, not due, page limit...)
    oai_records: int = 0
    stopped_by: str | None = None  # "time limit" when --max-minutes ended it

    @classmethod
    def from_counts(cls, source: str, counts: dict[str, int]) -> SourceReport:
        return cls(
            source=source,
            new=counts.get("new", 0),
            changed=counts.get("changed", 0),
            unchanged=counts.get("unchanged", 0),
            withdrawn=counts.get("withdrawn", 0),
            duplicates=counts.get("duplicate", 0),
            fetched=counts.get("fetched", 0),
            bytes=counts.get("bytes", 0),
            duration_s=round(counts.get("duration_ms", 0) / 1000, 1),
            failed={k.split(":", 1)[1]: n for k, n in sorted(counts.items()) if k.startswith("failed:")},
            skipped={k.split(":", 1)[1]: n for k, n in sorted(counts.items()) if k.startswith("skipped:")},
            oai_records=counts.get("oai records", 0),
            stopped_by="time limit" if counts.get("stopped:time limit") else None,
        )

    @property
    def failed_total(self) -> int:
        return sum(self.failed.values())

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "withdrawn": self.withdrawn,
            "duplicates": self.duplicates,
            "failed": self.failed_total,
            "failed_by_reason": self.failed,
            "skipped_by_reason": self.skipped,
            "fetched": self.fetched,
            "bytes": self.bytes,
            "duration_s": self.duration_s,
            "oai_records": self.oai_records,
            "stopped_by": self.stopped_by,
        }

    def summary(self) -> str:
        line = (
            f"{self.source}: {self.new} new, {self.changed} changed, {self.unchanged} unchanged, "
            f"{self.withdrawn} withdrawn, {self.failed_total} failed"
        )
        if self.failed:
            line += " (" + ", ".join(f"{r} {n}" for r, n in self.failed.items()) + ")"
        line += f"; {self.bytes / 1e6:.1f} MB in {self.duration_s:.0f} s"
        return line + (f"; stopped by the {self.stopped_by}" if self.stopped_by else "")


@dataclass(frozen=True)
class CrawlReport:
    run_id: int
    started_at: str
    finished_at: str
    resumed: bool
    sources: tuple[SourceReport, ...]
    #: The OCR step of the job (corpus.ocr.job.OcrReport.as_json), or why it was skipped.
    ocr: dict | None = None

    def total(self, name: str) -> int:
        return sum(getattr(s, name) for s in self.sources)

    def as_json(self) -> dict:
        return {
            "run_id": self.run_id,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "resumed": self.resumed,
            "totals": {
                k: self.total(k) for k in ("new", "changed", "unchanged", "withdrawn", "duplicates", "fetched", "bytes")
            }
            | {"failed": sum(s.failed_total for s in self.sources)},
            "sources": [s.as_json() for s in self.sources],
            "ocr": self.ocr,
        }

    def summary_lines(self) -> list[str]:
        head = (
            f"crawl {self.run_id}{' (resumed)' if self.resumed else ''}: {self.total('new')} new, "
            f"{self.total('changed')} changed, {self.total('unchanged')} unchanged, {self.total('withdrawn')} withdrawn, "
            f"{sum(s.failed_total for s in self.sources)} failed"
        )
        lines = [head, *(f"  {s.summary()}" for s in self.sources)]
        if self.ocr:
            lines.append(
                f"  OCR skipped: {self.ocr['skipped']}"
                if "skipped" in self.ocr
                else f"  OCR: {self.ocr['pages_done']} pages read, {self.ocr['pages_left']} waiting, "
                f"{self.ocr['documents_ingested']} documents ingested again"
            )
        return lines
