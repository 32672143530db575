"""Conditional GET: every page request carries the validators of the URL's last good fetch.

A downloader middleware rather than code in the spider, so that each hop of a redirect chain
asks with its own URL's `If-None-Match` / `If-Modified-Since` (the redirect middleware copies
the first hop's headers otherwise). For an HTML page, validators are sent only when the raw
store still holds its body, because a 304 must leave us something to re-read links from.
"""

from __future__ import annotations


class ConditionalGet:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler) -> ConditionalGet:
        return cls(crawler)

    def process_request(self, request):
        if request.meta.get("kind") != "page":
            return None
        for name in (b"If-None-Match", b"If-Modified-Since"):
            request.headers.pop(name, None)
        job = self.crawler.spider.job
        known = job.state.url_state(request.url)
        if known is None or known.failures:
            return None
        # a 304 for an HTML page must leave its stored copy to re-read links from
        if "html" in (known.content_type or "") and not (known.content_hash and job.raw.has(known.content_hash)):
            return None
        if known.last_fetch:
            if known.etag:
                request.headers[b"If-None-Match"] = known.etag
            if known.last_modified:
                request.headers[b"If-Modified-Since"] = known.last_modified
        return None
