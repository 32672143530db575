"""Hostile crawled text renders as text; headers forbid inline scripts; outbound links are safe."""

from __future__ import annotations

import pytest

from tests.search.web.collection import DOCUMENTS, HOSTILE_TITLE


@pytest.mark.parametrize("path", ["/", "/?q=barnevern", "/digests", "/sources", "/documents/nope", "/api/areas"])
def test_security_headers(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_hostile_title_and_snippet_render_as_text(client, ids):
    html = client.get("/?q=barnevern").get_data(as_text=True)
    assert HOSTILE_TITLE not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b&gt;Evil&lt;/b&gt; publisher" in html
    page = client.get(f"/documents/{ids['https://hostile.example/evil']}").get_data(as_text=True)
    assert "<script>" not in page.split("</head>", 1)[1] and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_no_inline_script_or_style_anywhere(client, ids):
    for path in ["/", "/?q=barnevern", f"/documents/{ids[DOCUMENTS[0].url]}", "/digests", "/sources"]:
        html = client.get(path).get_data(as_text=True)
        assert "<script" not in html and "<style" not in html and " style=" not in html and "onclick" not in html


def test_javascript_urls_are_not_links(client, ids):
    html = client.get(f"/documents/{ids['javascript:alert(2)//x']}").get_data(as_text=True)
    assert 'href="javascript:' not in html
    assert '<span class="original-text">javascript:alert(2)//x</span>' in html


def test_highlight_escapes_fragments():
    from search.model import Fragment
    from search.web.helpers import highlight

    out = str(highlight((Fragment("<img src=x onerror=alert(1)>"), Fragment("<b>x</b>", match=True))))
    assert out == "&lt;img src=x onerror=alert(1)&gt;<mark>&lt;b&gt;x&lt;/b&gt;</mark>"


def test_static_css_served_with_nosniff(client):
    response = client.get("/static/style.css")
    response.close()  # a file response: close it, or the open file warns
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/static/..%2F..%2Fapp.py").status_code == 404


SECRET_DIR = "/srv/nordsearch-private/inbox"


@pytest.fixture
def local_file_doc(collection_dir):
    """A document ingested from a file on the server: its URL is a path there."""
    from dataclasses import replace

    from corpus.store import Store

    data_dir, ids = collection_dir
    doc = replace(DOCUMENTS[0], url=f"file://{SECRET_DIR}/barnevern%20rapport.pdf", title="Barnevern lokal rapport")
    with Store(data_dir.store_file) as store:
        store.save(doc)
        return store.get_by_url(doc.url).id


def test_server_file_paths_are_never_shown(client, local_file_doc):
    pages = {
        "search": client.get("/?q=lokal"),
        "document": client.get(f"/documents/{local_file_doc}"),
        "api search": client.get("/api/search?q=lokal"),
        "api document": client.get(f"/api/documents/{local_file_doc}"),
        "feed": client.get("/feeds/search.atom?q=lokal"),
    }
    for name, response in pages.items():
        body = response.get_data(as_text=True)
        assert response.status_code == 200, name
        assert "Barnevern lokal rapport" in body, name  # the document is there ...
        assert "nordsearch-private" not in body and "file:" not in body, name  # ... its path is not
    assert '<span class="original-text">barnevern rapport.pdf</span>' in pages["document"].get_data(as_text=True)
    assert pages["api document"].get_json()["url"] is None
    assert [h["url"] for h in pages["api search"].get_json()["hits"]] == [None]
