"""Publishing: numbers and dates, archive and Atom feeds, no item twice, refusals."""

from __future__ import annotations

from datetime import UTC, date, datetime

import feedparser
import pytest
from bs4 import BeautifulSoup

from search.digest import (
    draft_digest,
    feed_xml,
    get_digest,
    list_digests,
    parse_draft,
    publish,
    render_html_fragment,
)
from search.errors import DigestError
from tests.search.digest_corpus import AREAS, build_store, draft_text, edit


def later() -> datetime:
    return datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


@pytest.fixture
def setup(tmp_path):
    store = build_store(tmp_path / "store.sqlite")
    path = tmp_path / "digest.toml"
    text = edit(draft_text(store), 1, "comment", "Arvio <em>tärkeä</em>.")
    path.write_text(edit(text, 5, "include", False), encoding="utf-8")
    yield store, path, tmp_path / "digests"
    store.close()


def test_publish_numbers_and_freezes(setup):
    store, path, out = setup
    done = publish(store, path, out, clock=later)
    assert (done.number, done.items, done.published_at) == (1, 4, "2026-11-24T08:00:00+00:00")
    [digest] = list_digests(store)
    assert digest.number == 1 and digest.lang == "fi"
    frozen = get_digest(store, 1)
    assert len(frozen.items) == 4
    assert frozen.items[0].comment == "Arvio <em>tärkeä</em>."
    assert {v.doc_id for v in frozen.items[0].versions} >= {frozen.items[0].versions[0].doc_id}


def test_publishing_twice_is_refused_with_the_number(setup):
    store, path, out = setup
    publish(store, path, out, clock=later)
    with pytest.raises(DigestError, match="already published as number 1"):
        publish(store, path, out, clock=later)
    # also after an edit of the same draft (same draft_id)
    path.write_text(edit(path.read_text(encoding="utf-8"), 1, "comment", "Korjattu."), encoding="utf-8")
    with pytest.raises(DigestError, match="already published as number 1"):
        publish(store, path, out, clock=later)


def test_second_draft_proposes_none_of_the_published_items(setup):
    store, path, out = setup
    publish(store, path, out, clock=later)
    published = {d for i in get_digest(store, 1).items for d in i.doc_ids}
    second = draft_digest(store, since=date(2026, 10, 1), until=date(2026, 11, 30), areas=AREAS, clock=later)
    proposed = {d for i in second.items for d in i.doc_ids}
    left_out = set(parse_draft(path.read_text(encoding="utf-8")).items[4].doc_ids)
    assert proposed and not proposed & published
    assert proposed == left_out  # only the item the consultant left out


def test_another_draft_carrying_a_published_document_is_refused(tmp_path, setup):
    store, path, out = setup
    other = tmp_path / "other.toml"
    # drafted before the publish, in the same language, over one of the areas
    other.write_text(draft_text(store, lang="fi", areas=("child-protection",)), encoding="utf-8")
    publish(store, path, out, clock=later)
    with pytest.raises(
        DigestError, match=r"other.toml, line \d+ \(item 1.*already published in digest number 1 \(fi\)"
    ):
        publish(store, other, out, clock=later)


def test_withdrawn_document_names_the_item(setup):
    store, path, out = setup
    store.withdraw("https://thl.fi/sv/statistik/barnskydd-2025", "removed by the publisher")
    with pytest.raises(DigestError) as exc:
        publish(store, path, out, clock=later)
    message = str(exc.value)
    text = path.read_text(encoding="utf-8").splitlines()
    line = int(message.split("line ")[1].split(" ")[0])
    assert '"thl-ls-sv"' in text[line - 1]
    assert "item 1" in message and "Lastensuojelu 2025" in message and "withdrawn since the draft" in message
    assert list_digests(store) == []  # nothing frozen


def test_archive_and_feeds(setup):
    store, path, out = setup
    publish(store, path, out, clock=later, base_url="https://nordsearch.example/digests/")
    index = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert index.find("a", href="digest-0001.fi.html")
    page = BeautifulSoup((out / "digest-0001.fi.html").read_text(encoding="utf-8"), "html.parser")
    assert page.find("h1") and not page.find_all("script") and not page.find("em")
    feed = feedparser.parse((out / "feeds" / "all.atom").read_text(encoding="utf-8"))
    assert not feed.bozo, feed.bozo_exception
    [entry] = feed.entries
    assert entry.title.startswith("Tietokooste nro 1")
    assert entry.link == "https://nordsearch.example/digests/digest-0001.fi.html"
    assert entry.updated_parsed[:3] == (2026, 11, 24)
    assert "Lastensuojelu 2025" in entry.content[0].value
    for area in ("child-protection", "older-people", "adult-social-work"):
        area_feed = feedparser.parse((out / "feeds" / f"area-{area}.atom").read_text(encoding="utf-8"))
        assert not area_feed.bozo
        assert area_feed.entries[0].link.endswith(f"digest-0001.fi.html#area-{area}")
    child = feedparser.parse((out / "feeds" / "area-child-protection.atom").read_text(encoding="utf-8"))
    content = child.entries[0].content[0].value
    assert "Lastensuojelu 2025" in content and "Hjemmepleje" not in content


def test_two_digests_in_the_feed_newest_first(setup, tmp_path):
    store, path, out = setup
    publish(store, path, out, clock=later)
    second = tmp_path / "second.toml"
    second.write_text(draft_text(store, since="2026-10-01", until="2026-11-30"), encoding="utf-8")
    publish(store, second, out, clock=lambda: datetime(2026, 12, 1, tzinfo=UTC))
    feed = feedparser.parse(feed_xml(list_digests(store, with_items=True), base_url="https://x.example/"))
    assert [e.id for e in feed.entries] == ["urn:nordsearch:digest:2", "urn:nordsearch:digest:1"]
    assert feed.feed.updated_parsed[:3] == (2026, 12, 1)


def test_library_gives_the_web_app_a_fragment(setup):
    store, path, out = setup
    publish(store, path, out, clock=later)
    html = render_html_fragment(get_digest(store, 1))
    assert "<html" not in html and "Tietokooste nro 1" in html


def test_unknown_digest_number(setup):
    store, _, _ = setup
    with pytest.raises(DigestError, match="no published digest number 7"):
        get_digest(store, 7)
