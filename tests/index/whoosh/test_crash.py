"""A SIGKILLed index run leaves the previous index searchable and the lock free; the next run completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from corpus.store import Store
from index.document_record import document_record
from index.update import update_index
from index.whoosh.backend import WhooshBackend
from tests.index.helpers import make_doc

REPO = Path(__file__).resolve().parents[3]

# Indexes slowly (a pause per document) and says when it is half-way, so the kill lands mid-run.
CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from corpus.config import DataDir
    from corpus.store import Store
    from index.update import update_index

    seen = []
    def progress(n=1, item=""):
        seen.append(item)
        if len(seen) == 5:
            print("half-way", flush=True)
        time.sleep(0.05)

    with Store(DataDir(Path(sys.argv[1])).store_file) as store:
        update_index(DataDir(Path(sys.argv[1])), store, on_progress=progress, workers=1)
    print("finished", flush=True)
    """
)


# The same with worker processes writing segments (a new segment every few documents), killed
# once some segments are on disk but before the commit.
CHILD_WORKERS = textwrap.dedent(
    """
    import multiprocessing, sys, time
    from pathlib import Path
    from corpus.config import DataDir
    from corpus.store import Store
    import index.whoosh.segment_workers
    from index.update import update_index

    index.whoosh.segment_workers.SEGMENT_POSTINGS = 60
    seen = []
    def progress(n=1, item=""):
        seen.append(item)
        if len(seen) == 40:
            print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
            print("half-way", flush=True)
            time.sleep(60)

    with Store(DataDir(Path(sys.argv[1])).store_file) as store:
        update_index(DataDir(Path(sys.argv[1])), store, on_progress=progress, workers=2)
    print("finished", flush=True)
    """
)


def alive(pid: int) -> bool:
    """True while `pid` runs (a zombie waiting to be reaped counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def count(data_dir) -> int:
    backend = WhooshBackend(data_dir.index_dir)
    try:
        return backend.count()
    finally:
        backend.close()


def committed_then_pending(data_dir, pending: int, langs: tuple[str, ...]) -> None:
    """Four documents indexed and committed, then `pending` more in the store only."""
    with Store(data_dir.store_file) as store:
        for n in range(4):
            store.save(make_doc(n, "sv"))
        update_index(data_dir, store, workers=1)
        for n in range(4, 4 + pending):
            store.save(make_doc(n, langs[n % len(langs)]))


def start(script: str, data_dir) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", script, str(data_dir.root)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def kill(child: subprocess.Popen) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL


def test_sigkill_mid_run(data_dir):
    committed_then_pending(data_dir, 36, ("nb",))
    child = start(CHILD, data_dir)
    assert child.stdout.readline().strip() == "half-way"
    kill(child)

    assert count(data_dir) == 4  # the previous commit still answers
    assert WhooshBackend(data_dir.index_dir).last_seq() == 4
    with Store(data_dir.store_file) as store:
        report = update_index(data_dir, store, workers=1)  # the lock is free: no wait, no error
    assert (report.applied.added, report.documents) == (36, 40)


def test_sigkill_while_workers_write_segments(data_dir):
    from whoosh import index

    from index.whoosh.segment_workers import POLL_SECONDS

    committed_then_pending(data_dir, 76, ("fi", "nb", "da"))
    child = start(CHILD_WORKERS, data_dir)
    workers = [int(pid) for pid in child.stdout.readline().split()]
    assert len(workers) == 2
    assert child.stdout.readline().strip() == "half-way"
    time.sleep(1)  # the workers finish what was handed to them: segments on disk, uncommitted
    kill(child)

    segment_files = {p.name for p in data_dir.index_dir.iterdir() if p.suffix in (".trm", ".pst")}
    assert len(segment_files) > 2  # the killed run's segments, beside the committed one
    assert count(data_dir) == 4  # the previous commit still answers
    assert WhooshBackend(data_dir.index_dir).last_seq() == 4
    time.sleep(POLL_SECONDS + 1)  # orphaned workers notice their parent has gone and stop
    assert [pid for pid in workers if alive(pid)] == []  # none left behind, holding memory
    with Store(data_dir.store_file) as store:
        report = update_index(data_dir, store, workers=2)
    assert (report.applied.added, report.documents) == (76, 80)
    live = {s.segment_id() for s in index.open_dir(str(data_dir.index_dir))._segments()}
    left = {p.name for p in data_dir.index_dir.iterdir() if p.suffix in (".trm", ".pst")}
    assert {name.rsplit(".", 1)[0] for name in left} == live  # the killed run's files are gone


def test_a_worker_that_dies_fails_the_run_and_commits_nothing(tmp_path):
    from whoosh import index

    from index.errors import IndexingError
    from index.whoosh.schema import build_schema
    from index.whoosh.segment_workers import SegmentWorkers

    index.create_in(str(tmp_path), build_schema())
    with pytest.raises(IndexingError, match="worker process died"), SegmentWorkers(tmp_path, 2) as workers:
        os.kill(workers.processes[0].pid, signal.SIGKILL)
        for n in range(20):
            workers.submit(document_record(make_doc(n, "sv")))
        workers.finish()
    assert index.open_dir(str(tmp_path)).doc_count() == 0
