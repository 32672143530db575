"""Finnish without Voikko: the fallback analyzer works, warns once, and holds its floors.

Separate from test_analysis.py because the fallback loads simplemma's Finnish dictionary
(3.5M forms, several seconds and ~400 MB), which the Voikko path never needs.
"""

from __future__ import annotations

import logging
import sys
import tomllib
from pathlib import Path

from index.analysis import voikko_available

FLOORS = tomllib.loads((Path(__file__).resolve().parents[1] / "eval" / "floors.toml").read_text(encoding="utf-8"))[
    "analysis"
]


def test_finnish_works_without_voikko_and_warns_once(monkeypatch, caplog):
    from index.analysis import finnish
    from index.analysis.analyzers import lemmatizer_for
    from index.analysis.lemmas import SimplemmaLemmatizer

    monkeypatch.setenv(finnish.ENV_NO_VOIKKO, "1")
    finnish._voikko.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="index.analysis.finnish"):
            assert not voikko_available()
            assert not voikko_available()
            lemmatizer = lemmatizer_for("fi")
        assert isinstance(lemmatizer, SimplemmaLemmatizer)
        assert "lastensuojelu" in lemmatizer.analyse("lastensuojelun")[0]
        assert len([r for r in caplog.records if "Voikko" in r.getMessage()]) == 1
    finally:
        monkeypatch.delenv(finnish.ENV_NO_VOIKKO)
        finnish._voikko.cache_clear()


def test_fallback_conflation_floors(shared_data):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
    from eval_conflation import load_pairs, measure, nordsearch

    conflation, over = measure(load_pairs(shared_data / "ud")["fi"], nordsearch("fi", voikko=False))
    assert conflation >= FLOORS["conflation_min_fi_no_voikko"]
    assert over <= FLOORS["over_conflation_max_fi_no_voikko"]
