"""The crawler against the fixture website over real HTTP: one full crawl, then recrawls.

The first crawl runs once for the module (about 10 s: the never-answering page costs two
timeouts); each test asserts one behaviour on what the server saw and what the store holds.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from corpus.ingest import Pipeline
from corpus.store import Store
from crawler.job import CrawlOptions, run_crawl
from crawler.state import CrawlState
from search.cli import main
from tests.crawler.conftest import make_data_dir
from tests.crawler.site import DUPLICATE_PATH, PDF_PATHS


def crawl(data_dir, sources_file):
    """The crawl job as a library call, with ingest but without the area classifier (whose first
    use costs tens of seconds and says nothing about crawling); the CLI is tested in test_job.py."""
    options = CrawlOptions(sources_file=sources_file)
    return run_crawl(data_dir, options, Pipeline(settings=data_dir.settings())).as_json()


@pytest.fixture(scope="module")
def first(site, tmp_path_factory):
    site.reset_counts()
    data_dir, sources_file = make_data_dir(tmp_path_factory.mktemp("crawl"), site)
    report = crawl(data_dir, sources_file)
    requests = list(site.requests)
    full = dict(site.full_bodies)
    return {"data_dir": data_dir, "sources": sources_file, "report": report, "requests": requests, "full": full}


def fixture_report(report):
    (source,) = report["sources"]
    assert source["source"] == "fixture"
    return source


def paths(first, host="127.0.0.1"):
    return [p for _, h, p, _ in first["requests"] if h == host]


def url_state(first, path):
    with Store(first["data_dir"].store_file) as store:
        return CrawlState(store).url_state(first["data_dir"] and f"http://127.0.0.1:{_port(first)}{path}")


def _port(first):
    return first["report"]["sources"] and first["sources"].read_text().split("127.0.0.1:")[1].split("/")[0]


def document(first, path):
    with Store(first["data_dir"].store_file) as store:
        return store.get_by_url(f"http://127.0.0.1:{_port(first)}{path}", with_sections=False)


def test_report_counts_what_happened(first):
    rep = fixture_report(first["report"])
    assert rep["new"] >= 15
    assert rep["duplicates"] == 1
    assert rep["failed_by_reason"]["HTTP 404"] == 1
    assert rep["failed_by_reason"]["HTTP 500"] == 1
    assert rep["failed_by_reason"]["timeout"] == 1
    assert rep["failed_by_reason"]["too large"] == 1
    assert rep["failed_by_reason"]["too many redirects"] == 1
    assert rep["failed_by_reason"]["off-source redirect"] == 1
    assert rep["bytes"] > 5000 and rep["duration_s"] > 0


def test_robots_txt_is_obeyed(first):
    requested = paths(first)
    assert "/robots.txt" in requested
    assert "/private/salainen.html" not in requested  # disallowed for nordsearch
    assert "/private/open.html" in requested  # the longer Allow wins
    assert fixture_report(first["report"])["skipped_by_reason"]["robots.txt"] == 1


def test_user_agent_is_the_configured_one(first):
    agents = {h.get("User-Agent") for _, _, _, h in first["requests"]}
    assert agents == {"nordsearch/0.1 (+https://github.com/nordsearch/nordsearch; Nordic welfare knowledge)"}


def test_sitemap_index_with_gzipped_sitemap(first):
    requested = paths(first)
    assert "/sitemap_index.xml" in requested and "/sitemaps/sivut.xml.gz" in requested
    assert "/sivukartta-vain.html" in requested  # linked from nowhere but the gzipped sitemap
    assert document(first, "/sivukartta-vain.html") is not None


@pytest.mark.parametrize("lang", ["fi", "sv", "nb", "da"])
def test_pdfs_in_four_languages_are_kept(first, lang):
    state = url_state(first, PDF_PATHS[lang])
    assert state is not None and state.content_type == "application/pdf"  # sniffed when the type is vague
    doc = document(first, PDF_PATHS[lang])
    if lang == "sv":  # the same bytes are also linked as DUPLICATE_PATH: whichever came first is the document
        doc = doc or document(first, DUPLICATE_PATH)
    assert doc is not None and doc.country == "FI" and doc.source == "fixture"


def test_one_document_under_two_urls_is_recorded_once(first):
    both = [document(first, PDF_PATHS["sv"]), document(first, DUPLICATE_PATH)]
    assert sum(d is not None for d in both) == 1


def test_oai_pmh_two_pages_with_dublin_core(first, site):
    requested = [p for p in paths(first) if p == "/oai"]
    assert len(requested) == 2  # the first page and the resumption token
    assert fixture_report(first["report"])["oai_records"] == 3
    doc = document(first, "/oai-tiedostot/julkaisu-1.pdf")
    assert doc.meta["subjects"] == ["ikääntyneet", "kotihoito"]
    assert doc.meta["creator"] == ["Virtanen, Maija"]
    assert doc.meta["oai_identifier"] == "oai:fixture:1"
    # record 2 names a landing page: its PDF is followed, the landing page is not a document
    assert document(first, "/bitstream/2/raportti").meta["oai_identifier"] == "oai:fixture:2"
    assert document(first, "/handle/2") is None
    assert document(first, "/bitstream/3/raportti.pdf") is not None


def test_redirects(first):
    requested = paths(first)
    assert {"/ohjaus/1", "/ohjaus/2", "/ohjaus/3", "/ohjaus/kohde.html"} <= set(requested)
    assert document(first, "/ohjaus/kohde.html") is not None and document(first, "/ohjaus/1") is None
    assert requested.count("/silmukka/a") <= 4  # the loop is cut by the redirect limit
    assert url_state(first, "/silmukka/a").last_error == "too many redirects"


def test_other_hosts_are_never_fetched(first):
    assert paths(first, "127.0.0.2") == []  # neither the link nor the redirect to 127.0.0.2
    assert url_state(first, "/toiselle-palvelimelle").last_error == "off-source redirect"
    with Store(first["data_dir"].store_file) as store:
        urls = [r[0] for r in store.connection.execute("SELECT url FROM crawl_urls")]
    assert not [u for u in urls if "example.invalid" in u or "127.0.0.2" in u]


def test_server_errors_are_retried_then_recorded(first):
    assert paths(first).count("/virhe.html") == 2  # one retry (crawl_retries = 1)
    state = url_state(first, "/virhe.html")
    assert state.failures == 1 and state.last_error == "HTTP 500" and state.next_due > state.last_fetch


def test_retry_after_is_obeyed(first):
    times = [t for t, h, p, _ in first["requests"] if p == "/kiireinen.html"]
    assert len(times) == 2 and times[1] - times[0] >= 0.9  # Retry-After: 1
    assert document(first, "/kiireinen.html") is not None


def test_timeout_size_cap_404_and_other_types(first):
    assert url_state(first, "/hidas.html").last_error == "timeout"
    assert url_state(first, "/iso.pdf").last_error == "too large" and document(first, "/iso.pdf") is None
    assert url_state(first, "/puuttuu.html").last_error == "HTTP 404"
    assert document(first, "/kuva") is None
    assert any("not HTML or PDF" in k for k in fixture_report(first["report"])["skipped_by_reason"])


def test_endless_calendar_is_cut_by_depth(first):
    months = [p for p in paths(first) if p.startswith("/kalenteri/")]
    assert 1 <= len(months) <= 4  # depth = 4 from the start page


def test_latin1_page_without_charset(first):
    assert url_state(first, "/latin1.html").content_type.startswith("text/html")
    doc = document(first, "/latin1.html")
    assert doc is not None
    if doc.status == "ok":  # with the extraction of corpus.extract
        assert "Välfärd" in doc.title


def test_sources_lists_the_last_crawl(first):
    result = CliRunner().invoke(
        main,
        ["--data-dir", str(first["data_dir"].root), "sources", "--sources-file", str(first["sources"]), "--json"],
    )
    assert result.exit_code == 0, result.output
    (entry,) = json.loads(result.output)
    assert entry["id"] == "fixture" and entry["last_crawl"]["new"] == fixture_report(first["report"])["new"]


def test_recrawl_conditional_then_one_change(first, site):
    """Second crawl: nothing fetched in full. Then one changed page gets exactly one new version."""
    site.reset_counts()
    second = crawl(first["data_dir"], first["sources"])
    rep = fixture_report(second)
    assert dict(site.full_bodies) == {}  # every document answered 304 Not Modified
    assert sum(site.not_modified.values()) >= 15
    assert rep["new"] == 0 and rep["changed"] == 0 and rep["unchanged"] >= 15
    assert "/virhe.html" not in site.paths_requested()  # failed URLs rest (exponential backoff)
    assert site.oai_from[-1] == "2030-05-01"  # incremental harvest from the last one

    with Store(first["data_dir"].store_file) as store:
        versions_before = {d.url: d.version for d in store.documents(status=None)}
    title, text = "Lastensuojelun avohuolto", "Uusi luku: jälkihuolto ja itsenäistyminen. " * 5
    from tests.crawler.site import html

    site.set_page("/fi/index.html", "text/html; charset=utf-8", html(title, f"<p>{text}</p>").encode())
    site.set_page("/latin1.html", "text/html", b"")  # replaced below by a 404
    site.pages.pop("/latin1.html")
    site.reset_counts()
    third = fixture_report(crawl(first["data_dir"], first["sources"]))
    assert third["changed"] == 1 and third["new"] == 0 and third["withdrawn"] == 1
    with Store(first["data_dir"].store_file) as store:
        after = {d.url: d for d in store.documents(status=None)}
    changed = {u for u, d in after.items() if d.version != versions_before[u]}
    assert changed == {f"{site.base}/fi/index.html"}
    assert after[f"{site.base}/fi/index.html"].version == 2
    assert after[f"{site.base}/latin1.html"].status == "withdrawn"
    assert set(site.full_bodies) == {"/fi/index.html"}


def test_sources_lists_every_source_documents_came_from(first, tmp_path):
    """Without --sources-file: the configured sources, then the crawled fixture (not configured in the
    data directory) with its documents and last crawl, then local files."""
    page = tmp_path / "lokal.html"
    page.write_text("<html><head><title>Lokal rapport</title></head><body><p>Lastensuojelu.</p></body></html>")
    runner = CliRunner()
    data = ["--data-dir", str(first["data_dir"].root)]
    assert runner.invoke(main, [*data, "ingest", str(page), "--no-index"]).exit_code == 0
    result = runner.invoke(main, [*data, "sources", "--json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)
    by_id = {item["id"]: item for item in items}
    fixture = by_id["fixture"]
    assert fixture["configured"] is False
    only = runner.invoke(main, [*data, "sources", "--sources-file", str(first["sources"]), "--json"])
    (configured,) = json.loads(only.output)
    assert configured["configured"] is True and fixture["last_crawl"] == configured["last_crawl"] is not None
    assert fixture["documents"] == configured["documents"] and fixture["documents"]["ok"] > 0
    assert items[-1] == {
        "id": None,
        "name": "local files",
        "configured": False,
        "documents": {"ok": 1, "withdrawn": 0, "failed": 0},
        "last_crawl": None,
    }
    assert all(item["configured"] for item in items[:-2])  # the shipped sources come first
    text = runner.invoke(main, [*data, "sources"]).output.splitlines()
    assert text[-1].startswith("-  ") and "1 docs" in text[-1] and "ingested from local files" in text[-1]
