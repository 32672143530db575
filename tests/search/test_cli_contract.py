"""The CLI contract: help everywhere, one-line errors, JSON that parses, --data-dir and NORDSEARCH_HOME."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from search.cli import main


def walk(command: click.Command, path=()):
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from walk(sub, (*path, name))


ALL_COMMANDS = list(walk(main))


@pytest.mark.parametrize("path,command", ALL_COMMANDS, ids=[" ".join(p) or "nordsearch" for p, _ in ALL_COMMANDS])
def test_every_command_and_option_has_help(path, command):
    assert (command.help or "").strip(), f"command {' '.join(path)} has no help"
    for param in command.params:
        if isinstance(param, click.Option) and param.name not in ("help", "version"):
            assert (param.help or "").strip(), f"option {param.opts} of {' '.join(path)} has no help"


@pytest.mark.parametrize("path,command", ALL_COMMANDS, ids=[" ".join(p) or "nordsearch" for p, _ in ALL_COMMANDS])
def test_help_runs(path, command):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_missing_store_is_one_line_error(tmp_path):
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "none"), "docs"])
    assert result.exit_code == 1
    assert "no store at" in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_unknown_document_is_one_line_error(tmp_path):
    from corpus.store import Store

    Store(tmp_path / "store.sqlite").close()
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path), "show", "0000"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: no document with id '0000' (list them with 'nordsearch docs')"
    ]


def test_wrong_flag_is_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path), "docs", "--bogus"])
    assert result.exit_code == 2


def test_data_dir_from_environment(tmp_path):
    from corpus.store import Store

    Store(tmp_path / "store.sqlite").close()
    result = CliRunner().invoke(main, ["status", "--json"], env={"NORDSEARCH_HOME": str(tmp_path)})
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["documents"] == 0


def test_malformed_config_is_one_line_error(tmp_path):
    (tmp_path / "config.toml").write_text("max_file_bytes = 'lots'\n")
    from corpus.config import DataDir
    from corpus.errors import ConfigError

    with pytest.raises(ConfigError, match="max_file_bytes.*must be int"):
        DataDir(tmp_path).settings()
    (tmp_path / "config.toml").write_text("max_file_bytes = [\n")
    with pytest.raises(ConfigError, match="config.toml"):
        DataDir(tmp_path).settings()
