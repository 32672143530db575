"""Conflation and over-conflation of the Nordic analyzers on UD (form, lemma) pairs.

Run: .venv/bin/python tests/eval/eval_conflation.py [--json]

Data: ../shared/data/ud/lemmas.tsv (lang, form, lemma, upos), NOUN/VERB/ADJ tokens of the UD
test splits; pairs are the distinct (form, lemma) of a language.

Definitions (each word is analysed alone, in index mode; A(x) is the set of token texts):
- conflation = share of (form, lemma) pairs with A(form) ∩ A(lemma) ≠ ∅: a query for the
  lemma meets the document's form (and the other way round);
- over-conflation (exhaustive, the issue's definition) = share of gold lemmas ℓ whose
  U(ℓ) = A(ℓ) ∪ ⋃{A(f) : (f, ℓ) a pair} shares a token with U(ℓ') of another gold lemma ℓ'.
  Random pairs of lemmas almost never collide, so only the exhaustive count measures anything.
- "main" counts only the tokens of kind "main": the whole word's base forms and guarded stems.
  This is the headline figure and the one held by floors: it says whether the word meets its
  own forms and whether it merges with other words. Compound parts (kind "part": `suojelu` in
  `lastensuojelu`, `omsorg` in `äldreomsorg`) are there on purpose, so that a part finds its
  compounds; counting them would turn every compound sharing a head into "over-conflation"
  and every form sharing a part into "conflation". "all" (parts included) is printed beside,
  for transparency.
- whoosh snowball = whoosh's LanguageAnalyzer(lang) (nb/nn: "no"), every token it outputs.

For Finnish the figures are also given without the lemmas that TDT marks as compounds
(fi_compound_lemmas.txt): TDT lemmatises every part (`tiedonvaihto` → `tietovaihto`), so those
gold lemmas are often not words anyone writes. "fi (no Voikko)" is the fallback analyzer.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

UD = REPO.parent / "shared" / "data" / "ud"
LANGS = ("fi", "sv", "nb", "nn", "da", "en")

Analyse = Callable[[str], set[str]]


def load_pairs(ud: Path = UD) -> dict[str, set[tuple[str, str]]]:
    pairs: dict[str, set[tuple[str, str]]] = defaultdict(set)
    with open(ud / "lemmas.tsv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            pairs[row["lang"]].add((row["form"], row["lemma"]))
    return pairs


def measure(pairs: Iterable[tuple[str, str]], analyse: Analyse) -> tuple[float, float]:
    """(conflation, over-conflation) of an analyser on (form, lemma) pairs; see the docstring."""
    pairs = list(pairs)
    cache: dict[str, set[str]] = {}

    def a(word: str) -> set[str]:
        if word not in cache:
            cache[word] = analyse(word)
        return cache[word]

    conflated = sum(1 for form, lemma in pairs if a(form) & a(lemma))
    union: dict[str, set[str]] = defaultdict(set)
    for form, lemma in pairs:
        union[lemma] |= a(form) | a(lemma)
    owners: dict[str, set[str]] = defaultdict(set)
    for lemma, tokens in union.items():
        for token in tokens:
            owners[token].add(lemma)
    over = sum(1 for tokens in union.values() if any(len(owners[t]) > 1 for t in tokens))
    return conflated / len(pairs), over / len(union)


def whoosh_snowball(lang: str) -> Analyse:
    from whoosh.analysis import LanguageAnalyzer

    analyzer = LanguageAnalyzer("no" if lang in ("nb", "nn") else lang)
    return lambda word: {t.text for t in analyzer(word)}


def nordsearch(lang: str, kinds: tuple[str, ...] = ("main",), voikko: bool = True) -> Analyse:
    from index.analysis.analyzers import analyzer_for, fallback_analyzer_for

    analyzer = analyzer_for(lang) if voikko else fallback_analyzer_for(lang)
    return lambda word: {t.text for t in analyzer(word) if t.kind in kinds}


def run(ud: Path = UD, langs: Iterable[str] = LANGS) -> dict[str, dict[str, float]]:
    """Every figure, keyed "<lang>/<analyzer>/<conflation|over>"-style in nested dicts."""
    pairs = load_pairs(ud)
    compounds = set((ud / "fi_compound_lemmas.txt").read_text(encoding="utf-8").split())
    rows: dict[str, dict[str, float]] = {}
    for lang in langs:
        variants: list[tuple[str, Analyse, set[tuple[str, str]]]] = [
            (lang, whoosh_snowball(lang), pairs[lang]),
        ]
        for name, analyse, subset in variants:
            rows.setdefault(name, {})
            rows[name]["snowball_conflation"], rows[name]["snowball_over"] = measure(subset, analyse)
        main = nordsearch(lang)
        everything = nordsearch(lang, kinds=("main", "part"))
        rows[lang]["conflation"], rows[lang]["over"] = measure(pairs[lang], main)
        rows[lang]["all_conflation"], rows[lang]["all_over"] = measure(pairs[lang], everything)
        if lang == "fi":
            simple = {(f, lemma) for f, lemma in pairs["fi"] if lemma not in compounds}
            rows["fi-nocomp"] = {}
            rows["fi-nocomp"]["snowball_conflation"], rows["fi-nocomp"]["snowball_over"] = measure(
                simple, whoosh_snowball("fi")
            )
            rows["fi-nocomp"]["conflation"], rows["fi-nocomp"]["over"] = measure(simple, main)
            rows["fi-nocomp"]["all_conflation"], rows["fi-nocomp"]["all_over"] = measure(simple, everything)
            fallback = nordsearch("fi", voikko=False)
            rows["fi-novoikko"] = {
                "snowball_conflation": rows["fi"]["snowball_conflation"],
                "snowball_over": rows["fi"]["snowball_over"],
            }
            rows["fi-novoikko"]["conflation"], rows["fi-novoikko"]["over"] = measure(pairs["fi"], fallback)
            rows["fi-novoikko"]["all_conflation"], rows["fi-novoikko"]["all_over"] = measure(
                pairs["fi"], nordsearch("fi", kinds=("main", "part"), voikko=False)
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON document")
    args = parser.parse_args()
    from index.analysis import voikko_available

    started = time.perf_counter()
    rows = run()
    if args.json:
        print(json.dumps(rows, indent=2, sort_keys=True))
        return
    print("conflation = share of (form, lemma) pairs whose analysed token sets intersect;")
    print(
        "over-conflation = share of gold lemmas whose tokens (over the lemma and all its forms) another gold lemma also has."
    )
    print("'main' = whole-word tokens only (headline, held by floors); 'all' = compound parts included.")
    print(f"Voikko available: {voikko_available()}\n")
    header = f"{'lang':<12} {'snowball conf':>13} {'snowball over':>13} {'main conf':>9} {'main over':>9} {'all conf':>8} {'all over':>8}"
    print(header)
    print("-" * len(header))
    for name, r in rows.items():
        print(
            f"{name:<12} {r['snowball_conflation']:>13.3f} {r['snowball_over']:>13.3f} {r['conflation']:>9.3f} "
            f"{r['over']:>9.3f} {r['all_conflation']:>8.3f} {r['all_over']:>8.3f}"
        )
    print(f"\n({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
