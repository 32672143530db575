"""Pre-analysis for the writer: the word memo gives exactly the analyzer's tokens; metadata fields."""

from __future__ import annotations

import csv

import pytest

from corpus.model import Document, Section
from index.prepare import (
    _reference_postings,
    _reference_tokens,
    analysed_tokens,
    date_number,
    folded_tokens,
    language_texts,
    prepare,
    text_postings,
)
from index.schema import Postings, body_field, fold_field, title_field

LANGS = ["fi", "sv", "nb", "nn", "da", "en"]


def ud_text(shared_data, lang: str, chars: int = 20_000) -> str:
    with open(shared_data / "ud" / "sentences.tsv", encoding="utf-8") as f:
        text = " ".join(row["text"] for row in csv.DictReader(f, delimiter="\t") if row["lang"] == lang)[:chars]
    return text + " sote-uudistus LSS, ROP-lidelser 1,5 % och i på"


@pytest.mark.parametrize("lang", LANGS)
def test_memo_replays_the_analyzer_exactly(shared_data, lang):
    text = ud_text(shared_data, lang)
    assert analysed_tokens(text, lang) == _reference_tokens(text, lang)
    assert analysed_tokens(text, lang) == _reference_tokens(text, lang)  # second time from the memo


@pytest.mark.parametrize("lang", LANGS)
def test_postings_are_what_whoosh_formats_encode(shared_data, lang):
    text = ud_text(shared_data, lang)
    tokens = _reference_tokens(text, lang)
    exact, folded = text_postings(text, lang)
    assert sorted(exact) == sorted(_reference_postings(body_field(lang), tokens))
    assert sorted(folded) == sorted(_reference_postings(fold_field(lang), folded_tokens(tokens, lang)))
    title, _ = text_postings(text[:300], lang, positions=False)
    assert sorted(title) == sorted(_reference_postings(title_field(lang), _reference_tokens(text[:300], lang)))


@pytest.mark.parametrize("text", ["", "och i på", "i barn"])
def test_postings_of_stop_words_only_or_nothing(text):
    exact, folded = text_postings(text, "sv")
    assert sorted(exact) == sorted(_reference_postings(body_field("sv"), _reference_tokens(text, "sv")))
    assert len(exact) == len(folded)


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
