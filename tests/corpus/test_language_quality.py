"""Language accuracy on the Universal Dependencies sentences holds the floors in tests/eval/floors.toml."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

import pytest

from corpus.language import detect

EVAL_DIR = Path(__file__).resolve().parents[1] / "eval"
FLOORS = tomllib.loads((EVAL_DIR / "floors.toml").read_text(encoding="utf-8"))["language"]


def _eval_module():
    spec = importlib.util.spec_from_file_location("eval_language", EVAL_DIR / "eval_language.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def figures(shared_data):
    """Our detector on the full sets (about 10 s): the same figures the evaluation script prints."""
    ev = _eval_module()
    sets = ev.load_sets(shared_data / "ud" / "sentences.tsv")
    return {name: ev.evaluate(detect, items) for name, items in sets.items()}


@pytest.mark.parametrize("lang", ["fi", "sv", "nb", "nn", "da"])
def test_single_sentences(figures, lang):
    assert figures["sentence"][lang] >= FLOORS[f"sentence_{lang}"]


def test_single_sentences_pooled(figures):
    assert figures["sentence"]["nordic"] >= FLOORS["sentence_nordic"]


def test_texts_of_one_to_four_words(figures):
    """Issue 2's short texts: whole sentences of 1–4 words, Nordic pooled, Norwegian as one."""
    assert figures["short"]["nordic"] >= FLOORS["short_nordic"]


def test_first_words_of_sentences(figures):
    """Harder than whole short sentences: the first 1–4 words cut from every sentence."""
    assert figures["prefix"]["nordic"] >= FLOORS["prefix_nordic"]
    assert figures["prefix"]["fi"] >= FLOORS["prefix_fi"]


@pytest.mark.parametrize("lang", ["fi", "sv", "nb", "nn", "da"])
def test_paragraphs(figures, lang):
    assert figures["paragraph"][lang] >= FLOORS["paragraph_nordic_min"]


def test_bokmal_and_nynorsk_told_apart_on_paragraphs(figures):
    assert figures["paragraph"]["nb_vs_nn"] >= FLOORS["paragraph_nb_vs_nn"]


def test_short_set_is_the_sentences_of_one_to_four_words(shared_data):
    ev = _eval_module()
    sets = ev.load_sets(shared_data / "ud" / "sentences.tsv")
    short = [text for _, text in sets["short"]]
    assert all(1 <= ev.word_count(text) <= 4 for text in short)
    assert set(short) <= {text for _, text in sets["sentence"]}
    # a dash is no word: "- Vi forstod ingenting!" has three
    assert ev.word_count("- Vi forstod ingenting!") == 3
    assert sum(1 for lang, _ in sets["short"] if lang in ev.NORDIC) == 741


def test_prefix_set_is_first_words_of_sentences(shared_data):
    ev = _eval_module()
    prefix = ev.load_sets(shared_data / "ud" / "sentences.tsv")["prefix"]
    lengths = [len(text.split()) for _, text in prefix if _ == "fi"]
    # 1, 2, 3, 4 words in turn, fewer only when the sentence itself is shorter
    assert all(1 <= n <= i % 4 + 1 for i, n in enumerate(lengths))
    assert 2.3 <= sum(lengths) / len(lengths) <= 2.5
