"""The neutral query plan (index.query_plan) and filters (index.records) as whoosh queries.

Each part of `index.ranking`'s description becomes a whoosh query node whose score, as whoosh's
matchers (and index/whoosh/scorer.py) compute it, is what the description says:
- a field: `Term` per token (BM25F × boost), `Or` of a position's alternatives (their sum),
  `And` of the positions (every one needed; the sum), boosted by the field's weight;
- a phrase: `Sequence` of the positions in the body field (words next to each other, in order);
- a match: `Or` of its three fields (body, title, folded) with the match's weight as boost;
- a clause: `Or` of its matches; the query: `Or(scale=coordination)` of the clauses (whoosh's
  coordination), `AndNot` of the excluded clauses, `Every` when only exclusions are given.

`Or`, not `DisjunctionMax`, joins a clause's languages: whoosh 2.7's
`DisjunctionMaxMatcher.score()` takes the max over sub-matchers standing on *other* documents
too (every hit then gets the best score). The query never goes through whoosh's QueryParser:
the user's text was parsed by `search.parse`, so no syntax of whoosh's can fail or surprise here.
"""

from __future__ import annotations

from whoosh import query as Q

from index.query_plan import ClausePlan, Match, Positions, QueryPlan
from index.ranking import RANKING, Ranking
from index.records import WITHDRAWN, Filters
from index.whoosh.schema import body_field, fold_field, title_field


class WhooshCompiler:
    """Compiles query plans into whoosh queries, with the weights of a `Ranking`."""

    def __init__(self, ranking: Ranking = RANKING):
        self.ranking = ranking

    @staticmethod
    def _terms(fieldname: str, positions: Positions, *, sequence: bool, boost: float = 1.0) -> Q.Query:
        # Boosts are given to constructors: `with_boost` deep-copies the query (a third of the
        # time of building a query with expansions).
        per_pos = [
            Q.Or([Q.Term(fieldname, t) for t in alts]) if len(alts) > 1 else Q.Term(fieldname, alts[0])
            for alts in positions
        ]
        if len(per_pos) == 1:
            only = per_pos[0]
            only.boost = boost
            return only
        return Q.Sequence(per_pos, boost=boost) if sequence else Q.And(per_pos, boost=boost)

    def match(self, m: Match) -> Q.Query:
        if m.phrase:
            # Only the body field keeps positions (the title is in it too): words out of order
            # must not match through the title or folded fields.
            return self._terms(body_field(m.lang), m.positions, sequence=True, boost=m.weight)
        weights = self.ranking.fields
        parts = [
            self._terms(body_field(m.lang), m.positions, sequence=False, boost=weights.body),
            self._terms(title_field(m.lang), m.positions, sequence=False, boost=weights.title),
            self._terms(fold_field(m.lang), m.folded(), sequence=False, boost=weights.folded),
        ]
        return Q.Or(parts, boost=m.weight)

    def clause(self, clause: ClausePlan) -> Q.Query:
        subs = [self.match(m) for m in clause.matches]
        return Q.Or(subs) if len(subs) > 1 else subs[0]

    def query(self, plan: QueryPlan | None) -> Q.Query | None:
        """The whoosh query of `plan`; None when it asks for nothing."""
        if plan is None:
            return None
        positive = [self.clause(c) for c in plan.positive]
        if not positive:  # no words to look for (only exclusions, or nothing): every document
            base = Q.Every()
        elif len(positive) == 1:
            base = positive[0]
        else:
            base = Q.Or(positive, scale=self.ranking.coordination)
        if plan.negative:
            return Q.AndNot(base, Q.Or([self.clause(c) for c in plan.negative]))
        return base


def filter_query(filters: Filters) -> Q.Query | None:
    """The filters as one whoosh query (None when nothing is filtered)."""
    parts: list[Q.Query] = [Q.Or([Q.Term(name, v) for v in values]) for name, values in filters.keyword_filters()]
    if filters.year_from is not None or filters.year_to is not None:
        parts.append(Q.NumericRange("year_n", filters.year_from, filters.year_to))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.And(parts)


def mask_query(filters: Filters) -> Q.Query | None:
    """The documents a search leaves out whatever it asks (withdrawn ones, unless included)."""
    return None if filters.include_withdrawn else Q.Term("status", WITHDRAWN)
