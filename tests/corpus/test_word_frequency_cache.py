"""The compiled word frequencies: built once per machine, reused, rebuilt when damaged, same values.

A build reads wordfreq's five lists and simplemma's Nynorsk dictionary (2–3 s), so most tests
share one file built per module.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpus import word_frequencies as wf

REPO = Path(__file__).resolve().parents[2]

pytest.importorskip("wordfreq")

#: Words whose values the rules single out: listed in one language only, Nynorsk-only forms,
#: Nynorsk forms that Bokmål lists rarely or often, words every list has, unknown words.
WORDS = ("penger", "meget", "ikkje", "kva", "eg", "i", "er", "äldreomsorg", "kommunen", "the", "xqzv", "ööö", "")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("cache")
    assert wf.open_frequencies(directory) is not None
    return directory


def _sample() -> list[str]:
    """Every 97th word the file may hold, and the words above."""
    words = sorted(set().union(*wf.tables().values()) | set(wf._nynorsk()))
    return words[::97] + list(WORDS)


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


def test_built_once_and_reused(built):
    path = wf.frequencies_path(built)
    assert path.parent == built and path.exists()
    before = _stamp(path)
    assert wf.open_frequencies(built) is not None
    assert _stamp(path) == before
    assert not list(built.glob("*.tmp")), "no temporary file is left behind"


def test_lookups_equal_the_in_memory_tables(built, monkeypatch):
    compiled = wf.open_frequencies(built)
    monkeypatch.setattr(wf, "SWITCH_AFTER", 1 << 30)  # every lookup from SQLite
    for word in _sample():
        row = compiled.row(word)
        assert row == wf.memory_zipf(word), word
        assert all(type(value) is float for value in row), word
    assert compiled._memory is None


def test_after_many_lookups_the_file_moves_to_memory(built, monkeypatch):
    compiled = wf.open_frequencies(built)
    monkeypatch.setattr(wf, "SWITCH_AFTER", 3)
    values = [compiled.row(word) for word in WORDS]
    assert compiled._memory is not None
    assert values == [wf.memory_zipf(word) for word in WORDS]


def test_zipf_and_evidence_read_the_file_without_wordfreq(built):
    """A fresh process answers from the file with neither wordfreq nor simplemma imported."""
    script = (
        "import sys; from corpus import word_frequencies as wf; "
        "print(wf.zipf('ikkje'), wf.evidence('penger')['nb'] > 0, 'wordfreq' in sys.modules, 'simplemma' in sys.modules)"
    )
    env = {"NORDSEARCH_CACHE": str(built), "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", script], env=env, cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"{dict(zip(wf.LANGS, wf.memory_zipf('ikkje'), strict=True))} True False False"


@pytest.mark.parametrize("damage", [b"", b"SQLite format 3\x00" + b"\x00" * 50])
def test_a_damaged_file_is_rebuilt(built, tmp_path, damage):
    directory = tmp_path / "cache"
    shutil.copytree(built, directory)
    path = wf.frequencies_path(directory)
    path.write_bytes(damage)
    compiled = wf.open_frequencies(directory)
    assert compiled is not None and compiled.row("penger") == wf.memory_zipf("penger")
    assert path.stat().st_size > 1_000_000


def test_a_file_for_other_versions_is_rebuilt(built, tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    shutil.copytree(built, directory)
    path = wf.frequencies_path(directory)
    before = _stamp(path)
    key = wf._key()
    # Say wordfreq was upgraded but the file name stayed (copied by hand): the meta table decides.
    monkeypatch.setattr(wf, "_key", lambda: {**key, "wordfreq": "0.0-other"})
    monkeypatch.setattr(wf, "frequencies_path", lambda directory=None: path)
    assert wf.open_frequencies(directory) is not None
    assert _stamp(path) != before


def test_cache_off_falls_back_to_memory(monkeypatch):
    monkeypatch.setenv("NORDSEARCH_CACHE", "off")
    assert wf.frequencies_path() is None and wf.open_frequencies() is None
    wf._compiled.cache_clear()
    try:
        assert list(wf.zipf("ikkje").values()) == list(wf.memory_zipf("ikkje"))
    finally:
        wf._compiled.cache_clear()


def test_an_unwritable_cache_falls_back_to_memory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory should be")
    assert wf.open_frequencies(blocker / "cache") is None
