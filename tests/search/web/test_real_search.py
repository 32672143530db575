"""The pages over the real index and search (no browser): cross-language results, browsing, neighbours."""

from __future__ import annotations

import pytest

from tests.search.web.collection import DOCUMENTS


@pytest.fixture(scope="module")
def real(indexed):
    from search.web.app import create_app

    return create_app(indexed["data_dir"]).test_client()


def test_a_finnish_query_finds_nordic_documents_and_says_how(real):
    html = real.get("/?q=lastensuojelu&ui=en").get_data(as_text=True)
    assert "Fosterhjem i barnevernet 2025" in html  # Norwegian, through the thesaurus
    assert "Also searched in other languages:" in html and "barnevern" in html
    assert "<mark>" in html


def test_expansion_off_keeps_to_the_words_typed(real):
    on = real.get("/api/search?q=lastensuojelu").get_json()
    off = real.get("/api/search?q=lastensuojelu&xl=0").get_json()
    assert off["expanded"] == {} and on["expanded"]
    assert off["total"] < on["total"]


def test_browsing_an_area_without_words(real):
    data = real.get("/api/search?area=older-people").get_json()
    assert [h["title"] for h in data["hits"]] == ["Äldreomsorgen i Sverige 2025"]


def test_document_page_shows_similar_documents_in_other_languages(real, indexed):
    html = real.get(f"/documents/{indexed['ids'][DOCUMENTS[2].url]}?ui=en").get_data(as_text=True)
    similar = html.split('id="similar-h"', 1)[1].split("</section>", 1)[0]
    assert 'lang="da"' in similar or 'lang="fi"' in similar or 'lang="sv"' in similar, similar


def test_sorting_by_date(real):
    data = real.get("/api/search?q=barnevern&sort=date&limit=20").get_json()
    dates = [h["date"] for h in data["hits"]]
    assert dates == sorted(dates, reverse=True)
