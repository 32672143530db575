"""Language identification: our six languages on paragraphs and short text, hints, und, determinism."""

from __future__ import annotations

import pytest

from corpus import language
from corpus.language import detect, detect_scores, document_languages, hint_languages
from corpus.model import LANGUAGES, Section
from tests.conftest import FIXTURES

PARAGRAPHS = {lang: (FIXTURES / "language" / f"{lang}.txt").read_text(encoding="utf-8") for lang in LANGUAGES}

# Short paragraphs that differ only in the words and spellings that set the three apart.
SHORT_NORWEGIAN_DANISH = {
    "nb": "Jeg vet ikke hva hun heter, men hun bor her i byen og jobber mye.",
    "nn": "Eg veit ikkje kva ho heiter, men ho bur her i byen og arbeider mykje.",
    "da": "Jeg ved ikke, hvad hun hedder, men hun bor her i byen og arbejder meget.",
}

# Titles and queries: what the search box gets.
QUERIES = {
    "fi": "ikääntyneiden kotihoito",
    "sv": "barnskyddet och socialtjänsten",
    "nb": "hvordan søke om støtte",
    "nn": "korleis søkje om støtte",
    "da": "hvordan ansøger man om hjælp",
    "en": "child welfare services",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_paragraph_gets_its_language(lang):
    assert detect(PARAGRAPHS[lang]) == lang


@pytest.mark.parametrize("lang", sorted(SHORT_NORWEGIAN_DANISH))
def test_bokmal_nynorsk_and_danish_are_told_apart_on_short_paragraphs(lang):
    assert detect(SHORT_NORWEGIAN_DANISH[lang]) == lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_query_gets_its_language_first_in_the_scores(lang):
    scores = detect_scores(QUERIES[lang])
    assert next(iter(scores)) == lang
    assert list(scores.values()) == sorted(scores.values(), reverse=True)
    assert sum(scores.values()) == pytest.approx(1.0)
    assert set(scores) == set(LANGUAGES)


@pytest.mark.parametrize("text", ["", "   ", "2023", "12.5 % – 3/4", "https://www.nav.no/", "§ 12 (3)"])
@pytest.mark.parametrize("hint", [None, "fi"])
def test_text_without_words_is_und_whatever_the_hint(text, hint):
    assert detect(text, hint=hint) == "und"
    assert detect_scores(text) == {}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("hint", ["fi", "sv-FI", "nb", "da", "en-GB"])
def test_hint_never_overrides_clear_text(lang, hint):
    assert detect(PARAGRAPHS[lang], hint=hint) == lang


@pytest.mark.parametrize("hint, expected", [("sv", "sv"), ("fi-FI", "fi"), ("da", "da"), ("nno", "nn"), ("en", "en")])
def test_hint_decides_text_that_says_too_little(hint, expected):
    # an acronym tells nothing: without a hint it is a weak guess, with one the hint decides
    assert detect("EU", hint=hint) == expected


def test_hint_breaks_a_tie_between_danish_and_bokmal():
    tie = "Det er kynisk."  # the same sentence in Danish and in Bokmål
    assert detect(tie, hint="da") == "da"
    assert detect(tie, hint="nb") == "nb"


@pytest.mark.parametrize(
    "code, langs",
    [("sv-FI", ("sv",)), ("no", ("nb", "nn")), ("nb_NO", ("nb",)), ("NNO", ("nn",)), ("de", ()), (None, ()), ("", ())],
)
def test_hint_codes(code, langs):
    assert hint_languages(code) == langs


@pytest.mark.parametrize("lang", LANGUAGES)
def test_detection_is_deterministic(lang):
    text = PARAGRAPHS[lang]
    short = " ".join(text.split()[:3])
    assert [detect(text), detect(short)] == [detect(text), detect(short)]
    assert detect_scores(short) == detect_scores(short)


@pytest.mark.parametrize("lang", ["fi", "sv", "da", "en"])
def test_langdetect_baseline_is_seeded_and_deterministic(lang):
    # langdetect samples n-grams at random: only its seed makes two runs agree
    runs = {language.langdetect_detect(PARAGRAPHS[lang][:60]) for _ in range(5)}
    assert runs == {lang}


def test_langdetect_baseline_says_norwegian_as_bokmal():
    assert language.langdetect_detect(PARAGRAPHS["nn"]) == "nb"


def test_long_text_is_judged_on_a_sample():
    fi, sv = PARAGRAPHS["fi"], PARAGRAPHS["sv"]
    long = " ".join([fi] * 20 + [sv] * 2)
    assert len(language.sample(long)) <= language.SAMPLE_CHARS + 2
    assert detect(long) == "fi"


def section(lang: str, chars: int, kind: str = "body") -> Section:
    return Section(text="a" * chars, lang=lang, kind=kind)


def test_document_language_is_the_one_with_most_text_and_langs_have_a_share():
    secs = [section("fi", 900), section("sv", 60), section("en", 30), section("und", 5000)]
    assert document_languages(secs) == ("fi", ("fi", "sv"))


def test_a_summary_section_counts_however_short():
    secs = [section("fi", 5000), section("sv", 10, kind="summary"), section("en", 10)]
    assert document_languages(secs) == ("fi", ("fi", "sv"))


def test_document_without_detected_language_is_und():
    assert document_languages([section("und", 100)]) == ("und", ())
    assert document_languages([]) == ("und", ())


# -- langdetect's seed: the data directory's setting, not always the default ------------------


@pytest.fixture
def without_lingua(monkeypatch):
    """langdetect as the engine (as on a platform without lingua's wheel), seeds recorded."""
    seeds: list[int | None] = []
    real = language.langdetect_probabilities

    def recording(text, seed=None):
        seeds.append(seed)
        return real(text, seed)

    monkeypatch.setattr(language, "_lingua", lambda: None)
    monkeypatch.setattr(language, "langdetect_probabilities", recording)
    language._combined_cached.cache_clear()
    yield seeds
    language._combined_cached.cache_clear()


def test_detect_passes_the_configured_seed_to_langdetect(without_lingua):
    assert detect("Kommunen ansvarar för äldreomsorgen.", seed=7) == "sv"
    assert detect("Kommunen ansvarar för äldreomsorgen.") == "sv"
    assert without_lingua == [7, 0]


def test_ingest_detects_with_the_data_directorys_seed(without_lingua, tmp_path):
    from corpus.config import load_settings
    from corpus.ingest import Pipeline, process
    from corpus.model import Resource

    (tmp_path / "config.toml").write_text("langdetect_seed = 11\n", encoding="utf-8")
    settings = load_settings(tmp_path / "config.toml")
    body = "Kommunen ansvarar för äldreomsorgen och hemtjänsten i hela landet.\n".encode()
    doc = process(Resource(url="file:///x.txt", body=body, content_type="text/plain"), Pipeline(settings=settings))
    assert doc.lang == "sv"
    assert without_lingua and set(without_lingua) == {11}
