"""Incremental indexing from the store: new, changed, withdrawn and failed documents; locks; rebuild."""

from __future__ import annotations

import fcntl
import os

import pytest

from corpus.store import Store
from index.errors import IndexLockedError, IndexMissingError
from index.update import update_index
from index.whoosh.backend import WhooshBackend
from search.model import SearchRequest
from search.query import search
from tests.index.helpers import make_doc


def run(data_dir, query, **kw):
    b = WhooshBackend(data_dir.index_dir)
    try:
        return search(data_dir, SearchRequest(query=query, expand=False, **kw), backend=b)
    finally:
        b.close()


def ids(data_dir, query, **kw):
    return [h.id for h in run(data_dir, query, **kw).hits]


def count(data_dir):
    b = WhooshBackend(data_dir.index_dir)
    try:
        return b.count()
    finally:
        b.close()


@pytest.fixture
def store(data_dir):
    with Store(data_dir.store_file) as s:
        yield s


def test_search_before_any_index_is_a_clear_error(data_dir):
    with pytest.raises(IndexMissingError, match="nordsearch index"):
        run(data_dir, "barn")


def test_first_run_builds_then_nothing_to_do(data_dir, store):
    for n in range(3):
        store.save(make_doc(n))
    first = update_index(data_dir, store, workers=1)
    assert (first.rebuilt, first.applied.added, first.documents) == (True, 3, 3)
    again = update_index(data_dir, store, workers=1)
    assert (again.rebuilt, again.changes, again.documents) == (False, 0, 3)
    assert "summary" in again.as_json() and "up to date" in again.summary()


def test_changed_withdrawn_and_failed_documents(data_dir, store):
    store.save(make_doc(1, "sv"))
    store.save(make_doc(2, "nb"))
    update_index(data_dir, store, workers=1)
    assert ids(data_dir, "familjehem") == ["doc00001"]

    store.save(make_doc(1, "sv", text="Äldreomsorgen i kommunerna behöver personal."))
    store.withdraw("https://example.org/2")
    store.save(make_doc(3, "da", status="failed"))
    report = update_index(data_dir, store, workers=1)
    assert (report.applied.updated, report.applied.skipped, report.applied.added) == (2, 1, 0)
    assert ids(data_dir, "familjehem") == []  # the old text is gone
    assert ids(data_dir, "äldreomsorg") == ["doc00001"]
    assert ids(data_dir, "fosterhjem") == []  # withdrawn: hidden by default
    assert ids(data_dir, "fosterhjem", include_withdrawn=True) == ["doc00002"]
    assert count(data_dir) == 1


def test_a_document_that_fails_later_leaves_the_index(data_dir, store):
    store.save(make_doc(1, "da"))
    update_index(data_dir, store, workers=1)
    store.save(make_doc(1, "da", status="failed"))
    report = update_index(data_dir, store, workers=1)
    assert report.applied.deleted == 1
    assert count(data_dir) == 0


def test_sections_in_two_languages_are_found_in_both(data_dir, store):
    from corpus.model import Document, Section

    store.save(
        Document(
            id="bilingual",
            url="https://example.org/b",
            title="Lastensuojelun raportti",
            lang="fi",
            content_hash="b",
            sections=(
                Section("Huostaanotetut lapset sijoitetaan perhehoitoon.", "fi"),
                Section("Sammanfattning: familjehemmen i kommunerna.", "sv", kind="summary"),
            ),
        )
    )
    update_index(data_dir, store, workers=1)
    assert ids(data_dir, "lapsi") == ["bilingual"]
    hit = run(data_dir, "familjehem").hits[0]
    assert hit.id == "bilingual" and hit.snippet_lang == "sv"
    assert [f.text for f in hit.snippet if f.match] == ["familjehemmen"]


def test_a_second_writer_waits_then_fails_with_one_line(data_dir, store):
    store.save(make_doc(1))
    update_index(data_dir, store, workers=1)
    store.save(make_doc(2))
    data_dir.config_file.write_text("index_lock_timeout = 0.3\n")
    lock = WhooshBackend(data_dir.index_dir).lock_file
    fd = os.open(lock, os.O_WRONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with pytest.raises(IndexLockedError, match="another nordsearch process"):
            update_index(data_dir, store, workers=1)
    finally:
        os.close(fd)
    assert update_index(data_dir, store, workers=1).applied.added == 1


def test_rebuild_replaces_the_index_and_keeps_it_searchable(data_dir, store):
    for n in range(3):
        store.save(make_doc(n, "nb"))
    update_index(data_dir, store, workers=1)
    report = update_index(data_dir, store, rebuild=True, workers=1)
    assert (report.rebuilt, report.applied.added, report.documents) == (True, 3, 3)
    assert not WhooshBackend(data_dir.index_dir).new_directory.exists()
    assert len(ids(data_dir, "fosterhjem")) == 3


def test_worker_processes_give_the_same_index(data_dir, store):
    for n in range(45):  # above POOL_THRESHOLD: analysed in worker processes
        store.save(make_doc(n, ("fi", "sv", "nb", "da")[n % 4]))
    report = update_index(data_dir, store, workers=2)
    assert report.applied.added == 45
    assert len(ids(data_dir, "lapsi", limit=50)) == 12 and len(ids(data_dir, "plejefamilie", limit=50)) == 11
