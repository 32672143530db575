"""The Scrapy spider that crawls one source: start pages, sitemaps and OAI-PMH, within its rules.

One `SourceSpider` runs per source (each with its own Scrapy crawler, so delays and depth are
per source). It never writes documents: it records fetch state and puts new or changed bodies
in the raw store with a `crawl_pending` row; the crawl job ingests those afterwards through
`corpus.ingest.ingest_resources`, like local files. The frontier in the store is the dedupe and
the resume point: a URL is requested at most once per run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import scrapy
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS, LinkExtractor
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectError, DNSLookupError, TCPTimedOutError, TimeoutError

from corpus.rawstore import RawStore, content_hash
from corpus.sources import Source
from crawler import content, oai, sitemaps
from crawler.safety import Refused
from crawler.state import CrawlState, FrontierEntry, Pending

#: PDFs are what we came for: Scrapy's link extractor skips them by default.
LINK_EXTENSIONS_SKIPPED = [e for e in IGNORED_EXTENSIONS if e != "pdf"]
KEEP_STATUSES = [304, 404, 410]


@dataclass
class JobContext:
    """What every spider of one crawl process shares: the state, the raw store, the budgets."""

    state: CrawlState
    raw: RawStore
    run_id: int
    resumed: bool
    max_file_bytes: int
    depth_limit: int
    max_pages_total: int | None = None
    pages_scheduled: int = 0
    emit: Any = field(default=lambda event: None)


class SourceSpider(scrapy.Spider):
    name = "nordsearch"

    def __init__(self, source: Source, job: JobContext, **kwargs):
        super().__init__(name=f"nordsearch-{source.id}", **kwargs)
        self.source = source
        self.job = job
        self.state = job.state
        self.pages_scheduled = self.state.pages_done(job.run_id, source.id)
        self.links = LinkExtractor(deny_extensions=LINK_EXTENSIONS_SKIPPED, unique=True)
        self.depth_limit = source.depth if source.depth is not None else job.depth_limit
        self._started = time.monotonic()

    def closed(self, reason: str) -> None:
        self.count("duration_ms", int((time.monotonic() - self._started) * 1000))
        if reason == "closespider_timeout":
            self.count("stopped:time limit")

    # -- helpers --------------------------------------------------------------------------
    def count(self, key: str, n: int = 1) -> None:
        self.state.count(self.job.run_id, self.source.id, key, n)

    def done(self, url: str, state: str = "done") -> None:
        self.state.mark(self.job.run_id, url, state)

    def fail(self, url: str, reason: str, status: int | None = None) -> None:
        self.state.record_failure(url, self.source.id, reason, status=status)
        self.count(f"failed:{reason}")
        self.done(url)
        self.job.emit({"event": "failed", "source": self.source.id, "url": url, "reason": reason})

    def _budget_left(self) -> bool:
        if self.pages_scheduled >= self.source.max_pages:
            return False
        return self.job.max_pages_total is None or self.job.pages_scheduled < self.job.max_pages_total

    def schedule(self, url: str, kind: str, depth: int = 0, meta: dict | None = None, *, force: bool = False):
        """Put a URL on the frontier and return its request (None when known, off-source or over budget)."""
        entry = FrontierEntry(url, self.source.id, kind, depth, meta or {})
        if not self.source.allows(url) and kind == "page":
            return None
        if not self.state.enqueue(self.job.run_id, entry) and not force:
            return None
        return self.request_for(entry)

    def request_for(self, entry: FrontierEntry):
        meta: dict = {
            "frontier_url": entry.url,
            "kind": entry.kind,
            "depth": entry.depth,
            "hints": entry.meta.get("hints", {}),
            "oai_landing": entry.meta.get("oai_landing", False),
            "handle_httpstatus_list": KEEP_STATUSES,
        }
        if entry.kind == "page":
            if not self._budget_left():
                self.done(entry.url, "over budget")
                self.count("skipped:page limit")
                return None
            known = self.state.url_state(entry.url)
            if known and not self.state.is_due(known) and not entry.meta.get("start"):
                return self._not_due(entry, known)
            self.pages_scheduled += 1
            self.job.pages_scheduled += 1
            self.job.emit({"event": "scheduled", "source": self.source.id, "url": entry.url})
        priority = {"oai": 20, "sitemap": 10}.get(entry.kind, 0) - entry.depth
        return scrapy.Request(
            entry.url,
            callback=self.parse,
            errback=self.on_error,
            meta=meta,
            priority=priority,
            dont_filter=True,
        )

    def _not_due(self, entry: FrontierEntry, known):
        """A page fetched recently: no request; its links still come from the stored copy."""
        self.count("skipped:not due")
        self.done(entry.url)
        if known.content_hash and known.content_type and "html" in known.content_type:
            return ("links", entry, known)
        return None

    # -- start ----------------------------------------------------------------------------
    async def start(self):
        for item in self._start_items():
            for req in self._expand(item):
                yield req

    def _start_items(self):
        if self.job.resumed:
            for entry in self.state.queued(self.job.run_id, self.source.id):
                yield self.request_for(entry)
        for url in self.source.start_urls:
            yield self.schedule(url, "page", 0, {"start": True})
        for url in self.source.sitemaps:
            yield self.schedule(url, "sitemap")
        if self.source.oai_pmh:
            from_day = self.state.oai_from(self.source.id)
            yield self.schedule(oai.list_records_url(self.source.oai_pmh, from_day), "oai", 0, {"from": from_day})

    def _expand(self, item):
        """Requests out of a `schedule` result; a not-due page yields its stored links instead."""
        if item is None:
            return
        if isinstance(item, tuple) and item[0] == "links":
            _, entry, known = item
            try:
                body = self.job.raw.get(known.content_hash)
            except Exception:
                return
            cached = HtmlResponse(entry.url, body=body, headers={"Content-Type": known.content_type})
            yield from self._follow_links(cached, entry.depth, entry.meta.get("hints", {}))
            return
        yield item

    # -- responses ------------------------------------------------------------------------
    def parse(self, response):
        kind = response.meta["kind"]
        if kind == "sitemap":
            yield from self.parse_sitemap(response)
        elif kind == "oai":
            yield from self.parse_oai(response)
        else:
            yield from self.parse_page(response)

    def parse_page(self, response):
        url = response.meta["frontier_url"]
        final = response.url
        depth = response.meta["depth"]
        hints = response.meta.get("hints", {})
        known = self.state.url_state(final)
        self.job.emit({"event": "fetched", "source": self.source.id, "url": final, "status": response.status})
        if response.status == 304:
            self.state.record_fetch(final, self.source.id, status=304, recrawl_days=self.source.recrawl_days)
            self.count("unchanged")
            self.done(url)
            if known and known.content_type and "html" in known.content_type:
                yield from self._expand(("links", FrontierEntry(final, self.source.id, "page", depth, {}), known))
            return
        if response.status in (404, 410):
            if self.state.store.withdraw(final, f"HTTP {response.status} at source") or (
                final != url and self.state.store.withdraw(url, f"HTTP {response.status} at source")
            ):
                self.count("withdrawn")
            else:
                self.count(f"failed:HTTP {response.status}")
            self.state.record_failure(final, self.source.id, f"HTTP {response.status}", status=response.status)
            self.state.drop_pending(final)
            self.done(url)
            return
        body = response.body
        self.count("bytes", len(body))
        self.count("fetched")
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        found = content.kind_of(ctype, body)
        if found is None:
            self.state.record_fetch(
                final,
                self.source.id,
                status=response.status,
                recrawl_days=self.source.recrawl_days,
                etag=_header(response, b"ETag"),
                last_modified=_header(response, b"Last-Modified"),
                content_type=content.media_type(ctype) or None,
            )
            self.count(f"skipped:not HTML or PDF ({content.media_type(ctype) or 'no type'})")
            self.done(url)
            return
        ctype = content.content_type_for(found, ctype)
        digest = content_hash(body)
        validators = {
            "etag": _header(response, b"ETag"),
            "last_modified": _header(response, b"Last-Modified"),
            "content_hash": digest,
            "content_type": ctype,
        }
        if final != url:  # a redirect: the final URL is the document; remember it is done
            self.state.enqueue(self.job.run_id, FrontierEntry(final, self.source.id, "page", depth, {}))
            self.done(final)
        oai_landing = response.meta.get("oai_landing") and found == "html"
        if known and known.content_hash == digest:
            self.count("unchanged")
        elif (other := self.state.duplicate_of(digest, final)) is not None:
            self.count("duplicate")
            self.job.emit({"event": "duplicate", "source": self.source.id, "url": final, "of": other})
        elif not oai_landing:
            self.job.raw.put(body)
            fetched_at = self.state.now()
            self.state.add_pending(
                Pending(
                    final, self.source.id, self.job.run_id, digest, ctype, fetched_at, {**self.source.hints(), **hints}
                )
            )
        self.state.record_fetch(
            final, self.source.id, status=response.status, recrawl_days=self.source.recrawl_days, **validators
        )
        if found == "html" and not oai_landing:
            self.job.raw.put(body)  # kept so a later 304 can still yield this page's links
        self.done(url)
        if found == "html":
            if oai_landing:
                yield from self._follow_fulltext(response, depth, hints)
            else:
                yield from self._follow_links(response, depth, {})

    def _follow_links(self, response, depth: int, hints: dict):
        if depth + 1 > self.depth_limit:
            self.count("skipped:depth limit")
            return
        for link in self.links.extract_links(response):
            if not self.source.allows(link.url):
                continue
            yield from self._expand(self.schedule(link.url, "page", depth + 1, {"hints": hints} if hints else None))

    def _follow_fulltext(self, response, depth: int, hints: dict):
        """An OAI record's landing page: follow its PDF links with the record's Dublin Core."""
        pdfs = [link.url for link in self.links.extract_links(response) if oai._PDFISH.search(link.url)]
        for url in pdfs:
            if self.source.allows(url):
                yield from self._expand(self.schedule(url, "page", depth + 1, {"hints": hints}))

    def parse_sitemap(self, response):
        url = response.meta["frontier_url"]
        self.done(url)
        try:
            parsed = sitemaps.parse_sitemap(response.body, max_size=self.job.max_file_bytes)
        except ValueError as exc:
            self.fail(url, "bad sitemap")
            self.logger.debug("sitemap %s: %s", url, exc)
            return
        self.state.record_fetch(url, self.source.id, status=response.status, recrawl_days=0)
        for entry in parsed.entries:
            if parsed.is_index:
                yield from self._expand(self.schedule(entry.loc, "sitemap"))
                continue
            known = self.state.url_state(entry.loc)
            if known and known.failures == 0 and sitemaps.unchanged_since(entry.lastmod, known.last_fetch):
                if self.state.enqueue(self.job.run_id, FrontierEntry(entry.loc, self.source.id, "page", 1, {})):
                    self.done(entry.loc)
                    self.count("unchanged")
                    self.count("skipped:sitemap lastmod")
                continue
            yield from self._expand(self.schedule(entry.loc, "page", 1))

    def parse_oai(self, response):
        url = response.meta["frontier_url"]
        self.done(url)
        try:
            page = oai.parse_page(response.body)
        except ValueError:
            self.fail(url, "bad OAI-PMH response")
            return
        harvest = self.source.oai_pmh
        for record in page.records:
            urls = oai.record_urls(record)
            if record.deleted:
                for u in urls:
                    if self.state.store.withdraw(u, "deleted in OAI-PMH repository"):
                        self.count("withdrawn")
                continue
            hints = oai.record_hints(record)
            self.count("oai records")
            for u in urls[:1]:
                pdfish = bool(oai._PDFISH.search(u))
                yield from self._expand(self.schedule(u, "page", 1, {"hints": hints, "oai_landing": not pdfish}))
        if page.error and page.error != "noRecordsMatch":
            self.fail(url, f"OAI-PMH error {page.error}")
            return
        if page.resumption_token:
            yield from self._expand(self.schedule(oai.resume_url(harvest, page.resumption_token), "oai"))
        elif page.response_date:
            # the list is complete: next time ask only for what changed since this harvest began
            self.state.set_oai_from(self.source.id, page.response_date[:10])

    # -- failures -------------------------------------------------------------------------
    def on_error(self, failure):
        request = failure.request
        url = request.meta.get("frontier_url", request.url)
        exc = failure.value
        status = None
        if isinstance(exc, Refused):
            reason = exc.reason
        elif isinstance(exc, HttpError):
            status = exc.response.status
            reason = f"HTTP {status}"
        elif isinstance(exc, IgnoreRequest):
            text = str(exc)
            if "robots.txt" in text:
                reason = "robots.txt"
            elif "redirect" in text:
                reason = "too many redirects"
            else:
                reason = text[:60] or "ignored"
        elif isinstance(exc, TimeoutError | TCPTimedOutError | DownloadTimeoutError):
            reason = "timeout"
        elif isinstance(exc, DNSLookupError):
            reason = "host does not resolve"
        elif isinstance(exc, ConnectError):
            reason = "connection failed"
        elif "DownloadCancelledError" in type(exc).__name__ or "maxsize" in str(exc).lower():
            reason = "too large"
        else:
            reason = type(exc).__name__
        if reason == "robots.txt":
            self.count("skipped:robots.txt")
            self.done(url)
            self.job.emit({"event": "skipped", "source": self.source.id, "url": url, "reason": reason})
            return
        self.fail(url, reason, status)


def _header(response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
