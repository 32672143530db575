"""Text repair: one test per step, then the composition on real seed text and PDFs."""

from __future__ import annotations

import unicodedata

import pytest

from corpus.model import Block, Extracted
from corpus.repair import (
    dehyphenate,
    drop_repeated_lines,
    join_across_pages,
    normalize_unicode,
    normalize_whitespace,
    repair,
    repair_text,
    strip_markers,
    unify_hyphens,
)

# -- normalize_unicode ---------------------------------------------------------------------


def test_ligatures_become_letters():
    assert normalize_unicode("ﬁnanssi ﬂow eﬀekti oﬃce") == "finanssi flow effekti office"


@pytest.mark.parametrize("word", ["päivähoito", "förskola", "barnehage", "omsorg", "æblegrød", "Ålands", "ØSTERBRO"])
def test_nordic_letters_stay_single_code_points(word):
    decomposed = unicodedata.normalize("NFD", word)  # ä → a + U+0308; ø and æ have no decomposition
    out = normalize_unicode(decomposed)
    assert out == word
    assert len(out) == len(word)


def test_compatibility_spaces_and_fullwidth_forms():
    assert normalize_unicode("§\u00a05 Ｈｅｌｓｉｎｋｉ") == "§ 5 Helsinki"


# -- strip_markers -------------------------------------------------------------------------


def test_soft_hyphen_is_removed_inside_a_word():
    assert strip_markers("kehittämis\u00adtoiminta") == "kehittämistoiminta"


def test_soft_hyphen_at_line_end_joins_the_lines():
    assert strip_markers("arbeidsavklarings\u00ad\npengar") == "arbeidsavklaringspengar"


def test_pdfium_fffe_marks_a_joined_hyphen():
    # pdfium already joined "för-\nskollärare" and left U+FFFE where the hyphen was
    assert (
        strip_markers("en lärares eller för\ufffeskollärares legitimation")
        == "en lärares eller förskollärares legitimation"
    )


def test_pdfium_0002_marker():
    assert strip_markers("under\x02\r\nvisning") == "undervisning"


# -- unify_hyphens -------------------------------------------------------------------------


def test_unicode_hyphens_become_ascii_but_dashes_stay():
    assert (
        unify_hyphens("Keski\u2010Pohjanmaa 2017\u20132018 \u2014 sote\u2011uudistus")
        == "Keski-Pohjanmaa 2017–2018 — sote-uudistus"
    )


# -- dehyphenate ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("kehittämis-\ntoiminta", "kehittämistoiminta"),
        ("Poh-\nanmaan", "Pohanmaan"),
        ("utbild-\r\nningen", "utbildningen"),
        ("omsorgs- \n  tjenester", "omsorgstjenester"),
    ],
)
def test_words_split_at_line_end_are_joined(text, expected):
    assert dehyphenate(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("sosiaali-\nja terveydenhuolto", "sosiaali- ja terveydenhuolto"),
        ("barn-\noch ungdomsvård", "barn- och ungdomsvård"),
        ("helse-\nog omsorgstjenester", "helse- og omsorgstjenester"),
        ("sekä sosiaali-\nettä terveydenhuolto", "sekä sosiaali- että terveydenhuolto"),
        ("kunta-\ntai maakuntatasolla", "kunta- tai maakuntatasolla"),
        ("social-\neller hälsovård", "social- eller hälsovård"),
    ],
)
def test_suspended_hyphens_before_conjunctions_are_kept(text, expected):
    assert dehyphenate(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("EU-\nrahoitus", "EU-rahoitus"),
        ("NAV-\nkontoret", "NAV-kontoret"),
        ("2017-\n2018", "2017-2018"),
        ("65-\nvuotiaat", "65-vuotiaat"),
        ("Keski-\nPohjanmaa", "Keski-Pohjanmaa"),
    ],
)
def test_real_hyphens_are_kept(text, expected):
    assert dehyphenate(text) == expected


def test_finnish_double_vowel_compounds_keep_their_hyphen():
    assert dehyphenate("sosiaali-\ninstituutio", lang="fi") == "sosiaali-instituutio"
    assert dehyphenate("kvinno-\norganisation", lang="sv") == "kvinnoorganisation"


def test_suspended_hyphen_within_a_line_is_untouched():
    text = "sosiaali- ja terveydenhuolto, barn- och ungdomsvård, helse- og omsorgstjenester"
    assert dehyphenate(text) == text


def test_a_dash_at_line_end_is_not_a_hyphen():
    assert dehyphenate("tärkeää –\nmyös") == "tärkeää –\nmyös"
    assert dehyphenate("luettelo:\n- kohta\n- toinen") == "luettelo:\n- kohta\n- toinen"


# -- normalize_whitespace ------------------------------------------------------------------


def test_whitespace_runs_collapse_and_paragraphs_survive():
    assert normalize_whitespace("Ensimmäinen  \t kappale \r\njatkuu.\r\n\r\n\r\n\r\nToinen\u200b kappale.  ") == (
        "Ensimmäinen kappale\njatkuu.\n\nToinen kappale."
    )


def test_control_characters_are_dropped():
    assert normalize_whitespace("a\x00b\x07c\x1bd") == "abcd"


# -- page steps ----------------------------------------------------------------------------


_WORDS = ["skolväsendet", "lärarlegitimation", "behörighet", "förskolan", "fritidshemmet", "specialpedagogik"]


def _pages(n: int) -> list[str]:
    return [
        f"Prop. 2012/13:187\n{i + 1}\nText om {_WORDS[i]} på den här sidan.\n"
        f"Mer text om {_WORDS[-1 - i]}.\nRegeringskansliet — sida {i + 1} av {n}"
        for i in range(n)
    ]


def test_running_headers_footers_and_page_numbers_are_dropped():
    out = drop_repeated_lines(_pages(6))
    for i, page in enumerate(out):
        assert "Prop. 2012/13:187" not in page
        assert "Regeringskansliet" not in page
        assert page.splitlines() == [f"Text om {_WORDS[i]} på den här sidan.", f"Mer text om {_WORDS[-1 - i]}."]


def test_content_lines_that_do_not_repeat_stay():
    out = drop_repeated_lines(_pages(6))
    assert all(f"Mer text om {_WORDS[-1 - i]}." in page for i, page in enumerate(out))


def test_two_pages_are_too_few_to_call_a_line_a_header():
    pages = ["Otsikko\nSisältöä yksi", "Otsikko\nSisältöä kaksi"]
    assert drop_repeated_lines(pages) == pages


def test_bare_page_number_at_the_bottom_is_dropped():
    pages = ["Alpha text here.\nmore alpha\n- 7 -", "Beta text.\nmore beta\nSivu 8", "Gamma.\ngamma again\n9 (12)"]
    out = drop_repeated_lines(pages)
    assert out == ["Alpha text here.\nmore alpha", "Beta text.\nmore beta", "Gamma.\ngamma again"]


def test_word_split_across_pages_is_joined():
    assert join_across_pages(["…rätt till under-", "visning i skolan."]) == ["…rätt till undervisning", "i skolan."]
    assert join_across_pages(["sosiaali-", "ja terveydenhuolto"]) == ["sosiaali- ja", "terveydenhuolto"]
    assert join_across_pages(["Loppu.", "alku"]) == ["Loppu.", "alku"]


# -- composition ---------------------------------------------------------------------------


def test_repair_text_composes_the_steps():
    raw = "Poh\u2010\nanmaan sosiaali\u2010 ja terveys\u00adpalvelut ﬁrst  lines"
    assert repair_text(raw) == "Pohanmaan sosiaali- ja terveyspalvelut first lines"


def test_repair_keeps_block_kinds_and_drops_empty_blocks():
    extracted = Extracted(
        format="html",
        title="  Perhe\u00adkeskus  ",
        blocks=(Block("Otsikko", kind="heading", level=2), Block(" \u00ad "), Block("lasten-\nsuojelu")),
        description="Kuvaus\u00ad",
    )
    out = repair(extracted)
    assert out.title == "Perhekeskus"
    assert out.blocks == (Block("Otsikko", kind="heading", level=2), Block("lastensuojelu"))
    assert out.description == "Kuvaus"


def test_seed_documents_lose_their_split_words(shared_data):
    from corpus.extract import extract
    from corpus.model import Resource

    path = shared_data / "seeds" / "sonet-botnia-strategy-2015.txt"
    out = repair(extract(Resource(url=path.as_uri(), body=path.read_bytes(), content_type="text/plain")))
    text = "\n".join(b.text for b in out.blocks)
    assert "Pohanmaan maakuntien" in text  # "Poh‐\nanmaan" with U+2010
    assert "perusterveydenhuolto" in text  # "perustervey‐\ndenhuolto"
    assert "sosiaali- ja terveydenhuollon" in text  # suspended hyphen kept
    assert "perus-, jatko- ja täydennyskoulutuksen" in text
    assert "\u2010" not in text and "\u00ad" not in text
    assert out.title == "SONet BOTNIAn STRATEGIA 2015"


def test_swedish_bill_is_clean_after_repair(shared_data):
    from corpus.extract import extract
    from corpus.model import Resource

    path = shared_data / "pdf" / "sv_prop_2012-13_187_vissa_skolfragor.pdf"
    out = repair(extract(Resource(url=path.as_uri(), body=path.read_bytes(), content_type="application/pdf")))
    text = "\n".join(b.text for b in out.blocks)
    assert "förskollärares legitimation" in text
    assert "\ufffe" not in text and "\r" not in text
    assert "Prop. 2012/13:187" not in text  # the running header is gone
    assert "lärar- eller" in text  # a suspended hyphen within a line stays
    assert all(b.kind == "page" and b.page for b in out.blocks)
