"""The crawler's small pieces, each alone: content sniffing, sitemaps, OAI-PMH, address checks,
Retry-After, failure backoff, and the demo website server."""

from __future__ import annotations

import gzip
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest

from corpus.sources import parse_sources
from corpus.store import Store
from crawler import content, oai, sitemaps
from crawler.politeness import retry_after_seconds
from crawler.safety import check_url, is_public
from crawler.state import CrawlState

SOURCE = """
[[source]]
id = "s"
name = "S"
country = "NO"
language = "nb"
start_urls = ["http://localhost:8000/"]
"""


@pytest.mark.parametrize(
    "ctype,body,kind",
    [
        ("application/pdf", b"%PDF-1.7", "pdf"),
        ("application/octet-stream", b"%PDF-1.4", "pdf"),  # /contentassets/<hash>/<slug>
        ("text/html; charset=utf-8", b"<p>x", "html"),
        (None, b'<?xml version="1.0"?>\n<!DOCTYPE html><html>', "html"),
        ("application/msword", b"\xd0\xcf\x11\xe0", None),
        ("application/octet-stream", b"PK\x03\x04", None),
    ],
)
def test_content_kind(ctype, body, kind):
    assert content.kind_of(ctype, body) == kind


def test_sitemap_gzip_index_and_lastmod():
    urlset = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.no/a</loc>'
        b"<lastmod>2024-03-01</lastmod></url><url><loc>https://x.no/b</loc></url></urlset>"
    )
    parsed = sitemaps.parse_sitemap(gzip.compress(urlset), max_size=10_000)
    assert not parsed.is_index and [e.loc for e in parsed.entries] == ["https://x.no/a", "https://x.no/b"]
    assert sitemaps.unchanged_since(parsed.entries[0].lastmod, "2024-03-02T00:00:00+00:00")
    assert not sitemaps.unchanged_since(parsed.entries[0].lastmod, "2024-02-01T00:00:00+00:00")
    assert not sitemaps.unchanged_since(parsed.entries[1].lastmod, "2024-03-02T00:00:00+00:00")
    index = b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://x.no/s.xml.gz</loc></sitemap></sitemapindex>'
    assert sitemaps.parse_sitemap(index, max_size=10_000).is_index
    with pytest.raises(ValueError):
        sitemaps.parse_sitemap(b"<html>not a sitemap</html>", max_size=10_000)


def test_oai_page_and_hints():
    body = b"""<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
    <responseDate>2026-01-02T10:00:00Z</responseDate><ListRecords>
    <record><header><identifier>oai:r:1</identifier><datestamp>2025-12-01</datestamp></header><metadata>
    <oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:title>Barnevern i kommunene</dc:title><dc:creator>Hansen, Kari</dc:creator><dc:subject>barnevern</dc:subject>
    <dc:date>2025-11-30T00:00:00Z</dc:date><dc:language>nob</dc:language>
    <dc:identifier>https://r.no/handle/1</dc:identifier><dc:identifier>https://r.no/bitstream/1/rapport.pdf</dc:identifier>
    </oai_dc:dc></metadata></record>
    <record><header status="deleted"><identifier>oai:r:2</identifier><datestamp>2025-12-02</datestamp></header></record>
    <resumptionToken>abc</resumptionToken></ListRecords></OAI-PMH>"""
    page = oai.parse_page(body)
    assert page.resumption_token == "abc" and page.response_date.startswith("2026-01-02")
    first, deleted = page.records
    assert deleted.deleted and not first.deleted
    assert oai.record_urls(first)[0] == "https://r.no/bitstream/1/rapport.pdf"  # the full text first
    hints = oai.record_hints(first)
    assert hints == {
        "oai_identifier": "oai:r:1",
        "title": "Barnevern i kommunene",
        "date": "2025-11-30",
        "lang": "nb",
        "language": "nb",
        "subjects": ["barnevern"],
        "creator": ["Hansen, Kari"],
        "oai_dc": first.dc,  # the whole record, for ingest to rank as the OAI source (issue 13)
    }
    assert first.dc["identifier"] == ["https://r.no/handle/1", "https://r.no/bitstream/1/rapport.pdf"]
    src = parse_sources(SOURCE + 'oai_pmh = { endpoint = "http://localhost:8000/oai", set = "nova" }\n', origin="x")[0]
    assert oai.list_records_url(src.oai_pmh, "2026-01-02").endswith("metadataPrefix=oai_dc&set=nova&from=2026-01-02")
    assert oai.resume_url(src.oai_pmh, "a b").endswith("verb=ListRecords&resumptionToken=a+b")


def test_private_addresses_are_refused_unless_allowed():
    (src,) = parse_sources(SOURCE, origin="x")
    assert check_url("http://localhost:8000/page", src) == "private network address"
    assert check_url("http://elsewhere.invalid/", src) == "outside the source"
    (allowed,) = parse_sources(SOURCE + "allow_private_network = true\n", origin="x")
    assert check_url("http://localhost:8000/page", allowed) is None
    for address in ("127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "::1", "fe80::1", "::ffff:127.0.0.1"):
        assert not is_public(address), address
    assert is_public("193.166.3.2")


def test_retry_after():
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == pytest.approx(10)
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_failures_back_off_exponentially(tmp_path):
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    with Store(tmp_path / "s.sqlite") as store:
        state = CrawlState(store, clock=lambda: now[0])
        waits = []
        for _ in range(3):
            due = datetime.fromisoformat(state.record_failure("https://x.se/a", "s", "timeout"))
            waits.append(due - now[0])
            now[0] = due
        assert waits == [timedelta(hours=6), timedelta(hours=12), timedelta(hours=24)]
        assert state.url_state("https://x.se/a").failures == 3
        state.record_fetch("https://x.se/a", "s", status=200, recrawl_days=7, etag='"e"')
        fresh = state.url_state("https://x.se/a")
        assert fresh.failures == 0 and fresh.last_error is None and fresh.etag == '"e"'
        assert not state.is_due(fresh)


def test_demo_site_serves_robots_sitemap_and_pdfs():
    from search.demo import serve_demo_site

    site = serve_demo_site()
    try:
        robots = urllib.request.urlopen(site.base_url + "/robots.txt").read().decode()
        assert f"Sitemap: {site.base_url}/sitemap.xml" in robots
        sitemap = urllib.request.urlopen(site.base_url + "/sitemap.xml").read().decode()
        assert sitemap.count("<loc>") == 8 and "{BASE}" not in sitemap
        with urllib.request.urlopen(site.base_url + "/sv/barn-i-familjehem") as pdf:
            assert pdf.headers["Content-Type"] == "application/pdf" and pdf.read(5) == b"%PDF-"
    finally:
        site.close()
