"""The corpus store: stable ids, versions, no-op re-saves, withdrawals, the change sequence."""

from __future__ import annotations

import sqlite3

import pytest

from corpus.errors import DocumentNotFound, StoreError
from corpus.model import AreaMatch, Document, Section
from corpus.rawstore import RawStore, content_hash
from corpus.store import Store, doc_id_for


def make_doc(url="https://example.org/a", text="Lastensuojelun sijaishuolto.", digest="h1", **kw) -> Document:
    return Document(
        id=doc_id_for(url),
        url=url,
        title="A",
        lang="fi",
        langs=("fi",),
        content_hash=digest,
        sections=(Section(text=text, lang="fi"),),
        **kw,
    )


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "store.sqlite") as s:
        yield s


def test_new_then_identical_is_a_no_op(store):
    assert store.save(make_doc()) == "new"
    seq = store.max_seq()
    assert store.save(make_doc()) == "unchanged"
    assert store.max_seq() == seq
    assert store.count() == 1


def test_changed_bytes_make_a_new_version(store):
    store.save(make_doc(digest="h1"))
    assert store.save(make_doc(digest="h2", text="Uusi teksti.")) == "changed"
    doc = store.get(doc_id_for("https://example.org/a"))
    assert doc.version == 2
    assert [v["content_hash"] for v in store.versions(doc.id)] == ["h1", "h2"]
    assert doc.sections[0].text == "Uusi teksti."


def test_id_is_stable_for_a_url(store):
    store.save(make_doc())
    assert store.get_by_url("https://example.org/a").id == doc_id_for("https://example.org/a")


def test_sections_and_areas_round_trip(store):
    doc = make_doc(areas=(AreaMatch("child-protection", 3.5, ("lastensuojelu", "sijaishuolto")),))
    store.save(doc)
    back = store.get(doc.id)
    assert back.sections == (Section(text="Lastensuojelun sijaishuolto.", lang="fi", position=0),)
    assert back.areas == doc.areas


def test_failed_document_records_reason_and_keeps_last_good_text(store):
    store.save(make_doc())
    failed = make_doc(digest="broken")
    from dataclasses import replace

    store.save(replace(failed, status="failed", error="not a PDF", sections=()))
    doc = store.get(failed.id)
    assert (doc.status, doc.error) == ("failed", "not a PDF")
    assert doc.sections and doc.sections[0].text.startswith("Lastensuojelun")
    assert store.status_counts()["errors"] == {"not a PDF": 1}


def test_withdraw_hides_from_default_listing_and_bumps_seq(store):
    store.save(make_doc())
    seq = store.max_seq()
    assert store.withdraw("https://example.org/a")
    assert not store.withdraw("https://example.org/a")
    assert store.max_seq() > seq
    assert list(store.documents()) == []
    assert [d.status for d in store.documents(status=None)] == ["withdrawn"]


def test_changed_since_returns_only_later_changes(store):
    store.save(make_doc("https://example.org/a"))
    seq = store.max_seq()
    store.save(make_doc("https://example.org/b"))
    assert [d.url for _, d in store.changed_since(seq)] == ["https://example.org/b"]


def test_set_areas_reports_change_only_when_different(store):
    doc = make_doc()
    store.save(doc)
    areas = (AreaMatch("older-people", 2.0, ("kotihoito",)),)
    assert store.set_areas(doc.id, areas)
    assert not store.set_areas(doc.id, areas)


def test_unknown_id_is_a_clear_error(store):
    with pytest.raises(DocumentNotFound, match="no document with id"):
        store.get("nope")


def test_readonly_store_that_does_not_exist_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no store at"):
        Store(tmp_path / "missing.sqlite", readonly=True)


def test_corrupt_store_file_is_a_clear_error(tmp_path):
    path = tmp_path / "store.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="unusable"):
        Store(path)


def test_store_uses_wal(store):
    assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert isinstance(store.connection, sqlite3.Connection)


def test_raw_store_is_content_addressed(tmp_path):
    raw = RawStore(tmp_path / "raw")
    digest = raw.put(b"%PDF-1.4 bytes")
    assert digest == content_hash(b"%PDF-1.4 bytes")
    assert raw.put(b"%PDF-1.4 bytes") == digest
    assert raw.get(digest) == b"%PDF-1.4 bytes"
    assert not list((tmp_path / "raw").rglob(".tmp-*"))
