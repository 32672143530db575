"""Sections: headings, paragraphs and pages cut into runs of one language, with abstract sections marked."""

from __future__ import annotations

import time

import pytest

from corpus.extract.text import extract_text
from corpus.language import document_languages
from corpus.model import LANGUAGES, Block, Extracted
from corpus.sections import is_summary_heading, sectionize
from tests.conftest import FIXTURES

PARAGRAPHS = {lang: (FIXTURES / "language" / f"{lang}.txt").read_text(encoding="utf-8").strip() for lang in LANGUAGES}

FI_BODY = (
    "Sosiaali- ja terveydenhuollon palvelujen kehittäminen edellyttää tietoa asiakkaiden tarpeista. "
    "Raportissa tarkastellaan, miten hyvinvointialueet ovat järjestäneet lastensuojelun sijaishuollon "
    "ja millaisia kokemuksia lapsilla ja perheillä on palveluista. Aineisto kerättiin haastattelemalla "
    "työntekijöitä ja asiakkaita kolmella hyvinvointialueella vuosina 2023 ja 2024."
)
SV_SUMMARY = (
    "Rapporten beskriver hur välfärdsområdena har ordnat vården utom hemmet inom barnskyddet och vilka "
    "erfarenheter barn och familjer har av tjänsterna. Materialet samlades in genom intervjuer med "
    "anställda och klienter i tre välfärdsområden under åren 2023 och 2024."
)


def html(*blocks: Block, lang_hint: str | None = None) -> Extracted:
    return Extracted(format="html", title="t", blocks=blocks, lang_hint=lang_hint)


@pytest.mark.parametrize("fmt", ["html", "txt", "pdf"])
def test_finnish_report_with_swedish_summary(fmt):
    if fmt == "html":
        doc = html(
            Block("Johdanto", "heading", 2),
            Block(FI_BODY),
            Block("Sammanfattning", "heading", 2),
            Block(SV_SUMMARY),
            Block("Tulokset", "heading", 2),
            Block(FI_BODY),
        )
    elif fmt == "txt":
        text = f"Johdanto\n\n{FI_BODY}\n\nSammanfattning\n\n{SV_SUMMARY}\n\nTulokset\n\n{FI_BODY}\n"
        doc = extract_text(text.encode("utf-8"))
    else:  # PDF pages without blank lines: the abstract heading is found as a line
        pages = (f"{FI_BODY}\n{FI_BODY}", f"{FI_BODY}\nSammanfattning\n{SV_SUMMARY}", f"Tulokset\n{FI_BODY}")
        doc = Extracted("pdf", "t", tuple(Block(p, "page", page=i + 1) for i, p in enumerate(pages)))
    secs = sectionize(doc, default_lang="fi")
    assert document_languages(secs) == ("fi", ("fi", "sv"))
    (summary,) = [s for s in secs if s.lang == "sv"]
    assert summary.kind == "summary" and summary.heading == "Sammanfattning"
    assert summary.text.startswith("Rapporten beskriver")
    assert all(s.kind == "body" for s in secs if s.lang == "fi")
    assert [s.position for s in secs] == list(range(len(secs)))


def test_language_change_without_heading_makes_a_new_section():
    secs = sectionize(html(Block("Kuvaus", "heading", 2), Block(FI_BODY), Block(SV_SUMMARY)), default_lang=None)
    assert [(s.heading, s.lang) for s in secs] == [("Kuvaus", "fi"), ("Kuvaus", "sv")]


def test_body_after_a_summary_without_heading_is_not_summary():
    secs = sectionize(html(Block("Sammanfattning", "heading", 2), Block(SV_SUMMARY), Block(FI_BODY)), default_lang=None)
    assert [(s.lang, s.kind) for s in secs] == [("sv", "summary"), ("fi", "body")]


def test_sub_headings_of_a_summary_stay_summary_until_a_heading_of_its_rank():
    doc = html(
        Block("Tiivistelmä", "heading", 2),
        Block("Tausta", "heading", 3),
        Block(FI_BODY),
        Block("Johtopäätökset", "heading", 3),
        Block(FI_BODY),
        Block("Johdanto", "heading", 2),
        Block(FI_BODY),
    )
    secs = sectionize(doc, default_lang=None)
    assert [(s.heading, s.kind) for s in secs] == [
        ("Tiivistelmä – Tausta", "summary"),
        ("Johtopäätökset", "summary"),
        ("Johdanto", "body"),
    ]


@pytest.mark.parametrize(
    "heading",
    [
        "Tiivistelmä",
        "Yhteenveto",
        "Sammanfattning",
        "Sammandrag",
        "Sammendrag",
        "Samandrag",
        "Resumé",
        "Resume",
        "Abstract",
        "Summary",
        "Executive summary",
        "English summary",
        "2.1 Sammanfattning:",
        "TIIVISTELMÄ – SAMMANFATTNING – ABSTRACT",
        "Svensk sammanfattning",
    ],
)
def test_abstract_headings(heading):
    assert is_summary_heading(heading)


@pytest.mark.parametrize(
    "heading",
    [
        "Johdanto",
        "Bakgrund",
        "Innledning",
        "Results",
        "",
        "Summary statistics of all the municipalities in the region and their services",
    ],
)
def test_other_headings_are_not_abstracts(heading):
    assert not is_summary_heading(heading)


@pytest.mark.parametrize("lang", ["sv", "nb", "nn", "da", "en"])
def test_each_language_gets_its_sections(lang):
    secs = sectionize(
        html(Block("Otsikko", "heading", 2), Block(FI_BODY), Block("x", "heading", 2), Block(PARAGRAPHS[lang])),
        default_lang=None,
    )
    assert [s.lang for s in secs] == ["fi", lang]


def test_tiny_paragraphs_merge_into_one_section_of_their_language():
    lines = PARAGRAPHS["nn"].split(". ")
    secs = sectionize(html(*(Block(line) for line in lines)), default_lang=None)
    assert [s.lang for s in secs] == ["nn"]
    assert secs[0].text.count("\n\n") == len(lines) - 1


@pytest.mark.parametrize("hint, expected", [("da", "da"), ("nb", "nb")])
def test_hint_labels_text_too_short_to_tell(hint, expected):
    doc = html(Block("Det er kynisk."), lang_hint=hint)
    assert [s.lang for s in sectionize(doc, default_lang=None)] == [expected]
    assert [s.lang for s in sectionize(html(Block("Det er kynisk.")), default_lang=hint)] == [expected]


def test_html_lang_hint_does_not_override_the_text():
    doc = html(Block(SV_SUMMARY), lang_hint="fi")
    assert [s.lang for s in sectionize(doc, default_lang="fi")] == ["sv"]


def test_sections_without_letters_are_dropped():
    doc = html(
        Block("Taulukko", "heading", 2), Block("12 345\n67 890"), Block("Johdanto", "heading", 2), Block(FI_BODY)
    )
    secs = sectionize(doc, default_lang=None)
    assert [(s.heading, s.position) for s in secs] == [("Johdanto", 0)]
    assert sectionize(html(Block("2024"), Block("– 3 –")), default_lang=None) == ()


def test_a_thousand_pages_are_quick():
    pages = tuple(
        Block(f"{FI_BODY}\n{PARAGRAPHS['fi']}\n{i}\n{FI_BODY[i % 50 :]}", "page", page=i + 1) for i in range(1000)
    )
    started = time.perf_counter()
    secs = sectionize(Extracted("pdf", "t", pages), default_lang=None)
    assert time.perf_counter() - started < 10
    assert {s.lang for s in secs} == {"fi"}
    assert sum(len(s.text) for s in secs) > 1000 * len(FI_BODY)


def test_seed_documents_are_finnish(shared_data):
    for path in sorted((shared_data / "seeds").glob("*.txt")):
        secs = sectionize(extract_text(path.read_bytes()), default_lang=None)
        lang, langs = document_languages(secs)
        assert (lang, langs) == ("fi", ("fi",)), path.name
        assert sum(s.lang == "fi" for s in secs) / len(secs) >= 0.9, path.name
