"""Area classification: terms matched after the index's analysis, weighted, explained, picklable."""

from __future__ import annotations

import pickle

import pytest

from corpus.area_match import AreaMatcher
from corpus.areas import load_thesaurus
from corpus.model import Section
from index.classify import AreaClassifier, classifier_for, matcher_for, thesaurus_files


@pytest.fixture(scope="module")
def matcher() -> AreaMatcher:
    return matcher_for(thesaurus_files(None))


@pytest.mark.parametrize(
    ("lang", "text", "term"),
    [
        ("fi", "Lastensuojelun asiakkaiden määrä kasvoi", "lastensuojelu"),
        ("fi", "kriisisijaisperheessä asui kaksi lasta", "sijaisperhe"),
        ("sv", "Familjehemssekreterarna ökade kraftigt", "familjehem"),
        ("sv", "vård enligt LVU-lagen", "LVU"),
        ("nb", "barnevernstjenesten i kommunen", "barnevernstjeneste"),
        ("nn", "Fosterheimane i fylket", "fosterheim"),
        ("da", "anbringelserne af udsatte børn", "anbringelse"),
        ("sv", "Det ekonomiska biståndet höjs", "ekonomiskt bistånd"),
        ("fi", "kiireelliset sijoitukset lisääntyivät", "kiireellinen sijoitus"),
    ],
)
def test_inflections_compounds_phrases_and_acronyms_hit(matcher, lang, text, term):
    assert term in [h.term.text for h in matcher.find(text, lang)]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("sv", "Han var oberoende av partiet"),  # "=beroende"-style exact terms; no "beroende" term at all
        ("nb", "Ny lov om skatt"),  # the Norwegian word "lov" is not the Swedish LOV
        ("en", "out-of-home care for children"),  # not "home care"
        ("sv", "lov och lek i skolan"),
    ],
)
def test_no_false_hits(matcher, lang, text):
    areas = {h.concept.area for h in matcher.find(text, lang)}
    assert "freedom-of-choice" not in areas and "older-people" not in areas


def test_title_and_summary_weigh_more_than_body(matcher):
    body = Section("Rapporten handlar om hemtjänst. " + "Kommunens budget och planering. " * 40, "sv")
    in_body = matcher.classify("Kommunal rapport", "", (body,))
    in_title = matcher.classify("Hemtjänst och äldreomsorg", "", (body,))
    assert not in_body
    assert [a.id for a in in_title] == ["older-people"]


def test_long_documents_are_normalised(matcher):
    filler = "Vägar, broar och järnvägar underhålls enligt plan. " * 2000
    one_mention = Section(filler + " Familjehem och LVU nämns en gång.", "sv")
    assert matcher.classify("Transportplan", "", (one_mention,)) == ()
    short = Section("Familjehem och LVU: placerade barn behöver stöd.", "sv")
    assert [a.id for a in matcher.classify("Rapport", "", (short,))] == ["child-protection"]


def test_several_areas_with_scores_and_terms(matcher):
    text = (
        "Personer med samsjuklighet och missbruk lever ofta i hemlöshet. Bostad först och "
        "ekonomiskt bistånd kombineras med psykiatrisk vård."
    )
    found = matcher.classify("Hemlöshet och missbruk", "", (Section(text, "sv"),))
    ids = [a.id for a in found]
    assert set(ids) == {"adult-social-work", "substance-abuse-mental-health"}
    assert all(0 < a.score < 1 for a in found)
    assert found[0].score >= found[1].score
    assert "hemlöshet" in dict((a.id, a.terms) for a in found)["adult-social-work"]


def test_summary_in_a_second_language_counts(matcher):
    secs = (
        Section("The report covers foster care and care orders.", "en", kind="summary"),
        Section("Raportti käsittelee perhehoitoa.", "fi"),
    )
    assert [a.id for a in matcher.classify("Raportti", "", secs)] == ["child-protection"]


def test_off_topic_gets_nothing(matcher):
    text = "Skatten på alkohol och tobak höjs. Tullverket får mer resurser för kontroller vid gränsen."
    assert matcher.classify("Höjd alkoholskatt", "", (Section(text, "sv"),)) == ()


def test_classifier_pickles_and_matches_the_matcher(data_dir):
    classify = classifier_for(data_dir)
    clone = pickle.loads(pickle.dumps(classify))
    assert isinstance(clone, AreaClassifier) and clone == classify
    secs = (Section("Barnevernet flyttet barnet til et fosterhjem etter en akuttplassering.", "nb"),)
    assert clone("Barnevern", "", secs) == classify("Barnevern", "", secs)
    assert clone("Barnevern", "", secs)[0].id == "child-protection"


def test_data_dir_thesaurus_extends_classification(data_dir):
    data_dir.areas_file.write_text(
        """
[[area]]
id = "child-protection"
[[area.concept]]
id = "foster-care"
sv = ["kontaktfamiljehem"]
""",
        encoding="utf-8",
    )
    classify = classifier_for(data_dir)
    assert classify.files[-1] == str(data_dir.areas_file)
    assert "kontaktfamiljehem" in classify.thesaurus.concept("foster-care").terms_in("sv")


def test_pure_matcher_takes_any_analyzer():
    upper_words = AreaMatcher(load_thesaurus(), lambda text, lang: text.lower().split())
    assert [h.term.text for h in upper_words.find("FAMILJEHEM", "sv")] == ["familjehem"]


def test_speed_one_pass(matcher):
    import time

    text = " ".join(["Familjehemmet och barnen fick stöd av socialtjänsten i kommunen."] * 5000)  # 50k words
    matcher.find(text[:2000], "sv")  # warm the word cache
    started = time.perf_counter()
    matcher.classify("Rapport", "", (Section(text, "sv"),))
    assert time.perf_counter() - started < 1.0
