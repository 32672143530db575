"""Scoring a whoosh query over the whole collection at once, with numpy, instead of matcher by matcher.

A nordsearch query is wide: every clause in six languages' body, title and folded fields plus
thesaurus expansions, so a few hundred term leaves. whoosh scores it by stepping a tree of
Python matchers through every matching document (facet counts need all matches, so there is
no pruning): seconds on 10k reports. Here each leaf is one vectorised step over its whole
posting list (`index.whoosh.bulk.SearcherArrays.term_scores`, cached per searcher) added into dense
per-document arrays, so a query costs a few numpy operations per leaf.

The queries `index.whoosh.compiler` builds are scored as whoosh's matchers score them:
- `Term`: BM25F of the term × its boost (whoosh's `BM25F`, same statistics);
- `Or`: the sum of the alternatives that match × boost (whoosh's `UnionMatcher`); an `Or`
  with `scale` (the clauses of a query) applies coordination, `index.ranking.coordinate`;
- `And`: every part must match; the sum of their scores × boost;
- `AndNot`: the first part's matches without the second's; `Every`: every document, score 1;
- anything else, phrases (`Sequence`) above all: whoosh's own matcher for the match set and
  scores. Phrases need positions and are rare; their parts are few.

Deleted documents are scored like any other and dropped by `SearcherArrays.live` at the end.
"""

from __future__ import annotations

import numpy as np
from whoosh import query as Q

from index.ranking import coordinate
from index.whoosh.bulk import SearcherArrays


class BulkScorer:
    """Evaluates whoosh queries into (scores, matched) arrays over a searcher's documents."""

    def __init__(self, arrays: SearcherArrays):
        self.arrays = arrays
        self.size = arrays.size

    def _zeros(self, counting: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        leaves = np.zeros(self.size, dtype=np.int32) if counting else None
        return np.zeros(self.size, dtype=np.float64), np.zeros(self.size, dtype=bool), leaves

    def evaluate(self, q: Q.Query) -> tuple[np.ndarray, np.ndarray]:
        """(score, matched) per document number; scores are 0 where nothing matched."""
        scores, matched, _ = self._evaluate(q, False)
        return scores, matched

    def _evaluate(self, q: Q.Query, counting: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """(score, matched, matching term leaves or None when not `counting`) per document."""
        if isinstance(q, Q.Term):
            scores, matched, leaves = self._zeros(counting)
            self._add(q, 1.0, scores, matched, leaves)
            return scores, matched, leaves
        if isinstance(q, Q.Or):
            return self._or(q, counting)
        if isinstance(q, Q.And):
            return self._and(q, counting)
        if isinstance(q, Q.AndNot):
            scores, matched, leaves = self._evaluate(q.a, counting)
            matched &= ~self._evaluate(q.b, False)[1]
            scores[~matched] = 0.0
            if leaves is not None:
                leaves[~matched] = 0
            return self._boosted(scores, q.boost), matched, leaves
        if isinstance(q, Q.Every):
            leaves = np.zeros(self.size, dtype=np.int32) if counting else None
            return np.full(self.size, float(q.boost)), np.ones(self.size, dtype=bool), leaves
        if q is Q.NullQuery:
            return self._zeros(counting)
        if isinstance(q, Q.Sequence):
            words = phrase_words(q)
            if words is not None:
                return self._phrase(q, words, counting)
        return self._by_whoosh(q, counting)

    @staticmethod
    def _boosted(scores: np.ndarray, boost: float) -> np.ndarray:
        if boost != 1.0:
            scores *= boost
        return scores

    def _add(
        self, q: Q.Query, factor: float, scores: np.ndarray, matched: np.ndarray, leaves: np.ndarray | None
    ) -> None:
        """Adds `q`'s scores × `factor` into the arrays of an enclosing `Or` (its matches, its leaves).

        A sum of sums: a plain `Or` inside an `Or` adds its terms straight into the outer
        arrays (its boost folded into `factor`) instead of building arrays of its own.
        """
        if isinstance(q, Q.Term):
            ids, term_scores = self.arrays.term_scores(q.fieldname, q.text)
            if ids.size:
                # One posting per document in a term's list, so fancy-index += is a plain add.
                f = factor * q.boost
                scores[ids] += term_scores * f if f != 1.0 else term_scores
                matched[ids] = True
                if leaves is not None:
                    leaves[ids] += 1
        elif isinstance(q, Q.Or) and not (q.scale and len(q.subqueries) > 1):
            for sub in q.subqueries:
                self._add(sub, factor * q.boost, scores, matched, leaves)
        else:
            sub_scores, sub_matched, sub_leaves = self._evaluate(q, leaves is not None)
            scores += sub_scores * factor if factor != 1.0 else sub_scores
            matched |= sub_matched
            if leaves is not None:
                leaves += sub_leaves

    def _or(self, q: Q.Or, counting: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        subs = q.subqueries
        coordinated = bool(q.scale) and len(subs) > 1
        scores, matched, leaves = self._zeros(counting or coordinated)
        for sub in subs:
            self._add(sub, q.boost, scores, matched, leaves)
        if coordinated:
            scores = coordinate(scores, leaves, self._leaf_count(q), q.scale)
            scores[~matched] = 0.0
        return scores, matched, leaves

    def _leaf_count(self, q: Q.Query) -> int:
        """Term leaves of `q` whose term occurs in the index (whoosh's `term_matchers()`)."""
        if isinstance(q, Q.Term):
            return int(self.arrays.term_scores(q.fieldname, q.text)[0].size > 0)
        if isinstance(q, Q.AndNot):
            return self._leaf_count(q.a)
        if isinstance(q, Q.Every) or q is Q.NullQuery:
            return 0
        return sum(self._leaf_count(sub) for sub in q.children())

    def _and(self, q: Q.And, counting: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        scores = matched = leaves = None
        for sub in q.subqueries:
            sub_scores, sub_matched, sub_leaves = self._evaluate(sub, counting)
            if scores is None:
                scores, matched, leaves = sub_scores, sub_matched, sub_leaves
            else:
                scores += sub_scores
                matched &= sub_matched
                if leaves is not None:
                    leaves += sub_leaves
        if scores is None:
            return self._zeros(counting)
        scores[~matched] = 0.0
        if leaves is not None:
            leaves[~matched] = 0
        return self._boosted(scores, q.boost), matched, leaves

    def _phrase(
        self, q: Q.Sequence, words: tuple[str, tuple[tuple[str, ...], ...]], counting: bool
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """A phrase: its words' `And`, kept where they stand at consecutive positions.

        whoosh scores a phrase as the sum of its words' scores (`SpanNear` wraps their
        intersection); positions are read only for the documents that have every word.
        """
        arrays = self.arrays
        found = arrays.phrases.get(words)
        if found is None:
            fieldname, alternatives = words
            scores, matched, leaves = self._and(Q.And(q.subqueries), True)
            candidates = matched & arrays.live
            docs = np.flatnonzero(candidates)
            if docs.size:
                # Keys (docnum << 32 | position): a phrase starts where word i stands at start + i.
                starts = None
                for i, alts in enumerate(alternatives):
                    keys = [arrays.positions(fieldname, t, candidates) for t in alts]
                    keys = keys[0] if len(keys) == 1 else np.sort(np.concatenate(keys), kind="stable")
                    starts = keys if starts is None else starts[_contains(keys, starts + i)]
                    if not starts.size:
                        break
                docs = np.unique(starts >> 32)
            docs = docs.astype(np.int32)
            found = (docs, scores[docs], leaves[docs])
            arrays.remember_phrase(words, found)
        else:
            arrays.phrases.move_to_end(words)
        docs, doc_scores, doc_leaves = found
        scores, matched, leaves = self._zeros(counting)
        scores[docs] = doc_scores * q.boost
        matched[docs] = True
        if leaves is not None:
            leaves[docs] = doc_leaves
        return scores, matched, leaves

    def _by_whoosh(self, q: Q.Query, counting: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """whoosh's own matcher, segment by segment (its deletion filter applies)."""
        scores, matched, leaves = self._zeros(counting)
        top = self.arrays.searcher
        context = top.context(needs_current=True)
        for sub, _, offset in self.arrays.leaves:
            m = q.matcher(sub, context)
            while m.is_active():
                docnum = m.id() + offset
                scores[docnum] = m.score()
                matched[docnum] = True
                if leaves is not None:
                    leaves[docnum] = sum(1 for _ in m.matching_terms())
                m.next()
        return scores, matched, leaves

    # -- filters ----------------------------------------------------------------------------
    def mask(self, q: Q.Query) -> np.ndarray:
        """Documents matching a filter query (terms, Or, And, NumericRange), unscored."""
        arrays = self.arrays
        if isinstance(q, Q.Term):
            return arrays.term_mask(q.fieldname, q.text)
        if isinstance(q, Q.Or):
            out = np.zeros(self.size, dtype=bool)
            for sub in q.subqueries:
                out |= self.mask(sub)
            return out
        if isinstance(q, Q.And):
            out = np.ones(self.size, dtype=bool)
            for sub in q.subqueries:
                out &= self.mask(sub)
            return out
        if isinstance(q, Q.NumericRange):
            values, out = arrays.numbers(q.fieldname)
            out = out.copy()
            if q.start is not None:
                out &= values > q.start if q.startexcl else values >= q.start
            if q.end is not None:
                out &= values < q.end if q.endexcl else values <= q.end
            return out
        return self.evaluate(q)[1]


def phrase_words(q: Q.Sequence) -> tuple[str, tuple[tuple[str, ...], ...]] | None:
    """(field, alternatives per position) of a plain phrase; None for any other kind of Sequence."""
    if q.slop != 1 or not q.ordered:
        return None
    fieldname = None
    alternatives = []
    for sub in q.subqueries:
        terms = [sub] if isinstance(sub, Q.Term) else list(sub.subqueries) if isinstance(sub, Q.Or) else None
        if not terms or not all(isinstance(t, Q.Term) and t.boost == 1.0 for t in terms) or sub.boost != 1.0:
            return None
        for t in terms:
            if fieldname not in (None, t.fieldname):
                return None
            fieldname = t.fieldname
        alternatives.append(tuple(t.text for t in terms))
    return fieldname, tuple(alternatives)


def _contains(sorted_keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """For each of `wanted`, whether `sorted_keys` has it (a binary search; no sorting of `wanted`)."""
    if not sorted_keys.size:
        return np.zeros(wanted.size, dtype=bool)
    at = np.minimum(np.searchsorted(sorted_keys, wanted), sorted_keys.size - 1)
    return sorted_keys[at] == wanted


def top(scores: np.ndarray, selected: np.ndarray, n: int) -> np.ndarray:
    """Document numbers of the `n` best `selected` scores: higher score first, then lower docnum (as whoosh)."""
    docs = np.flatnonzero(selected)
    if docs.size > n:
        s = scores[docs]
        # Everything scoring at least the n-th best score, so ties at the cut keep whoosh's order.
        kth = np.partition(s, docs.size - n)[docs.size - n]
        docs = docs[s >= kth]
    order = np.lexsort((docs, -scores[docs]))
    return docs[order][:n]


def newest(dates: np.ndarray, selected: np.ndarray, n: int) -> np.ndarray:
    """Document numbers of the `n` newest `selected` documents, then lower docnum (as whoosh's date sort)."""
    docs = np.flatnonzero(selected)
    order = np.lexsort((docs, -dates[docs]))
    return docs[order][:n]
