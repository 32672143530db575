"""Conflation floors: the Nordic analyzers meet their own forms, and merge no more than snowball.

Figures from tests/eval/eval_conflation.py (definitions in its docstring), on the full UD
(form, lemma) pairs: over-conflation is only meaningful when counted over every lemma.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

EVAL = Path(__file__).resolve().parents[1] / "eval"
FLOORS = tomllib.loads((EVAL / "floors.toml").read_text(encoding="utf-8"))["analysis"]
sys.path.insert(0, str(EVAL))

from eval_conflation import load_pairs, measure, nordsearch, whoosh_snowball  # noqa: E402


@pytest.fixture(scope="module")
def pairs(shared_data):
    return load_pairs(shared_data / "ud")


@pytest.mark.parametrize("lang", ["fi", "sv", "nb", "nn", "da", "en"])
def test_conflation_floor_and_over_conflation_ceiling(pairs, lang):
    if lang == "fi":
        from index.analysis import voikko_available

        if not voikko_available():
            pytest.skip("Voikko not installed: the Finnish floors are for the Voikko analyzer")
    conflation, over = measure(pairs[lang], nordsearch(lang))
    assert conflation >= FLOORS["conflation_min"][lang], f"{lang} conflation {conflation:.3f}"
    assert over <= FLOORS["over_conflation_max"][lang], f"{lang} over-conflation {over:.3f}"
    # The goal, checked against snowball measured in the same run.
    assert over <= measure(pairs[lang], whoosh_snowball(lang))[1] + 0.001


def test_measure_counts_what_it_says():
    pairs = {("lapset", "lapsi"), ("lapsia", "lapsi"), ("talot", "talo"), ("kuut", "kuu")}
    identity = lambda word: {word}  # noqa: E731
    assert measure(pairs, identity) == (0.0, 0.0)
    # An analyser that maps everything to one token conflates all pairs and every lemma.
    assert measure(pairs, lambda word: {"x"}) == (1.0, 1.0)
    # Keeping four letters conflates all but `kuut`/`kuu`, and merges no lemmas.
    assert measure(pairs, lambda word: {word[:4]}) == (0.75, 0.0)
