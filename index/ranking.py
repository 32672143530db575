"""How nordsearch ranks, described once for every engine: fields, weights, BM25F, coordination.

A query is planned into clauses (`index.query_plan`): each clause is a list of `Match`es, one
per language its text gives tokens in, plus one per thesaurus expansion. A match looks for its
words (one set of alternative tokens per word position) in that language's three fields:

    body     the text (with the title), positions kept: phrases match here only
    title    the title again, a short field                          × fields.title
    folded   the body's tokens with Nordic letters folded (`äldre` → `aldre`), for users
             typing without them                                      × fields.folded

Every (field, token) that a document has scores BM25F (`bm25`, with `k1`, `b`, the field's
average length and the token's `idf` in that field). Then, bottom up:

- a word position: the sum of its alternatives found in the field;
- a field: every position must be found (else the field does not match); the sum over the
  positions, × the field's weight. A phrase match uses the body only, and its positions must
  stand next to each other in order;
- a match: the sum of its fields that match, × the match's weight: `query_lang_boost` for the
  query's likely language, 1 for other languages, an expansion's own weight (default
  `expansion_weight`) for a thesaurus term, so the literal word outranks its translations;
- a clause: the sum of its matches (a document rarely has one word in two languages);
- the query: with one positive clause, that clause; with several, the sum of the clauses that
  match, coordinated (`coordinate`): documents meeting more of the query's (field, token)
  leaves rank first. A document must match at least one positive clause and no excluded one;
  a query of exclusions only matches every other document with score 1.

An engine compiles this description into its own query language (`index/whoosh/compiler.py`)
or evaluates it itself (`index/postgres/`); both rank the same documents in the same order
(tests/index/backend_contract.py). The `relevance` work extends it here (all words first,
proximity, weighted concept variants) and each engine follows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldWeights:
    """Weight of a match in each kind of field, relative to the body."""

    body: float = 1.0
    title: float = 2.0
    folded: float = 0.35


@dataclass(frozen=True)
class Ranking:
    fields: FieldWeights = field(default_factory=FieldWeights)
    #: The query's likely language (search.query_lang) ranks its documents first.
    query_lang_boost: float = 1.5
    #: A thesaurus term in another language, unless the expansion says otherwise.
    expansion_weight: float = 0.2
    #: Coordination strength `s` of `coordinate` (0: none).
    coordination: float = 0.9
    #: BM25F term-frequency saturation and length normalisation (whoosh's defaults).
    k1: float = 1.2
    b: float = 0.75


#: The ranking every engine uses.
RANKING = Ranking()


def idf(doc_count: int, doc_frequency: int) -> float:
    """Inverse document frequency of a token in a field (whoosh's `WeightingModel.idf`).

    >>> round(idf(100, 9), 4)
    3.3026
    """
    return math.log(doc_count / (doc_frequency + 1)) + 1


def bm25(idf_value, tf, field_length, avg_field_length: float, ranking: Ranking = RANKING):
    """BM25F of a token in one field of a document; works on numbers and numpy arrays alike.

    >>> round(bm25(2.0, 3, 100, 100.0), 4)
    3.1429
    """
    k1, b = ranking.k1, ranking.b
    return idf_value * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * field_length / avg_field_length)))


def coordinate(scores, leaves, leaf_count: int, scale: float):
    """The coordinated score of documents matching `leaves` of the query's `leaf_count` leaves.

    A document matching k of the query's t leaves (the (field, token) pairs of all positive
    clauses whose token occurs in the index) scores (score + (k - 1)/(t - s)²)·(t - 1)/t: a
    bonus for matching more of the query in more fields and languages (whoosh's `CoordMatcher`).
    Works on numbers and numpy arrays alike.

    >>> round(coordinate(2.0, 3, 3, 0.9), 3), round(coordinate(2.0, 1, 3, 0.9), 3)
    (1.636, 1.333)
    """
    if leaf_count == 0 or leaf_count == scale:
        return scores * 0.0
    return (scores + (leaves - 1) / (leaf_count - scale) ** 2) * ((leaf_count - 1) / leaf_count)
