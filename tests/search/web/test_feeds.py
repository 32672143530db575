"""Atom feeds: digests (all, per area) and "follow this search", checked with feedparser."""

from __future__ import annotations

import feedparser
import pytest

from tests.search.web.collection import BASE_URL, CP, HOSTILE_TITLE, publish_digest


def parse(response):
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.get_data())
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_search_feed_follows_the_search_newest_first(client, stub, ids):
    feed = parse(client.get("/feeds/search.atom?q=barnevern&country=NO&ui=en"))
    req = stub.requests[-1]
    assert req.sort == "date" and req.countries == ("NO",) and req.page == 1
    titles = [e.title for e in feed.entries]
    assert HOSTILE_TITLE in titles  # as text, not markup
    assert feed.feed.title == "nordsearch: barnevern"
    entry = feed.entries[0]
    assert entry.link.startswith(BASE_URL + "documents/")  # the configured address, not the Host header
    assert any(link.rel == "related" and link.href.startswith("https://") for link in entry.links)
    # the page the feed follows
    assert any(link.rel == "alternate" and "country=NO" in link.href for link in feed.feed.links)


def test_search_feed_drops_unsafe_links(client):
    feed = parse(client.get("/feeds/search.atom?q=skript"))
    for entry in feed.entries:
        assert all(not link.href.startswith("javascript:") for link in entry.links)


def test_search_page_links_its_feed(client):
    html = client.get("/?q=barnevern&area=child-protection").get_data(as_text=True)
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/feeds/search.atom?q=barnevern&amp;area=child-protection"' in html


def test_digest_feeds(client, collection_dir, ids):
    data_dir, _ = collection_dir
    number = publish_digest(data_dir, ids)
    everything = parse(client.get("/digests/feeds/all.atom"))
    assert len(everything.entries) == 1
    assert everything.entries[0].link == f"{BASE_URL}digests/digest-{number:04d}.fi.html"
    moved = client.get(everything.entries[0].link.replace(BASE_URL.rstrip("/"), ""))
    assert moved.status_code == 301 and moved.headers["Location"].endswith(f"/digests/{number}/fi")
    assert [e.id for e in parse(client.get("/digests/feeds/fi/all.atom")).entries] == [
        f"urn:nordsearch:digest:{number}"
    ]
    assert parse(client.get("/digests/feeds/sv/all.atom")).entries == []
    assert client.get("/digests/feeds/xx/all.atom").status_code == 404
    area = parse(client.get(f"/digests/feeds/area-{CP}.atom"))
    assert len(area.entries) == 1 and "Äldreomsorgen" not in area.entries[0].content[0].value
    assert len(parse(client.get("/digests/feeds/area-disability.atom")).entries) == 0


@pytest.mark.parametrize("area", ["nope", "..%2F..%2Fstore", "child-protection%00"])
def test_unknown_area_feed_is_404(client, area):
    assert client.get(f"/digests/feeds/area-{area}.atom").status_code == 404
