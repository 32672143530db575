"""The web app's result cache: time to live, LRU bound, single flight, failures not cached."""

from __future__ import annotations

import threading
import time

import pytest

from search.web.cache import ResultCache


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_values_live_for_ttl_seconds():
    clock = Clock()
    cache = ResultCache(max_entries=10, ttl=60, clock=clock)
    calls = []
    compute = lambda: calls.append(1) or len(calls)  # noqa: E731
    assert cache.get_or_compute("q", compute) == 1
    clock.now = 59
    assert cache.get_or_compute("q", compute) == 1
    clock.now = 61
    assert cache.get_or_compute("q", compute) == 2


def test_least_recently_used_goes_first():
    cache = ResultCache(max_entries=2, ttl=60)
    cache.get_or_compute("a", lambda: "a")
    cache.get_or_compute("b", lambda: "b")
    cache.get_or_compute("a", lambda: "x")  # a is used again
    cache.get_or_compute("c", lambda: "c")  # b goes
    assert cache.get_or_compute("a", lambda: "new") == "a"
    assert cache.get_or_compute("b", lambda: "new") == "new"


def test_zero_entries_turns_it_off():
    cache = ResultCache(max_entries=0)
    assert [cache.get_or_compute("q", lambda i=i: i) for i in range(3)] == [0, 1, 2]


def test_failures_are_not_cached():
    cache = ResultCache()

    def boom():
        raise RuntimeError("index busy")

    with pytest.raises(RuntimeError):
        cache.get_or_compute("q", boom)
    assert cache.get_or_compute("q", lambda: "ok") == "ok"


def test_one_computation_for_concurrent_identical_requests():
    cache = ResultCache()
    calls = []

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return "result"

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get_or_compute("q", slow))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["result"] * 8 and len(calls) == 1


def test_the_app_serves_repeated_searches_from_the_cache(collection_dir, stub):
    from search.web.app import create_app

    client = create_app(collection_dir[0], search_fn=stub).test_client()
    client.get("/?q=barnevern")
    client.get("/api/search?q=barnevern")  # the same SearchRequest as the page
    client.get("/?q=barnevern&page=2")
    assert [r.page for r in stub.requests] == [1, 2]
