"""`nordsearch serve` for real, in a process of its own on 127.0.0.1, for the serving and browser tests.

The server forks (gunicorn's workers), which a test process with threads must not do, so it
runs as `python -m search ... serve`. Its standard output (the address line, then the access
log) and standard error (gunicorn's messages) are read by threads as they come, so the pipes
never fill, and kept for assertions.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


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


def wait_for(condition, timeout: float = 60.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Server:
    """`nordsearch serve --workers N` (port 0, no result cache, debug headers) and its output."""

    def __init__(self, data_dir, workers: int, *extra: str, debug_headers: bool = True, env: dict | None = None):
        args = [sys.executable, "-m", "search", "--data-dir", str(data_dir.root), "serve", "--port", "0"]
        args += ["--workers", str(workers), "--cache-seconds", "0", *extra]
        if debug_headers:
            args.append("--debug-headers")
        self.proc = subprocess.Popen(
            args,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **(env or {})},
        )
        line = self.proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/ \((\d+) workers?", line)
        if not found:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"no address line: {line!r} {self.proc.stderr.read()}")
        self.port, self.workers = int(found.group(1)), int(found.group(2))
        self.base = f"http://127.0.0.1:{self.port}"
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self._readers = [
            threading.Thread(target=lambda: self.stdout.extend(self.proc.stdout), daemon=True),
            threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True),
        ]
        for reader in self._readers:
            reader.start()
        wait_for(lambda: len(self.pids()) == workers, what=f"{workers} workers")
        # A worker accepts once its warm-up searches are done (seconds on a busy machine).
        wait_for(self._answers, what="the first answer")

    def _answers(self) -> bool:
        try:
            return self.get("/healthz")[0] == 200
        except OSError:
            return False

    def pids(self) -> set[int]:
        return children(self.proc.pid)

    def request(self, path: str, headers: dict | None = None) -> tuple[int, dict[str, str], bytes]:
        """One request on a connection of its own (so any worker may accept it)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request("GET", path, headers={"Connection": "close", **(headers or {})})
            response = conn.getresponse()
            body = response.read()
            return response.status, dict(response.getheaders()), body
        finally:
            conn.close()

    def get(self, path: str = "/api/search?q=lastensuojelu") -> tuple[int, dict[str, str]]:
        status, headers, _ = self.request(path)
        return status, headers

    def signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def stop(self) -> int:
        """SIGTERM, as a service manager stops it; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=60)
        finally:
            self.close()

    def close(self) -> None:
        """Whatever state a failed test left: no process, worker or pipe stays behind."""
        if self.proc.poll() is None:
            for pid in self.pids():
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            self.proc.kill()
            self.proc.wait(timeout=10)
        for reader in self._readers:
            reader.join(timeout=10)
        self.proc.stdout.close()
        self.proc.stderr.close()
