"""Editions: one issue number, a Finnish and a Swedish edition over the same items, "no repeats" per language."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime

import feedparser
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from search.cli import main
from search.digest import parse_draft, publish, write_draft
from search.digest.edition import draft_edition
from search.digest.records import get_issue, list_issues, published_doc_ids
from search.errors import DigestError
from tests.search.digest_corpus import build_store, clock, draft_text, edit

WINDOW = ["--since", "2026-10-01", "--until", "2026-11-30"]
AREAS = ["--area", "child-protection", "--area", "older-people"]


@pytest.fixture
def data(tmp_path):
    build_store(tmp_path / "store.sqlite").close()
    return tmp_path


def run(data, *args):
    result = CliRunner().invoke(main, ["--data-dir", str(data), "digest", *args])
    return result


def ok(data, *args):
    result = run(data, *args)
    assert result.exit_code == 0, result.output
    return result


def carried(path) -> set[str]:
    return {d for i in parse_draft(path.read_text(encoding="utf-8")).included for d in i.doc_ids}


def test_fi_then_sv_edition_then_a_third_draft_carries_none(data):
    fi, sv, third, third_sv = (data / n for n in ("fi.toml", "sv.toml", "third.toml", "third-sv.toml"))
    ok(data, "draft", *WINDOW, *AREAS, "--lang", "fi", "--out", str(fi))
    assert "published digest number 1 (fi, " in ok(data, "publish", str(fi)).output
    out = ok(data, "draft", "--lang", "sv", "--edition-of", "1", "--out", str(sv)).output
    assert "the sv edition of digest number 1" in out
    assert "published the sv edition of digest number 1 (sv, " in ok(data, "publish", str(sv)).output
    [issue] = json.loads(ok(data, "list", "--json").output)
    assert issue["number"] == 1 and issue["langs"] == ["fi", "sv"]
    assert [e["lang"] for e in issue["editions"]] == ["fi", "sv"]
    assert issue["editions"][0]["items"] == issue["editions"][1]["items"] > 0
    published = carried(fi)
    assert carried(sv) == published
    # a third draft over the same window, in either language, carries none of those items
    ok(data, "draft", *WINDOW, *AREAS, "--lang", "fi", "--out", str(third))
    ok(data, "draft", *WINDOW, *AREAS, "--lang", "sv", "--out", str(third_sv))
    assert not carried(third) & published and not carried(third_sv) & published
    assert "older-people" in json.dumps(issue["areas"])


def test_edition_has_the_same_items_in_the_same_order_in_its_language(tmp_path):
    store = build_store(tmp_path / "store.sqlite")
    path = tmp_path / "fi.toml"
    path.write_text(edit(draft_text(store), 1, "comment", "Kattava tilasto."), encoding="utf-8")
    publish(store, path, tmp_path / "digests", clock=clock)
    first = get_issue(store, 1).first
    edition = draft_edition(store, 1, "sv", clock=clock)
    assert edition.edition_of == 1 and edition.lang == "sv" and edition.title == "Nordisk kunskapssammanställning"
    assert [i.doc_ids[0] for i in edition.items][1:] == [i.doc_ids[0] for i in first.included][1:]
    assert [set(i.doc_ids) for i in edition.items] == [set(i.doc_ids) for i in first.included]
    thl = edition.items[0]
    assert thl.versions[0].doc_id == "thl-ls-sv" and thl.versions[0].lang == "sv"  # the Swedish version first
    assert thl.summary.lang == "sv"  # the Finnish report's own Sammanfattning
    assert thl.comment == "" and thl.review and thl.reference == "Kattava tilasto."
    text = write_draft(edition)
    assert "edition_of = 1" in text and "# First edition's assessment: Kattava tilasto." in text
    again = parse_draft(text)
    assert again.edition_of == 1 and all(i.review for i in again.items)
    store.close()


def test_edition_pages_and_feeds_link_each_other(tmp_path):
    store = build_store(tmp_path / "store.sqlite")
    out = tmp_path / "digests"
    fi, sv = tmp_path / "fi.toml", tmp_path / "sv.toml"
    fi.write_text(draft_text(store), encoding="utf-8")
    publish(store, fi, out, clock=clock, base_url="https://n.example/digests/")
    sv.write_text(write_draft(draft_edition(store, 1, "sv", clock=clock)), encoding="utf-8")
    later = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    done = publish(store, sv, out, clock=lambda: later, base_url="https://n.example/digests/")
    assert (done.number, done.lang, done.edition_of) == (1, "sv", 1)
    page_sv = BeautifulSoup((out / "digest-0001.sv.html").read_text(encoding="utf-8"), "html.parser")
    assert page_sv.html["lang"] == "sv"
    assert page_sv.find("a", href="digest-0001.fi.html", hreflang="fi").get_text() == "Suomeksi"
    page_fi = BeautifulSoup((out / "digest-0001.fi.html").read_text(encoding="utf-8"), "html.parser")
    assert page_fi.find("a", href="digest-0001.sv.html").get_text() == "På svenska"
    index = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert index.find("a", href="digest-0001.fi.html") and index.find("a", href="digest-0001.sv.html")
    swedish = feedparser.parse((out / "feeds" / "sv" / "all.atom").read_text(encoding="utf-8"))
    assert not swedish.bozo
    [entry] = swedish.entries
    assert entry.id == "urn:nordsearch:digest:1:sv" and entry.link == "https://n.example/digests/digest-0001.sv.html"
    assert entry.title.startswith("Sammanställning nr 1") and entry.updated_parsed[:3] == (2026, 11, 30)
    finnish = feedparser.parse((out / "feeds" / "fi" / "all.atom").read_text(encoding="utf-8"))
    assert [e.id for e in finnish.entries] == ["urn:nordsearch:digest:1"]  # the id it had before editions
    both = feedparser.parse((out / "feeds" / "all.atom").read_text(encoding="utf-8"))
    assert sorted(e.id for e in both.entries) == ["urn:nordsearch:digest:1", "urn:nordsearch:digest:1:sv"]
    area = feedparser.parse((out / "feeds" / "sv" / "area-child-protection.atom").read_text(encoding="utf-8"))
    assert [e.id for e in area.entries] == ["urn:nordsearch:digest:1:sv:area:child-protection"]
    store.close()


def test_no_repeats_per_language_but_free_between_editions(tmp_path):
    store = build_store(tmp_path / "store.sqlite")
    fi = tmp_path / "fi.toml"
    fi.write_text(draft_text(store), encoding="utf-8")
    publish(store, fi, tmp_path / "digests", clock=clock)
    assert published_doc_ids(store, "sv") == {}
    sv = tmp_path / "sv.toml"
    sv.write_text(write_draft(draft_edition(store, 1, "sv", clock=clock)), encoding="utf-8")
    publish(store, sv, tmp_path / "digests", clock=clock)
    assert set(published_doc_ids(store, "sv")) == set(published_doc_ids(store, "fi"))
    with pytest.raises(DigestError, match="already has a sv edition"):
        draft_edition(store, 1, "sv", clock=clock)
    # the same edition draft again: refused as published
    with pytest.raises(DigestError, match=r"already published as number 1 \(sv"):
        publish(store, sv, tmp_path / "digests", clock=clock)
    store.close()


def test_edition_may_not_carry_a_document_its_issue_does_not(tmp_path):
    store = build_store(tmp_path / "store.sqlite")
    fi = tmp_path / "fi.toml"
    text = edit(draft_text(store), 5, "include", False)
    fi.write_text(text, encoding="utf-8")
    publish(store, fi, tmp_path / "digests", clock=clock)
    left_out = parse_draft(text).items[4]
    sv = tmp_path / "sv.toml"
    edition = draft_edition(store, 1, "sv", clock=clock)
    assert len(edition.items) == 4
    # the consultant pastes the left-out item into the Swedish edition
    pasted = replace(edition, items=(*edition.items, replace(left_out, include=True, position=5)))
    sv.write_text(write_draft(pasted), encoding="utf-8")
    with pytest.raises(DigestError, match=f"{left_out.doc_ids[0]}' is not in digest number 1"):
        publish(store, sv, tmp_path / "digests", clock=clock)
    store.close()


def test_edition_of_an_unknown_issue_is_one_line(data):
    result = run(data, "draft", "--lang", "sv", "--edition-of", "7", "--out", str(data / "x.toml"))
    assert result.exit_code == 1 and "no published digest number 7" in result.output
    result = run(data, "draft", "--lang", "sv", "--edition-of", "1", *WINDOW, "--out", str(data / "x.toml"))
    assert result.exit_code == 2 and "--edition-of takes the window" in result.output
    assert run(data, "draft", "--out", str(data / "x.toml")).exit_code == 2  # neither --since nor --edition-of


def test_publishing_nothing_is_refused(data):
    path = data / "d.toml"
    ok(data, "draft", *WINDOW, "--area", "adult-social-work", "--out", str(path))
    text = path.read_text(encoding="utf-8")
    for n in range(1, text.count("[[item]]") + 1):
        text = edit(text, n, "include", False)
    path.write_text(text, encoding="utf-8")
    result = run(data, "publish", str(path))
    assert result.exit_code == 1 and "nothing to publish" in result.output


def test_store_from_before_editions_is_read_and_moved(tmp_path):
    """A store whose digests were published before editions existed keeps them, as first editions."""
    store = build_store(tmp_path / "store.sqlite")
    conn = store.connection
    with conn:
        conn.executescript(
            """CREATE TABLE digests (number INTEGER PRIMARY KEY, draft_id TEXT NOT NULL, content_hash TEXT NOT NULL,
                   title TEXT NOT NULL, lang TEXT NOT NULL, published_at TEXT NOT NULL, window_since TEXT NOT NULL,
                   window_until TEXT NOT NULL, areas TEXT NOT NULL DEFAULT '[]', intro TEXT NOT NULL DEFAULT '',
                   toml TEXT NOT NULL);
               CREATE TABLE digest_items (digest_number INTEGER NOT NULL, position INTEGER NOT NULL, area TEXT NOT NULL,
                   areas TEXT NOT NULL DEFAULT '[]', title TEXT NOT NULL, publisher TEXT, country TEXT, date TEXT,
                   url TEXT NOT NULL, summary TEXT NOT NULL DEFAULT '', summary_lang TEXT NOT NULL DEFAULT '',
                   summary_source TEXT NOT NULL DEFAULT '', comment TEXT NOT NULL DEFAULT '',
                   versions TEXT NOT NULL DEFAULT '[]', PRIMARY KEY (digest_number, position));
               CREATE TABLE digest_docs (doc_id TEXT PRIMARY KEY, digest_number INTEGER NOT NULL, position INTEGER NOT NULL);
               INSERT INTO digests VALUES (1, 'old', 'h', 'Vanha kooste', 'fi', '2026-06-01T08:00:00+00:00',
                   '2026-01-01', '2026-05-31', '["child-protection"]', '', '# old');
               INSERT INTO digest_items VALUES (1, 1, 'child-protection', '["child-protection"]', 'Barnevern 2024',
                   'Bufdir', 'NO', '2025-03-01', 'https://www.bufdir.no/statistikk/barnevern-2024', 'S', 'nb', 'lead',
                   'Hyvä.', '[{"doc_id": "bufdir-old", "lang": "nb", "url": "https://www.bufdir.no/statistikk/barnevern-2024", "title": "Barnevern 2024"}]');
               INSERT INTO digest_docs VALUES ('bufdir-old', 1, 1);"""
        )
    [issue] = list_issues(store, with_items=True)  # read before any writer moved it
    assert issue.langs == ("fi",) and issue.first.items[0].comment == "Hyvä."
    path = tmp_path / "fi.toml"
    path.write_text(draft_text(store), encoding="utf-8")
    assert publish(store, path, tmp_path / "digests", clock=clock).number == 2  # numbering goes on
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "digests" not in tables and "digest_editions" in tables
    assert [i.langs for i in list_issues(store)] == [("fi",), ("fi",)]
    assert published_doc_ids(store, "fi")["bufdir-old"] == 1
    store.close()
    assert sqlite3.connect(tmp_path / "store.sqlite").execute("PRAGMA integrity_check").fetchone()[0] == "ok"
