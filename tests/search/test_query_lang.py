"""The query-language guess (search.query_lang) and how search.query uses and caches it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from index.analysis.finnish import voikko_available
from index.query_cache import QueryCache
from search.model import SearchRequest
from search.query import guess_query_lang
from search.query_lang import best_language, guess_scores, known_languages

EVAL_DIR = Path(__file__).resolve().parents[1] / "eval"

#: Floors for tests/eval/eval_query_lang.py on the retrieval queries (50, labelled). Measured:
#: right 0.760, wrong 0.040, agreement with the lingua-based detection it replaced 0.740
#: (lingua+words: right 0.720, wrong 0.040).
QUERIES_RIGHT_MIN = 0.74
QUERIES_WRONG_MAX = 0.04


@pytest.mark.parametrize(
    ("lang", "query"),
    [
        ("fi", "lastensuojelun kustannukset"),
        ("sv", "barnskydd i kommunerna"),
        ("sv", "barnskyddsanmälan"),  # a compound: barn + skydd + s + anmälan
        ("nb", "bostedsløse"),
        ("nn", "kva gjer kommunen for dei eldre"),
        ("da", "kontanthjælpen"),
        ("en", "homeless"),
    ],
)
def test_guess_per_language(lang, query):
    if lang == "fi" and not voikko_available():
        pytest.skip("Finnish words are known through Voikko")
    scores = guess_scores(query)
    assert best_language(scores) == lang
    assert scores[lang] >= 0.5
    assert list(scores.values()) == sorted(scores.values(), reverse=True)
    assert sum(scores.values()) == pytest.approx(1.0)


def test_word_known_to_several_languages_is_unsure():
    # `barn` is Swedish, Bokmål, Nynorsk and Danish alike: no boost for any of them
    assert max(guess_scores("barn").values()) < 0.5
    assert {"sv", "nb", "da"} <= set(known_languages("barn"))


def test_text_without_letters_has_no_guess():
    assert guess_scores("1234 – 5678") == {}
    assert best_language({}) is None
    assert guess_query_lang("  ", SearchRequest(query="  "), QueryCache(None)) is None


def test_a_single_lang_filter_is_the_query_language():
    assert guess_query_lang("barnskydd", SearchRequest(query="barnskydd", langs=("da",)), QueryCache(None)) == "da"


def test_guess_is_cached_per_query_text_under_its_own_kind(tmp_path):
    cache = QueryCache(tmp_path)
    # An answer cached by the lingua-based detection before (kind "lang") is not reused.
    cache.get("lang", "", "kontanthjælpen", lambda: ["fi", 1.0])
    request = SearchRequest(query="kontanthjælpen")
    assert guess_query_lang("kontanthjælpen", request, cache) == "da"
    cache.close()
    again = QueryCache(tmp_path)  # a new process: the answer comes from the file
    found = again.get("query-lang", "", "kontanthjælpen", lambda: pytest.fail("computed again"))
    assert found[0] == "da"
    assert guess_query_lang("kontanthjælpen", request, again) == "da"
    again.close()


def test_eval_query_lang_holds_its_floors():
    sys.path.insert(0, str(EVAL_DIR))
    try:
        from eval_query_lang import measure, query_set
    finally:
        sys.path.remove(str(EVAL_DIR))
    from search.query import QUERY_LANG_MIN

    figures, _ = measure(guess_scores, query_set(), QUERY_LANG_MIN, [])
    assert figures["right"] >= QUERIES_RIGHT_MIN
    assert figures["wrong"] <= QUERIES_WRONG_MAX


def test_without_the_lexicons_the_detector_answers(monkeypatch):
    # NORDSEARCH_CACHE=off: only Voikko would know words, which skews towards Finnish
    from corpus import language
    from search import query_lang

    monkeypatch.setattr(query_lang, "_lexicon", lambda lang: None)
    monkeypatch.setattr(language, "detect_scores", lambda text: {"da": 0.9, "nb": 0.1})
    assert guess_scores("kontanthjælpen") == {"da": 0.9, "nb": 0.1}
