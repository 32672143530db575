"""The thesaurus commands: SKOS import (Turtle, RDF/XML) merged with the hand-made areas, `show`, `measure`."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus.areas import load_thesaurus
from search.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "thesaurus"


def run(data_dir, *args: str):
    return CliRunner().invoke(main, ["--data-dir", str(data_dir.root), "thesaurus", *args], catch_exceptions=False)


@pytest.fixture
def imported(data_dir):
    result = run(data_dir, "import", str(FIXTURES / "welfare.ttl"), "--scheme", "welfare", "--json")
    assert result.exit_code == 0, result.output
    return data_dir, json.loads(result.output)


def loaded(data_dir):
    return load_thesaurus(*data_dir.thesaurus_files())


def test_turtle_import_merges_with_hand_made_concepts(imported):
    data_dir, report = imported
    assert report["concepts_read"] == 5  # the German-only concept has nothing to give
    assert report["extended"] == 3 and report["loose"] == 2
    th = loaded(data_dir)
    child = th.concept("child-protection-services")
    assert {"lapsensuojelu", "child welfare", "barnavård"} <= {t.text for t in child.terms}
    assert "lastensuojelu" in child.terms_in("fi")  # the hand-made terms stay
    # One SKOS concept is one sense: its labels are equivalents, and translations of each other.
    lapsensuojelu = child.term("fi", "lapsensuojelu")
    assert child.term("fi", "lastensuojelu") in child.equivalents(lapsensuojelu)
    assert child.term("sv", "barnskydd") in child.aligned(lapsensuojelu, "sv")
    # Merging joined the hand-made group of lastensuojelu with the imported one.
    assert child.term("fi", "lastensuojelutyö") in child.equivalents(lapsensuojelu)


def test_loose_concepts_expand_but_do_not_classify(imported):
    data_dir, _ = imported
    th = loaded(data_dir)
    security = th.concept("welfare-p200")
    assert security.area == "" and security.scheme == "welfare" and security.uri.endswith("/p200")
    assert "sosial trygghet" in security.terms_in("nb")  # the Norwegian "no" tag reads as Bokmål
    assert security.related == ("welfare-p300",)
    from corpus.area_match import AreaMatcher
    from index.analysis import analyze

    matcher = AreaMatcher(th, analyze)
    assert [h.concept.id for h in matcher.find("toimeentuloturva ja sosiaaliturva", "fi")] == ["welfare-p200"] * 2
    text = "Toimeentuloturva ja sosiaaliturva. " * 20
    assert matcher.classify(text, "", ()) == ()


def test_qualified_labels_are_ambiguous_and_hidden_labels_never_expanded(imported):
    data_dir, _ = imported
    th = loaded(data_dir)
    custody = th.concept("welfare-p300")
    assert custody.term("fi", "huolto").ambiguous and custody.term("sv", "vårdnad").ambiguous
    from search.expand import expand_terms

    found = {(t.lang, t.text): t for t in expand_terms("huolto", "fi", data_dir=data_dir)}
    assert found[("sv", "vårdnad")].ambiguous
    # "lastensuojelut" (a hidden label, a misspelling) finds the concept but is never added.
    assert ("fi", "lastensuojelut") not in found
    assert any(t.text == "barnskydd" for t in expand_terms("lastensuojelut", "fi", data_dir=data_dir))
    assert all(t.text != "lastensuojelut" for t in expand_terms("lastensuojelu", "fi", data_dir=data_dir))


def test_a_label_of_another_concept_is_skipped_and_reported(imported):
    data_dir, report = imported
    assert any("'jourhem'" in s and "foster-care" in s for s in report["skipped"])
    th = loaded(data_dir)
    assert th.concept("home-care").term("fi", "tukipalvelu") is not None
    assert th.concept("home-care").term("sv", "jourhem") is None


def test_rdf_xml_import_and_reimport_replaces(data_dir):
    result = run(data_dir, "import", str(FIXTURES / "welfare.rdf"), "--scheme", "elsst")
    assert result.exit_code == 0, result.output
    assert "2 concepts read from scheme 'elsst'" in result.output
    th = loaded(data_dir)
    assert th.concept("addiction-drugs").term("sv", "spelmani") is not None
    assert th.concept("elsst-voluntary-work").terms_in("nn") == ("friviljug arbeid",)
    # --only-matching keeps the merge and drops the loose concept; the file is replaced.
    result = run(data_dir, "import", str(FIXTURES / "welfare.rdf"), "--scheme", "elsst", "--only-matching")
    assert result.exit_code == 0, result.output
    th = loaded(data_dir)
    assert th.concept("addiction-drugs").term("sv", "spelmani") is not None
    assert "elsst-voluntary-work" not in {c.id for c in th.concepts}
    assert tomllib.loads((data_dir.thesaurus_dir / "elsst.toml").read_text(encoding="utf-8")).get("concept") is None


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            "@prefix skos: <http://www.w3.org/2004/02/skos/core#> . this is not turtle",
            "broken.ttl",
            "not readable as turtle RDF",
        ),
        ("<rdf:RDF", "broken.rdf", "not readable as xml RDF"),
        ("@prefix ex: <http://example.org/> . ex:a ex:b ex:c .", "empty.ttl", "no skos:Concept"),
        ("whatever", "scheme.csv", "cannot tell the RDF format"),
    ],
)
def test_bad_files_are_one_line_errors_and_change_nothing(data_dir, tmp_path, content, name, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = run(data_dir, "import", str(path), "--scheme", "bad")
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    assert not (data_dir.thesaurus_dir / "bad.toml").exists()


def test_scheme_names_are_checked(data_dir):
    result = run(data_dir, "import", str(FIXTURES / "welfare.ttl"), "--scheme", "Bad Name")
    assert result.exit_code == 1 and "scheme name must be lowercase" in result.output


def test_show_explains_variants_translations_and_ambiguity(data_dir):
    result = run(data_dir, "show", "närståendevård")
    assert result.exit_code == 0, result.output
    assert "concept informal-care" in result.output and "used in Finland" in result.output
    assert "anhörigomsorg 0.9 (Sweden, same language)" in result.output
    assert "fi: omaishoito" in result.output
    ambiguous = run(data_dir, "show", "omhändertagandet", "--lang", "sv").output
    assert (
        "ambiguous: its translations count only where the query or the document is about Child protection" in ambiguous
    )
    data = json.loads(run(data_dir, "show", "barnevernet", "--json").output)
    first = data["meanings"][0]
    assert first["matched"] == "barnevernet" and first["term"] == "barnevern" and first["area"] == "child-protection"
    assert {"text": "lastensuojelu", "lang": "fi"}.items() <= first["expands_to"][1].items()
    assert first["where"].endswith(tuple(f"areas.toml:{n}" for n in range(1, 2000)))


def test_show_a_word_that_is_no_term_suggests_close_ones(data_dir):
    result = run(data_dir, "show", "familjehm")
    assert result.exit_code == 0
    assert "is no thesaurus term" in result.output and "familjehem" in result.output


def test_measure_weighs_translations_by_bilingual_documents(data_dir):
    """Finnish reports with Swedish summaries: `familjehem` stands beside `perhehoito`, `jourhem` never."""
    from corpus.model import Document, Section
    from corpus.store import Store

    finnish = (
        "Perhehoito on lastensuojelun sijaishuollon ensisijainen muoto. Raportti käsittelee perhehoidon "
        "tukea, sijaisperheiden valmennusta ja perhehoitajien palkkioita hyvinvointialueilla."
    )
    swedish = "Sammanfattning. Rapporten handlar om stödet till familjehem och om ersättningen till familjehemmen."
    with Store(data_dir.store_file) as store:
        for n in range(4):
            store.save(
                Document(
                    id=f"report{n}",
                    url=f"https://example.org/report{n}",
                    title=f"Perhehoidon raportti {n}",
                    lang="fi",
                    content_hash=f"h{n}",
                    sections=(Section(finnish, "fi"), Section(swedish, "sv", kind="summary", position=1)),
                )
            )
    result = run(data_dir, "measure", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["bilingual"] == 4
    from search.translation_weights import load_weights

    weights = load_weights(data_dir)
    assert weights.figures("foster-care", "sv", "familjehem") == (4, 4)
    assert weights.factor("foster-care", "sv", "familjehem") == 1.25
    assert weights.factor("foster-care", "sv", "jourhem") == 0.5
    shown = run(data_dir, "show", "perhehoito", "--lang", "fi").output
    assert "familjehem 1 (in 4 of 4 bilingual documents)" in shown
    assert "jourhem" not in shown or "in 0 of 4" in shown
