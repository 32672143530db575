"""/healthz, /readyz and /metrics in one process (the app's test client); across gunicorn's
workers in test_serve.py. Neither may show a visitor a server path."""

from __future__ import annotations

import re

import pytest
from prometheus_client.parser import text_string_to_metric_families

from corpus.store import Store
from crawler.state import CrawlState
from search.web.app import create_app
from tests.search.web.collection import BASE_URL, DOCUMENTS


def metric_values(text: str) -> dict[tuple[str, tuple], float]:
    """{(sample name, sorted labels): value} of a /metrics body."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def record_crawl(data_dir, counts: dict[str, int], *, finish: bool = True) -> int:
    with Store(data_dir.store_file) as store:
        state = CrawlState(store)
        run_id, _ = state.open_run({"sources": ["thl"]})
        for key, n in counts.items():
            state.count(run_id, "thl", key, n)
        if finish:
            state.finish_run(run_id, {"run_id": run_id, "totals": {"new": counts.get("new", 0)}}, {})
    return run_id


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_without_an_index_is_503_and_says_what_to_do(client, collection_dir):
    data_dir, _ = collection_dir
    record_crawl(data_dir, {"new": 3, "failed:HTTP 500": 1})
    response = client.get("/readyz")
    assert response.status_code == 503
    data = response.get_json()
    assert data["ready"] is False
    assert data["store"]["ok"] is True and data["store"]["documents"] == len(DOCUMENTS)
    assert data["index"] == {"ok": False, "error": "there is no index yet: run 'nordsearch index'"}
    assert data["last_crawl"]["state"] == "finished" and data["last_crawl"]["totals"] == {"new": 3}
    assert str(data_dir.root) not in response.get_data(as_text=True)


def test_readyz_without_a_store_is_503_without_paths(tmp_path):
    from corpus.config import DataDir

    data_dir = DataDir(tmp_path / "nothing-here")
    client = create_app(data_dir, base_url=BASE_URL).test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    data = response.get_json()
    assert data["store"] == {"ok": False, "error": "the store cannot be opened"}
    assert data["last_crawl"] is None
    assert "nothing-here" not in response.get_data(as_text=True)


def test_readyz_with_the_real_index(indexed):
    client = create_app(indexed["data_dir"], base_url=BASE_URL).test_client()
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["ready"] is True
    index = data["index"]
    assert index["ok"] is True and index["documents"] == data["store"]["documents"] > 0
    assert index["identity"] and index["age_seconds"] >= 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", index["committed_at"])
    assert data["last_crawl"] is None  # the collection was ingested, never crawled


def test_metrics_count_requests_by_route_and_time_them(client):
    before = metric_values(client.get("/metrics").get_data(as_text=True))
    for _ in range(3):
        assert client.get("/?q=barnevern").status_code == 200
    assert client.get("/documents/ffffffffffffffff").status_code == 404
    assert client.get("/no/such/page").status_code == 404
    response = client.get("/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    after = metric_values(response.get_data(as_text=True))

    def delta(name: str, **labels) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert delta("nordsearch_http_requests_total", method="GET", endpoint="views.search_page", status="200") == 3
    assert delta("nordsearch_http_requests_total", method="GET", endpoint="views.document_page", status="404") == 1
    assert delta("nordsearch_http_requests_total", method="GET", endpoint="unmatched", status="404") == 1
    assert delta("nordsearch_http_request_duration_seconds_count", endpoint="views.search_page") == 3
    assert delta("nordsearch_http_request_duration_seconds_bucket", endpoint="views.search_page", le="+Inf") == 3


def test_metrics_show_the_store_and_the_crawls(client, collection_dir):
    data_dir, _ = collection_dir
    record_crawl(data_dir, {"new": 3, "changed": 2, "failed:HTTP 500": 1, "failed:timeout": 2, "bytes": 999})
    record_crawl(data_dir, {"new": 1, "unchanged": 4, "skipped:robots.txt": 5})
    values = metric_values(client.get("/metrics").get_data(as_text=True))
    assert values[("nordsearch_store_documents", (("status", "ok"),))] == len(DOCUMENTS)
    pages = {labels[0][1]: v for (name, labels), v in values.items() if name == "nordsearch_crawl_pages_total"}
    assert pages == {"new": 4, "changed": 2, "unchanged": 4, "withdrawn": 0, "duplicate": 0, "failed": 3, "skipped": 5}
    last = {labels[0][1]: v for (name, labels), v in values.items() if name == "nordsearch_last_crawl_pages"}
    assert last["new"] == 1 and last["unchanged"] == 4 and last["failed"] == 0
    assert values[("nordsearch_last_crawl_finished_timestamp_seconds", ())] > 1.7e9
    assert values[("nordsearch_index_up", ())] == 0  # no index in this collection


def test_metrics_show_the_index(indexed):
    client = create_app(indexed["data_dir"], base_url=BASE_URL).test_client()
    values = metric_values(client.get("/metrics").get_data(as_text=True))
    assert values[("nordsearch_index_up", ())] == 1
    assert values[("nordsearch_index_documents", ())] == values[("nordsearch_store_documents", (("status", "ok"),))]
    assert values[("nordsearch_index_size_bytes", ())] > 10_000
    assert values[("nordsearch_index_age_seconds", ())] >= 0


@pytest.mark.parametrize("path", ["/feeds/search.atom?q=barnevern", "/digests/feeds/all.atom"])
def test_absolute_links_never_come_from_the_host_header(client, collection_dir, ids, path):
    from tests.search.web.collection import publish_digest

    publish_digest(collection_dir[0], ids)
    response = client.get(path, headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "evil.example" not in body
    assert BASE_URL in body
