"""The index identity: new with every commit and every rebuild, never repeated; a reader opened
before a change answers from the new index afterwards, never from a mix."""

from __future__ import annotations

import threading

import pytest

from corpus.store import Store
from index.backend import open_backend
from index.update import update_index
from index.whoosh.backend import WhooshBackend, exchange_paths
from search.model import SearchRequest
from search.query import search
from tests.index.helpers import make_doc


def test_identity_is_new_after_every_commit_and_rebuild_and_never_repeats(data_dir):
    backend = WhooshBackend(data_dir.index_dir)
    assert backend.identity() == ""  # no index yet
    seen = []
    with Store(data_dir.store_file) as store:
        for step in range(6):
            store.save(make_doc(step, "sv"))
            update_index(data_dir, store, rebuild=step % 2 == 1, workers=1)
            seen.append(backend.identity())
    assert "" not in seen
    assert len(set(seen)) == len(seen)
    # A rebuild starts whoosh's generations again: the id part tells the indexes apart.
    rebuild_ids = [identity.rpartition(".")[0] for identity in seen]
    assert rebuild_ids[1] != rebuild_ids[0] and rebuild_ids[2] == rebuild_ids[1]  # an update keeps it


def test_a_reader_opened_before_a_rebuild_answers_from_the_new_index(data_dir):
    """The issue's case: a long-lived reader (a web worker) and `index --rebuild` beside it."""
    with Store(data_dir.store_file) as store:
        for n in range(10):
            store.save(make_doc(n, "nb"))
        update_index(data_dir, store, workers=1)
        reader = open_backend(data_dir)
        req = SearchRequest("fosterhjem", limit=50)
        before = search(data_dir, req, backend=reader)
        assert before.total == 10
        for n in range(10, 25):
            store.save(make_doc(n, "nb"))
        # The rebuilt index has as many commits as the old one: the same whoosh generation.
        update_index(data_dir, store, rebuild=True, workers=1)
        after = search(data_dir, req, backend=reader)
        ids = [h.id for h in after.hits]
        assert after.total == 25 and len(ids) == len(set(ids)) == 25
        for n in range(25, 28):
            store.save(make_doc(n, "nb"))
        update_index(data_dir, store, workers=1)  # and an ordinary update after it
        assert search(data_dir, req, backend=reader).total == 28
    reader.close()


def test_readers_never_see_the_index_missing_during_rebuilds(data_dir):
    with Store(data_dir.store_file) as store:
        for n in range(30):
            store.save(make_doc(n, "da"))
        update_index(data_dir, store, workers=1)
        backend = WhooshBackend(data_dir.index_dir)
        missing = []
        stop = threading.Event()

        def watch() -> None:
            while not stop.is_set():
                if not backend.identity():
                    missing.append(1)

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            for _ in range(4):
                update_index(data_dir, store, rebuild=True, workers=1)
        finally:
            stop.set()
            watcher.join()
    assert missing == []  # the swap is one atomic exchange of the two directories


def test_exchange_paths_swaps_two_directories(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("from a")
    (b / "x").write_text("from b")
    if not exchange_paths(a, b):
        pytest.skip("this filesystem cannot exchange paths (the backend renames twice instead)")
    assert (a / "x").read_text() == "from b" and (b / "x").read_text() == "from a"
