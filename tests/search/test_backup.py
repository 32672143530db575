"""`nordsearch backup`, `restore` and `check` on real documents, with a crawl and the web app running."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus.config import DataDir
from corpus.store import Store
from index.backend import open_backend
from index.document_record import document_change
from index.records import Change
from search.cli import main
from tests.crawler.conftest import make_data_dir
from tests.crawler.site import FixtureSite, serve

REPO = Path(__file__).resolve().parents[2]
HTML = REPO.parent / "shared" / "data" / "html"
pytestmark = pytest.mark.skipif(not HTML.is_dir(), reason=f"real pages missing: {HTML}")


def cli(data_dir: DataDir, *args: str):
    return CliRunner().invoke(main, ["--data-dir", str(data_dir.root), *args])


def documents(store_file: Path) -> dict[str, tuple[int, str, str]]:
    """{id: (version, content hash, status)} of a store file."""
    with sqlite3.connect(f"file:{store_file}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT id, version, content_hash, status FROM documents").fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> DataDir:
    """The real Swedish and Nordic pages, ingested and indexed once; tests work on copies."""
    data_dir = DataDir(tmp_path_factory.mktemp("ingested") / "data").ensure()
    result = cli(data_dir, "ingest", str(HTML), "--json")
    assert result.exit_code == 0, result.output
    return data_dir


@pytest.fixture
def collection(ingested, tmp_path) -> DataDir:
    copy = DataDir(tmp_path / "data")
    shutil.copytree(ingested.root, copy.root)
    return copy


@pytest.fixture(autouse=True)
def _release_searchers():
    """`search` through the CLI runs in this process and keeps its index open: close it after each test."""
    yield
    from search.query import close_backends

    close_backends()


def check_json(data_dir: DataDir, *args: str) -> tuple[int, dict]:
    result = cli(data_dir, "check", "--json", *args)
    return result.exit_code, json.loads(result.output)


def test_check_agrees_on_a_fresh_collection(collection):
    code, report = check_json(collection)
    assert code == 0 and report["problems"] == 0 and report["store_ok"] is True
    assert report["indexed"] == report["documents"] > 20 and report["pending"] == 0
    result = cli(collection, "check")
    assert result.exit_code == 0 and result.output.splitlines()[-1] == "store and index agree"


def test_check_finds_and_fix_repairs_missing_extra_and_withdrawn(collection):
    with Store(collection.store_file) as store:
        docs = [d for d in store.documents(status="ok", with_sections=True)]
        seq = store.max_seq()
    lost, flipped = docs[0], docs[1]
    stranger = replace(docs[2], id="0123456789abcdef", url="https://elsewhere.example/x")
    backend = open_backend(collection)
    try:  # damage the index behind the store's back, at the index's own sequence number
        last = backend.last_seq()
        backend.apply(
            [
                Change(last, lost.id, None),
                document_change(last, stranger),
                document_change(last, replace(flipped, status="withdrawn")),
            ]
        )
    finally:
        backend.close()
    code, report = check_json(collection)
    assert code == 1
    assert report["missing"] == {"count": 1, "ids": [lost.id]}
    assert report["extra"] == {"count": 1, "ids": [stranger.id]}
    assert report["pending"] == 0 and report["count_mismatch"] is True  # flipped: searchable in the store only
    assert "run 'nordsearch check --fix'" in cli(collection, "check").output.splitlines()[-1]

    code, fixed = check_json(collection, "--fix")
    assert code == 0 and fixed["problems"] == 0, fixed
    assert fixed["fixed"]["re-indexed"] == 1 and fixed["fixed"]["removed"] == 1 and fixed["fixed"]["rebuilt"] > 0
    assert fixed["indexed_searchable"] == fixed["searchable"]
    with Store(collection.store_file) as store:
        assert store.max_seq() == seq  # the store was only read
    search = json.loads(cli(collection, "search", lost.title, "--json").output)
    assert lost.id in [h["id"] for h in search["hits"]]


def test_pending_changes_are_not_problems_and_fix_indexes_them(collection):
    with Store(collection.store_file) as store:
        doc = next(store.documents(status="ok"))
        store.withdraw(doc.url)
    code, report = check_json(collection)
    assert code == 0 and report["pending"] == 1 and report["problems"] == 0
    code, fixed = check_json(collection, "--fix")
    assert code == 0 and fixed["pending"] == 0 and fixed["fixed"] == {"brought up to date": 1}
    assert report["indexed_searchable"] == report["searchable"] + 1  # the index still showed it
    assert fixed["indexed_searchable"] == fixed["searchable"] == report["searchable"]


def test_missing_raw_files_are_reported(collection):
    with Store(collection.store_file) as store:
        doc = next(store.documents(status="ok"))
    (collection.raw_dir / doc.content_hash[:2] / doc.content_hash).unlink()
    code, report = check_json(collection)
    assert report["raw_missing"]["ids"] == [doc.id] and code == 0  # reported; only a crawl can fix it
    assert "re-crawl or re-ingest" in cli(collection, "check").output


def test_a_damaged_store_is_reported_not_repaired(collection):
    raw = bytearray(collection.store_file.read_bytes())
    raw[4096 * 2 : 4096 * 2 + 64] = b"\xff" * 64  # a page in the middle of the file
    collection.store_file.write_bytes(bytes(raw))
    result = cli(collection, "check", "--fix")
    assert result.exit_code == 1
    assert "store: DAMAGED" in result.output or result.output.startswith("Error: ")


def test_backup_and_restore_round_trip(collection, tmp_path):
    dest = tmp_path / "backup"
    result = cli(collection, "backup", str(dest), "--json")
    assert result.exit_code == 0, result.output
    manifest = json.loads(result.output)
    assert manifest["index_snapshot"] is True and manifest["raw_files"] > 20
    assert sorted(p.name for p in dest.iterdir()) == ["files", "index", "manifest.json", "raw", "store.sqlite"]
    target = DataDir(tmp_path / "restored")
    result = cli(target, "restore", str(dest), "--json")
    assert result.exit_code == 0, result.output
    assert documents(target.store_file) == documents(collection.store_file)
    assert check_json(target)[0] == 0
    query = ["search", "socialtjänsten", "--json"]
    assert json.loads(cli(target, *query).output)["hits"] == json.loads(cli(collection, *query).output)["hits"]


def test_backup_refuses_a_used_folder_and_restore_a_damaged_backup(collection, tmp_path):
    used = tmp_path / "used"
    used.mkdir()
    (used / "something").write_text("x")
    result = cli(collection, "backup", str(used))
    assert result.exit_code == 1 and "already exists and is not empty" in result.output
    dest = tmp_path / "b"
    assert cli(collection, "backup", str(dest)).exit_code == 0
    with sqlite3.connect(dest / "store.sqlite") as db:
        db.execute("UPDATE documents SET title='changed after the backup'")
    result = cli(DataDir(tmp_path / "r"), "restore", str(dest))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: the store in {dest} does not match its manifest (damaged or changed): not restored"
    ]
    assert not (tmp_path / "r" / "store.sqlite").exists()


def test_restore_does_not_run_beside_a_crawl(collection, tmp_path):
    from crawler.job import crawl_lock

    dest = tmp_path / "b"
    assert cli(collection, "backup", str(dest)).exit_code == 0
    target = DataDir(tmp_path / "r")
    with crawl_lock(target):
        result = cli(target, "restore", str(dest))
    assert result.exit_code == 1 and "another crawl" in result.output


def test_backup_during_a_running_crawl_and_web_app_restores_the_same_documents(collection, tmp_path):
    """Backups taken while a crawl fetches, ingests and indexes and the web app answers searches:
    each restores to a sound store with exactly the documents of its snapshot, at least those
    from before the crawl and at most those after it, with an index that agrees and searches."""
    from tests.search.web.server_process import Server

    site = FixtureSite()
    servers = serve(site)
    web = Server(collection, 1, debug_headers=False)
    web_errors: list[str] = []
    stop = threading.Event()

    def client() -> None:
        while not stop.is_set():
            try:
                status, _, _ = web.request("/api/search?q=socialtj%C3%A4nsten")
                if status != 200:
                    web_errors.append(f"HTTP {status}")
            except OSError as exc:
                web_errors.append(repr(exc))

    reader = threading.Thread(target=client)
    reader.start()
    try:
        _, sources_file = make_data_dir(tmp_path / "crawl-config", site)
        # slow enough for several backups to land inside it: 0.2 s between requests
        collection.config_file.write_text("crawl_delay = 0.2\ncrawl_concurrency_per_host = 1\n")
        sources_file.write_text(sources_file.read_text().replace("delay = 0\n", ""))
        before = documents(collection.store_file)
        crawl = subprocess.Popen(
            [sys.executable, "-m", "search", "--data-dir", str(collection.root), "crawl"]
            + ["--sources-file", str(sources_file), "--json"],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        backups = []
        while crawl.poll() is None and len(backups) < 8:
            dest = tmp_path / f"backup-{len(backups)}"
            result = cli(collection, "backup", str(dest))
            assert result.exit_code == 0, result.output
            if crawl.poll() is None:  # the crawl was still running when this backup ended
                backups.append(dest)
            time.sleep(0.5)
        out, err = crawl.communicate(timeout=300)
        assert crawl.returncode == 0, err
        assert len(backups) >= 2, "the crawl ended before two backups were taken"
    finally:
        stop.set()
        reader.join(timeout=60)
        web.stop()
        for server in servers:
            server.shutdown()
            server.server_close()
    assert web_errors == []
    after = documents(collection.store_file)
    assert json.loads(out)["totals"]["new"] > 0 and len(after) > len(before)
    for dest in backups:
        target = DataDir(tmp_path / f"restored-{dest.name}")
        result = cli(target, "restore", str(dest))
        assert result.exit_code == 0, result.output
        restored = documents(target.store_file)
        assert restored == documents(dest / "store.sqlite")
        assert before.items() <= restored.items()
        assert set(restored) <= set(after)
        code, report = check_json(target)
        assert code == 0 and report["pending"] == 0 and report["indexed_searchable"] == report["searchable"], report
        hits = json.loads(cli(target, "search", "socialtjänsten", "--json").output)["hits"]
        assert hits and {h["id"] for h in hits} <= set(restored)
