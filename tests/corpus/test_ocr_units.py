"""The OCR pieces that need no Tesseract: detection, fixes, deskew, denoise, the queue's rules."""

from __future__ import annotations

import doctest
import importlib

import numpy as np
import pytest
from PIL import Image, ImageDraw

from corpus.model import OcrPage
from corpus.ocr import queue
from corpus.ocr.denoise import median_size
from corpus.ocr.deskew import deskew, skew_angle
from corpus.ocr.detect import mostly_non_words, ocr_reason, one_glyph_per_line
from corpus.ocr.fixes import fix_ocr_text, join_broken_hyphens, nordic_letters, rn_m, section_signs
from corpus.ocr.lexicon import Lexicon
from corpus.store import Store


@pytest.mark.parametrize(
    "module",
    ["corpus.ocr.detect", "corpus.ocr.fixes", "corpus.ocr.deskew", "corpus.ocr.denoise", "corpus.ocr.lexicon"],
)
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0


# -- detection -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Lastensuojelun asiakkaana oleva lapsi ja hänen perheensä saavat tukea kunnalta.",
        "Regeringen föreslår att riksdagen antar regeringens förslag till lag om ändring.",
        "Barneverntjenesten skal sørge for at barn og unge får nødvendig hjelp og omsorg.",
        "Kommunen skal sørge for, at børn og unge får den nødvendige hjælp og støtte.",
    ],
)
def test_a_born_digital_text_layer_is_kept(text):
    assert ocr_reason(text, has_image=True) is None


def test_a_page_with_only_an_image_wants_ocr_and_an_empty_page_does_not():
    assert ocr_reason("  \n", has_image=True) == "no text layer"
    assert ocr_reason("", has_image=False) is None


def test_garbage_layers_are_recognised():
    # a shifted font encoding (sv_prop_1999-2000_17 page 7 reads like this)
    assert ocr_reason("QlUPDVW HIWHU GHW nU Gn ODJHQ WUlGHULNUDIWHOOHUVHQDUH", has_image=False) == "garbage text layer"
    assert one_glyph_per_line("\n".join("Barnskyddslagen"))
    assert not one_glyph_per_line("\n".join(["Sisällys", "1", "2", "3", "4", "5", "6", "7", "8", "Liite"]))
    assert mostly_non_words("xkcq brvtz plmqk fghjt zzkvb qwrtp mnbvc")
    assert not mostly_non_words("HVB LVU LSS BPA NAV IPS SFS KELA THL STM")  # acronyms are not garbage


# -- fixes ---------------------------------------------------------------------------------


def test_section_signs_read_as_dollar_or_ampersand_are_restored_but_money_stays():
    assert section_signs("Lasten kohdalla on 4 $:ssä ja 12 & 2 mom.") == "Lasten kohdalla on 4 §:ssä ja 12 § 2 mom."
    assert section_signs("enligt $ 5 lagen") == "enligt § 5 lagen"
    assert section_signs("kostade $5 och R&D") == "kostade $5 och R&D"


def test_broken_hyphens_become_plain_line_end_hyphens():
    assert join_broken_hyphens("sosiaali¬\nhuolto") == "sosiaali-\nhuolto"
    assert join_broken_hyphens("työ-\n\nelämä ja Keski-\n\nPohjanmaa") == "työ-\nelämä ja Keski-\n\nPohjanmaa"


@pytest.mark.parametrize(
    "lang, ocr, fixed",
    [
        ("fi", "rnuut palvelut ja paivakoti", "muut palvelut ja päiväkoti"),
        ("sv", "kornmunen och aldre personer i forskolan", "kommunen och äldre personer i förskolan"),
        ("nb", "barnevernet skal sorge for barna", "barnevernet skal sørge for barna"),
        ("da", "bornene i bornehaven", "børnene i børnehaven"),
    ],
)
def test_dictionary_fixes_per_language(lang, ocr, fixed):
    assert fix_ocr_text(ocr, lang, Lexicon()) == fixed


def test_dictionary_fixes_leave_known_words_alone():
    lexicon = Lexicon()
    # "seka" (mixed) and "modern" are words: never "fixed" into "sekä" or "modem"
    assert nordic_letters("seka", "fi", lexicon) == "seka"
    assert rn_m("modern", "sv", lexicon) == "modern"
    assert nordic_letters("Barnomsorg i Helsingfors", "sv", lexicon) == "Barnomsorg i Helsingfors"


# -- deskew and denoise --------------------------------------------------------------------


def _lines_image() -> Image.Image:
    image = Image.new("L", (1600, 2200), 255)
    draw = ImageDraw.Draw(image)
    for y in range(150, 2050, 45):
        draw.rectangle([120, y, 1480, y + 14], fill=0)
    return image


@pytest.mark.parametrize("skew", [-2.0, -1.0, 1.5, 2.0])
def test_deskew_finds_and_undoes_the_skew(skew):
    skewed = _lines_image().rotate(skew, fillcolor=255)
    assert abs(skew_angle(np.asarray(skewed)) + skew) <= 0.1
    straight, turned = deskew(skewed)
    assert abs(turned + skew) <= 0.1
    assert abs(skew_angle(np.asarray(straight))) <= 0.1


def test_a_straight_page_is_not_turned():
    image = _lines_image()
    assert deskew(image) == (image, 0.0)


def test_median_window_grows_with_the_upscaling():
    assert [median_size(d, 300) for d in (None, 400, 300, 200, 150)] == [0, 3, 3, 5, 5]


# -- the queue -----------------------------------------------------------------------------


def _queued(url: str = "file:///scan.pdf", digest: str = "h1") -> queue.Queued:
    return queue.Queued(url, digest, "d1", "application/pdf", "2026-12-01T00:00:00+00:00", {"country": "FI"}, "fi")


def test_enqueue_caps_pages_per_document_and_is_idempotent(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        queue.ensure(store)
        pages = [(i, "no text layer") for i in range(5)]
        assert queue.enqueue(store, _queued(), pages, max_pages=3) == 3
        assert queue.enqueue(store, _queued(), pages, max_pages=3) == 0
        counts = queue.counts(store)
        assert (counts["pages_waiting"], counts["pages_capped"], counts["documents_waiting"]) == (3, 2, 1)
        assert [t.page for t in queue.waiting_tasks(store)] == [0, 1, 2]
        assert {t.lang for t in queue.waiting_tasks(store)} == {"fi"}


def test_a_page_is_recorded_once_and_the_document_is_ready_when_all_pages_are_final(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        queue.ensure(store)
        queue.enqueue(store, _queued(), [(0, "no text layer"), (1, "no text layer")], max_pages=10)
        first, second = queue.waiting_tasks(store)
        page = OcrPage(page=0, text="Lastensuojelu", confidence=90.0, lang="fi")
        assert queue.record(store, first, page, seconds=1.0, run="a")
        assert not queue.record(store, first, page, seconds=1.0, run="b")  # already read: never twice
        assert list(queue.ready(store)) == []
        assert queue.record(store, second, None, seconds=1.0, run="a", error="unreadable")
        (ready,) = queue.ready(store)
        assert ready.hints == {"country": "FI"}
        final = queue.final_pages(store, "h1")
        assert [(p.page, p.text) for p in final] == [(0, "Lastensuojelu"), (1, "")]
        queue.mark_applied(store, ready)
        assert list(queue.ready(store)) == [] and queue.counts(store)["documents_waiting"] == 0


def test_counts_on_a_store_from_before_ocr(tmp_path):
    Store(tmp_path / "s.sqlite").close()
    with Store(tmp_path / "s.sqlite", readonly=True) as store:
        assert queue.counts(store)["pages_waiting"] == 0
