"""Drafting: candidates of the window and areas, grouped versions, exclusions, and the draft file."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from search.digest import draft_digest, parse_draft, write_draft
from search.digest.draftfile import toml_string, toml_text
from search.errors import DigestError
from tests.search.digest_corpus import AREAS, build_store, clock, draft_text, edit


@pytest.fixture
def store(tmp_path):
    s = build_store(tmp_path / "store.sqlite")
    yield s
    s.close()


def draft(store, **kw):
    args = {"since": date(2026, 10, 1), "until": date(2026, 11, 30), "areas": AREAS, "lang": "fi", "clock": clock}
    return draft_digest(store, **{**args, **kw})


def test_candidates_are_grouped_and_filtered(store):
    digest = draft(store)
    assert sorted(i.doc_ids for i in digest.items) == sorted(
        [("thl-ls-fi", "thl-ls-sv"), ("nwc-nb", "nwc-en"), ("thl-uts-sv",), ("sos-aldre",), ("vive-hjem",)]
    )
    carried = {d for i in digest.items for d in i.doc_ids}
    # off-topic (no area), another area, outside the window, withdrawn
    assert not carried & {"thl-influenssa", "thl-vaka", "bufdir-old", "nav-withdrawn"}


def test_all_areas_when_none_chosen_but_never_documents_without_area(store):
    carried = {d for i in draft(store, areas=()).items for d in i.doc_ids}
    assert "thl-vaka" in carried
    assert "thl-influenssa" not in carried


def test_ranked_by_area_score_and_recency(store):
    digest = draft(store)
    scores = [i.score for i in digest.items]
    assert scores == sorted(scores, reverse=True)
    assert [i.position for i in digest.items] == list(range(1, len(digest.items) + 1))
    assert digest.items[0].doc_ids[0].startswith("thl-ls")  # the highest area score, recent


@pytest.mark.parametrize("lang,first,summary_lang", [("fi", "thl-ls-fi", "fi"), ("sv", "thl-ls-sv", "sv")])
def test_version_and_summary_in_the_digest_language(store, lang, first, summary_lang):
    item = next(i for i in draft(store, lang=lang).items if "thl-ls-fi" in i.doc_ids)
    assert item.versions[0].doc_id == first
    assert item.summary.lang == summary_lang
    assert item.summary.source == "abstract"  # the Finnish report's own Sammanfattning serves sv
    assert set(item.langs) == {"fi", "sv"}


def test_norwegian_report_with_english_summary(store):
    item = next(i for i in draft(store).items if "nwc-nb" in i.doc_ids)
    assert item.versions[0].doc_id == "nwc-nb"  # no fi version: the original, which has the area
    assert item.area == "child-protection"
    assert item.url == "https://nordicwelfare.org/no/publikasjoner/barnevern-i-norden"


def test_empty_window_is_an_empty_digest(store):
    digest = draft(store, since=date(2030, 1, 1), until=date(2030, 2, 1))
    assert digest.items == ()
    assert parse_draft(write_draft(digest)).items == ()


def test_window_ending_before_it_starts(store):
    with pytest.raises(DigestError, match="before it starts"):
        draft(store, since=date(2026, 11, 1), until=date(2026, 10, 1))


def test_draft_file_round_trips_and_keeps_comments(store):
    text = draft_text(store)
    assert text.count("# Your assessment:") == 5
    assert "# nordsearch digest draft" in text
    digest = parse_draft(text)
    again = draft(store)
    assert [i.doc_ids for i in digest.items] == [i.doc_ids for i in again.items]
    assert [i.summary for i in digest.items] == [i.summary for i in again.items]
    assert [i.title for i in digest.items] == [i.title for i in again.items]
    assert digest.items[0].line == text.splitlines().index("[[item]]") + 1


def test_consultant_edits_are_read(store):
    text = edit(draft_text(store), 2, "comment", 'Hyvä "vertailu".\n\nToinen kappale.')
    text = edit(text, 3, "include", False)
    digest = parse_draft(text)
    assert digest.items[1].comment == 'Hyvä "vertailu".\n\nToinen kappale.'
    assert not digest.items[2].include
    assert len(digest.included) == 4


@pytest.mark.parametrize(
    "value", ['a "quoted" \\ back', "line\nbreak", '"""', "tab\there", "\x01ctl", "'''", "# not a comment", ""]
)
def test_toml_strings_round_trip(value):
    assert tomllib.loads(f"k = {toml_string(value)}")["k"] == value
    assert tomllib.loads(f"k = {toml_text(value)}")["k"].rstrip("\n") == value


def test_hostile_title_cannot_break_the_file(store):
    text = draft_text(store)
    # The Danish title holds <script>, quotes and brackets; it must come back unchanged.
    titles = [i.title for i in parse_draft(text).items]
    assert any("<script>alert('titel')</script>" in t for t in titles)
