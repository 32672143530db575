"""`/metrics` for Prometheus (prometheus-client): requests, latency, the index and the crawls.

    nordsearch_http_requests_total{method,endpoint,status}   requests answered, by route
    nordsearch_http_request_duration_seconds{endpoint}        latency histogram, by route
    nordsearch_index_documents, _size_bytes, _age_seconds      the index this worker searches
    nordsearch_store_documents{status}                         documents in the store
    nordsearch_crawl_pages_total{outcome}                      crawled pages over all runs
    nordsearch_last_crawl_pages{outcome}, nordsearch_last_crawl_finished_timestamp_seconds

Request figures are counted in each worker; under `nordsearch serve` prometheus-client's
multiprocess mode (PROMETHEUS_MULTIPROC_DIR, set by `search.web.serve` before this module
is imported) adds them up across gunicorn's workers, whichever worker is scraped. The
collection figures are read from the store and the index when scraped (`CollectionCollector`).
Routes are labelled by their endpoint name, never by the requested path, so a scan of random
URLs cannot grow the number of series.
"""

from __future__ import annotations

import logging
import os
import time

from flask import Flask, Response, g, request
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

log = logging.getLogger(__name__)

REQUESTS = Counter(
    "nordsearch_http_requests", "HTTP requests answered by the web app.", ["method", "endpoint", "status"]
)
LATENCY = Histogram(
    "nordsearch_http_request_duration_seconds",
    "Time from a request's arrival in the app to its response.",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


def install(app: Flask) -> None:
    """Count and time every request of `app`, and answer GET /metrics."""

    @app.before_request
    def start_timer() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def observe(response):
        started = g.pop("metrics_started", None)
        endpoint = request.url_rule.endpoint if request.url_rule is not None else "unmatched"
        REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
        if started is not None:
            LATENCY.labels(endpoint).observe(time.perf_counter() - started)
        return response

    @app.get("/metrics")
    def metrics():
        from search.web.app import collection

        own = CollectorRegistry(auto_describe=False)
        own.register(CollectionCollector(collection()))
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess

            multiprocess.MultiProcessCollector(own)
            body = generate_latest(own)
        else:  # one process (tests, a WSGI server of one's own): this process's figures
            body = generate_latest(REGISTRY) + generate_latest(own)
        response = Response(body, content_type=CONTENT_TYPE_LATEST)
        response.headers["Cache-Control"] = "no-store"
        return response


class CollectionCollector:
    """The store's, the index's and the crawls' figures, read when Prometheus scrapes."""

    def __init__(self, collection):
        self.collection = collection

    def collect(self):
        from search.web import reading
        from search.web.health import read_index

        info, _ = read_index(self.collection.data_dir)
        up = GaugeMetricFamily("nordsearch_index_up", "1 when the index opens, else 0.")
        up.add_metric([], 1.0 if info is not None else 0.0)
        yield up
        if info is not None:
            yield _gauge("nordsearch_index_documents", "Searchable documents in the index.", info.documents)
            if info.size_bytes is not None:
                yield _gauge("nordsearch_index_size_bytes", "Bytes the index takes on disk.", info.size_bytes)
            if info.committed_at:
                age = max(0.0, time.time() - info.committed_at)
                yield _gauge("nordsearch_index_age_seconds", "Seconds since the index's last commit.", age)
        try:
            store = self.collection.store()
            by_status = reading.documents_by_status(store)
            all_pages = reading.crawl_pages_by_outcome(store)
            latest = reading.latest_crawl_run(store)
            last_pages = reading.crawl_pages_by_outcome(store, latest["run_id"]) if latest else {}
        except Exception:  # the store is missing or unreadable: /readyz says so; no figures here
            log.exception("metrics: the store cannot be read")
            return
        docs = GaugeMetricFamily("nordsearch_store_documents", "Documents in the store by status.", labels=["status"])
        for status in ("ok", "withdrawn", "failed"):
            docs.add_metric([status], by_status.get(status, 0))
        yield docs
        pages = CounterMetricFamily(
            "nordsearch_crawl_pages", "Pages crawled, over every crawl run, by outcome.", labels=["outcome"]
        )
        last = GaugeMetricFamily(
            "nordsearch_last_crawl_pages", "Pages of the latest crawl run by outcome.", labels=["outcome"]
        )
        for outcome in OUTCOMES:
            pages.add_metric([outcome], all_pages.get(outcome, 0))
            last.add_metric([outcome], last_pages.get(outcome, 0))
        yield pages
        yield last
        finished = _timestamp(latest["finished_at"]) if latest else None
        if finished is not None:
            yield _gauge(
                "nordsearch_last_crawl_finished_timestamp_seconds",
                "When the latest finished crawl run ended (seconds since the epoch).",
                finished,
            )


#: Crawl outcomes always exported (zero until seen), so alerts can use them from the start.
OUTCOMES = ("new", "changed", "unchanged", "withdrawn", "duplicate", "failed", "skipped")


def _gauge(name: str, text: str, value: float) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, text)
    family.add_metric([], value)
    return family


def _timestamp(iso: str | None) -> float | None:
    from datetime import UTC, datetime

    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
