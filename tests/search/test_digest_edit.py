"""`digest add FILE ID...` and `digest drop FILE ID...`: edit a draft by document id, keep the consultant's text."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from search.cli import main
from search.digest import parse_draft
from tests.search.digest_corpus import build_store, edit

NOTE = "# Oma muistiinpano: tarkista tämä ennen julkaisua"


@pytest.fixture
def data(tmp_path):
    build_store(tmp_path / "store.sqlite").close()
    return tmp_path


def run(data, *args):
    return CliRunner().invoke(main, ["--data-dir", str(data), "digest", *args])


@pytest.fixture
def draft(data):
    path = data / "d.toml"
    result = run(data, "draft", "--since", "2026-10-01", "--until", "2026-11-30", "--area", "child-protection",
                 "--out", str(path))  # fmt: skip
    assert result.exit_code == 0, result.output
    text = edit(path.read_text(encoding="utf-8"), 1, "comment", "Arvio, jota ei saa kadottaa.")
    path.write_text(text.replace("[[item]]", NOTE + "\n[[item]]", 1), encoding="utf-8")
    return path


def items(path):
    return parse_draft(path.read_text(encoding="utf-8"), path).items


def test_add_a_document_and_its_language_version_as_one_item(data, draft):
    before = items(draft)
    result = run(data, "add", str(draft), "sos-aldre", "vive-hjem", "--json")
    assert result.exit_code == 0, result.output
    done = json.loads(result.output)
    assert done["items"] == len(before) + 2 and done["problems"] == []
    after = items(draft)
    assert [i.doc_ids for i in after[len(before) :]] == [("sos-aldre",), ("vive-hjem",)]
    assert after[-1].area == "older-people" and after[-1].position == len(before) + 2
    text = draft.read_text(encoding="utf-8")
    assert NOTE in text and after[0].comment == "Arvio, jota ei saa kadottaa."  # the consultant's text stays


def test_add_groups_versions_given_together(data, tmp_path):
    build_store(tmp_path / "other.sqlite").close()
    path = data / "empty.toml"
    assert run(data, "draft", "--since", "2031-01-01", "--until", "2031-01-31", "--out", str(path)).exit_code == 0
    result = run(data, "add", str(path), "thl-ls-fi", "thl-ls-sv")
    assert result.exit_code == 0, result.output
    [item] = items(path)
    assert set(item.doc_ids) == {"thl-ls-fi", "thl-ls-sv"} and item.versions[0].lang == "fi"


def test_drop_leaves_the_item_out_and_add_brings_it_back(data, draft):
    first = items(draft)[0]
    result = run(data, "drop", str(draft), *first.doc_ids)
    assert result.exit_code == 0, result.output
    assert "item 1 left out" in result.output
    assert not items(draft)[0].include and items(draft)[0].comment == first.comment
    result = run(data, "add", str(draft), first.doc_ids[0])
    assert result.exit_code == 0 and "item 1 included again" in result.output
    assert items(draft)[0].include


def test_drop_one_language_version_takes_it_out_of_the_item(data, draft):
    item = next(i for i in items(draft) if set(i.doc_ids) == {"thl-ls-fi", "thl-ls-sv"})
    assert run(data, "drop", str(draft), "thl-ls-sv").exit_code == 0
    again = next(i for i in items(draft) if "thl-ls-fi" in i.doc_ids)
    assert again.doc_ids == ("thl-ls-fi",) and again.include and again.comment == item.comment
    assert again.position == item.position
    assert NOTE in draft.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "command,doc_id,message",
    [
        ("add", "no-such-id", "unknown document id 'no-such-id'"),
        ("add", "nav-withdrawn", "document 'nav-withdrawn' is withdrawn"),
        ("drop", "sos-aldre", "document 'sos-aldre' is not in this draft"),
    ],
)
def test_bad_ids_are_one_line_and_change_nothing(data, draft, command, doc_id, message):
    before = draft.read_text(encoding="utf-8")
    result = run(data, command, str(draft), doc_id)
    assert result.exit_code == 1 and message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert draft.read_text(encoding="utf-8") == before


def test_add_a_published_document_is_refused(data, draft):
    assert run(data, "publish", str(draft)).exit_code == 0
    other = data / "other.toml"
    assert run(data, "draft", "--since", "2031-01-01", "--until", "2031-01-31", "--out", str(other)).exit_code == 0
    result = run(data, "add", str(other), "thl-ls-fi")
    assert result.exit_code == 1 and "already published in digest number 1 (fi)" in result.output
    # in Swedish it is free: "no repeats" holds per language
    sv = data / "sv.toml"
    assert (
        run(data, "draft", "--since", "2031-01-01", "--until", "2031-01-31", "--lang", "sv", "--out", str(sv)).exit_code
        == 0
    )
    assert run(data, "add", str(sv), "thl-ls-fi").exit_code == 0
