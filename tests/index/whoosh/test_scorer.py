"""The bulk scorer gives what whoosh's own matchers give: the same matches, scores, totals and facets.

The reference is whoosh itself, stepped document by document through the same query's
matchers on a small real index of several segments with deleted documents (the old search
path, without its collector's matcher replacement, whose coordination count drifted as
sub-matchers ran out).
"""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh.matching.wrappers import CoordMatcher

from corpus.model import AreaMatch
from index.backend import Clause, Expansion, Filters, QuerySpec
from index.document_record import document_record
from index.ranking import coordinate
from index.whoosh.backend import WhooshBackend
from index.whoosh.compiler import filter_query, mask_query
from index.whoosh.postings import whoosh_fields
from index.whoosh.scorer import BulkScorer
from tests.index.helpers import make_doc

WORDS = {
    "sv": "barn familjehem stöd kommunen placering socialtjänsten äldreomsorg utredning hemtjänst",
    "fi": "lastensuojelu sijaishuolto kunta perhehoito lapset kotihoito vanhuspalvelut tuki",
    "nb": "barnevern fosterhjem kommunen eldreomsorg barn hjelp tjenester",
    "da": "anbringelse plejefamilie kommunen ældrepleje barn borgere støtte",
    "en": "foster care children municipalities elderly care social assistance support",
}


def _text(rnd: random.Random, lang: str) -> str:
    words = WORDS[lang].split()
    return " ".join(rnd.choice(words) for _ in range(rnd.randint(5, 60))) + "."


def _doc(n: int, rnd: random.Random):
    lang = rnd.choice(sorted(WORDS))
    areas = tuple(AreaMatch(id=a, score=1.0) for a in rnd.sample(["child", "elder", "disability"], rnd.randint(0, 2)))
    return make_doc(
        n,
        lang,
        text=_text(rnd, lang),
        status="withdrawn" if n % 11 == 0 else "ok",
        title=" ".join(rnd.sample(WORDS[lang].split(), 2)),
        country={"sv": "SE", "fi": "FI", "nb": "NO", "da": "DK", "en": "NORDIC"}[lang],
        publisher=f"Publisher {n % 4}",
        date=f"{2010 + n % 15}-0{1 + n % 9}-01",
        areas=areas,
    )


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    """Three segments (no merging), a few documents deleted from the first two."""
    from index.whoosh.schema import build_schema

    directory = tmp_path_factory.mktemp("scorer") / "index"
    directory.mkdir()
    ix = whoosh_index.create_in(str(directory), build_schema())
    rnd = random.Random(11)
    n = 0
    for size in (40, 30, 25):
        writer = ix.writer()
        for _ in range(size):
            writer.add_document(**whoosh_fields(document_record(_doc(n, rnd))))
            n += 1
        writer.commit(merge=False)
    writer = ix.writer()
    for gone in (3, 17, 45, 46):
        writer.delete_by_term("id", f"doc{gone:05d}")
    writer.commit(merge=False)
    WhooshBackend._write_state(directory, 0)
    b = WhooshBackend(directory)
    assert len(b.searcher().reader().leaf_readers()) >= 3 and b.searcher().reader().has_deletions()
    yield b
    b.close()


def whoosh_scores(searcher, q) -> dict[int, float]:
    """docnum → score from whoosh's matchers, stepped one document at a time (no replacement).

    One change: whoosh counts a query's term leaves for coordination per segment (a term
    missing from one segment counts less there); the bulk scorer counts them over the whole
    index, so the reference does too.
    """
    coordinated = q.a if isinstance(q, Q.AndNot) else q
    leaf_count = None
    if isinstance(coordinated, Q.Or) and coordinated.scale:
        leaf_count = sum(1 for t in coordinated.leaves() if searcher.doc_frequency(t.fieldname, t.text) > 0)
    found = {}
    context = searcher.context(needs_current=True)
    for sub, offset in searcher.leaf_searchers():
        m = q.matcher(sub, context)
        for coord in _coord_matchers(m):
            coord._termcount = leaf_count
        while m.is_active():
            found[m.id() + offset] = m.score()
            m.next()
    return found


def _coord_matchers(m):
    if isinstance(m, CoordMatcher):
        yield m
    for child in m.children():
        yield from _coord_matchers(child)


def bulk_scores(backend, q) -> dict[int, float]:
    arrays = backend.arrays()
    scores, matched = BulkScorer(arrays).evaluate(q)
    return {int(d): float(scores[d]) for d in np.flatnonzero(matched & arrays.live)}


SPECS = {
    "one word": QuerySpec((Clause("barn"),)),
    "one word, query language": QuerySpec((Clause("kommunen"),), query_lang="sv"),
    "two words": QuerySpec((Clause("barn"), Clause("kommunen"))),
    "three words": QuerySpec((Clause("foster"), Clause("care"), Clause("lapset")), query_lang="en"),
    "phrase": QuerySpec((Clause("foster care", phrase=True),)),
    "phrase and a word": QuerySpec((Clause("elderly care", phrase=True), Clause("support"))),
    "expansions with a phrase": QuerySpec(
        (
            Clause(
                "sijaishuolto",
                expansions=(
                    Expansion("foster care", "en"),
                    Expansion("familjehem", "sv"),
                    Expansion("fosterhjem", "nb"),
                ),
            ),
            Clause("kunta", expansions=(Expansion("kommunen", "sv"),)),
        ),
        query_lang="fi",
    ),
    "exclusion": QuerySpec((Clause("barn"), Clause("kommunen", exclude=True))),
    "only an exclusion": QuerySpec((Clause("barn", exclude=True),)),
    "nothing matches": QuerySpec((Clause("zzzqqq"),)),
}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_scores_and_matches_equal_whooshs(backend, name):
    q = backend.whoosh_query(SPECS[name])
    expected = whoosh_scores(backend.searcher(), q)
    got = bulk_scores(backend, q)
    assert set(got) == set(expected)
    for docnum, score in expected.items():
        assert math.isclose(got[docnum], score, rel_tol=1e-9, abs_tol=1e-12), docnum
    if name != "nothing matches":
        assert expected


def _stored(backend) -> dict[int, dict]:
    """Each document's id and stored payload, with its year (the facet's values) beside its date."""
    s = backend.searcher()
    out = {}
    for d in s.reader().all_doc_ids():
        fields = s.stored_fields(d)
        payload = dict(fields["payload"], id=fields["id"])
        payload["year"] = [payload["date"][:4]] if payload.get("date") else []
        out[d] = payload
    return out


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(langs=("sv", "fi")),
        Filters(year_from=2013, year_to=2019),
        Filters(publishers=("Publisher 1",), areas=("child",)),
        Filters(include_withdrawn=True),
    ],
    ids=["none", "langs", "years", "publisher+area", "withdrawn"],
)
@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_search_totals_facets_paging_and_sort(backend, filters, sort):
    spec = QuerySpec((Clause("barn"), Clause("care")), filters=filters, sort=sort, limit=7)
    q = backend.whoosh_query(spec)
    stored = _stored(backend)
    mask = {d for d in stored if stored[d]["status"] == "withdrawn"} if mask_query(filters) is not None else set()
    allowed = set(backend.searcher().docs_for_query(filter_query(filters))) if filter_query(filters) else set(stored)
    expected = {d: s for d, s in whoosh_scores(backend.searcher(), q).items() if d in allowed and d not in mask}
    if sort == "date":
        order = sorted(expected, key=lambda d: (-int(stored[d]["date"].replace("-", "")), d))
    else:
        order = sorted(expected, key=lambda d: (-expected[d], d))
    pages = [backend.search(QuerySpec(spec.clauses, filters=filters, sort=sort, page=p, limit=7)) for p in (1, 2)]
    assert pages[0].total == pages[1].total == len(expected)
    assert [h.id for h in pages[0].hits + pages[1].hits] == [stored[d]["id"] for d in order[:14]]
    if sort == "relevance":
        assert [h.score for h in pages[0].hits] == pytest.approx([expected[d] for d in order[:7]])
    assert pages[0].hits[0].stored["url"].startswith("https://example.org/")
    for name, field in (("lang", "lang"), ("publisher", "publisher"), ("year", "year"), ("area", "areas")):
        counts: dict[str, int] = {}
        for d in expected:
            have = stored[d].get(field)
            for value in [have] if isinstance(have, str) else have or ():
                counts[value] = counts.get(value, 0) + 1
        assert pages[0].facets[name] == dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def test_count_skips_deleted_and_withdrawn(backend):
    stored = _stored(backend)
    assert backend.count(include_withdrawn=True) == len(stored)
    assert backend.count() == sum(1 for s in stored.values() if s["status"] != "withdrawn")


def test_coordination_rewards_more_matching_terms():
    scores = coordinate(np.array([1.0, 1.0]), np.array([4, 1]), 4, 0.9)
    assert scores[0] > scores[1]


@pytest.fixture(scope="module")
def odd_postings(tmp_path_factory):
    """A plain whoosh index whose postings take every shape a block can have.

    Lists longer than a block (128 postings) and of one to three postings, equal and unequal
    weights, position deltas of one, two and four bytes (a gap of 70,000 words), more than a
    thousand positions in one document (pickled in batches), two segments, deletions.
    """
    from whoosh.fields import ID, TEXT, Schema

    directory = tmp_path_factory.mktemp("postings")
    ix = whoosh_index.create_in(str(directory), Schema(id=ID(stored=True, unique=True), body=TEXT(phrase=True)))
    rnd = random.Random(5)
    for segment in range(2):
        writer = ix.writer()
        for n in range(150):
            words = ["common"] * rnd.randint(1, 3) + ["filler"] * rnd.randint(0, 300) + ["odd", "care"] * (n % 2)
            rnd.shuffle(words)
            if n < 3:
                words += ["three", "foster", "care"]
            writer.add_document(id=f"{segment}-{n}", body=" ".join(words))
        writer.add_document(
            id=f"{segment}-long", body="gap " + "filler " * 70_000 + "gap " + "many foster care " * 1_200
        )
        writer.commit(merge=False)
    writer = ix.writer()
    writer.delete_by_term("id", "0-7")
    writer.commit(merge=False)
    with ix.searcher() as searcher:
        yield searcher


def _whoosh_postings(searcher, fieldname, text):
    """(docnum, weight, positions) of every posting, from whoosh's own matchers (deletions kept)."""
    from whoosh.matching.wrappers import FilterMatcher
    from whoosh.reading import TermNotFound

    found = []
    for sub, offset in searcher.leaf_searchers():
        try:
            m = sub.reader().postings(fieldname, text)
        except TermNotFound:
            continue
        m = m.child if isinstance(m, FilterMatcher) else m
        while m.is_active():
            found.append((m.id() + offset, m.weight(), m.value_as("positions")))
            m.next()
    return found


TERMS = ("common", "filler", "odd", "three", "care", "foster", "gap", "many", "absent")


@pytest.mark.parametrize("text", TERMS)
def test_postings_and_positions_decode_as_whoosh(odd_postings, text, monkeypatch):
    from whoosh.codec.whoosh3 import W3LeafMatcher

    from index.whoosh.bulk import SearcherArrays

    arrays = SearcherArrays(odd_postings)
    expected = _whoosh_postings(odd_postings, "body", text)
    with monkeypatch.context() as m:  # ids and weights only: no block is unpickled whole
        m.setattr(W3LeafMatcher, "_read_data", lambda self: pytest.fail("a whole block was read"))
        ids, weights = arrays.postings("body", text)
    assert ids.tolist() == [d for d, _, _ in expected]
    assert weights.tolist() == pytest.approx([w for _, w, _ in expected])
    # Positions of every other document only: blocks without a candidate are skipped.
    candidates = np.zeros(arrays.size, dtype=bool)
    candidates[[d for d, _, _ in expected][::2]] = True
    keys = arrays.positions("body", text, candidates)
    assert keys.tolist() == [(d << 32) | p for d, _, ps in expected if candidates[d] for p in ps]


def test_term_dictionary_finds_what_whoosh_finds(odd_postings):
    from index.whoosh.bulk import SearcherArrays

    arrays = SearcherArrays(odd_postings)
    assert all(d is not None for d in arrays._dictionaries)
    for text in TERMS:
        got = [(offset, type(m).__name__) for _, offset, m in arrays._matchers("body", text)]
        expected = []
        for sub, offset in odd_postings.leaf_searchers():
            if ("body", text) in sub.reader():
                m = sub.reader().postings("body", text)
                expected.append((offset, type(getattr(m, "child", m)).__name__))
        assert got == expected
    assert list(arrays._matchers("no_such_field", "common")) == []


def test_positions_of_unexpected_bytes_are_decoded_one_by_one():
    from pickle import dumps

    from index.whoosh.bulk import _positions_deltas

    many = list(range(1_500))  # pickled as two batches of ints
    good = [
        b"\x00\x00\x00\x02" + dumps([3, 300], 2),
        b"\x00\x00\x00\x01" + dumps([70_000], 2)[:-1],
        b"\x00\x00\x05\xdc" + dumps(many, 2),
    ]
    freqs, deltas = _positions_deltas(good)
    assert freqs.tolist() == [2, 1, 1_500] and deltas.tolist() == [3, 300, 70_000, *many]
    assert _positions_deltas([b"\x00\x00\x00\x02" + dumps((3, 300), 2)]) is None  # a tuple, not a list
    assert _positions_deltas([b"\x00\x00\x00\x03" + dumps([3, 300], 2)]) is None  # frequency disagrees
