"""Pre-analysis for the writer: the word memo gives exactly the analyzer's tokens; metadata fields."""

from __future__ import annotations

import csv

import pytest

from corpus.model import Document, Section
from index.prepare import _reference_tokens, analysed_tokens, date_number, language_texts, prepare
from index.schema import Postings


@pytest.mark.parametrize("lang", ["fi", "sv", "nb", "nn", "da", "en"])
def test_memo_replays_the_analyzer_exactly(shared_data, lang):
    with open(shared_data / "ud" / "sentences.tsv", encoding="utf-8") as f:
        text = " ".join(row["text"] for row in csv.DictReader(f, delimiter="\t") if row["lang"] == lang)[:20_000]
    text += " sote-uudistus LSS, ROP-lidelser 1,5 % och i på"
    assert analysed_tokens(text, lang) == _reference_tokens(text, lang)
    assert analysed_tokens(text, lang) == _reference_tokens(text, lang)  # second time from the memo


def test_sections_go_to_their_own_language_field():
    doc = Document(
        id="d",
        url="u",
        title="Raportti",
        lang="fi",
        sections=(Section("Lapset", "fi"), Section("Barnen", "sv", kind="summary"), Section("???", "und")),
    )
    assert language_texts(doc) == {"fi": "Raportti\n\nLapset\n\n???", "sv": "Barnen"}
    record = prepare(doc)
    assert isinstance(record["body_sv"], Postings) and "body_nb" not in record
    assert record["excerpts"] == {"fi": "Lapset\n\n???", "sv": "Barnen"}


@pytest.mark.parametrize(("date", "number"), [("2017-05-03", 20170503), ("2017", 20170000), (None, 0), ("n.d.", 0)])
def test_date_number(date, number):
    assert date_number(date) == number
