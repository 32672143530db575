"""Building whoosh queries from a `QuerySpec`: every clause in every language's fields, filters, facets.

Ranking, in order of weight:
- a clause is searched in each language's exact body field, title field (boosted) and folded
  field (lowered: words typed without Nordic letters still match, exact spellings first); the
  query's likely language gets a boost;
- expansions from the thesaurus join their clause's alternatives with a boost below 1, so a
  literal match outranks a match through another language's term;
- clauses are OR'ed with a coordination bonus: documents with more of the words rank first;
- excluded clauses (`-word`) remove documents; phrases need their words in order (Sequence of
  per-position alternatives, because one word can give several tokens at one position).

The query never goes through whoosh's QueryParser: the user's text was parsed by
`search.parse`, so no syntax of whoosh's can fail or surprise here.
"""

from __future__ import annotations

from whoosh import query as Q

from corpus.model import LANGUAGES
from index.analysis import analyzer_for
from index.analysis.normalize import fold
from index.backend import Clause, Filters, QuerySpec
from index.query_cache import QueryCache
from index.schema import body_field, fold_field, title_field

TITLE_BOOST = 2.0
FOLD_BOOST = 0.35
QUERY_LANG_BOOST = 1.5
#: Coordination: a document matching k of n words scores × (1 - s + s·k/n).
COORDINATION = 0.9

#: Alternatives per position: [["lastensuojelu"], ["sijaishuolto", "sijaishuol"]].
Positions = list[list[str]]


def analyse_positions(text: str, lang: str) -> Positions:
    """The query-mode tokens of `text`, grouped by position (alternatives of one word together)."""
    groups: dict[int, list[str]] = {}
    for t in analyzer_for(lang)(text, positions=True, mode="query"):
        alts = groups.setdefault(t.pos, [])
        if t.text not in alts:
            alts.append(t.text)
    return [groups[p] for p in sorted(groups)]


class QueryBuilder:
    """Turns clauses into whoosh queries; analysis answers are cached (see `index.query_cache`)."""

    def __init__(self, cache: QueryCache | None = None):
        self.cache = cache or QueryCache(None)

    def positions(self, text: str, lang: str) -> Positions:
        return self.cache.get("tokens", lang, text, lambda: analyse_positions(text, lang))

    def _terms(self, fieldname: str, positions: Positions, *, sequence: bool, boost: float = 1.0) -> Q.Query:
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

    def lang_query(self, text: str, lang: str, *, phrase: bool, boost: float = 1.0) -> Q.Query | None:
        positions = self.positions(text, lang)
        if not positions:
            return None
        if phrase and len(positions) > 1:
            # Only the body field keeps positions (the title is in it too): words out of order
            # must not match through the title or folded fields.
            return self._terms(body_field(lang), positions, sequence=True, boost=boost)
        folded = [sorted({fold(t, lang) for t in alts}) for alts in positions]
        parts = [
            self._terms(body_field(lang), positions, sequence=phrase),
            self._terms(title_field(lang), positions, sequence=False, boost=TITLE_BOOST),
            self._terms(fold_field(lang), folded, sequence=False, boost=FOLD_BOOST),
        ]
        return Q.Or(parts, boost=boost)

    def clause_query(self, clause: Clause, query_lang: str | None) -> Q.Query | None:
        subs = []
        for lang in LANGUAGES:
            boost = QUERY_LANG_BOOST if lang == query_lang else 1.0
            q = self.lang_query(clause.text, lang, phrase=clause.phrase, boost=boost)
            if q is not None:
                subs.append(q)
        if not subs:  # only stop words in every language: the clause asks for nothing
            return None
        for exp in clause.expansions:
            if exp.lang in LANGUAGES:
                q = self.lang_query(exp.text, exp.lang, phrase=" " in exp.text.strip(), boost=exp.boost)
                if q is not None:
                    subs.append(q)
        # Or, not DisjunctionMax: whoosh 2.7's DisjunctionMaxMatcher.score() takes the max over
        # sub-matchers standing on *other* documents too (every hit then gets the best score).
        # A document rarely has the same words in two language fields, so the sum is near the max.
        return Q.Or(subs) if len(subs) > 1 else subs[0]

    def build(self, spec: QuerySpec) -> Q.Query | None:
        """The whoosh query of `spec`; None when its clauses ask for nothing (stop words only)."""
        positive = [self.clause_query(c, spec.query_lang) for c in spec.clauses if not c.exclude]
        negative = [self.clause_query(c, None) for c in spec.clauses if c.exclude]
        positive = [q for q in positive if q is not None]
        negative = [q for q in negative if q is not None]
        if positive:
            base = positive[0] if len(positive) == 1 else Q.Or(positive, scale=COORDINATION)
        elif any(not c.exclude for c in spec.clauses):
            return None
        else:  # no words to look for (only exclusions, or nothing): every document
            base = Q.Every()
        return Q.AndNot(base, Q.Or(negative)) if negative else base


def filter_query(filters: Filters) -> Q.Query | None:
    """The filters as one whoosh query (None when nothing is filtered)."""
    parts: list[Q.Query] = []
    for fieldname, values in (
        ("lang", filters.langs),
        ("country", filters.countries),
        ("publisher", filters.publishers),
        ("areas", filters.areas),
        ("doc_type", filters.doc_types),
    ):
        if values:
            parts.append(Q.Or([Q.Term(fieldname, v) for v in values]))
    if filters.year_from is not None or filters.year_to is not None:
        parts.append(Q.NumericRange("year_n", filters.year_from, filters.year_to))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.And(parts)


def mask_query(filters: Filters) -> Q.Query | None:
    return None if filters.include_withdrawn else Q.Term("status", "withdrawn")


def query_terms(builder: QueryBuilder, spec: QuerySpec, lang: str) -> tuple[set[str], set[str]]:
    """(exact, folded) tokens that the spec's positive clauses look for in `lang`'s fields."""
    exact: set[str] = set()
    for clause in spec.clauses:
        if clause.exclude:
            continue
        texts = [clause.text] + [e.text for e in clause.expansions if e.lang == lang]
        for text in texts:
            for alts in builder.positions(text, lang):
                exact.update(alts)
    return exact, {fold(t, lang) for t in exact}
