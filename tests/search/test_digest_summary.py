"""Summaries from the document itself: abstract first, else lead sentences without boilerplate."""

from __future__ import annotations

import pytest

from corpus.model import Document, Section
from search.digest.summary import clip_words, is_boilerplate, summarize

ABSTRACT_HEADINGS = {
    "fi": "Tiivistelmä",
    "sv": "Sammanfattning",
    "nb": "Sammendrag",
    "nn": "Samandrag",
    "da": "Resumé",
    "en": "Abstract",
}


@pytest.mark.parametrize("lang,heading", ABSTRACT_HEADINGS.items())
def test_abstract_by_heading_wins_over_lead(lang, heading):
    doc = Document(
        "d", "https://x.org/r", "R", lang,
        sections=(
            Section("Johdanto kertoo taustasta hyvin pitkästi ja perusteellisesti.", lang, "Johdanto"),
            Section("Tämä on raportin oma tiivistelmä.", lang, heading),
        ),
    )  # fmt: skip
    summary = summarize(doc)
    assert summary.text == "Tämä on raportin oma tiivistelmä."
    assert (summary.lang, summary.source) == (lang, "abstract")


def test_abstract_in_preferred_language():
    doc = Document(
        "d", "https://x.fi/r", "R", "fi",
        sections=(
            Section("Suomenkielinen tiivistelmä on tässä.", "fi", "Tiivistelmä", "summary"),
            Section("Den svenska sammanfattningen är här.", "sv", "Sammanfattning", "summary"),
        ),
    )  # fmt: skip
    assert summarize(doc, "sv").lang == "sv"
    assert summarize(doc, "fi").lang == "fi"
    assert summarize(doc).lang == "fi"


def test_lead_skips_boilerplate():
    doc = Document(
        "d", "https://x.se/r", "R", "sv",
        sections=(
            Section("Vi använder kakor (cookies) för att förbättra webbplatsen.\n\nHoppa till huvudinnehåll", "sv"),
            Section("ISBN 978-91-7555-000-1. Foto: Johan Svensson.\n\nHemtjänsten behöver fler medarbetare. Behovet ökar.", "sv"),
        ),
    )  # fmt: skip
    summary = summarize(doc)
    assert summary.text == "Hemtjänsten behöver fler medarbetare. Behovet ökar."
    assert summary.source == "lead"


def test_summary_is_at_most_about_80_words():
    long = " ".join(f"Lause numero {i} kertoo asiasta." for i in range(60))
    doc = Document("d", "https://x.fi/r", "R", "fi", sections=(Section(long, "fi", "Tiivistelmä", "summary"),))
    assert len(summarize(doc).text.split()) <= 81


def test_clip_words_marks_a_cut():
    assert clip_words("yksi kaksi kolme neljä", 2) == "yksi kaksi …"
    assert clip_words("yksi kaksi", 2) == "yksi kaksi"


@pytest.mark.parametrize(
    "sentence",
    [
        "Lue lisää",
        "© THL 2026. Kaikki oikeudet pidätetään.",
        "https://thl.fi/julkaisut",
        "Etusivu | Tilastot | Julkaisut",
    ],
)
def test_boilerplate(sentence):
    assert is_boilerplate(sentence)


def test_real_sentence_is_not_boilerplate():
    assert not is_boilerplate("Sijaishuollon tarve kasvoi.")


def test_no_text_gives_an_empty_summary():
    assert summarize(Document("d", "https://x.fi/r", "R", "fi")).text == ""
