"""A rebuilt or updated index under a running `nordsearch serve --workers 2`: every worker answers
exactly what the CLI answers, at once, with the result cache on.

The regression behind it (issue 16): whoosh restarts its generation numbers on a rebuild, and the
searcher refresh compared generation numbers only, so after `nordsearch index --rebuild` a web
worker kept answering from the old index (or a mix: `total 762` with 100 hits of 50 distinct ids
while the CLI said 381) until it was restarted. The documents are real Swedish government texts
from ../shared/data; the store grows and changes between the rounds.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from corpus.config import DataDir
from corpus.model import Document, Section
from corpus.store import Store

REPO = Path(__file__).resolve().parents[3]
QUERIES = ("barn", "äldreomsorg kommun")
LIMIT = 60
ROUNDS = 5
WORKER_HEADER = "X-Nordsearch-Worker"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="serving with worker processes needs os.fork"),
]


def real_documents(shared_data: Path, count: int) -> list[Document]:
    docs = []
    with open(shared_data / "text" / "sv_regeringen_welfare.jsonl", encoding="utf-8") as f:
        for n, line in enumerate(f):
            if n >= count:
                break
            record = json.loads(line)
            docs.append(
                Document(
                    id=f"sv{n:05d}",
                    url=record["url"],
                    title=record["title"],
                    lang="sv",
                    langs=("sv",),
                    content_hash=f"{n}:1",
                    sections=(Section(text=record["text"][:4000], lang="sv"),),
                )
            )
    return docs


def changed(doc: Document, round_no: int) -> Document:
    """The same document with other text (the first section cut short): a new version."""
    from dataclasses import replace

    text = doc.sections[0].text
    return replace(
        doc,
        content_hash=f"{doc.id}:{round_no}",
        sections=(Section(text=text[: len(text) // 3], lang="sv"),),
    )


def cli(data_dir: DataDir, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "search", "--data-dir", str(data_dir.root), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def cli_answer(data_dir: DataDir, query: str) -> tuple[int, list[str]]:
    found = json.loads(cli(data_dir, "search", query, "--json", "--limit", str(LIMIT)))
    return found["total"], [h["id"] for h in found["hits"]]


class Server:
    """`nordsearch serve --workers 2` with its result cache on (the default 60 s)."""

    def __init__(self, data_dir: DataDir):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "search", "--data-dir", str(data_dir.root), "serve", "--port", "0"]
            + ["--workers", "2", "--debug-headers"],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert found, f"no address line: {line!r}"
        self.port = int(found.group(1))
        self.stderr: list[str] = []
        self._reader = threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True)
        self._reader.start()

    def get(self, query: str) -> tuple[str, int, list[str]]:
        """(worker pid, total, hit ids) of one /api/search request on a connection of its own."""
        path = "/api/search?" + urllib.parse.urlencode({"q": query, "limit": LIMIT})
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request("GET", path, headers={"Connection": "close"})
            response = conn.getresponse()
            body = response.read()
            assert response.status == 200, body[:300]
            data = json.loads(body)
            return response.getheader(WORKER_HEADER), data["total"], [h["id"] for h in data["hits"]]
        finally:
            conn.close()

    def answers_of_every_worker(self, query: str, timeout: float = 120.0) -> dict[str, set[tuple]]:
        """Requests (several at once, so both workers accept some) until both workers answered."""
        seen: dict[str, set[tuple]] = {}
        deadline = time.monotonic() + timeout
        while len(seen) < 2:
            assert time.monotonic() < deadline, f"only workers {sorted(seen)} answered"
            batch: list[tuple] = []
            threads = [threading.Thread(target=lambda out=batch: out.append(self.get(query))) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=120)
            for worker, total, ids in batch:
                seen.setdefault(worker, set()).add((total, tuple(ids)))
        return seen

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._reader.join(timeout=10)
        self.proc.stdout.close()
        self.proc.stderr.close()


def worker_pids(server: Server) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == server.proc.pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def deleted_index_files(pid: int, data_dir: DataDir) -> list[str]:
    """Index files that `pid` still holds open (or mapped) although a rebuild deleted them."""
    held = []
    prefix = str(data_dir.root)
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith(prefix) and target.endswith("(deleted)"):
                held.append(target)
        maps = Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return held
    held += [line.split(None, 5)[-1] for line in maps.splitlines() if prefix in line and "(deleted)" in line]
    return held


def test_every_worker_answers_like_the_cli_after_each_rebuild_and_update(shared_data, tmp_path):
    from index.update import update_index

    data_dir = DataDir(tmp_path / "data").ensure()
    docs = real_documents(shared_data, 60 + ROUNDS * 50)
    with Store(data_dir.store_file) as store:
        for doc in docs[:60]:
            store.save(doc)
        # Indexed in this process, one writer, no worker pool: what is tested is the serving side
        # (`nordsearch index` is the same function), and ten CLI start-ups would double the time.
        update_index(data_dir, store, workers=1)
    server = Server(data_dir)
    try:
        previous = {}
        for q in QUERIES:  # both workers answer (and cache) the first index's results
            previous[q] = cli_answer(data_dir, q)
            for answers in server.answers_of_every_worker(q).values():
                assert answers == {(previous[q][0], tuple(previous[q][1]))}
        step = 0
        for round_no in range(1, ROUNDS + 1):
            start = 60 + (round_no - 1) * 50
            for kind, batch in (("update", docs[start : start + 25]), ("rebuild", docs[start + 25 : start + 50])):
                with Store(data_dir.store_file) as store:
                    for doc in batch:
                        store.save(doc)
                    for doc in docs[round_no : round_no + 3]:  # a few existing documents change
                        store.save(changed(doc, step))
                    update_index(data_dir, store, rebuild=kind == "rebuild", workers=1)
                # One query per step, in turn, each asked of the CLI (a fresh process).
                q = QUERIES[step % len(QUERIES)]
                step += 1
                expected = cli_answer(data_dir, q)
                # No pause: the answers must be right as soon as the index run returned, and the
                # cached answers for the same query before it must not be served.
                for worker, answers in server.answers_of_every_worker(q).items():
                    assert answers == {(expected[0], tuple(expected[1]))}, (
                        f"round {round_no} {kind}, {q!r}: worker {worker} answered "
                        f"{[(t, len(ids), len(set(ids))) for t, ids in answers]}, the CLI {expected[0]}"
                    )
                assert len(set(expected[1])) == len(expected[1])
                assert expected != previous[q]  # each step really changed what the search finds
                previous[q] = expected
                if kind == "rebuild":
                    # Without requests, each worker opens the new index within a second and lets
                    # the old one's (deleted) files go.
                    time.sleep(1.5)
                    for pid in worker_pids(server):
                        assert deleted_index_files(pid, data_dir) == [], f"worker {pid} holds the old index"
        assert not [line for line in server.stderr if "Traceback" in line or "ERROR" in line]
    finally:
        server.stop()
