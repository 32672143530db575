"""Holds the area-classification floors of tests/eval/floors.toml [areas] (figures: tests/eval/eval_areas.py)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

EVAL = Path(__file__).resolve().parents[1] / "eval"
FLOORS = tomllib.loads((EVAL / "floors.toml").read_text(encoding="utf-8"))["areas"]
sys.path.insert(0, str(EVAL))

import eval_areas  # noqa: E402


@pytest.fixture(scope="module")
def classify():
    from index.classify import classifier_for

    return classifier_for(None)


def test_labelled_set_floors(classify):
    result = eval_areas.evaluate_labelled(classify, classify.thesaurus.ids)
    assert result["documents"] >= 60 and result["offtopic"] >= 10
    assert set(result["langs"]) >= {"fi", "sv", "nb", "nn", "da"}
    assert all(v["support"] >= 4 for v in result["per_area"].values()), "every area needs labelled documents"
    assert result["micro_f1"] >= FLOORS["labelled_micro_f1"]
    assert result["macro_f1"] >= FLOORS["labelled_macro_f1"]
    assert result["offtopic_false_positives"] <= FLOORS["labelled_offtopic_false_positives_max"]


def test_seed_documents_floor(classify, shared_data):
    result = eval_areas.evaluate_seeds(classify, classify.thesaurus.ids, shared_data / "seeds")
    assert result["micro_f1"] >= FLOORS["seeds_micro_f1"]


@pytest.mark.slow
def test_regeringen_agreement_floors(classify, shared_data):
    result = eval_areas.evaluate_regeringen(classify, shared_data / "text" / "sv_regeringen_welfare.jsonl")
    assert result["documents"] == 1472
    assert result["precision"] >= FLOORS["regeringen_precision"]
    assert result["recall"] >= FLOORS["regeringen_recall"]


def test_scores_can_fail():
    # the metric itself: a wrong prediction lowers micro-F1 below 1
    pairs = [({"older-people"}, {"older-people"}), ({"disability"}, {"older-people"})]
    assert eval_areas.scores(pairs, ["older-people", "disability"])["micro_f1"] == 0.5
