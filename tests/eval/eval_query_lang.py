"""The query-language guess: search.query_lang (dictionaries) against the lingua-based detection.

The guess only counts when sure enough (`search.query.QUERY_LANG_MIN`); then it boosts that
language's fields. So per system and set this prints:

- right: sure and right (Norwegian strict: nb ≠ nn, since they are separate fields);
- wrong: sure and wrong (a wrong boost, the harmful case);
- unsure: no boost;
- agree: same decision (language or none) as the lingua-based detection.

Sets: the retrieval queries (tests/fixtures/retrieval/queries.toml and the cross-language ones,
each labelled with its language) and UD short texts (the first 1–4 words of each sentence of
../shared/data/ud/sentences.tsv, as tests/eval/eval_language.py builds them; every 4th).

    .venv/bin/python tests/eval/eval_query_lang.py
"""

from __future__ import annotations

import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

EVAL = Path(__file__).resolve().parent
REPO = EVAL.parents[1]
for p in (str(REPO), str(EVAL)):
    if p not in sys.path:
        sys.path.insert(0, p)

QUERY_FILES = (
    REPO / "tests" / "fixtures" / "retrieval" / "queries.toml",
    REPO / "tests" / "fixtures" / "areas" / "retrieval" / "cross_queries.toml",
)


def query_set() -> list[tuple[str, str]]:
    items = []
    for path in QUERY_FILES:
        items += [(q["lang"], q["text"]) for q in tomllib.loads(path.read_text(encoding="utf-8"))["query"]]
    return items


def decision(scores: dict[str, float], floor: float) -> str | None:
    if not scores:
        return None
    best = max(scores, key=scores.get)
    return best if scores[best] >= floor else None


def measure(
    guess: Callable[[str], dict[str, float]], items: list[tuple[str, str]], floor: float, reference: list
) -> tuple[dict[str, float], list]:
    started = time.perf_counter()
    decided = [decision(guess(text), floor) for _, text in items]
    elapsed = time.perf_counter() - started
    n = len(items)
    figures = {
        "right": sum(d == gold for (gold, _), d in zip(items, decided, strict=True)) / n,
        "wrong": sum(d is not None and d != gold for (gold, _), d in zip(items, decided, strict=True)) / n,
        "unsure": sum(d is None for d in decided) / n,
        "agree": sum(a == b for a, b in zip(decided, reference, strict=True)) / n if reference else 1.0,
        "ms_each": 1000 * elapsed / n,
    }
    return figures, decided


def systems() -> dict[str, Callable[[str], dict[str, float]]]:
    from corpus import nordic_words
    from corpus.language import detect_scores
    from search import query_lang

    def words_only(text: str) -> dict[str, float]:
        # nordic_words alone, through the same softmax (known-word evidence turned off)
        saved = query_lang.known_languages
        query_lang.known_languages = lambda word: ()
        try:
            return query_lang.guess_scores(text)
        finally:
            query_lang.known_languages = saved

    del nordic_words
    return {
        "lingua+words (before)": detect_scores,
        "words only": words_only,
        "query_lang (now)": query_lang.guess_scores,
    }


def main() -> None:
    from eval_language import load_sets

    from search.query import QUERY_LANG_MIN

    sets = {"queries": query_set(), "UD short": load_sets(every=4)["short"]}
    print(f"decision floor {QUERY_LANG_MIN}; Norwegian strict (nb and nn are separate fields)")
    print(f"{'set':<9} {'system':<22} {'n':>5} {'right':>6} {'wrong':>6} {'unsure':>7} {'agree':>6} {'ms each':>8}")
    for set_name, items in sets.items():
        reference: list = []
        for name, guess in systems().items():
            figures, decided = measure(guess, items, QUERY_LANG_MIN, reference)
            reference = reference or decided
            print(
                f"{set_name:<9} {name:<22} {len(items):>5} {figures['right']:>6.3f} {figures['wrong']:>6.3f} "
                f"{figures['unsure']:>7.3f} {figures['agree']:>6.3f} {figures['ms_each']:>8.2f}"
            )
    if "-v" in sys.argv:
        from corpus.language import detect_scores
        from search.query_lang import guess_scores

        for gold, text in sets["queries"]:
            before = decision(detect_scores(text), QUERY_LANG_MIN)
            now = decision(guess_scores(text), QUERY_LANG_MIN)
            mark = "" if before == now else "  <- differs"
            print(f"  {gold} {text!r}: before {before}, now {now}{mark}")


if __name__ == "__main__":
    main()
