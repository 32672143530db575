"""nordsearch's generic top-level names (`index`, `search`) must resolve to this project."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", ["corpus", "crawler", "index", "search"])
def test_top_level_package_is_ours(name):
    module = importlib.import_module(name)
    assert Path(module.__file__).resolve().parent == REPO / name


def test_console_script_is_declared():
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["nordsearch"] == "search.cli:main"
    assert project["name"] == "nordsearch"
