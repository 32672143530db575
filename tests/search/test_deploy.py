"""`nordsearch deploy systemd`: the unit files pass `systemd-analyze verify` and say what the service needs."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from search.cli import main

ANALYZE = shutil.which("systemd-analyze")
UNITS = (
    "nordsearch-web.service",
    "nordsearch-crawl.service",
    "nordsearch-crawl.timer",
    "nordsearch-alerts.service",
    "nordsearch-alerts.timer",
)


def read_unit(path) -> configparser.ConfigParser:
    """A unit file's sections and keys (a key given twice keeps the last: enough for these files)."""
    parser = configparser.ConfigParser(interpolation=None, strict=False, delimiters=("=",))
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(path.read_text())
    return parser


@pytest.fixture
def units(tmp_path):
    data = tmp_path / "srv data"  # a space: the paths must be quoted where systemd needs it
    out = tmp_path / "units"
    result = CliRunner().invoke(
        main, ["--data-dir", str(data), "deploy", "systemd", "--out", str(out), "--web-memory-max", "1500M"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(result.output.split()) == sorted(
        str(out / name) for name in (*UNITS, "nordsearch.sysusers.conf", "INSTALL.txt")
    )
    return data, out


@pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze missing (Debian: apt-get install systemd)")
def test_units_pass_systemd_analyze_verify(units):
    _, out = units
    done = subprocess.run(
        [ANALYZE, "verify", *(str(out / name) for name in UNITS)], capture_output=True, text=True, timeout=120
    )
    # verify only warns (exit 0) about a bad value it ignores: any message is a failure here
    assert done.returncode == 0 and done.stderr == "" and done.stdout == "", done.stderr + done.stdout


def test_services_are_sandboxed_and_bounded(units):
    data, out = units
    for name in ("nordsearch-web.service", "nordsearch-crawl.service", "nordsearch-alerts.service"):
        service = read_unit(out / name)["Service"]
        assert service["User"] == "nordsearch" == service["Group"], name
        assert service["ProtectSystem"] == "strict", name
        assert shlex.split(service["ReadWritePaths"]) == [str(data)], name
        assert f"NORDSEARCH_HOME={data}" in shlex.split(service["Environment"]), name
        assert service["MemoryMax"], name
        assert service["NoNewPrivileges"] == "yes" and service["ProtectHome"] == "yes", name
    assert read_unit(out / "nordsearch-web.service")["Service"]["MemoryMax"] == "1500M"
    assert "u nordsearch - " in (out / "nordsearch.sysusers.conf").read_text()


def test_timers_start_their_services(units):
    _, out = units
    for what in ("crawl", "alerts"):
        timer = read_unit(out / f"nordsearch-{what}.timer")
        assert timer["Timer"]["Unit"] == f"nordsearch-{what}.service"
        assert timer["Timer"]["OnCalendar"] and timer["Timer"]["Persistent"] == "true"
        assert timer["Install"]["WantedBy"] == "timers.target"
        assert read_unit(out / f"nordsearch-{what}.service")["Service"]["Type"] == "oneshot"


@pytest.mark.parametrize(
    "name, command",
    [
        ("nordsearch-web.service", "serve"),
        ("nordsearch-crawl.service", "crawl"),
        ("nordsearch-alerts.service", "alerts"),
    ],
)
def test_exec_start_is_a_nordsearch_command_line_that_parses(units, name, command):
    data, out = units
    words = shlex.split(read_unit(out / name)["Service"]["ExecStart"])
    assert words[1:3] == ["--data-dir", str(data)] and words[3] == command
    if command not in main.commands:
        pytest.skip(f"'nordsearch {command}' is not in this build yet")
    # the same arguments with --help: click parses every option (a misspelt one is exit code 2)
    result = CliRunner().invoke(main, [*words[1:], "--help"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "option, value, message",
    [
        ("--web-memory-max", "lots", "web-memory-max 'lots' is not a memory size like 512M or 2G"),
        ("--user", "Root Admin", "user 'Root Admin' is not a valid system user name"),
    ],
)
def test_bad_options_are_one_line_errors(tmp_path, option, value, message):
    result = CliRunner().invoke(main, ["deploy", "systemd", "--out", str(tmp_path / "u"), option, value])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and message in result.output
    assert not (tmp_path / "u").exists()
