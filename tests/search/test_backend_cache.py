"""search() keeps a few open backends per process and closes the ones it lets go."""

from __future__ import annotations

from corpus.config import DataDir
from corpus.store import Store
from index.update import update_index
from search import query
from search.model import SearchRequest
from tests.index.helpers import make_doc


def test_a_backend_pushed_out_is_closed(tmp_path):
    first = DataDir(tmp_path / "first").ensure()
    with Store(first.store_file) as store:
        store.save(make_doc(1, "sv"))
        update_index(first, store, workers=1)
    assert query.search(first, SearchRequest("familjehem")).total == 1
    backend = query._BACKENDS[first]
    assert backend._searcher is not None  # its index files are open

    try:
        with query._lock:
            for n in range(query.MAX_BACKENDS):
                query._backend(DataDir(tmp_path / f"other{n}"))
        assert first not in query._BACKENDS
        assert backend._searcher is None  # closed when it was pushed out, files released
        assert query.search(first, SearchRequest("familjehem")).total == 1  # opened again on demand
    finally:
        query.close_backends()
    assert query._BACKENDS == {}
