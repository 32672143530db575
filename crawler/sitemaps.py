"""Sitemaps: index files and URL sets, plain or gzipped, with `lastmod` used to skip unchanged pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from crawler.state import parse_iso


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    lastmod: datetime | None = None


@dataclass(frozen=True)
class ParsedSitemap:
    is_index: bool
    entries: tuple[SitemapEntry, ...]


def parse_sitemap(body: bytes, *, max_size: int) -> ParsedSitemap:
    """Read a sitemap or sitemap index; gzip is undone (at most `max_size` bytes unpacked).

    Raises ValueError for a body that is not a sitemap.
    """
    if body[:2] == b"\x1f\x8b":
        body = gunzip(body, max_size=max_size)
    try:
        sitemap = Sitemap(body)
    except Exception as exc:  # lxml raises several kinds for garbage
        raise ValueError(f"not a sitemap: {exc}") from exc
    if sitemap.type not in ("sitemapindex", "urlset"):
        raise ValueError(f"not a sitemap (root element {sitemap.type!r})")
    entries = []
    for item in sitemap:
        loc = (item.get("loc") or "").strip()
        if loc:
            entries.append(SitemapEntry(loc, parse_lastmod(item.get("lastmod"))))
    return ParsedSitemap(sitemap.type == "sitemapindex", tuple(entries))


def parse_lastmod(text: str | None) -> datetime | None:
    """W3C datetime as used in sitemaps: a date, or a date and time with a zone."""
    if not text:
        return None
    return parse_iso(text.strip())


def unchanged_since(lastmod: datetime | None, last_fetch: str | None) -> bool:
    """True when the sitemap says the page has not changed since we last fetched it."""
    fetched = parse_iso(last_fetch)
    return lastmod is not None and fetched is not None and lastmod <= fetched
