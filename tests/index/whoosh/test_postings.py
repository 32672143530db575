"""The whoosh encoding of an index record: the postings are what whoosh's own Formats make of the tokens."""

from __future__ import annotations

import pytest

from corpus.model import Document, Section
from index.document_record import document_record
from index.terms import folded_tokens, reference_tokens
from index.whoosh.postings import reference_postings, text_postings, whoosh_fields
from index.whoosh.schema import Postings, body_field, fold_field, title_field
from tests.index.helpers import ud_text

LANGS = ["fi", "sv", "nb", "nn", "da", "en"]


@pytest.mark.parametrize("lang", LANGS)
def test_postings_are_what_whoosh_formats_encode(shared_data, lang):
    text = ud_text(shared_data, lang)
    tokens = reference_tokens(text, lang)
    exact, folded = text_postings(text, lang)
    assert sorted(exact) == sorted(reference_postings(body_field(lang), tokens))
    assert sorted(folded) == sorted(reference_postings(fold_field(lang), folded_tokens(tokens, lang)))
    title, _ = text_postings(text[:300], lang, positions=False)
    assert sorted(title) == sorted(reference_postings(title_field(lang), reference_tokens(text[:300], lang)))


@pytest.mark.parametrize("text", ["", "och i på", "i barn"])
def test_postings_of_stop_words_only_or_nothing(text):
    exact, folded = text_postings(text, "sv")
    assert sorted(exact) == sorted(reference_postings(body_field("sv"), reference_tokens(text, "sv")))
    assert len(exact) == len(folded)


def test_record_fields_for_the_whoosh_writer():
    doc = Document(
        id="d",
        url="u",
        title="Raportti",
        lang="fi",
        langs=("fi", "sv"),
        date="2018",
        sections=(Section("Lapset", "fi"), Section("Barnen", "sv", kind="summary")),
    )
    fields = whoosh_fields(document_record(doc))
    assert isinstance(fields["body_sv"], Postings) and "body_nb" not in fields
    assert isinstance(fields["title_fi"], Postings) and "title_sv" not in fields
    assert fields["langs"] == "fi,sv" and fields["year"] == "2018" and fields["year_n"] == 2018
    assert fields["datenum"] == 20180000 and fields["payload"]["url"] == "u"
