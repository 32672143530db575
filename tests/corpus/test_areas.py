"""The substance-area thesaurus: the shipped file's coverage and the loader's line-numbered errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpus.areas import SHIPPED_FILE, Term, load_thesaurus
from corpus.errors import AreaConfigError
from corpus.model import LANGUAGES

AREAS_MD_IDS = re.compile(r"^\| ([a-z-]+) \|", re.M)


@pytest.fixture(scope="module")
def thesaurus():
    return load_thesaurus()


def test_every_area_of_areas_md_is_shipped(thesaurus, shared_data: Path):
    ids = [i for i in AREAS_MD_IDS.findall((shared_data.parent / "AREAS.md").read_text()) if i != "id"]
    assert len(ids) == 14
    assert list(thesaurus.ids) == ids


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_area_has_a_label_and_15_terms(thesaurus, lang):
    for area in thesaurus.areas:
        assert area.label(lang).strip()
        assert len(area.terms_in(lang)) >= 15, (area.id, lang)


def test_variants_are_present(thesaurus):
    older = thesaurus.area("older-people")
    assert {"hemtjänst", "hemvård", "närståendevård", "anhörigomsorg"} <= set(older.terms_in("sv"))  # SE and FI Swedish
    assert "sjukeheim" in older.terms_in("nn") and "sykehjem" in older.terms_in("nb")
    assert {"LVU", "HVB"} <= set(thesaurus.area("child-protection").terms_in("sv"))
    assert "barnets lov" in thesaurus.area("child-protection").terms_in("da")


def test_labels_for_the_ui(thesaurus):
    assert thesaurus.label("child-protection", "fi") == "Lastensuojelu"
    assert thesaurus.label("child-protection", "sv") == "Barnskydd"
    assert thesaurus.label("child-protection", "da") == "Child protection"  # UI is fi/sv/en
    with pytest.raises(AreaConfigError, match="unknown area"):
        thesaurus.label("no-such-area", "fi")


@pytest.mark.parametrize(
    ("raw", "kind", "text"),
    [
        ("familjehem", "word", "familjehem"),
        ("=beroende", "exact", "beroende"),
        ("ekonomiskt bistånd", "phrase", "ekonomiskt bistånd"),
        ("LVU", "acronym", "LVU"),
        ("sote-uudistus", "phrase", "sote-uudistus"),
    ],
)
def test_term_syntax(raw, kind, text):
    term = Term.parse(raw, "sv")
    assert (term.kind, term.text) == (kind, text)


MINIMAL = """[[area]]
id = "testing"
label = { fi = "Testi", sv = "Test", nb = "Test", nn = "Test", da = "Test", en = "Test" }

[[area.concept]]
id = "test-concept"
fi = ["testaus"]
sv = ["testning"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "areas.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (MINIMAL.replace('sv = ["testning"]', 'se = ["testning"]'), 8, "unknown language 'se'"),
        (MINIMAL.replace('sv = "Test"', 'sv = " "'), 3, "empty label for 'sv'"),
        (MINIMAL.replace('da = "Test", ', ""), 3, "no label for da"),
        (MINIMAL + "\n" + MINIMAL.replace("test-concept", "other"), 11, "duplicate area id 'testing'"),
        (MINIMAL.replace('["testning"]', '["testning", "TESTNING"]'), 8, "duplicate sv term"),
        (MINIMAL.replace('fi = ["testaus"]', 'fi = [""]'), 7, "empty term"),
        (MINIMAL.replace('id = "test-concept"', 'id = "test-concept"\nweight = -1'), 7, "weight must be"),
        (MINIMAL.replace('fi = ["testaus"]\nsv = ["testning"]\n', ""), 6, "has no terms"),
        (MINIMAL.replace("[[area.concept]]", "[[area.concept]\n"), 5, "at line 5"),  # TOML syntax
    ],
)
def test_errors_name_the_file_and_line(tmp_path, text, line, message):
    path = write(tmp_path, text)
    with pytest.raises(AreaConfigError) as exc:
        load_thesaurus(shipped=path)
    assert str(exc.value).startswith(f"{path}:{line}:") or f"line {line}" in str(exc.value)
    assert message in str(exc.value)


def test_duplicate_term_across_files_names_both(tmp_path):
    path = write(tmp_path, MINIMAL.replace('sv = ["testning"]', 'sv = ["familjehem"]'))
    with pytest.raises(AreaConfigError) as exc:
        load_thesaurus(path)
    message = str(exc.value)
    assert message.startswith(f"{path}:8:") and "foster-care" in message and str(SHIPPED_FILE) in message


def test_user_file_adds_areas_concepts_and_terms(tmp_path):
    extension = (
        MINIMAL
        + """
[[area]]
id = "child-protection"

[[area.concept]]
id = "foster-care"
sv = ["kontaktfamiljehem"]

[[area.concept]]
id = "child-advocacy"
en = ["children's advocate"]
"""
    )
    th = load_thesaurus(write(tmp_path, extension))
    assert th.ids[-1] == "testing"
    assert "kontaktfamiljehem" in th.concept("foster-care").terms_in("sv")
    assert "familjehem" in th.concept("foster-care").terms_in("sv")  # shipped terms kept
    assert th.concept("child-advocacy").area == "child-protection"
    assert th.label("child-protection", "fi") == "Lastensuojelu"  # labels kept when not given


def test_concept_id_of_another_area_is_refused(tmp_path):
    text = MINIMAL.replace('id = "test-concept"', 'id = "foster-care"')
    with pytest.raises(AreaConfigError, match="already belongs to area 'child-protection'"):
        load_thesaurus(write(tmp_path, text))


def test_missing_user_file_is_fine_missing_shipped_is_not(tmp_path):
    assert load_thesaurus(tmp_path / "nope.toml").ids
    with pytest.raises(AreaConfigError, match="not found"):
        load_thesaurus(shipped=tmp_path / "nope.toml")
