"""The HTML pages through Flask's test client: search, facets, paging, documents, digests, sources."""

from __future__ import annotations

import re

import pytest

from search.model import MAX_PAGE
from tests.search.web.collection import CP, DOCUMENTS, build_store, many, publish_digest


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_start_page_has_labelled_query_box_and_areas_with_counts(client):
    html = text_of(client.get("/", headers={"Accept-Language": "en"}))
    assert '<label for="q">Search words</label>' in html
    assert 'id="q" name="q"' in html
    assert 'role="search"' in html
    # browse by area: the thesaurus's labels, with the number of documents in each
    assert re.search(r'href="/\?area=child-protection">Child protection</a> <span class="count">5 documents', html)


def test_search_sends_the_request_and_shows_hits(client, stub):
    html = text_of(client.get("/?q=barnevern&ui=en"))
    req = stub.requests[-1]
    assert (req.query, req.page, req.expand, req.sort) == ("barnevern", 1, True, "relevance")
    assert "3 documents found" in html
    assert '<h3 lang="nb"><a href="/documents/' in html
    assert "<mark>Barnevernstjenesten</mark>" in html
    assert 'class="snippet" lang="nb"' in html
    # meta: publisher, country and language in the UI language, the year
    assert "Bufdir" in html and "Norway" in html and "Norwegian (Bokmål)" in html and "2025" in html


def test_filters_reach_the_search_and_show_checked(client, stub):
    html = text_of(
        client.get(
            "/?q=barnevern&area=child-protection&country=NO&lang=nb&type=report&from=2025&to=2024&sort=date&xl=0&ui=en"
        )
    )
    req = stub.requests[-1]
    assert req.areas == (CP,) and req.countries == ("NO",) and req.langs == ("nb",) and req.doc_types == ("report",)
    assert (req.year_from, req.year_to) == (2024, 2025)  # swapped into order
    assert req.sort == "date" and req.expand is False
    assert re.search(
        r'name="area" value="child-protection" checked>\s*<label[^>]*><span>Child protection</span> <span class="count">\(\d+\)',
        html,
    )
    assert 'name="xl" value="0" checked' in html
    assert "Remove filter: Child protection" in html


def test_unknown_filter_values_are_dropped(client, stub):
    text_of(client.get("/?q=x&area=no-such-area&country=XX&lang=klingon&sort=evil&xl=maybe"))
    req = stub.requests[-1]
    assert req.areas == () and req.countries == () and req.langs == () and req.sort == "relevance"
    assert req.expand is True


def test_facets_have_counts_for_every_kind(client):
    html = text_of(client.get("/?q=barnevern&ui=en"))
    for legend in ("Substance area", "Country", "Language", "Year", "Publisher", "Document type"):
        assert f"<legend>{legend}</legend>" in html
    assert re.search(r'<span>Norway</span> <span class="count">\(3\)</span>', html)


@pytest.mark.parametrize(
    "page,expected", [("0", 1), ("-3", 1), ("abc", 1), ("2", 2), ("1e9", 1), (str(10**12), 1), ("5000", MAX_PAGE)]
)
def test_page_numbers_are_bounded(client, stub, page, expected):
    response = client.get(f"/?q=barnevern&page={page}")
    assert response.status_code == 200
    assert stub.requests[-1].page == expected


def test_paging_links(tmp_path, stub):
    from corpus.config import DataDir
    from search.web.app import create_app

    data_dir = DataDir(tmp_path / "d").ensure()
    build_store(data_dir, many(35))
    client = create_app(data_dir, search_fn=stub).test_client()
    html = text_of(client.get("/?q=lastensuojelu&page=2&ui=en"))
    assert '<ol class="hits" start="11">' in html
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert re.search(r'aria-current="page" href="/\?q=lastensuojelu&amp;page=2&amp;ui=en"', html)
    assert 'href="/?q=lastensuojelu&amp;page=4&amp;ui=en"' in html  # the last page
    past = text_of(client.get("/?q=lastensuojelu&page=9&ui=en"))
    assert "There are no results on this page." in past


def test_long_query_is_cut(client, stub):
    html = text_of(client.get("/?ui=en&q=" + "lastensuojelu%20" * 200))
    assert len(stub.requests[-1].query) <= 1000
    assert "only its beginning was searched" in html


def test_document_page(client, ids):
    html = text_of(client.get(f"/documents/{ids[DOCUMENTS[0].url]}?ui=en"))
    assert '<h1 lang="fi">Lastensuojelu 2025. Tilastoraportti 28/2026</h1>' in html
    assert "Child protection" in html
    assert '<span lang="fi">lastensuojelu, sijaishuolto, perhehoito</span>' in html  # the terms that placed it
    # the Swedish edition is found as a language version
    assert f'href="/documents/{ids[DOCUMENTS[1].url]}?ui=en" lang="sv">Barnskydd 2025' in html
    assert 'href="https://thl.fi/fi/julkaisut/lastensuojelu-2025"' in html  # the original
    assert "Similar documents in other languages" in html


def test_similar_documents_come_from_a_search_in_other_languages(client, stub, ids):
    text_of(client.get(f"/documents/{ids[DOCUMENTS[2].url]}"))
    req = stub.requests[-1]
    assert "fosterhjem" in req.query and req.expand is True


@pytest.mark.parametrize("doc_id", ["0000000000000000", "..%2F..%2Fetc%2Fpasswd", "a" * 65, "x'--", "%00"])
def test_unknown_or_malformed_document_id_is_a_friendly_404(client, doc_id):
    response = client.get(f"/documents/{doc_id}", headers={"Accept-Language": "sv"})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Sidan hittades inte" in html and '<html lang="sv">' in html
    assert "Traceback" not in html


def test_server_error_is_a_friendly_page(collection_dir):
    from search.web.app import create_app

    def broken(data_dir, req):
        raise RuntimeError("boom in the index")

    client = create_app(collection_dir[0], search_fn=broken).test_client()
    response = client.get("/?q=x&ui=fi")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Jokin meni vikaan" in html and "boom" not in html and "Traceback" not in html


def test_missing_store_is_a_503_page(tmp_path, stub):
    from corpus.config import DataDir
    from search.web.app import create_app

    client = create_app(DataDir(tmp_path / "empty"), search_fn=stub).test_client()
    response = client.get("/?ui=en")
    assert response.status_code == 503
    assert "The collection is not available" in response.get_data(as_text=True)


def test_post_is_refused(client):
    assert client.post("/").status_code == 405


@pytest.mark.parametrize(
    "header,cookie,param,expected",
    [
        ("sv-FI,sv;q=0.9,en;q=0.5", None, None, "sv"),
        ("fi", None, None, "fi"),
        ("de-DE,en;q=0.3", None, None, "en"),
        (None, None, None, "fi"),
        ("fi", "sv", None, "sv"),
        ("fi", "sv", "en", "en"),
        ("fi", "klingon", "nope", "fi"),
    ],
)
def test_ui_language(client, header, cookie, param, expected):
    if cookie:
        client.set_cookie("ui", cookie)
    headers = {"Accept-Language": header} if header else {}
    html = text_of(client.get("/" + (f"?ui={param}" if param else ""), headers=headers))
    assert f'<html lang="{expected}">' in html


def test_switch_keeps_the_search_and_sets_a_cookie(client):
    response = client.get("/?q=barnevern&area=child-protection&ui=sv")
    html = text_of(response)
    assert "ui=sv" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    assert 'href="/?q=barnevern&amp;area=child-protection&amp;ui=fi" lang="fi" hreflang="fi">Suomeksi' in html
    assert 'href="/documents/' in html and "?ui=sv" in html  # links keep the choice
    assert "Barnskydd" in html  # area labels in the UI language


def test_area_labels_follow_the_ui_language(client, ids):
    assert "Lastensuojelu" in text_of(client.get(f"/documents/{ids[DOCUMENTS[3].url]}?ui=fi"))
    assert "Barnskydd" in text_of(client.get(f"/documents/{ids[DOCUMENTS[3].url]}?ui=sv"))


def test_digest_archive_and_digest(client, collection_dir, ids):
    data_dir, _ = collection_dir
    number = publish_digest(data_dir, ids, comment="<script>alert(3)</script> Arvio.")
    archive = text_of(client.get("/digests?ui=sv"))
    assert f'href="/digests/{number}/fi?ui=sv"' in archive
    assert "Pohjoismainen tietokooste kevät 2026" in archive
    assert 'href="/digests/feeds/area-child-protection.atom?ui=sv"' in archive
    page = text_of(client.get(f"/digests/{number}"))
    assert '<article class="digest" lang="fi">' in page
    assert "Lastensuojelu 2025. Tilastoraportti 28/2026" in page and "Äldreomsorgen i Sverige 2025" in page
    assert "&lt;script&gt;alert(3)&lt;/script&gt; Arvio." in page
    # the archive's file names (links in written feeds) lead to the same page
    assert (
        client.get(f"/digests/digest-{number:04d}.html?ui=sv").headers["Location"].endswith(f"/digests/{number}?ui=sv")
    )
    assert f"/digests/{number}/fi" in client.get(f"/digests/digest-{number:04d}.fi.html").headers["Location"]
    assert client.get(f"/digests/{number}/fi").status_code == 200
    assert client.get(f"/digests/{number}/sv").status_code == 404  # no Swedish edition yet


@pytest.mark.parametrize(
    "path", ["/digests/99", "/digests/99999999999999999999999", "/digests/-1", "/digests/..%2Fstore.sqlite"]
)
def test_unknown_digest_is_404(client, path):
    assert client.get(path).status_code == 404


def test_empty_archive(client):
    from search.i18n import message

    assert message("digest.archive_empty", "sv") in text_of(client.get("/digests?ui=sv"))


def test_sources_page_lists_registry_with_counts_and_last_crawl(client, collection_dir):
    from corpus.store import Store
    from crawler.state import CrawlState

    data_dir, _ = collection_dir
    with Store(data_dir.store_file) as store:
        state = CrawlState(store)
        run_id, _ = state.open_run({})
        state.finish_run(run_id, {"new": 1}, {"thl": {"new": 1, "changed": 0, "failed": 0}})
    html = text_of(client.get("/sources?ui=en"))
    assert "<caption" in html and 'scope="col"' in html
    row = re.search(
        r"<tr>\s*<th scope=\"row\">[^\n]*Terveyden ja hyvinvoinnin laitos \(THL\)</a></th>.*?</tr>", html, re.S
    )
    assert row, html
    assert "not crawled yet" not in row.group(0)
    assert "not crawled yet" in html  # the other sources


def test_sources_page_lists_every_source_documents_came_from(collection_dir):
    """Configured sources, a source no longer configured, and local files, each with its documents."""
    from dataclasses import replace

    from corpus.store import Store
    from search.web.app import create_app

    data_dir, _ = collection_dir
    with Store(data_dir.store_file) as store:
        for i in range(2):
            store.save(
                replace(DOCUMENTS[0], url=f"https://old.example/{i}", source="retired-agency", content_hash=f"r{i}")
            )
        store.save(replace(DOCUMENTS[0], url="file:///srv/inbox/raportti.pdf", source=None, content_hash="local"))
    client = create_app(data_dir, base_url="https://nordsearch.example.fi/").test_client()
    html = text_of(client.get("/sources?ui=en"))
    retired = re.search(r"<th scope=\"row\">retired-agency</th>.*?</tr>", html, re.S)
    assert retired and '<td class="num">2</td>' in retired.group(0) and "no longer crawled" in retired.group(0)
    local = re.search(r"<th scope=\"row\">Local files</th>.*?</tr>", html, re.S)
    assert local and '<td class="num">1</td>' in local.group(0) and "added from files" in local.group(0)
    assert "/srv/inbox" not in html
    rows = re.findall(r"<th scope=\"row\">(.*?)</th>", html)
    assert rows[-1] == "Local files"
    thl = next(i for i, row in enumerate(rows) if "Terveyden ja hyvinvoinnin laitos (THL)" in row)
    assert thl < rows.index("retired-agency")  # configured sources first


def test_digest_editions_in_the_web_app(client, collection_dir, ids):
    """An issue's Swedish edition: its own page, picked by the UI language, linked from the Finnish one."""
    from corpus.store import Store
    from search.digest import records
    from search.digest.edition import draft_edition

    data_dir, _ = collection_dir
    number = publish_digest(data_dir, ids)
    with Store(data_dir.store_file) as store:
        edition = draft_edition(store, number, "sv")
        records.insert(store, edition, "# sv\n", "2026-07-03T09:00:00+00:00")
    archive = text_of(client.get("/digests?ui=en"))
    assert f'href="/digests/{number}/fi?ui=en"' in archive and f'href="/digests/{number}/sv?ui=en"' in archive
    assert 'href="/digests/feeds/sv/all.atom?ui=en"' in archive
    swedish = text_of(client.get(f"/digests/{number}?ui=sv"))
    assert '<article class="digest" lang="sv">' in swedish and "Nordisk kunskapssammanställning" in swedish
    assert f'href="/digests/{number}/fi?ui=sv" hreflang="fi" lang="fi">Suomeksi</a>' in swedish
    finnish = text_of(client.get(f"/digests/{number}/fi?ui=sv"))
    assert '<article class="digest" lang="fi">' in finnish and ">På svenska</a>" in finnish
    feed = client.get("/digests/feeds/sv/all.atom")
    assert feed.status_code == 200 and f"urn:nordsearch:digest:{number}:sv</id>" in feed.get_data(as_text=True)
