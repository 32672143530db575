"""Retrieval on tests/fixtures/retrieval holds the floors in tests/eval/floors.toml [retrieval]."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

import pytest

EVAL_DIR = Path(__file__).resolve().parents[1] / "eval"
FLOORS = tomllib.loads((EVAL_DIR / "floors.toml").read_text(encoding="utf-8"))["retrieval"]


@pytest.fixture(scope="module")
def figures():
    spec = importlib.util.spec_from_file_location("eval_retrieval", EVAL_DIR / "eval_retrieval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    figures, _ = module.run_all()
    return figures


def test_our_analysis_holds_its_floors(figures):
    assert figures["ours"]["recall_same"] >= FLOORS["ours_recall_at_10"]
    assert figures["ours"]["ndcg_same"] >= FLOORS["ours_ndcg_at_10"]


def test_expansion_finds_other_languages_without_losing_same_language(figures):
    assert figures["ours+expand"]["recall_cross"] >= FLOORS["expand_cross_recall_at_10"]
    assert figures["ours+expand"]["recall_same"] >= FLOORS["expand_recall_at_10"]
    assert figures["ours+expand"]["ndcg_same"] >= FLOORS["expand_ndcg_at_10"]


def test_our_analysis_beats_both_whoosh_baselines(figures):
    for baseline in ("standard", "language"):
        assert figures["ours"]["recall_same"] > figures[baseline]["recall_same"] + 0.1
        assert figures["ours"]["ndcg_same"] > figures[baseline]["ndcg_same"] + 0.1
