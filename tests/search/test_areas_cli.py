"""`nordsearch areas`: labels and counts, --json, --ui-lang, --reclassify, one-line thesaurus errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from search.cli import main

DOCS = {
    "barnevern.txt": "Barnevern og fosterhjem\n\nBarnevernstjenesten fikk flere bekymringsmeldinger, og flere barn "
    "kom i fosterhjem etter omsorgsovertakelse.",
    "vei.txt": "Veibygging\n\nStatens vegvesen bygger ny riksvei med to tunneler og en bro over fjorden.",
}


@pytest.fixture
def ingested(tmp_path, data_dir):
    data_dir.config_file.write_text("workers = 1\n", encoding="utf-8")  # in-process: analysis loads once
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["--data-dir", str(data_dir.root), "ingest", str(folder), "--no-index", "--json"])
    assert result.exit_code == 0, result.output
    return data_dir


def run(data_dir, *args):
    return CliRunner().invoke(main, ["--data-dir", str(data_dir.root), *args])


def test_lists_every_area_with_counts_as_json(ingested):
    result = run(ingested, "areas", "--json", "--ui-lang", "fi")
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)
    assert len(items) == 14
    by_id = {i["id"]: i for i in items}
    assert by_id["child-protection"]["documents"] == 1
    assert by_id["child-protection"]["label"] == "Lastensuojelu"
    assert sum(i["documents"] for i in items) == 1  # the road document has no area


def test_human_listing_uses_the_ui_language(ingested):
    result = run(ingested, "areas", "--ui-lang", "sv")
    assert result.exit_code == 0
    assert "Barnskydd" in result.output and "child-protection" in result.output


def test_docs_and_show_carry_areas(ingested):
    docs = json.loads(run(ingested, "docs", "--json").output)
    cp = next(d for d in docs if "barnevern" in d["url"])
    assert cp["areas"] == ["child-protection"]
    shown = json.loads(run(ingested, "show", cp["id"], "--json").output)
    assert shown["areas"][0]["id"] == "child-protection" and "fosterhjem" in shown["areas"][0]["terms"]


def test_reclassify_applies_a_changed_thesaurus(ingested):
    ingested.areas_file.write_text(
        """
[[area]]
id = "road-building"
label = { fi = "Tienrakennus", sv = "Vägbygge", nb = "Veibygging", nn = "Vegbygging", da = "Vejbyggeri", en = "Road building" }
[[area.concept]]
id = "roads"
nb = ["veibygging", "riksvei", "tunnel"]
da = ["veibygging"]
""",
        encoding="utf-8",
    )
    result = run(ingested, "areas", "--reclassify", "--no-index", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["changed"] == 1
    counts = {i["id"]: i["documents"] for i in json.loads(run(ingested, "areas", "--json").output)}
    assert counts["road-building"] == 1 and counts["child-protection"] == 1
    again = json.loads(run(ingested, "areas", "--reclassify", "--no-index", "--json").output)
    assert again["changed"] == 0


def test_broken_thesaurus_is_one_line_exit_1(data_dir):
    data_dir.areas_file.write_text('[[area]]\nid = "x"\nlabel = { fi = "" }\n', encoding="utf-8")
    result = run(data_dir, "areas")
    assert result.exit_code == 1
    assert f"{data_dir.areas_file}:3:" in result.output and "Traceback" not in result.output
