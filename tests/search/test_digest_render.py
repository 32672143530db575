"""Rendering: golden Markdown and text, HTML parsed and checked for e-mail safety and escaping."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from search.digest import parse_draft, render
from search.digest.render import area_labeller
from tests.search.digest_corpus import build_store, draft_text, edit, set_intro

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "digest"
LABELS = {
    ("child-protection", "fi"): "Lastensuojelu",
    ("older-people", "fi"): "Ikäihmisten palvelut",
    ("adult-social-work", "fi"): "Aikuissosiaalityö",
    ("families-children-youth", "fi"): "Lapsi- ja perhepalvelut",
    ("families-children-youth", "sv"): "Familjer, barn och unga",
    ("child-protection", "sv"): "Barnskydd",
    ("older-people", "sv"): "Äldreomsorg",
    ("adult-social-work", "sv"): "Socialt arbete med vuxna",
}
HOSTILE = "<script>alert('kommentti')</script> **tärkeä** [klikkaa](javascript:alert(1)) & <b>"


def label(area_id: str, lang: str) -> str:
    return LABELS.get((area_id, lang), area_id)


@pytest.fixture(scope="module")
def drafts(tmp_path_factory):
    """The fixture draft in fi and sv with an intro and comments, as a consultant leaves it."""
    store = build_store(tmp_path_factory.mktemp("render") / "store.sqlite")
    out = {}
    for lang in ("fi", "sv"):
        text = draft_text(store, lang=lang)
        text = set_intro(text, "Syksyn 2026 pohjoismaiset julkaisut.\n\nKommentit: kehittämiskonsultti.")
        text = edit(text, 1, "comment", "Kattava tilasto; ruotsinkielinen versio ilmestyi viikkoa myöhemmin.")
        text = edit(text, 4, "comment", HOSTILE)
        text = edit(text, 5, "include", False)
        out[lang] = parse_draft(text)
    store.close()
    return out


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with UPDATE_GOLDEN=1 and review the diff"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs: review, then UPDATE_GOLDEN=1"


@pytest.mark.parametrize("lang", ["fi", "sv"])
@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_golden(drafts, lang, fmt):
    check_golden(f"digest_{lang}.{fmt}", render(drafts[lang], fmt, area_label=label, area_order=()))


def test_labels_and_dates_in_the_digest_language(drafts):
    fi = render(drafts["fi"], "txt", area_label=label)
    sv = render(drafts["sv"], "txt", area_label=label)
    assert "Ajanjakso 1.10.2026–30.11.2026" in fi and "Period 1.10.2026–30.11.2026" in sv
    assert "Tanska" in fi and "Danmark" in sv
    assert "Tiivistelmä suomeksi" in fi and "Sammanfattning på svenska" in sv


def test_comment_comes_before_summary(drafts):
    md = render(drafts["fi"], "md", area_label=label)
    assert md.index("Kattava tilasto") < md.index("Kodin ulkopuolelle sijoitettuja")


def test_markdown_escapes_document_and_comment_text(drafts):
    md = render(drafts["fi"], "md", area_label=label)
    assert not re.search(r"(?<!\\)<", md), "an unescaped < would open an HTML tag"
    assert "](javascript:" not in md
    assert "\\<script\\>" in md and "\\*\\*tärkeä\\*\\*" in md


@pytest.fixture(scope="module")
def soup(drafts):
    return BeautifulSoup(render(drafts["fi"], "html", area_label=label), "html.parser")


def test_html_has_every_included_item(drafts, soup):
    titles = [h.get_text() for h in soup.find_all("h4")]
    assert titles == [i.title for i in _in_layout_order(drafts["fi"])]
    assert len(titles) == 4  # the fifth is include = false


def _in_layout_order(digest):
    from search.digest.view import layout

    view = layout(digest, label)
    by_title = {i.title: i for i in digest.included}
    return [by_title[it.title] for a in view.sections for c in a.countries for it in c.items]


def test_html_escapes_hostile_text(soup):
    assert soup.find_all("script") == []
    assert soup.find_all("img") == []
    assert soup.find_all("b") == []
    text = soup.get_text()
    assert "<script>alert('kommentti')</script>" in text  # shown as text
    assert "<script>alert('titel')</script>" in text


def test_html_links_are_absolute_and_safe(soup):
    hrefs = [a["href"] for a in soup.find_all("a")]
    assert hrefs and all(h.startswith(("https://", "http://", "file://")) for h in hrefs)


def test_html_uses_inline_styles_only(soup):
    assert soup.find_all("style") == [] and soup.find_all("link") == []
    assert not soup.find_all(class_=True)
    assert not soup.find_all(src=True)
    assert all(tag.get("style") for tag in soup.find_all(["h1", "h2", "h3", "h4", "p"]))
    assert not [a for tag in soup.find_all(True) for a in tag.attrs if a.startswith("on")]


def test_html_fragment_has_no_document_wrapper(drafts):
    from search.digest import render_html_fragment

    fragment = render_html_fragment(drafts["sv"], area_label=label)
    assert "<html" not in fragment and "<h1" in fragment


def test_grouped_item_links_each_version(soup):
    item = next(h for h in soup.find_all("h4") if h.get_text().startswith("Lastensuojelu 2025")).parent
    links = {a.get_text(): a["href"] for a in item.find_all("a")}
    assert links["ruotsi"] == "https://thl.fi/sv/statistik/barnskydd-2025"
    assert links["suomi"] == "https://thl.fi/fi/tilastot/lastensuojelu-2025"


def test_area_labels_come_from_the_thesaurus():
    labeller, order = area_labeller()
    assert labeller("child-protection", "sv") == "Barnskydd"
    assert labeller("no-such-area", "fi") == "no-such-area"
    assert "child-protection" in order
