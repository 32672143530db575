"""A damaged index file gives a one-line error that says how to repair it, never a traceback."""

from __future__ import annotations

import io
import shutil

import pytest
from click.testing import CliRunner
from whoosh import query as Q
from whoosh.filedb.structfile import StructFile

from corpus.config import DataDir
from corpus.store import Store
from index.errors import IndexCorruptError
from index.update import update_index
from index.whoosh.damage import reading
from search.cli import main
from tests.index.helpers import make_doc

# Which file of a committed index to damage: the table of contents, the term dictionary, the
# postings, the stored fields (all read by one search).
DAMAGED = {
    "toc": lambda d: next(d.glob("_MAIN_*.toc")),
    "terms": lambda d: next(d.glob("*.trm")),
    "postings": lambda d: next(d.glob("*.pst")),
    "stored": lambda d: next(d.glob("*_stored.col")),
}


@pytest.fixture(scope="module")
def indexed(tmp_path_factory) -> DataDir:
    data_dir = DataDir(tmp_path_factory.mktemp("damage") / "data")
    data_dir.ensure()
    with Store(data_dir.store_file) as store:
        for n, lang in enumerate(["sv", "fi", "nb", "da"] * 3):
            store.save(make_doc(n, lang))
        update_index(data_dir, store, workers=1)
    return data_dir


@pytest.fixture(autouse=True)
def _close_cached_backends():
    """CLI searches keep their backend open in the process (search.query): close them after each test."""
    from search.query import close_backends

    yield
    close_backends()


def damaged_copy(indexed: DataDir, tmp_path, which: str) -> DataDir:
    root = tmp_path / "copy"
    shutil.copytree(indexed.root, root)
    data_dir = DataDir(root)
    path = DAMAGED[which](data_dir.index_dir)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] + bytes(64))  # a torn write: half the file, then zeros
    return data_dir


def run(data_dir: DataDir, *args: str):
    return CliRunner().invoke(main, ["--data-dir", str(data_dir.root), *args])


# whoosh's TOC reader leaves the file open when unpickling it fails (whoosh/index.py, TOC.read):
# its leak, reported as an unraisable ResourceWarning when the handle is collected.
WHOOSH_LEAK = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


@pytest.mark.parametrize("which", [pytest.param(w, marks=WHOOSH_LEAK) if w == "toc" else w for w in sorted(DAMAGED)])
def test_search_on_a_damaged_index_says_rebuild(indexed, tmp_path, which):
    data_dir = damaged_copy(indexed, tmp_path, which)
    result = run(data_dir, "search", "--json", "barn fosterhjem plejefamilie lastensuojelun")
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # handled, not a traceback
    message = result.output.strip()
    assert "\n" not in message and "Traceback" not in message
    assert "cannot be read" in message and "nordsearch index --rebuild" in message


@WHOOSH_LEAK
def test_rebuild_repairs_a_damaged_index(indexed, tmp_path):
    data_dir = damaged_copy(indexed, tmp_path, "toc")
    assert run(data_dir, "index", "--rebuild").exit_code == 0
    result = run(data_dir, "search", "--json", "fosterhjem")
    assert result.exit_code == 0, result.output
    assert '"total": 0' not in result.output


def test_a_bug_outside_whoosh_is_not_called_damage(tmp_path):
    with pytest.raises(KeyError), reading(tmp_path):
        {}["missing"]


@pytest.mark.parametrize(
    "call",
    [lambda: Q.Or(5), lambda: Q.Term("f", "t").matcher(None)],
    ids=["TypeError", "AttributeError"],
)
def test_a_programming_or_version_error_inside_whoosh_is_not_called_damage(tmp_path, call):
    # A whoosh of another version, or our code calling it wrongly: the traceback stays, no "rebuild".
    with pytest.raises((TypeError, AttributeError)), reading(tmp_path):
        call()


def test_an_index_of_an_older_layout_says_rebuild(indexed, tmp_path):
    root = tmp_path / "old"
    shutil.copytree(indexed.root, root)
    state = root / "index" / "nordsearch-state.json"
    state.write_text(state.read_text().replace('"schema_version": 2', '"schema_version": 1'))
    result = run(DataDir(root), "search", "--json", "fosterhjem")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "built by another version" in result.output and "nordsearch index --rebuild" in result.output
    assert run(DataDir(root), "index").exit_code == 0  # an update notices and rebuilds by itself
    assert '"total": 1' in run(DataDir(root), "search", "--json", "fosterhjem").output


def test_a_failure_inside_whoosh_is_called_damage(tmp_path):
    # whoosh unpickling zeros, as it does reading a torn table of contents
    with pytest.raises(IndexCorruptError, match="cannot be read"), reading(tmp_path):
        StructFile(io.BytesIO(b"\x00" * 16)).read_pickle()
