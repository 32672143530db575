"""Cross-lingual query expansion through the substance-area thesaurus.

A query term that matches a concept (after the index's analysis, so `lastensuojelun` and
`sijaishuollon` match) brings that concept's terms in the *other* languages, each with its
language, so the search layer can analyse it with that language's analyzer, search that
language's field and boost it below the literal match.

    >>> expand("lastensuojelu sijaishuolto", "fi").as_json()
    {'lastensuojelu': ['barnskydd', ...], 'sijaishuolto': ['familjehem', ...]}
    >>> expand_query("fosterhjem", "nb")[:2]
    (('fi', 'perhehoito'), ('fi', 'sijaisperhe'))

The thesaurus is compiled once per process and data directory (`index.classify.matcher_for`),
so a query costs a few dict lookups plus the analysis of its words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.area_match import LANG_GROUPS, AreaMatcher, Hit
from corpus.config import DataDir
from corpus.model import LANGUAGES

_WORDS = re.compile(r"\w+")

#: Terms per language a matched concept adds (the first ones in the thesaurus are the most typical).
PER_LANG = 3
#: An area's core concept also brings the first term of its sibling concepts at least this heavy.
CORE_RELATED_WEIGHT = 0.8


@dataclass(frozen=True)
class QueryExpansion:
    """Per matched query term (as typed), the added terms: ((lang, text), ...), and their concepts."""

    terms: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    concepts: dict[str, str] = field(default_factory=dict)  # query term → concept id

    def __bool__(self) -> bool:
        return bool(self.terms)

    def as_json(self) -> dict[str, list[str]]:
        """{"lastensuojelu": ["barnskydd", "barnevern", ...]} — what `search --json` shows as "expanded"."""
        return {term: list(dict.fromkeys(text for _, text in added)) for term, added in self.terms.items()}

    def by_lang(self) -> dict[str, list[str]]:
        """The added terms grouped by language (one query per language field)."""
        out: dict[str, list[str]] = {}
        for added in self.terms.values():
            for lang, text in added:
                if text not in out.setdefault(lang, []):
                    out[lang].append(text)
        return out


def _matcher(data_dir: DataDir | None) -> AreaMatcher:
    from index.classify import matcher_for, thesaurus_files

    return matcher_for(thesaurus_files(data_dir))


def _query_hits(matcher: AreaMatcher, text: str, lang: str | None) -> list[tuple[Hit, str]]:
    """Concept hits in the query, each with the language it was matched in.

    The guessed language is tried first; words it leaves unmatched are tried in the other
    languages (short queries are often guessed wrong, and a Finnish user may type `LVU`).
    """
    order = list(LANG_GROUPS.get(lang, (lang,))) if lang in LANGUAGES else []
    order += [other for other in LANGUAGES if other not in order]
    covered: set[int] = set()
    found: list[tuple[Hit, str]] = []
    for candidate in order:
        for hit in matcher.find(text, candidate):
            span = set(range(hit.start, hit.end))
            if span & covered:
                continue
            covered |= span
            found.append((hit, hit.term.lang))
    found.sort(key=lambda pair: pair[0].start)
    return found


def expand(
    text: str, lang: str | None = None, *, data_dir: DataDir | None = None, per_lang: int = PER_LANG
) -> QueryExpansion:
    """The expansion of a query: for each query term matching a concept, its other-language terms."""
    if not text or not text.strip():
        return QueryExpansion()
    matcher = _matcher(data_dir)
    terms: dict[str, tuple[tuple[str, str], ...]] = {}
    concepts: dict[str, str] = {}
    for hit, matched_lang in _query_hits(matcher, text, lang):
        typed = hit.surface.casefold()
        added: list[tuple[str, str]] = []
        # A query naming the area itself (its first, core concept: lastensuojelu, äldreomsorg)
        # also wants the area's other strong concepts (foster care, placements, ...): their
        # first term per language, ranked below the concept's own terms.
        area = matcher.thesaurus.area(hit.concept.area)
        related = (
            [c for c in area.concepts[1:] if c.weight >= CORE_RELATED_WEIGHT] if hit.concept is area.concepts[0] else []
        )
        for other in LANGUAGES:
            if other == matched_lang:
                continue
            texts = [t for t in hit.concept.terms_in(other) if t.casefold() != typed][:per_lang]
            texts += [c.terms_in(other)[0] for c in related if c.terms_in(other)]
            added += [(other, t) for t in dict.fromkeys(texts)]
        if added and hit.surface not in terms:
            terms[hit.surface] = tuple(added)
            concepts[hit.surface] = hit.concept.id
    return QueryExpansion(terms, concepts)


def expand_query(
    text: str, lang: str | None = None, *, data_dir: DataDir | None = None, per_lang: int = PER_LANG
) -> tuple[tuple[str, str], ...]:
    """The added (lang, text) pairs for one query clause, flat: what search.query calls."""
    seen: dict[tuple[str, str], None] = {}
    for added in expand(text, lang, data_dir=data_dir, per_lang=per_lang).terms.values():
        seen.update(dict.fromkeys(added))
    return tuple(seen)


def expand_clauses(
    texts: list[str] | tuple[str, ...],
    lang: str | None = None,
    *,
    data_dir: DataDir | None = None,
    per_lang: int = PER_LANG,
) -> list[tuple[tuple[str, str], ...]]:
    """Expansions for a query's word clauses in order, matching thesaurus phrases *across* clauses.

    `ekonomiskt bistånd` typed without quotes is two clauses; one clause at a time neither word
    is a term. The expansion of a phrase spanning clauses goes to its first clause.
    """
    out: list[tuple[tuple[str, str], ...]] = [() for _ in texts]
    if not texts:
        return out
    starts, position = [], 0
    for text in texts:  # the word index where each clause starts in the joined query
        starts.append(position)
        position += len(_WORDS.findall(text))
    found = expand(" ".join(texts), lang, data_dir=data_dir, per_lang=per_lang)
    matcher = _matcher(data_dir)
    for hit, _ in _query_hits(matcher, " ".join(texts), lang):
        added = found.terms.get(hit.surface)
        if not added:
            continue
        clause = max(i for i, start in enumerate(starts) if start <= hit.start)
        out[clause] = tuple(dict.fromkeys(out[clause] + added))
    return out
