"""The metadata floors on the real pages and PDFs (tests/eval/eval_metadata.py; issue 13)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

EVAL = Path(__file__).resolve().parents[1] / "eval"


def test_metadata_floors_hold(shared_data):
    sys.path.insert(0, str(EVAL))
    try:
        import eval_metadata
    finally:
        sys.path.remove(str(EVAL))
    floors = tomllib.loads((EVAL / "floors.toml").read_text(encoding="utf-8"))["metadata"]
    figures = eval_metadata.evaluate(shared_data)
    assert figures.total["title"] >= 50 and figures.total["date"] >= 50 and figures.total["publisher"] >= 45
    assert figures.accuracy("title") >= floors["title_accuracy"], figures.misses
    assert figures.accuracy("date") >= floors["date_accuracy"], figures.misses
    assert figures.accuracy("publisher") >= floors["publisher_accuracy"], figures.misses


def test_the_evaluation_counts_a_year_where_a_day_is_stated_as_wrong():
    sys.path.insert(0, str(EVAL))
    try:
        from eval_metadata import date_matches, norm_text
    finally:
        sys.path.remove(str(EVAL))
    assert date_matches("2013-06-27", "2013") and date_matches("2013", "2013")
    assert not date_matches("2013", "2013-06-27") and not date_matches(None, "2013")
    assert norm_text("Dataskydd – en anpassning ”x”.") == norm_text('dataskydd - en anpassning "x"')
