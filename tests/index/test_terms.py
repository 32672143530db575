"""The writer's analysis: the word memo gives exactly the analyzer's tokens; the record of a document."""

from __future__ import annotations

from collections import Counter

import pytest

from corpus.model import AreaMatch, Document, Section
from index.document_record import date_number, document_change, document_record, language_texts
from index.terms import analysed_tokens, field_terms, folded_tokens, reference_tokens
from tests.index.helpers import ud_text

LANGS = ["fi", "sv", "nb", "nn", "da", "en"]


@pytest.mark.parametrize("lang", LANGS)
def test_memo_replays_the_analyzer_exactly(shared_data, lang):
    text = ud_text(shared_data, lang)
    assert analysed_tokens(text, lang) == reference_tokens(text, lang)
    assert analysed_tokens(text, lang) == reference_tokens(text, lang)  # second time from the memo


@pytest.mark.parametrize("lang", LANGS)
def test_field_terms_are_the_analyzers_tokens_counted(shared_data, lang):
    text = ud_text(shared_data, lang)
    tokens = reference_tokens(text, lang)
    exact, folded = field_terms(text, lang)
    positions: dict[str, list[int]] = {}
    for t, pos in tokens:
        positions.setdefault(t, []).append(pos)
    assert exact == positions
    assert folded == dict(Counter(t for t, _ in folded_tokens(tokens, lang)))


@pytest.mark.parametrize("text", ["", "och i på"])
def test_stop_words_only_or_nothing_give_no_terms(text):
    assert field_terms(text, "sv") == ({}, {})


def test_sections_go_to_their_own_language_field():
    doc = Document(
        id="d",
        url="u",
        title="Raportti",
        lang="fi",
        sections=(Section("Lapset", "fi"), Section("Barnen", "sv", kind="summary"), Section("???", "und")),
    )
    assert language_texts(doc) == {"fi": "Raportti\n\nLapset\n\n???", "sv": "Barnen"}
    record = document_record(doc)
    assert record.texts == {"fi": "Raportti\n\nLapset\n\n???", "sv": "Barnen"}
    assert record.titles == {"fi": "Raportti"}
    assert record.stored["excerpts"] == {"fi": "Lapset\n\n???", "sv": "Barnen"}


def test_record_keywords_and_stored_payload_are_plain_values():
    doc = Document(
        id="d",
        url="https://example.org/d",
        title="Rapport",
        lang="sv",
        langs=("sv", "fi"),
        country="FI",
        publisher="THL",
        date="2019-04-02",
        doc_type="report",
        areas=(AreaMatch(id="child-protection", score=1.0), AreaMatch(id="older-people", score=0.5)),
        sections=(Section("Barnskydd", "sv"),),
    )
    record = document_record(doc)
    assert record.keywords["areas"] == ("child-protection", "older-people")
    assert record.keywords["langs"] == ("sv", "fi") and record.keywords["year"] == ("2019",)
    assert record.date == 20190402 and record.year == 2019
    assert record.stored["areas"] == ["child-protection", "older-people"]  # a list, never a joined string
    assert record.stored["url"] == "https://example.org/d" and record.stored["country"] == "FI"


def test_a_failed_document_is_a_removal():
    doc = Document(id="gone", url="u", title="t", lang="sv", status="failed")
    change = document_change(7, doc)
    assert (change.seq, change.id, change.record) == (7, "gone", None)
    assert document_change(8, Document(id="ok", url="u", title="t", lang="sv")).record.id == "ok"


@pytest.mark.parametrize(("date", "number"), [("2017-05-03", 20170503), ("2017", 20170000), (None, 0), ("n.d.", 0)])
def test_date_number(date, number):
    assert date_number(date) == number
