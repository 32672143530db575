"""How reliably each thesaurus term translates its concept, measured in the collection's bilingual documents.

A Finnish report with a Swedish summary says the same thing twice: where its Finnish text
names a concept (`perhehoito`), the Swedish summary names it too, with the word Swedish
writers really use for it (`familjehem` far more often than `nätverkshem`). Counted over every
document that has text in two languages:

    support(c, B)     documents where concept c is named in some language A and that have text in B
    together(c, B, t) of those, the documents whose B text contains the term t of c

`factor(c, B, t)` turns the share together/support into a multiplier of the thesaurus weight
of t as a translation: 0.5 when t never appears beside the concept, rising to 1.25 when it
does in three of four documents; 1.0 (no opinion) below `MIN_SUPPORT` documents.

The figures are written by `nordsearch thesaurus measure` to the data directory
(`thesaurus/translation-weights.json`) and read by query expansion (`search.expand`).
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from corpus.area_match import AreaMatcher
from corpus.config import DataDir
from corpus.model import LANGUAGES, Document

WEIGHTS_FILE = "translation-weights.json"
#: Fewer bilingual documents than this say nothing about a translation.
MIN_SUPPORT = 3
FORMAT = 1


@dataclass
class TranslationWeights:
    """Measured co-occurrence per (concept, language, term): [together, support]."""

    counts: dict[str, dict[str, dict[str, list[int]]]] = field(default_factory=dict)
    documents: int = 0  # bilingual documents counted
    measured_at: float = 0.0

    def figures(self, concept: str, lang: str, text: str) -> tuple[int, int]:
        together, support = self.counts.get(concept, {}).get(lang, {}).get(text.casefold(), [0, 0])
        return together, support

    def factor(self, concept: str, lang: str, text: str) -> float:
        """The multiplier of a translation's thesaurus weight (1.0 when too little was seen)."""
        together, support = self.figures(concept, lang, text)
        if support < MIN_SUPPORT:
            return 1.0
        return round(0.5 + min(together / support, 0.75), 3)

    def as_json(self) -> dict:
        return {"format": FORMAT, "documents": self.documents, "measured_at": self.measured_at, "counts": self.counts}


def _language_texts(doc: Document) -> dict[str, str]:
    texts: dict[str, list[str]] = defaultdict(list)
    for section in doc.sections:
        if section.lang in LANGUAGES:
            texts[section.lang].append(section.text)
    return {lang: "\n\n".join(chunks) for lang, chunks in texts.items()}


def measure(matcher: AreaMatcher, documents: Iterable[Document]) -> TranslationWeights:
    """Counts, over the documents with text in two or more languages, how each concept is named in each."""
    counts: dict[str, dict[str, dict[str, list[int]]]] = {}
    bilingual = 0
    for doc in documents:
        texts = _language_texts(doc)
        if len(texts) < 2:
            continue
        bilingual += 1
        found: dict[str, dict[str, set[str]]] = {}  # lang -> concept id -> term keys seen
        for lang, text in texts.items():
            for hit in matcher.find(text, lang):
                found.setdefault(lang, {}).setdefault(hit.concept.id, set()).add(hit.term.key)
        for lang_a, concepts_a in found.items():
            for concept_id in concepts_a:
                concept = matcher.thesaurus.concept(concept_id)
                for lang_b in texts:
                    if lang_b == lang_a:
                        continue
                    seen_b = found.get(lang_b, {}).get(concept_id, set())
                    per_term = counts.setdefault(concept_id, {}).setdefault(lang_b, {})
                    for term in concept.terms:
                        if term.lang != lang_b:
                            continue
                        entry = per_term.setdefault(term.key, [0, 0])
                        entry[1] += 1
                        entry[0] += term.key in seen_b
    # A document names a concept in A once but may do so in several A languages: the counts are
    # per (document, source language), which weighs trilingual documents a little more.
    return TranslationWeights(counts, bilingual, time.time())


def weights_path(data_dir: DataDir) -> Path:
    return data_dir.thesaurus_dir / WEIGHTS_FILE


def save_weights(data_dir: DataDir, weights: TranslationWeights) -> Path:
    path = weights_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(weights.as_json(), ensure_ascii=False, sort_keys=True), encoding="utf-8")
    tmp.replace(path)
    return path


def load_weights(data_dir: DataDir | None) -> TranslationWeights | None:
    """The measured weights of a data directory, or None (never measured, or unreadable)."""
    if data_dir is None:
        return None
    path = weights_path(data_dir)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return None
    return _load(str(path), stamp)


@lru_cache(maxsize=8)
def _load(path: str, stamp: int) -> TranslationWeights | None:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("counts"), dict):
        return None
    return TranslationWeights(data["counts"], int(data.get("documents", 0)), float(data.get("measured_at", 0)))
