"""The `>>>` examples in the index package's docstrings are true."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "index.analysis.pipeline",
        "index.analysis.tokenizer",
        "index.analysis.normalize",
        "index.ranking",
        "index.query_plan",
        "index.highlight",
        "index.whoosh.analyzer",
    ],
)
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
