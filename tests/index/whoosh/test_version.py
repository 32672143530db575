"""A whoosh of another version than the engine was written for stops at import, with an exact message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import whoosh

import index.whoosh
from index.errors import IndexEngineError

REPO = Path(__file__).resolve().parents[3]


def test_the_installed_whoosh_is_the_one_required():
    index.whoosh._check_whoosh()  # no error
    assert whoosh.__version__[:3] == index.whoosh.REQUIRED_VERSION


def test_another_version_says_what_is_installed_and_what_to_run(monkeypatch):
    monkeypatch.setattr(whoosh, "__version__", (2, 7, 4))
    with pytest.raises(IndexEngineError) as raised:
        index.whoosh._check_whoosh()
    message = str(raised.value)
    assert "needs whoosh-reloaded==2.7.5" in message and "whoosh 2.7.4 is installed at" in message
    assert "pip install whoosh-reloaded==2.7.5" in message and "\n" not in message


def test_the_check_runs_when_the_engine_is_imported(tmp_path):
    code = "import whoosh; whoosh.__version__ = (3, 0, 0)\nimport index.whoosh.backend"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 1
    assert "IndexEngineError: the whoosh index engine needs whoosh-reloaded==2.7.5" in result.stderr
    assert "whoosh 3.0.0 is installed" in result.stderr


def test_the_cli_turns_it_into_one_line(tmp_path):
    # The CLI imports the engine only when a command needs the index: the error is one line, exit 1.
    code = (
        "import sys, whoosh; whoosh.__version__ = (2, 7, 4)\n"
        "from search.cli import main\n"
        f"sys.exit(main(['--data-dir', {str(tmp_path)!r}, 'index']))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "needs whoosh-reloaded==2.7.5" in lines[0] and "Traceback" not in result.stderr
