"""`nordsearch digest ...` through click: exit codes, messages, errors with their line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from search.cli import main
from tests.search.digest_corpus import build_store


@pytest.fixture
def data(tmp_path):
    build_store(tmp_path / "store.sqlite").close()
    return tmp_path


def run(data, *args):
    return CliRunner().invoke(main, ["--data-dir", str(data), "digest", *args])


def draft(data, out="d.toml", *extra):
    path = data / out
    result = run(data, "draft", "--since", "2026-10-01", "--until", "2026-11-30", "--area", "child-protection",
                 "--area", "older-people", "--area", "adult-social-work", "--out", str(path), *extra)  # fmt: skip
    assert result.exit_code == 0, result.output
    return path


def test_draft_render_publish_list(data):
    path = draft(data, "d.toml", "--lang", "sv", "--title", "Nordiskt i november")
    result = run(data, "render", str(path), "--format", "md")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Nordiskt i november")
    html = data / "d.html"
    assert run(data, "render", str(path), "--format", "html", "--out", str(html), "--lang", "fi").exit_code == 0
    assert '<html lang="fi">' in html.read_text(encoding="utf-8")
    result = run(data, "publish", str(path))
    assert result.exit_code == 0, result.output
    assert "published digest number 1 (sv, 5 items)" in result.output
    assert (data / "digests" / "feeds" / "all.atom").exists()
    assert (data / "digests" / "feeds" / "sv" / "all.atom").exists()
    listed = json.loads(run(data, "list", "--json").output)
    assert [(d["number"], d["langs"]) for d in listed] == [(1, ["sv"])]
    assert [(e["lang"], e["items"], e["title"]) for e in listed[0]["editions"]] == [("sv", 5, "Nordiskt i november")]
    assert "Nordiskt i november" in run(data, "list").output


def test_publish_twice_is_refused(data):
    path = draft(data)
    assert run(data, "publish", str(path)).exit_code == 0
    result = run(data, "publish", str(path))
    assert result.exit_code == 1
    assert "already published as number 1" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_empty_window_is_not_an_error(data):
    path = data / "empty.toml"
    result = run(data, "draft", "--since", "2031-01-01", "--until", "2031-01-31", "--out", str(path))
    assert result.exit_code == 0, result.output
    assert "No new documents" in result.output and "0 items" in result.output
    rendered = run(data, "render", str(path), "--format", "txt")
    assert rendered.exit_code == 0 and "Valituilta substanssialueilta ei ole" in rendered.output


@pytest.mark.parametrize("bad", ["2026-13-01", "yesterday", "2026-02-30"])
def test_bad_date_is_a_usage_error(data, bad):
    result = run(data, "draft", "--since", bad, "--out", str(data / "x.toml"))
    assert result.exit_code == 2
    assert "is not a date" in result.output


def test_unknown_area_is_a_usage_error(data):
    result = run(data, "draft", "--since", "2026-10-01", "--area", "knitting", "--out", str(data / "x.toml"))
    assert result.exit_code == 2 and "unknown area 'knitting'" in result.output


def test_broken_toml_names_file_line_and_column(data):
    path = draft(data)
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("include = ")) + 1
    lines[number - 1] = "include = yes please"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = run(data, "render", str(path), "--format", "txt")
    assert result.exit_code == 1
    assert "d.toml: not valid TOML" in result.output and f"line {number}" in result.output
    assert "column" in result.output and "Traceback" not in result.output


def test_unknown_document_id_names_its_line(data):
    path = draft(data)
    text = path.read_text(encoding="utf-8").replace('id = "sos-aldre"', 'id = "sos-aldre-typo"')
    path.write_text(text, encoding="utf-8")
    number = text.splitlines().index('id = "sos-aldre-typo"') + 1
    result = run(data, "publish", str(path))
    assert result.exit_code == 1
    assert f"line {number}" in result.output and "unknown document id 'sos-aldre-typo'" in result.output


def test_wrong_type_names_the_item_line(data):
    path = draft(data)
    text = path.read_text(encoding="utf-8")
    text = text.replace("position = 2\n", 'position = "two"\n')
    path.write_text(text, encoding="utf-8")
    number = text.splitlines().index('position = "two"') + 1
    result = run(data, "render", str(path))
    assert result.exit_code == 1
    assert f"line {number} (item 2): 'position' must be int" in result.output


def test_javascript_url_in_draft_is_refused(data):
    path = draft(data)
    text = path.read_text(encoding="utf-8").replace(
        'url = "https://www.socialstyrelsen.se/publikationer/aldreomsorgens-personal-2026"\nscore',
        'url = "javascript:alert(1)"\nscore',
    )
    path.write_text(text, encoding="utf-8")
    result = run(data, "render", str(path))
    assert result.exit_code == 1 and "not an absolute http(s) or file URL" in result.output


def test_missing_draft_file(data):
    result = run(data, "render", str(data / "nope.toml"))
    assert result.exit_code == 1 and "no such draft file" in result.output


def test_list_without_store(tmp_path):
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "none"), "digest", "list", "--json"])
    assert result.exit_code == 0 and json.loads(result.output) == []
