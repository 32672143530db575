"""Search over a small real index: ranking, phrases, exclusion, filters, facets, snippets, malformed queries, CLI."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from corpus.config import DataDir
from corpus.model import Document, Section
from corpus.store import Store
from index.update import update_index
from search.cli import main
from search.model import SearchRequest
from search.parse import parse_query
from search.query import search

DOCS = [
    (
        "sv1",
        "sv",
        "SE",
        "2016-05-01",
        "Familjehem för placerade barn",
        "Familjehemmen behöver stöd när barn placeras enligt LVU i kommunerna.",
    ),
    (
        "sv2",
        "sv",
        "FI",
        "2021-02-01",
        "Äldreomsorgen i kommunerna",
        "Äldreomsorgen i de svenskspråkiga kommunerna saknar personal.",
    ),
    ("sv3", "sv", "SE", "2019-01-01", "Kommunernas ekonomi", "Kommunerna och deras ekonomi under året."),
    (
        "nb1",
        "nb",
        "NO",
        "2018-03-01",
        "Fosterhjem i barnevernet",
        "Barnevernstjenesten finner fosterhjem til barn i kommunene.",
    ),
    (
        "fi1",
        "fi",
        "FI",
        "2023-09-01",
        "Lastensuojelun sijaishuolto",
        "Huostaanotetut lapset sijoitetaan perhehoitoon kunnissa.",
    ),
    ("da1", "da", "DK", "2014-06-01", "Anbringelse i plejefamilie", "Kommunen kan anbringe et barn i en plejefamilie."),
]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    data_dir = DataDir(tmp_path_factory.mktemp("search") / "data").ensure()
    with Store(data_dir.store_file) as store:
        for doc_id, lang, country, date, title, text in DOCS:
            store.save(
                Document(
                    id=doc_id,
                    url=f"https://example.org/{doc_id}",
                    title=title,
                    lang=lang,
                    country=country,
                    publisher="Socialstyrelsen" if country == "SE" else None,
                    doc_type="report",
                    date=date,
                    content_hash=doc_id,
                    sections=(Section(text=text, lang=lang),),
                )
            )
        update_index(data_dir, store, workers=1)
    return data_dir


def ids(data_dir, query, **kw):
    kw.setdefault("expand", False)
    return [h.id for h in search(data_dir, SearchRequest(query=query, **kw)).hits]


def test_more_of_the_words_ranks_first(data_dir):
    found = ids(data_dir, "familjehem kommunerna barn")
    assert found[0] == "sv1" and set(found) >= {"sv1", "sv2", "sv3"}


def test_inflected_and_folded_forms_meet(data_dir):
    assert ids(data_dir, "familjehemmet") == ["sv1"]
    assert ids(data_dir, "aldreomsorg") == ["sv2"]
    assert ids(data_dir, "lapsi") == ["fi1"]


def test_phrase_and_exclusion(data_dir):
    assert ids(data_dir, '"svenskspråkiga kommunerna"') == ["sv2"]
    assert ids(data_dir, '"kommunerna svenskspråkiga"') == []
    assert "sv3" not in ids(data_dir, "kommunerna -ekonomi")
    assert "sv2" in ids(data_dir, "kommunerna -ekonomi")


def test_filters_facets_and_date_sort(data_dir):
    result = search(data_dir, SearchRequest(query="barn", expand=False))
    assert result.facets["lang"] == {"sv": 1, "nb": 1, "da": 1}
    assert set(result.facets) == {"lang", "country", "area", "year", "publisher", "doc_type"}
    assert ids(data_dir, "barn", countries=("NO",)) == ["nb1"]
    assert ids(data_dir, "kommunerna", year_from=2020, year_to=2022) == ["sv2"]
    assert ids(data_dir, "kommunerna", publishers=("Socialstyrelsen",), sort="date") == ["sv3", "sv1"]
    assert ids(data_dir, "", sort="date", limit=2) == ["fi1", "sv2"]


def test_pages(data_dir):
    first = ids(data_dir, "kommunerna", limit=2, page=1)
    second = ids(data_dir, "kommunerna", limit=2, page=2)
    assert len(first) == 2 and not set(first) & set(second)
    assert ids(data_dir, "kommunerna", page=50) == []


def test_snippet_highlights_in_the_hits_language(data_dir):
    hit = search(data_dir, SearchRequest(query="fosterhjem", expand=False)).hits[0]
    assert hit.snippet_lang == "nb"
    assert [f.text for f in hit.snippet if f.match] == ["fosterhjem"]


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "-", "x" * 10_000, "och i på", "?!.,;", "AND OR NOT (", '-"', "((barn)) AND -", "\x00\t"],
)
def test_malformed_queries_give_a_result(data_dir, query):
    result = search(data_dir, SearchRequest(query=query))
    assert result.total >= 0 and isinstance(result.notes, tuple)


def test_parser_notes():
    assert parse_query('"barn').notes == ("unbalanced quote ignored",)
    assert parse_query("x" * 2000).notes[0].startswith("query cut")
    assert parse_query("- ( )").clauses == ()


def test_cli_search_json_is_the_result_shape(data_dir):
    r = CliRunner().invoke(main, ["--data-dir", str(data_dir.root), "search", "familjehem", "--json", "--no-expand"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["total"] == 1 and data["hits"][0]["id"] == "sv1" and data["expanded"] == {}
    assert set(data["hits"][0]) >= {"id", "url", "title", "lang", "country", "areas", "score", "snippet"}


def test_cli_search_human_output_marks_matches(data_dir):
    r = CliRunner().invoke(main, ["--data-dir", str(data_dir.root), "search", "plejefamilie", "--no-expand"])
    assert r.exit_code == 0, r.output
    assert "Anbringelse i plejefamilie" in r.output and "[plejefamilie]" in r.output and "lang: da 1" in r.output


def test_cli_bad_year_is_a_usage_error(data_dir):
    r = CliRunner().invoke(main, ["--data-dir", str(data_dir.root), "search", "barn", "--year", "20x5"])
    assert r.exit_code == 2 and "year range" in r.output


def test_cli_search_without_index_is_one_line(tmp_path):
    r = CliRunner().invoke(main, ["--data-dir", str(tmp_path), "search", "barn"])
    assert r.exit_code == 1 and "nordsearch index" in r.output and "Traceback" not in r.output


def test_cli_index_json(data_dir):
    r = CliRunner().invoke(main, ["--data-dir", str(data_dir.root), "index", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["documents"] == 6 and "up to date" in data["summary"]
