"""OCR quality holds the ceilings in tests/eval/floors.toml: one page per language and scan style.

The full evaluation (more pages) is `tests/eval/eval_ocr.py`; this reads the quick set
(a third of a page of UD sentences per language).
"""

from __future__ import annotations

import tomllib

import pytest

from tests.conftest import REPO

FLOORS = tomllib.loads((REPO / "tests" / "eval" / "floors.toml").read_text(encoding="utf-8"))["ocr"]


@pytest.fixture(scope="module")
def figures(shared_data, tesseract):
    from tests.eval.eval_ocr import evaluate, pages

    return evaluate(pages(quick=True))["figures"]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["fi", "sv", "nb", "da"])
@pytest.mark.parametrize("style", ["300dpi", "150dpi-noisy"])
def test_ocr_error_rates_and_retrieval(figures, style, lang):
    f = figures[(style, lang)]
    key = style.replace("-", "_")
    assert f["cer"] <= FLOORS[f"cer_{key}_max"], f
    assert f["wer"] <= FLOORS[f"wer_{key}_max"], f
    assert f["found"] >= FLOORS["found_min"], f
