"""Query expansion through the substance-area thesaurus: equivalents in the query's language, translations in the others.

A query term that matches a concept (after the index's analysis, so `lastensuojelun` and
`sijaishuollon` match) brings, each as an `ExpansionTerm` with its language:

- its *equivalents* in its own language: the other terms of its `same` group in the thesaurus
  (regional variants such as Finland-Swedish `närståendevård` / Sweden-Swedish `anhörigomsorg`,
  synonyms, an abbreviation and its long form), weight `SAME_WEIGHT`;
- the concept's terms in the *other languages* (the first `PER_LANG` of each, most typical
  first, with their own equivalents), weighted by how typical they are and, where measured,
  by how often they stand for the concept in bilingual documents (`search.translation_weights`);
- for a term naming an area itself (its core concept: `lastensuojelu`, `äldreomsorg`), the first
  term of the area's other strong concepts, weight `RELATED_WEIGHT`.

Every expansion carries the areas of its concept and whether its text has another sense outside
welfare work (`ambiguous`: Swedish `omhändertagande` is also waste disposal): the ranking lets
such a term count only where the query or the document agrees on the area.

    >>> expand("lastensuojelu sijaishuolto", "fi").as_json()
    {'lastensuojelu': ['lastensuojelutyö', 'barnskydd', ...], 'sijaishuolto': ['perhehoito', ...]}
    >>> [(t.lang, t.text) for t in expand_terms("fosterhjem", "nb")][:2]
    [('nb', 'fosterhjemsplassering'), ('fi', 'perhehoito')]

The thesaurus is compiled once per process and data directory (`index.classify.matcher_for`),
so a query costs a few dict lookups plus the analysis of its words.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from corpus.area_match import LANG_GROUPS, AreaMatcher, Hit
from corpus.areas import Concept, Term
from corpus.config import DataDir
from corpus.model import LANGUAGES

_WORDS = re.compile(r"\w+")

#: Terms per language a matched concept adds (the first ones in the thesaurus are the most typical).
PER_LANG = 3
#: An area's core concept also brings the first term of its sibling concepts at least this heavy.
CORE_RELATED_WEIGHT = 0.8
#: Weight of an equivalent in the query's own language (a variant, synonym or abbreviation).
SAME_WEIGHT = 0.9
#: Weight of a translation by its place among the language's terms: the first is the concept's
#: own name there, later ones are narrower or looser.
TRANSLATION_WEIGHTS = (1.0, 0.8, 0.7)
#: Weight of a sibling concept's first term brought by an area's core concept.
RELATED_WEIGHT = 0.5


@dataclass(frozen=True)
class ExpansionTerm:
    """One term added for a query term: where it comes from and how much it can be trusted."""

    text: str
    lang: str
    weight: float  # 0..1: how reliably it stands for the query term
    relation: str  # "same" (equivalent in the query's language), "translation", "related"
    concept: str  # the thesaurus concept it belongs to
    areas: tuple[str, ...] = ()  # the concept's substance areas (none for a loose SKOS concept)
    ambiguous: bool = False  # the text has another sense outside welfare work
    region: str = ""  # FI, SE, ... for a regional variant

    def as_json(self) -> dict:
        data = asdict(self)
        data["areas"] = list(self.areas)
        return data

    @classmethod
    def from_json(cls, data: dict) -> ExpansionTerm:
        return cls(**{**data, "areas": tuple(data.get("areas") or ())})


@dataclass(frozen=True)
class QueryExpansion:
    """Per matched query term (as typed), the added terms and the concept it matched."""

    terms: dict[str, tuple[ExpansionTerm, ...]] = field(default_factory=dict)
    concepts: dict[str, str] = field(default_factory=dict)  # query term → concept id

    def __bool__(self) -> bool:
        return bool(self.terms)

    def as_json(self) -> dict[str, list[str]]:
        """{"lastensuojelu": ["barnskydd", "barnevern", ...]} — what `search --json` shows as "expanded"."""
        return {term: list(dict.fromkeys(t.text for t in added)) for term, added in self.terms.items()}

    def by_lang(self) -> dict[str, list[str]]:
        """The added terms grouped by language (one query per language field)."""
        out: dict[str, list[str]] = {}
        for added in self.terms.values():
            for t in added:
                if t.text not in out.setdefault(t.lang, []):
                    out[t.lang].append(t.text)
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


def _term(concept: Concept, term: Term, weight: float, relation: str, source_ambiguous: bool) -> ExpansionTerm:
    return ExpansionTerm(
        text=term.text,
        lang=term.lang,
        weight=round(weight, 3),
        relation=relation,
        concept=concept.id,
        areas=(concept.area,) if concept.area else (),
        ambiguous=term.ambiguous or source_ambiguous,
        region=term.region,
    )


def concept_expansions(
    matcher: AreaMatcher, concept: Concept, matched: Term, *, per_lang: int = PER_LANG, weights=None
) -> list[ExpansionTerm]:
    """What a query term matching `matched` (a term of `concept`) expands to, best first per language.

    `weights` (search.translation_weights) scales translations by measured co-occurrence.
    """
    out: list[ExpansionTerm] = []
    typed = matched.key
    source_ambiguous = matched.ambiguous
    # Equivalents in the matched term's own language.
    for t in concept.equivalents(matched):
        out.append(_term(concept, t, SAME_WEIGHT, "same", source_ambiguous))
    # A query naming the area itself (its first, core concept: lastensuojelu, äldreomsorg) also
    # wants the area's other strong concepts (foster care, placements, ...): their first term
    # per language, ranked below the concept's own terms.
    area = matcher.thesaurus.area(concept.area) if concept.area else None
    related = (
        [c for c in area.concepts[1:] if c.weight >= CORE_RELATED_WEIGHT]
        if area is not None and concept is area.concepts[0]
        else []
    )
    for other in LANGUAGES:
        if other == matched.lang:
            continue
        # The matched term's own sense first (its `same` group's terms in that language: the
        # Finnish for `spelberoende` is `peliriippuvuus`, not the concept's first term), then
        # the concept's most typical terms, each bringing its equivalents along.
        aligned = list(concept.aligned(matched, other))
        ranked: list[tuple[Term, float]] = [(t, 1.0 if i == 0 else SAME_WEIGHT) for i, t in enumerate(aligned)]
        if aligned:
            # The concept's other senses (its other groups) come in below, by their first term;
            # its ungrouped terms do not: in a broad concept they are other things (`narkotika`
            # is no translation of `spelberoende`).
            firsts = {
                t.group: t for t in concept.terms if t.lang == other and t.group >= 0 and t.group != matched.group
            }
            ranked += [(t, RELATED_WEIGHT) for t in firsts.values()]
        else:
            own = [t for t in concept.terms if t.lang == other and t.key != typed]
            for i, t in enumerate(own[:per_lang]):
                w = TRANSLATION_WEIGHTS[min(i, len(TRANSLATION_WEIGHTS) - 1)]
                ranked.append((t, w))
                ranked += [(e, w * SAME_WEIGHT) for e in concept.equivalents(t)]
        for t, weight in ranked:
            measured = weights.factor(concept.id, t.lang, t.text) if weights is not None else 1.0
            out.append(_term(concept, t, min(weight * measured, 1.0), "translation", source_ambiguous))
        for c in related:
            first = next((t for t in c.terms if t.lang == other), None)
            if first is not None:
                out.append(_term(c, first, RELATED_WEIGHT, "related", source_ambiguous))
    seen: set[tuple[str, str]] = set()
    unique = []
    for t in out:
        key = (t.lang, t.text.casefold())
        if key not in seen and not (t.lang == matched.lang and t.text.casefold() == typed):
            seen.add(key)
            unique.append(t)
    return unique


def expand(
    text: str, lang: str | None = None, *, data_dir: DataDir | None = None, per_lang: int = PER_LANG
) -> QueryExpansion:
    """The expansion of a query: for each query term matching a concept, its equivalents and translations."""
    if not text or not text.strip():
        return QueryExpansion()
    matcher = _matcher(data_dir)
    weights = _weights(data_dir)
    terms: dict[str, tuple[ExpansionTerm, ...]] = {}
    concepts: dict[str, str] = {}
    for hit, _ in _query_hits(matcher, text, lang):
        added = concept_expansions(matcher, hit.concept, hit.term, per_lang=per_lang, weights=weights)
        if added and hit.surface not in terms:
            terms[hit.surface] = tuple(added)
            concepts[hit.surface] = hit.concept.id
    return QueryExpansion(terms, concepts)


def _weights(data_dir: DataDir | None):
    from search.translation_weights import load_weights

    return load_weights(data_dir)


def expand_terms(
    text: str, lang: str | None = None, *, data_dir: DataDir | None = None, per_lang: int = PER_LANG
) -> tuple[ExpansionTerm, ...]:
    """Every term added for one query clause, flat, without repeats."""
    seen: dict[tuple[str, str], ExpansionTerm] = {}
    for added in expand(text, lang, data_dir=data_dir, per_lang=per_lang).terms.values():
        for t in added:
            seen.setdefault((t.lang, t.text), t)
    return tuple(seen.values())


def expand_query(
    text: str, lang: str | None = None, *, data_dir: DataDir | None = None, per_lang: int = PER_LANG
) -> tuple[tuple[str, str], ...]:
    """The added (lang, text) pairs for one query clause, flat."""
    return tuple((t.lang, t.text) for t in expand_terms(text, lang, data_dir=data_dir, per_lang=per_lang))


def expand_clauses(
    texts: list[str] | tuple[str, ...],
    lang: str | None = None,
    *,
    data_dir: DataDir | None = None,
    per_lang: int = PER_LANG,
) -> list[tuple[ExpansionTerm, ...]]:
    """Expansions for a query's word clauses in order, matching thesaurus phrases *across* clauses.

    `ekonomiskt bistånd` typed without quotes is two clauses; one clause at a time neither word
    is a term. The expansion of a phrase spanning clauses goes to its first clause.
    """
    out: list[tuple[ExpansionTerm, ...]] = [() for _ in texts]
    if not texts:
        return out
    starts, position = [], 0
    for text in texts:  # the word index where each clause starts in the joined query
        starts.append(position)
        position += len(_WORDS.findall(text))
    joined = " ".join(texts)
    found = expand(joined, lang, data_dir=data_dir, per_lang=per_lang)
    matcher = _matcher(data_dir)
    for hit, _ in _query_hits(matcher, joined, lang):
        added = found.terms.get(hit.surface)
        if not added:
            continue
        clause = max(i for i, start in enumerate(starts) if start <= hit.start)
        have = {(t.lang, t.text) for t in out[clause]}
        out[clause] = out[clause] + tuple(t for t in added if (t.lang, t.text) not in have)
    return out
