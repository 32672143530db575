"""Cross-lingual query expansion: a term in one language brings its concept's terms in the others."""

from __future__ import annotations

import pytest

from search.expand import QueryExpansion, expand, expand_query


@pytest.mark.parametrize(
    ("query", "lang", "wanted"),
    [
        ("lastensuojelu sijaishuolto", "fi", {"sv": "familjehem", "nb": "fosterhjem", "da": "plejefamilie"}),
        ("sijaishuollon", "fi", {"sv": "familjehem"}),  # inflected
        ("fosterhjem", "nb", {"fi": "perhehoito", "sv": "familjehem", "nn": "fosterheim", "en": "foster care"}),
        ("anbringelse", None, {"fi": "huostaanotto", "sv": "omhändertagande", "nb": "omsorgsovertakelse"}),
        ("ekonomiskt bistånd", "sv", {"fi": "toimeentulotuki", "nb": "sosialhjelp", "da": "kontanthjælp"}),
        ("hemtjänst", "sv", {"fi": "kotihoito", "da": "hjemmepleje"}),
    ],
)
def test_expansion_reaches_other_languages(query, lang, wanted):
    added = set(expand_query(query, lang))
    for other, text in wanted.items():
        assert (other, text) in added


def test_never_expands_into_the_matched_language():
    added = expand_query("familjehem", "sv")
    assert added and all(lang != "sv" for lang, _ in added)


def test_as_json_keys_are_the_query_terms():
    found = expand("lastensuojelu sijaishuolto", "fi")
    assert isinstance(found, QueryExpansion)
    data = found.as_json()
    assert set(data) == {"lastensuojelu", "sijaishuolto"}
    assert "barnevern" in data["lastensuojelu"] and len(data["sijaishuolto"]) == len(set(data["sijaishuolto"]))
    assert found.concepts["sijaishuolto"] == "foster-care"
    assert "fosterhjem" in found.by_lang()["nb"]


@pytest.mark.parametrize("query", ["", "   ", "järnväg", "tuulivoima"])
def test_no_expansion_for_other_subjects(query):
    assert not expand(query, "sv") and expand_query(query, None) == ()


def test_wrong_language_guess_still_expands():
    assert ("sv", "familjehem") in expand_query("perhehoito", "sv")


def test_expand_clauses_matches_phrases_across_clauses():
    from search.expand import expand_clauses

    first, second = expand_clauses(["ekonomiskt", "bistånd"], "sv")
    assert ("fi", "toimeentulotuki") in first and second == ()
    assert expand_query("ekonomiskt", "sv") == ()  # one clause alone is not the term


def test_area_core_term_brings_sibling_concepts():
    added = expand_query("lastensuojelu", "fi")
    assert ("sv", "familjehem") in added and ("da", "anbringelse") in added
    assert ("sv", "familjehem") not in expand_query("huostaanotto", "fi")  # not the area's core concept
