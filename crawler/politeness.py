"""Politeness beyond Scrapy's defaults: retries with exponential backoff, and Retry-After obeyed.

Scrapy's RetryMiddleware re-sends a failed request at once. `PoliteRetry` replaces it: a
retried request waits `backoff × 2^(attempt-1)` seconds, and a 429/503 with `Retry-After`
holds *every* request to that host until the time the server asked for (capped), and raises
the host's download delay so the rest of the crawl stays slower there.
"""

from __future__ import annotations

import asyncio
import time
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.retry import RetryMiddleware


def retry_after_seconds(value: str | bytes | None, *, now: float | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (now if now is not None else time.time()))


class PoliteRetry(RetryMiddleware):
    """RetryMiddleware with backoff and Retry-After; settings: NORDSEARCH_BACKOFF, NORDSEARCH_MAX_RETRY_AFTER."""

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff = settings.getfloat("NORDSEARCH_BACKOFF", 1.0)
        self.max_retry_after = settings.getfloat("NORDSEARCH_MAX_RETRY_AFTER", 120.0)
        self.not_before: dict[str, float] = {}  # host → monotonic time before which nothing is sent

    @staticmethod
    def _host(request) -> str:
        return urlsplit(request.url).netloc

    async def process_request(self, request):
        wait_until = max(self.not_before.get(self._host(request), 0.0), request.meta.get("_not_before", 0.0))
        delay = wait_until - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        return None

    def process_response(self, request, response):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        asked = retry_after_seconds(response.headers.get(b"Retry-After"))
        attempt = request.meta.get("retry_times", 0) + 1
        wait = self.backoff * 2 ** (attempt - 1)
        if asked is not None and response.status in (429, 503):
            wait = max(wait, min(asked, self.max_retry_after))
            self.not_before[self._host(request)] = time.monotonic() + wait
            self._slow_down(request, wait)
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        retry.meta["_not_before"] = time.monotonic() + wait
        return retry

    def process_exception(self, request, exception):
        retry = super().process_exception(request, exception)
        if retry is not None:
            attempt = retry.meta.get("retry_times", 1)
            retry.meta["_not_before"] = time.monotonic() + self.backoff * 2 ** (attempt - 1)
        return retry

    def _slow_down(self, request, wait: float) -> None:
        downloader = getattr(self.crawler.engine, "downloader", None)
        if downloader is None:
            return
        key = request.meta.get("download_slot") or urlsplit(request.url).hostname
        slot = downloader.slots.get(key)
        if slot is not None:
            slot.delay = max(slot.delay, min(wait, self.max_retry_after))
