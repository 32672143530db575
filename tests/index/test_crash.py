"""A SIGKILLed index run leaves the previous index searchable and the lock free; the next run completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from corpus.store import Store
from index.update import update_index
from index.whoosh_backend import WhooshBackend
from tests.index.helpers import make_doc

REPO = Path(__file__).resolve().parents[2]

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


def count(data_dir) -> int:
    backend = WhooshBackend(data_dir.index_dir)
    try:
        return backend.count()
    finally:
        backend.close()


def test_sigkill_mid_run(data_dir):
    with Store(data_dir.store_file) as store:
        for n in range(4):
            store.save(make_doc(n, "sv"))
        update_index(data_dir, store, workers=1)
        for n in range(4, 40):
            store.save(make_doc(n, "nb"))

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data_dir.root)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert child.stdout.readline().strip() == "half-way"
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    assert count(data_dir) == 4  # the previous commit still answers
    assert WhooshBackend(data_dir.index_dir).last_seq() == 4
    with Store(data_dir.store_file) as store:
        report = update_index(data_dir, store, workers=1)  # the lock is free: no wait, no error
    assert (report.applied.added, report.documents) == (36, 40)
