"""The Nordic analyzers as whoosh sees them (index/whoosh/analyzer.py): indexing, phrases, highlights, pickling."""

from __future__ import annotations

import pickle

import pytest

from index.analysis import analyze_positions, analyzer_for, folded_analyzer_for
from index.whoosh.analyzer import NordicWhooshAnalyzer

TEXT = "Barnavårdsutredningen i kommunerna, sote-uudistus"


@pytest.mark.parametrize("folded", [False, True])
def test_the_adapter_gives_our_tokens_positions_and_spans(folded):
    ours = (folded_analyzer_for if folded else analyzer_for)("sv")
    expected = [(t.text, t.pos, t.startchar, t.endchar) for t in ours(TEXT, positions=True, chars=True)]
    got = [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in NordicWhooshAnalyzer("sv", folded)(TEXT, positions=True, chars=True, mode="index")
    ]
    assert got == expected and got


def test_the_adapter_pickles_as_language_and_kind_only():
    data = pickle.dumps(NordicWhooshAnalyzer("da", folded=True))
    assert b"index.analysis" not in data and len(data) < 200
    assert pickle.loads(data) == NordicWhooshAnalyzer("da", folded=True)


def test_whoosh_index_finds_inflections_parts_phrases_and_highlights():
    from whoosh import fields, highlight, query
    from whoosh.filedb.filestore import RamStorage
    from whoosh.qparser import QueryParser

    schema = fields.Schema(
        id=fields.ID(stored=True),
        body=fields.TEXT(analyzer=NordicWhooshAnalyzer("sv"), multitoken_query="or", stored=True, chars=True),
    )
    ix = RamStorage().create_index(schema)
    with ix.writer() as w:
        w.add_document(id="1", body="Barnavårdsutredningarna i kommunerna granskas.")
        w.add_document(id="2", body="Äldreomsorgen behöver mer personal.")
    parser = QueryParser("body", schema)
    with ix.searcher() as s:
        assert [h["id"] for h in s.search(parser.parse("barnavårdsutredning"))] == ["1"]
        assert [h["id"] for h in s.search(parser.parse("utredning"))] == ["1"]  # a compound part
        assert [h["id"] for h in s.search(parser.parse("omsorg"))] == ["2"]
        # A phrase is a sequence of positions, each position any of its alternatives.
        phrase = query.Sequence(
            [query.Or([query.Term("body", t) for t in alts]) for alts in analyze_positions("kommunen granskade", "sv")]
        )
        assert [h["id"] for h in s.search(phrase)] == ["1"]
        hits = s.search(query.Term("body", "kommun"))
        hits.formatter = highlight.UppercaseFormatter()
        assert "KOMMUNERNA" in hits[0].highlights("body")
