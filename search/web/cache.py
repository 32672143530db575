"""A short-lived cache of search results for the web app, with one computation per request at a time.

Network members repeat searches (an area's start page, a colleague's shared link, feed readers
polling "follow this search"), and one search over 10k documents costs tens of milliseconds of
CPU that the index backend runs one at a time. Results are kept for `ttl` seconds, under a
key that holds the index identity (`search.web.app.Collection.search`), so a commit or a
rebuild is never answered from the old index; and when several threads ask for the same
uncached search, one computes while the others wait for it ("single flight"), instead of
queuing the same work many times.

    >>> cache = ResultCache(max_entries=2, ttl=60)
    >>> cache.get_or_compute("q", lambda: 42), cache.get_or_compute("q", lambda: 0)
    (42, 42)
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

#: Defaults for `nordsearch serve` (overridable there): entries and seconds.
DEFAULT_ENTRIES = 1024
DEFAULT_TTL = 60.0


class ResultCache:
    """LRU of computed values with a time to live; `max_entries=0` turns caching off."""

    def __init__(
        self, max_entries: int = DEFAULT_ENTRIES, ttl: float = DEFAULT_TTL, clock: Callable[[], float] = time.monotonic
    ):
        self.max_entries = max_entries
        self.ttl = ttl
        self.clock = clock
        self._items: OrderedDict[Hashable, tuple[float, object]] = OrderedDict()
        self._flights: dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def _fresh(self, key: Hashable) -> tuple[bool, object]:
        found = self._items.get(key)
        if found is None:
            return False, None
        stored_at, value = found
        if self.clock() - stored_at > self.ttl:
            del self._items[key]
            return False, None
        self._items.move_to_end(key)
        return True, value

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        if self.max_entries <= 0:
            return compute()
        while True:
            with self._lock:
                ok, value = self._fresh(key)
                if ok:
                    self.hits += 1
                    return value  # type: ignore[return-value]
                flight = self._flights.get(key)
                if flight is None:
                    flight = self._flights[key] = threading.Event()
                    self.misses += 1
                    break
            flight.wait(timeout=30)  # the other thread's result (or its failure) ends the wait
        try:
            value = compute()
        except BaseException:
            with self._lock:
                self._flights.pop(key, None)
            flight.set()
            raise  # errors are not cached: the next request tries again
        with self._lock:
            self._items[key] = (self.clock(), value)
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)
            self._flights.pop(key, None)
        flight.set()
        return value
