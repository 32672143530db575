"""`nordsearch serve` for real: worker processes on 127.0.0.1, killed, restarted and stopped.

The server runs as `python -m search ... serve` in a process of its own (it forks, which a
test process with threads must not do); the real index comes from conftest's `indexed`.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cli import main
from search.web.prefork import Backoff
from search.web.serve import CACHE_HEADER, WORKER_HEADER

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="pre-fork serving needs os.fork")


def children(pid: int) -> set[int]:
    """Live child processes of `pid` (from /proc; zombies excluded)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def wait_for(condition, timeout: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Server:
    """`nordsearch serve --workers N` in its own process; stderr collected for assertions."""

    def __init__(self, data_dir, workers: int, *extra: str):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "search", "--data-dir", str(data_dir.root), "serve", "--port", "0"]
            + ["--workers", str(workers), "--cache-seconds", "0", "--debug-headers", *extra],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/ \((\d+) workers?", line)
        assert found, f"no address line: {line!r}"
        self.port, self.workers = int(found.group(1)), int(found.group(2))
        self.stderr: list[str] = []
        self._reader = threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True)
        self._reader.start()
        wait_for(lambda: len(self.pids()) == workers, what=f"{workers} workers")

    def pids(self) -> set[int]:
        return children(self.proc.pid)

    def get(self, path: str = "/api/search?q=lastensuojelu") -> tuple[int, dict[str, str]]:
        """One request on a connection of its own (so any worker may accept it)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path, headers={"Connection": "close"})
            response = conn.getresponse()
            response.read()
            return response.status, dict(response.getheaders())
        finally:
            conn.close()

    def stop(self) -> int:
        """SIGTERM, as a service manager stops it; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=30)
        finally:
            self.close()

    def close(self) -> None:
        """Whatever state a failed test left: no process, worker or pipe stays behind."""
        if self.proc.poll() is None:
            for pid in self.pids():
                os.kill(pid, signal.SIGKILL)
            self.proc.kill()
            self.proc.wait(timeout=10)
        self._reader.join(timeout=10)
        self.proc.stdout.close()
        self.proc.stderr.close()


@pytest.fixture
def two_workers(indexed):
    server = Server(indexed["data_dir"], 2)
    yield server
    server.close()


def concurrent_workers(server: Server, clients: int = 6, timeout: float = 60.0) -> tuple[set[str], list[int]]:
    """The worker pids that answered bursts of `clients` simultaneous requests (until every worker
    has answered: a worker starts accepting once its warm-up search is done, seconds on a busy
    machine); and every status seen."""
    answered: set[str] = set()
    statuses: list[int] = []
    deadline = time.monotonic() + timeout
    while len(answered) < server.workers and time.monotonic() < deadline:
        batch: list[tuple[int, dict[str, str]]] = []
        threads = [threading.Thread(target=lambda out=batch: out.append(server.get())) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        statuses += [status for status, _ in batch]
        answered |= {headers[WORKER_HEADER] for _, headers in batch}
    return answered, statuses


def test_two_workers_share_concurrent_requests(two_workers):
    assert two_workers.workers == 2
    answered, statuses = concurrent_workers(two_workers)
    assert set(statuses) == {200}
    assert {int(pid) for pid in answered} == two_workers.pids()
    assert two_workers.proc.pid not in {int(pid) for pid in answered}  # the parent only supervises


def test_cache_seconds_zero_means_every_request_searches(two_workers):
    for _ in range(3):
        status, headers = two_workers.get("/?q=barnskydd")
        assert status == 200
        assert headers[CACHE_HEADER] == "hits=0 misses=0"  # the cache is off, not merely missed


def test_a_killed_worker_is_restarted_and_requests_keep_succeeding(two_workers):
    before = two_workers.pids()
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    wait_for(lambda: victim not in two_workers.pids(), what="the killed worker to go")
    statuses = [two_workers.get()[0] for _ in range(10)]  # the other worker answers meanwhile
    assert statuses == [200] * 10
    wait_for(lambda: len(two_workers.pids()) == 2, what="a new worker")
    after = two_workers.pids()
    assert victim not in after and len(after & before) == 1
    answered, statuses = concurrent_workers(two_workers)
    assert set(statuses) == {200}
    assert {int(pid) for pid in answered} == after
    assert any(f"worker {victim} stopped (signal SIGKILL)" in line for line in two_workers.stderr)


def test_sigterm_stops_every_worker_and_frees_the_port(two_workers):
    workers = two_workers.pids()
    assert two_workers.get()[0] == 200
    assert two_workers.stop() == 0
    for pid in workers:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    with socket.socket() as sock:  # nothing listens any more: the port can be bound again
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", two_workers.port))


def test_one_worker_is_the_default_shape_of_the_old_server(indexed):
    server = Server(indexed["data_dir"], 1)
    try:
        status, headers = server.get("/?q=lastensuojelu")
        assert status == 200 and int(headers[WORKER_HEADER]) in server.pids()
    finally:
        assert server.stop() == 0


def test_port_in_use_is_a_one_line_error(collection_dir):
    data_dir, _ = collection_dir
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["--data-dir", str(data_dir.root), "serve", "--port", str(port)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"Error: cannot listen on 127.0.0.1:{port}: Address already in use"]


@pytest.mark.parametrize("workers", ["0", "-2", "many"])
def test_bad_workers_is_a_usage_error(collection_dir, workers):
    data_dir, _ = collection_dir
    result = CliRunner().invoke(main, ["--data-dir", str(data_dir.root), "serve", "--workers", workers])
    assert result.exit_code == 2
    assert "Invalid value for '--workers'" in result.output


def test_backoff_doubles_for_young_deaths_and_resets():
    backoff = Backoff(first=0.5, longest=8.0)
    assert [backoff.delay(n) for n in range(7)] == [0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


CRASH_LOOP = textwrap.dedent(
    """
    import os, signal, sys, threading
    from search.web.prefork import Backoff, Supervisor, listen_sockets

    def crash(sockets):
        sys.exit(3)

    threading.Timer(1.6, os.kill, (os.getpid(), signal.SIGTERM)).start()
    supervisor = Supervisor(listen_sockets("127.0.0.1", 0), crash, 1, backoff=Backoff(first=0.1, longest=0.4))
    print("stopped by", supervisor.run(), flush=True)
    """
)


def test_a_crash_loop_backs_off_instead_of_spinning():
    done = subprocess.run(
        [sys.executable, "-c", CRASH_LOOP], cwd=REPO, capture_output=True, text=True, timeout=60, check=True
    )
    restarts = [float(m) for m in re.findall(r"exit code 3\) after .*; restarting in ([\d.]+) s", done.stderr)]
    # 0.1 + 0.2 + 0.4 + 0.4 ... in 1.6 s: a handful of restarts, not thousands
    assert 3 <= len(restarts) <= 8, done.stderr
    assert restarts[:3] == [0.1, 0.2, 0.4] and max(restarts) == 0.4
    assert done.stdout.strip() == f"stopped by {int(signal.SIGTERM)}"
