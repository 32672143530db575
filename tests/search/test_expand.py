"""Cross-lingual query expansion: a term in one language brings its concept's terms in the others."""

from __future__ import annotations

import pytest

from search.expand import QueryExpansion, expand, expand_query, expand_terms


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


def test_expands_into_the_matched_language_only_with_equivalents():
    # familjehem's `same` group: familjehemsvård, familjehemsplacering; not the concept's other
    # Swedish terms (jourhem, nätverkshem are narrower), which only classify documents.
    swedish = {text for lang, text in expand_query("familjehem", "sv") if lang == "sv"}
    assert swedish == {"familjehemsvård", "familjehemsplacering"}


@pytest.mark.parametrize(
    ("query", "lang", "variant", "region"),
    [
        ("närståendevård", "sv", "anhörigomsorg", "SE"),  # Finland-Swedish to Sweden-Swedish
        ("anhörigomsorg", "sv", "närståendevård", "FI"),  # and back
        ("handikappservice", "sv", "funktionshinderomsorg", "SE"),
        ("utkomststöd", "sv", "försörjningsstöd", "SE"),
        ("barnskydd", "sv", "barn- och ungdomsvård", "SE"),
        ("hemvård", "sv", "hemtjänst", "SE"),
    ],
)
def test_regional_variants_expand_to_each_other(query, lang, variant, region):
    same = {t.text: t for t in expand_terms(query, lang) if t.lang == lang}
    assert variant in same
    assert same[variant].relation == "same" and same[variant].region == region


@pytest.mark.parametrize(
    ("query", "lang", "other"),
    [
        ("LSS", "sv", "lagen om stöd och service till vissa funktionshindrade"),
        ("LVU", "sv", "lagen med särskilda bestämmelser om vård av unga"),
        ("LVM", "sv", "lagen om vård av missbrukare i vissa fall"),
        ("NAV", "nb", "Arbeids- og velferdsetaten"),
        ("BPA", "nb", "brukerstyrt personlig assistanse"),
        ("sote", "fi", "sosiaali- ja terveydenhuolto"),
        ("einsleg forsørgjar", "nn", "einsleg mor eller far"),  # Nynorsk equivalents
        ("enslig forsørger", "nb", "enslig mor eller far"),
    ],
)
def test_abbreviations_and_synonyms_expand_within_their_language(query, lang, other):
    assert (lang, other) in expand_query(query, lang)


def test_expansions_carry_areas_weights_and_ambiguity():
    terms = {(t.lang, t.text): t for t in expand_terms("barnevern", "nb")}
    care = terms[("sv", "omhändertagande")]
    assert care.ambiguous and care.areas == ("child-protection",) and 0 < care.weight < 1
    assert not terms[("sv", "familjehem")].ambiguous
    assert terms[("fi", "lastensuojelu")].weight == 1.0  # the concept's own name in Finnish


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
    assert ("fi", "toimeentulotuki") in {(t.lang, t.text) for t in first} and second == ()
    assert expand_query("ekonomiskt", "sv") == ()  # one clause alone is not the term


def test_area_core_term_brings_sibling_concepts():
    added = expand_query("lastensuojelu", "fi")
    assert ("sv", "familjehem") in added and ("da", "anbringelse") in added
    assert ("sv", "familjehem") not in expand_query("huostaanotto", "fi")  # not the area's core concept
