"""A QuerySpec analysed into what every engine looks for: per clause, the tokens per language and their weights.

    >>> plan = QueryPlanner().plan(QuerySpec((Clause("kommunerna"),), query_lang="sv"))
    >>> [(m.lang, m.positions, m.weight) for m in plan.positive[0].matches if m.lang in ("sv", "da")]
    [('sv', (('kommun',),), 1.5), ('da', (('kommune', 'kommun'),), 1.0)]

The plan is the neutral half of a query: the clauses analysed in each language with the same
analyzers as the index (query mode: no compound parts), and the weights of `index.ranking`.
Each engine compiles a plan (see `index.ranking` for what the parts mean). Analysis answers
are kept in a `QueryCache`, so a fresh process (every CLI search) does not load every
language's dictionaries for a handful of tokens.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus.model import LANGUAGES
from index.analysis import analyzer_for
from index.analysis.normalize import fold
from index.query_cache import QueryCache
from index.ranking import RANKING, Ranking
from index.records import Clause, QuerySpec

#: Alternatives per word position: (("lastensuojelu",), ("sijaishuolto", "sijaishuol")).
Positions = tuple[tuple[str, ...], ...]


def analyse_positions(text: str, lang: str) -> list[list[str]]:
    """The query-mode tokens of `text`, grouped by position (alternatives of one word together)."""
    groups: dict[int, list[str]] = {}
    for t in analyzer_for(lang)(text, positions=True, mode="query"):
        alts = groups.setdefault(t.pos, [])
        if t.text not in alts:
            alts.append(t.text)
    return [groups[p] for p in sorted(groups)]


@dataclass(frozen=True)
class Match:
    """A clause's text (or one of its expansions) analysed in one language, with its weight."""

    lang: str
    positions: Positions
    phrase: bool  # the positions must stand in this order, in the body (only with 2+ positions)
    weight: float

    def folded(self) -> Positions:
        """The alternatives of each position as the folded field holds them (sorted, no repeats)."""
        return tuple(tuple(sorted({fold(t, self.lang) for t in alts})) for alts in self.positions)


@dataclass(frozen=True)
class ClausePlan:
    text: str
    matches: tuple[Match, ...]


@dataclass(frozen=True)
class QueryPlan:
    """The positive clauses (any may match, ranked by `index.ranking`) and the excluded ones.

    No positive clause means every document that no excluded clause matches.
    """

    positive: tuple[ClausePlan, ...]
    negative: tuple[ClausePlan, ...]

    def terms(self, lang: str) -> set[str]:
        """Every token the positive clauses look for in `lang`'s fields (for highlighting)."""
        return {t for c in self.positive for m in c.matches if m.lang == lang for alts in m.positions for t in alts}


class QueryPlanner:
    """Plans QuerySpecs with a ranking; analysis answers are cached (see `index.query_cache`)."""

    def __init__(self, cache: QueryCache | None = None, ranking: Ranking = RANKING):
        self.cache = cache or QueryCache(None)
        self.ranking = ranking

    def positions(self, text: str, lang: str) -> Positions:
        found = self.cache.get("tokens", lang, text, lambda: analyse_positions(text, lang))
        return tuple(tuple(alts) for alts in found)

    def _match(self, text: str, lang: str, *, phrase: bool, weight: float) -> Match | None:
        positions = self.positions(text, lang)
        if not positions:
            return None
        return Match(lang, positions, phrase and len(positions) > 1, weight)

    def clause(self, clause: Clause, query_lang: str | None) -> ClausePlan:
        r = self.ranking
        matches = [
            self._match(
                clause.text, lang, phrase=clause.phrase, weight=r.query_lang_boost if lang == query_lang else 1.0
            )
            for lang in LANGUAGES
        ]
        if not any(matches):  # only stop words in every language: the clause asks for nothing
            return ClausePlan(clause.text, ())
        for exp in clause.expansions:
            if exp.lang in LANGUAGES:
                weight = r.expansion_weight if exp.boost is None else exp.boost
                matches.append(self._match(exp.text, exp.lang, phrase=" " in exp.text.strip(), weight=weight))
        return ClausePlan(clause.text, tuple(m for m in matches if m is not None))

    def plan(self, spec: QuerySpec) -> QueryPlan | None:
        """The plan of `spec`; None when its positive clauses ask for nothing (stop words only)."""
        positive = [self.clause(c, spec.query_lang) for c in spec.clauses if not c.exclude]
        negative = [self.clause(c, None) for c in spec.clauses if c.exclude]
        positive = [c for c in positive if c.matches]
        if not positive and any(not c.exclude for c in spec.clauses):
            return None
        return QueryPlan(tuple(positive), tuple(c for c in negative if c.matches))
