"""`nordsearch serve` for real: gunicorn's workers on 127.0.0.1, killed, timed out, reloaded and stopped.

The server runs in a process of its own (`server_process.Server`); the real index comes from
conftest's `indexed`.
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

import pytest
from click.testing import CliRunner

from search.cli import main
from search.web.serve import CACHE_HEADER, WORKER_HEADER
from tests.search.web.server_process import REPO, Server, wait_for

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="gunicorn needs os.fork")

#: One access log line in the common log format: host ident user [time] "request" status bytes.
CLF = re.compile(r'^(\S+) (\S+) (\S+) \[(\d{2}/\w{3}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\] "([^"]*)" (\d{3}) (\d+|-)$')


@pytest.fixture
def two_workers(indexed):
    server = Server(indexed["data_dir"], 2)
    yield server
    server.close()


def concurrent_workers(server: Server, clients: int = 6, timeout: float = 60.0) -> tuple[set[str], list[int]]:
    """The worker pids that answered bursts of `clients` simultaneous requests (until every worker
    has answered); and every status seen."""
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
    assert two_workers.proc.pid not in {int(pid) for pid in answered}  # the arbiter only supervises


def test_cache_seconds_zero_means_every_request_searches(two_workers):
    for _ in range(3):
        status, headers = two_workers.get("/?q=barnskydd")
        assert status == 200
        assert headers[CACHE_HEADER] == "hits=0 misses=0"  # the cache is off, not merely missed


def test_access_log_is_in_the_common_log_format(two_workers):
    status, _ = two_workers.get("/api/search?q=lastensuojelu&lang=fi")
    assert status == 200
    assert two_workers.get("/no-such-page")[0] == 404
    wait_for(lambda: len(two_workers.stdout) >= 3, what="access log lines")
    lines = [line.rstrip("\n") for line in two_workers.stdout]
    parsed = [CLF.match(line) for line in lines]
    assert all(parsed), [line for line, m in zip(lines, parsed, strict=True) if not m]
    requests = {m.group(5): m.group(6) for m in parsed}
    assert requests["GET /api/search?q=lastensuojelu&lang=fi HTTP/1.1"] == "200"
    assert requests["GET /no-such-page HTTP/1.1"] == "404"
    assert {m.group(1) for m in parsed} == {"127.0.0.1"}


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
    assert any(f"Worker (pid:{victim}) was sent SIGKILL" in line for line in two_workers.stderr), two_workers.stderr


def test_sighup_replaces_every_worker_without_a_failed_request(two_workers):
    before = two_workers.pids()
    results: list[object] = []
    stop = threading.Event()

    def client() -> None:
        while not stop.is_set():
            started = time.monotonic()
            try:
                status = two_workers.get()[0]
            except (OSError, http.client.HTTPException) as exc:
                status = exc
            results.append((status, time.monotonic() - started))

    clients = [threading.Thread(target=client) for _ in range(3)]
    for t in clients:
        t.start()
    try:
        wait_for(lambda: len(results) >= 5, what="requests before the reload")
        two_workers.signal(signal.SIGHUP)
        wait_for(lambda: len(two_workers.pids()) == 2 and not (two_workers.pids() & before), what="new workers")
        served = len(results)
        wait_for(lambda: len(results) >= served + 10, what="requests after the reload")
    finally:
        stop.set()
        for t in clients:
            t.join(timeout=60)
    assert two_workers.proc.poll() is None  # the arbiter itself stays
    statuses = [status for status, _ in results]
    assert statuses == [200] * len(statuses), [s for s in statuses if s != 200]
    answered, _ = concurrent_workers(two_workers)
    assert {int(pid) for pid in answered} == two_workers.pids()


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


def test_one_worker_with_preload(indexed):
    server = Server(indexed["data_dir"], 1, "--preload")
    try:
        status, headers = server.get("/?q=lastensuojelu")
        assert status == 200 and int(headers[WORKER_HEADER]) in server.pids()
        status, _, body = server.request("/api/search?q=barnskydd")
        assert status == 200 and b'"total"' in body
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


def test_bad_base_url_is_a_one_line_error(collection_dir):
    data_dir, _ = collection_dir
    result = CliRunner().invoke(main, ["--data-dir", str(data_dir.root), "serve", "--base-url", "nordsearch.fi"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: base_url 'nordsearch.fi' must be the site's absolute address, like https://nordsearch.example.fi/"
    ]


HANGING_APP = textwrap.dedent(
    """
    import os, time
    from search.web.server import ServerOptions, listen_sockets, run

    def app(environ, start_response):
        if environ["PATH_INFO"] == "/hang":
            time.sleep(3600)  # a request that never ends
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [str(os.getpid()).encode()]

    sockets = listen_sockets("127.0.0.1", 0)
    print(sockets[0].getsockname()[1], flush=True)
    options = ServerOptions(workers=1, threads=4, timeout=2, access_log=None)
    run(lambda: (app, lambda: None), [s.detach() for s in sockets], options)
    """
)


def test_a_hung_request_gets_its_worker_killed_and_replaced():
    proc = subprocess.Popen(
        [sys.executable, "-c", HANGING_APP], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    stderr: list[str] = []
    reader = threading.Thread(target=lambda: stderr.extend(proc.stderr), daemon=True)
    reader.start()
    try:
        port = int(proc.stdout.readline())

        def get(path: str) -> str:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                conn.request("GET", path)
                return conn.getresponse().read().decode()
            finally:
                conn.close()

        first = wait_for(lambda: _try(get, "/"), what="the worker")
        started = time.monotonic()
        with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
            get("/hang")  # the connection dies with the worker
        waited = time.monotonic() - started
        second = wait_for(lambda: _try(get, "/"), what="a new worker")
        assert second != first  # a new process answers
        assert 2 <= waited < 30, waited
        wait_for(lambda: any(f"WORKER TIMEOUT (pid:{first})" in line for line in stderr), what="the timeout message")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        reader.join(timeout=10)
        proc.stdout.close()
        proc.stderr.close()


def _try(get, path: str) -> str | None:
    try:
        return get(path)
    except OSError:
        return None


def test_health_and_metrics_across_workers(two_workers):
    from tests.search.web.test_health import metric_values

    status, _, body = two_workers.request("/healthz")
    assert status == 200 and body == b'{"status":"ok"}\n'
    status, _, body = two_workers.request("/readyz")
    assert status == 200 and b'"ready":true' in body

    def searches_counted() -> float:
        status, _, body = two_workers.request("/metrics")
        assert status == 200
        values = metric_values(body.decode())
        return values.get(
            ("nordsearch_http_requests_total", (("endpoint", "api.api_search"), ("method", "GET"), ("status", "200"))),
            0.0,
        )

    answered, statuses = concurrent_workers(two_workers)  # bursts until both workers answered
    assert len(answered) == 2
    # every worker's requests are in the total, whichever worker answers the scrape
    assert {searches_counted() for _ in range(6)} == {float(len(statuses))}
    victim = min(two_workers.pids())
    os.kill(victim, signal.SIGKILL)
    wait_for(lambda: len(two_workers.pids()) == 2 and victim not in two_workers.pids(), what="a new worker")
    assert searches_counted() == len(statuses)  # a dead worker's requests still count
