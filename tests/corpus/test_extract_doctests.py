"""The `>>>` examples in the extraction and repair docstrings are true."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "module",
    ["corpus.repair", "corpus.extract", "corpus.extract.charset", "corpus.extract.html_meta", "corpus.extract.pdf"],
)
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
