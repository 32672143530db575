"""The per-machine caches behind a fast cold start: compiled lexicons and the compiled thesaurus.

Each test points `NORDSEARCH_CACHE` at its own directory; the lexicon tests use Nynorsk,
simplemma's smallest Nordic dictionary (a build takes about a second).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import simplemma

from index.analysis import lexicon
from index.analysis.vocabulary import Vocabulary

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("NORDSEARCH_CACHE", str(tmp_path))
    return tmp_path


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


def test_lexicon_is_built_once_and_reused(cache):
    first = lexicon.open_lexicon("nn")
    path = lexicon.lexicon_path("nn")
    assert first is not None and path.parent == cache and path.exists()
    before = _stamp(path)
    again = lexicon.open_lexicon("nn")
    assert again is not None and _stamp(path) == before
    assert not list(cache.glob("*.tmp")), "no temporary file is left behind"


def test_lexicon_answers_like_simplemma(cache):
    lex = lexicon.open_lexicon("nn")
    memory = Vocabulary("nn", use_lexicon=False)
    for word in ("barnevernet", "kommunane", "heiter", "xqzv", "tenesta"):
        assert lex.lemma_of(word) == memory.forms.get(word)
        assert lex.is_lemma(word) == (word in memory.lemmas)
    stem = "barnevern"
    assert lex.family(stem) == memory.stem_family.get(stem, 0)
    via = Vocabulary("nn")
    assert not via.in_memory
    for word in ("barnevernstenesta", "kommunane", "heiter"):
        assert via.lemmatize(word) == simplemma.lemmatize(word, lang="nn")


def test_vocabulary_moves_to_memory_after_many_lookups(cache, monkeypatch):
    from index.analysis import vocabulary as vocab_module

    monkeypatch.setattr(vocab_module, "SWITCH_AFTER", 5)
    v = Vocabulary("nn")
    for i in range(10):
        v.lemma_of(f"ord{i}")
    assert v.in_memory and v.lexicon is None
    assert v.lemma_of("kommunane") == simplemma.lemmatize("kommunane", lang="nn")


def test_lexicon_is_rebuilt_when_its_key_changes(cache, monkeypatch):
    lexicon.open_lexicon("nn")
    old = lexicon.lexicon_path("nn")
    monkeypatch.setattr(lexicon, "FORMAT", lexicon.FORMAT + 1)
    new = lexicon.lexicon_path("nn")
    assert new != old
    assert lexicon.open_lexicon("nn") is not None and new.exists()


def test_a_stale_file_under_the_right_name_is_rebuilt(cache, monkeypatch):
    path = lexicon.lexicon_path("nn")
    lexicon.open_lexicon("nn")
    # A file built by another simplemma version, but under this name (say, copied by hand).
    monkeypatch.setattr(lexicon, "_simplemma_version", lambda: "0.0-other")
    assert not lexicon._valid(path, "nn")
    monkeypatch.undo()
    monkeypatch.setenv("NORDSEARCH_CACHE", str(cache))
    assert lexicon._valid(path, "nn")


@pytest.mark.parametrize("damage", [b"", b"not a database at all" * 100, b"SQLite format 3\x00" + b"\x00" * 50])
def test_a_corrupt_lexicon_is_rebuilt_not_fatal(cache, damage):
    path = lexicon.lexicon_path("nn")
    path.write_bytes(damage)
    lex = lexicon.open_lexicon("nn")
    assert lex is not None and lexicon._valid(path, "nn")
    assert lex.lemma_of("kommunane") == simplemma.lemmatize("kommunane", lang="nn")


def test_an_unwritable_cache_falls_back_to_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory should be")
    monkeypatch.setenv("NORDSEARCH_CACHE", str(blocker / "cache"))
    v = Vocabulary("nn")
    assert v.in_memory and v.lemma_of("kommunane") == simplemma.lemmatize("kommunane", lang="nn")


@pytest.mark.parametrize("package", ["simplemma", "wordfreq", "numpy"])
def test_installed_versions_are_read_without_importing(package):
    from importlib import metadata

    from corpus.cache_dir import installed_version

    pytest.importorskip(package)
    assert installed_version(package) == metadata.version(package)
    assert installed_version("no_such_package_here") is None


def test_the_cache_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("NORDSEARCH_CACHE", "off")
    assert lexicon.lexicon_path("nn") is None and lexicon.open_lexicon("nn") is None


def test_concurrent_builders_leave_one_good_file(cache):
    script = (
        "import sys; from index.analysis.lexicon import open_lexicon; "
        "lex = open_lexicon('nn'); print(lex.lemma_of('kommunane'), lex.is_lemma('kommune'))"
    )
    env = {**os.environ, "NORDSEARCH_CACHE": str(cache), "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen([sys.executable, "-c", script], env=env, cwd=REPO, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert outputs[0] == outputs[1] == f"{simplemma.lemmatize('kommunane', lang='nn')} True"
    assert lexicon._valid(lexicon.lexicon_path("nn"), "nn")
    assert not list(cache.glob("*.tmp"))


# -- the compiled thesaurus ----------------------------------------------------------------------


def _fake_analyze(calls: list):
    def analyze(text: str, lang: str) -> list[str]:
        calls.append((text, lang))
        return [text.lower()]

    return analyze


def test_compiled_thesaurus_is_saved_reused_and_rekeyed(cache, tmp_path):
    from index import thesaurus_cache as tc

    areas = tmp_path / "areas.toml"
    areas.write_text("# first version\n", encoding="utf-8")
    files = (str(areas),)

    def build(analyze):
        return [analyze(w, "sv") for w in ("Barnskydd", "Familjehem")]

    calls: list = []
    assert tc.compile_with_cache(files, _fake_analyze(calls), build) == [["barnskydd"], ["familjehem"]]
    assert len(calls) == 2 and tc.cache_path(files).exists()
    calls.clear()
    assert tc.compile_with_cache(files, _fake_analyze(calls), build) == [["barnskydd"], ["familjehem"]]
    assert calls == [], "the second build analyses nothing"
    areas.write_text("# second version\n", encoding="utf-8")
    assert tc.compile_with_cache(files, _fake_analyze(calls), build) and len(calls) == 2


def test_a_corrupt_compiled_thesaurus_is_rebuilt(cache, tmp_path):
    from index import thesaurus_cache as tc

    areas = tmp_path / "areas.toml"
    areas.write_text("# areas\n", encoding="utf-8")
    files = (str(areas),)
    tc.cache_path(files).parent.mkdir(parents=True, exist_ok=True)
    tc.cache_path(files).write_text('{"format": 1, "analysis": {"sv": {"Barn', encoding="utf-8")
    calls: list = []
    assert tc.compile_with_cache(files, _fake_analyze(calls), lambda a: a("Barn", "sv")) == ["barn"]
    assert calls == [("Barn", "sv")]
    assert tc.load(tc.cache_path(files)) == {"sv": {"Barn": ["barn"]}}


def test_classifier_from_the_cache_classifies_alike(monkeypatch):
    from corpus.model import Section
    from index.classify import matcher_for, thesaurus_files

    files = thesaurus_files(None)
    sections = (Section(text="Kommunens barnevernstjeneste har ansvar for fosterhjem.", lang="nb"),)
    matcher_for.cache_clear()
    from_cache = matcher_for(files)  # term analyses from the machine's cache
    cached = from_cache.classify("Barnevernet i Norge", "", sections)
    monkeypatch.setenv("NORDSEARCH_CACHE", "off")
    matcher_for.cache_clear()
    fresh = matcher_for(files)  # every term analysed again
    assert fresh.classify("Barnevernet i Norge", "", sections) == cached
    assert cached[0].id == "child-protection"
    for lang, compiled in fresh.index.items():
        assert compiled.words == from_cache.index[lang].words
        assert compiled.affixes == from_cache.index[lang].affixes
    matcher_for.cache_clear()
