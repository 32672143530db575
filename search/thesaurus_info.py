"""What a word means to the thesaurus: its concepts, and what a query with it is expanded to and why.

`explain(word)` answers `nordsearch thesaurus show WORD`: for every language in which the word
(after that language's analysis, so inflected forms work) is a thesaurus term, the concept and
area it belongs to, where the term is written (file:line), whether it is marked ambiguous or a
regional variant, and the expansion a query for it gets: equivalents in its own language and
translations per language, each with its weight and, where measured, the bilingual evidence.
A word that is no term gets the closest terms instead.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from corpus.config import DataDir
from corpus.model import LANGUAGES


@dataclass(frozen=True)
class TermMeaning:
    """One reading of the word: a term of a concept, in one language, with the expansion it gets."""

    lang: str
    matched: str  # the words as typed that matched (a compound may hold the term as a part)
    term: str
    kind: str
    where: str
    concept: str
    area: str  # "" for a concept of no area (an imported scheme's)
    area_label: str
    scheme: str
    ambiguous: bool
    region: str
    expansions: tuple = ()  # search.expand.ExpansionTerm
    evidence: dict = field(default_factory=dict)  # (lang, text) -> (together, support)

    def as_json(self) -> dict:
        return {
            "lang": self.lang,
            "matched": self.matched,
            "term": self.term,
            "kind": self.kind,
            "where": self.where,
            "concept": self.concept,
            "area": self.area or None,
            "area_label": self.area_label or None,
            "scheme": self.scheme or None,
            "ambiguous": self.ambiguous,
            "region": self.region or None,
            "expands_to": [
                {
                    **t.as_json(),
                    **(
                        {"measured": {"together": ev[0], "documents": ev[1]}}
                        if (ev := self.evidence.get((t.lang, t.text)))
                        else {}
                    ),
                }
                for t in self.expansions
            ],
        }


@dataclass(frozen=True)
class Explanation:
    word: str
    meanings: tuple[TermMeaning, ...]
    closest: tuple[str, ...] = ()  # thesaurus terms spelled like the word, when it is none
    measured_documents: int = 0  # bilingual documents the translation weights were measured on

    def as_json(self) -> dict:
        return {
            "word": self.word,
            "meanings": [m.as_json() for m in self.meanings],
            "closest": list(self.closest),
            "measured_documents": self.measured_documents,
        }


def explain(word: str, *, lang: str | None = None, data_dir: DataDir | None = None, ui_lang: str = "en") -> Explanation:
    from search.expand import _matcher, _weights, concept_expansions

    matcher = _matcher(data_dir)
    weights = _weights(data_dir)
    langs = [lang] if lang else list(LANGUAGES)
    meanings: list[TermMeaning] = []
    seen: set[tuple[str, str]] = set()
    for candidate in langs:
        for hit in matcher.find(word, candidate):
            if (hit.concept.id, hit.term.lang) in seen:
                continue  # once per concept and language
            seen.add((hit.concept.id, hit.term.lang))
            concept, term = hit.concept, hit.term
            expansions = tuple(concept_expansions(matcher, concept, term, weights=weights))
            evidence = {}
            if weights is not None:
                for t in expansions:
                    together, support = weights.figures(t.concept, t.lang, t.text)
                    if support:
                        evidence[(t.lang, t.text)] = (together, support)
            meanings.append(
                TermMeaning(
                    lang=term.lang,
                    matched=hit.surface,
                    term=term.text,
                    kind=term.kind,
                    where=term.where,
                    concept=concept.id,
                    area=concept.area,
                    area_label=matcher.thesaurus.label(concept.area, ui_lang) if concept.area else "",
                    scheme=concept.scheme,
                    ambiguous=term.ambiguous,
                    region=term.region,
                    expansions=expansions,
                    evidence=evidence,
                )
            )
    closest: tuple[str, ...] = ()
    if not meanings:
        every = sorted({t.text for c in matcher.thesaurus.concepts for t in c.terms if not lang or t.lang == lang})
        closest = tuple(difflib.get_close_matches(word, every, n=5, cutoff=0.75))
    return Explanation(word, tuple(meanings), closest, weights.documents if weights is not None else 0)


REGION_NAMES = {"FI": "Finland", "SE": "Sweden", "NO": "Norway", "DK": "Denmark", "IS": "Iceland", "AX": "Åland"}
RELATIONS = {"same": "same language", "translation": "translation", "related": "related concept"}


def format_explanation(found: Explanation) -> str:
    """The human text of `thesaurus show`."""
    if not found.meanings:
        hint = f" (closest terms: {', '.join(found.closest)})" if found.closest else ""
        return f"{found.word!r} is no thesaurus term in any language: a query for it is not expanded{hint}"
    lines = []
    for m in found.meanings:
        where = (
            f"area {m.area} ({m.area_label})"
            if m.area
            else (f"no area (scheme {m.scheme})" if m.scheme else "no area (a general concept)")
        )
        marks = []
        if m.region:
            marks.append(f"used in {REGION_NAMES.get(m.region, m.region)}")
        if m.ambiguous:
            marks.append(
                "ambiguous: its translations count only where the query or the document is about "
                + (m.area_label or "its concept")
            )
        how = "" if m.matched.casefold() == m.term.casefold() else f"{m.matched} → "
        lines.append(f"{how}{m.term} [{m.lang}, {m.kind}] — concept {m.concept}, {where}; {m.where}")
        if marks:
            lines.append("  " + "; ".join(marks))
        if not m.expansions:
            lines.append("  expands to nothing (no equivalents or translations)")
        by_lang: dict[str, list[str]] = {}
        for t in m.expansions:
            extra = []
            if t.region:
                extra.append(REGION_NAMES.get(t.region, t.region))
            if t.ambiguous:
                extra.append("ambiguous")
            if t.relation != "translation":
                extra.append(RELATIONS[t.relation])
            if (ev := m.evidence.get((t.lang, t.text))) is not None:
                extra.append(f"in {ev[0]} of {ev[1]} bilingual documents")
            by_lang.setdefault(t.lang, []).append(
                f"{t.text} {t.weight:g}" + (f" ({', '.join(extra)})" if extra else "")
            )
        for lang_, items in by_lang.items():
            lines.append(f"  {lang_}: " + "; ".join(items))
    if not found.measured_documents:
        lines.append("translation weights: from the thesaurus only (run `nordsearch thesaurus measure` to weigh them)")
    else:
        lines.append(f"translation weights: thesaurus, scaled by {found.measured_documents} bilingual documents")
    return "\n".join(lines)
