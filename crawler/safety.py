"""Address checks: a crawl never leaves its source, and never reaches private networks.

`AddressGuard` is a Scrapy downloader middleware that sees every request, including each hop
of a redirect chain (the redirect middleware hands every new location back through the
chain). A request is refused when its URL is outside the source's allow patterns, or when
its host *resolves* to a private, loopback, link-local, multicast or reserved address and the
source does not set `allow_private_network` — the check is on the resolved address, so a
public-looking name that points at 127.0.0.1 or 169.254.169.254 is refused too.
(Twisted resolves the name again to connect; a DNS answer that changes in between is not
caught. Sources are configured, not arbitrary user input, which keeps that risk small.)
"""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest


class Refused(IgnoreRequest):
    """A request the crawler would not send; `reason` goes into the crawl report."""

    def __init__(self, reason: str, url: str):
        super().__init__(f"{reason}: {url}")
        self.reason = reason
        self.url = url


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


@lru_cache(maxsize=4096)
def resolve(host: str, port: int) -> tuple[str, ...]:
    """Every address a host name resolves to (cached for the crawl process)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return ()
    return tuple(sorted({info[4][0] for info in infos}))


def check_url(url: str, source, *, robots_txt: bool = False) -> str | None:
    """The reason `url` must not be fetched for `source`, or None when it may be."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "not an http(s) URL"
    if robots_txt:
        if parts.hostname not in source.hosts:
            return "off-source redirect"
    elif not source.allows(url):
        return "outside the source"
    addresses = resolve(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    if not addresses:
        return "host does not resolve"
    if not source.allow_private_network and not all(is_public(a) for a in addresses):
        return "private network address"
    return None


class AddressGuard:
    """Downloader middleware: refuses requests outside the source or to private addresses."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler) -> AddressGuard:
        return cls(crawler)

    def process_request(self, request):
        source = self.crawler.spider.source
        is_robots = bool(request.meta.get("dont_obey_robotstxt")) and urlsplit(request.url).path == "/robots.txt"
        reason = check_url(request.url, source, robots_txt=is_robots)
        if reason:
            if reason == "outside the source" and request.meta.get("redirect_urls"):
                reason = "off-source redirect"
            raise Refused(reason, request.url)
        return None
