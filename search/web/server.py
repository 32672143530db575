"""Production serving under gunicorn: worker processes supervised by gunicorn's arbiter.

What gunicorn gives `nordsearch serve`, beside running the app in one process per core:

- a worker whose request hangs is killed and replaced after `timeout` seconds (see
  `WatchedThreadWorker`: gunicorn's threaded worker alone would not notice);
- SIGHUP starts fresh workers and retires the old ones gracefully (a new configuration,
  thesaurus or index is picked up without a dropped request); SIGTERM lets in-flight requests
  finish within `graceful_timeout`, then stops; SIGTTIN/SIGTTOU add or remove a worker;
- a worker that dies is replaced at once, and a worker whose parent is gone stops;
- an access log in the common log format (`ACCESS_LOG_FORMAT`).

How nordsearch wires it:

- the listening sockets are bound here first (`listen_sockets`), so a busy port is a one-line
  error (gunicorn itself retries five times, then logs a traceback) and port 0 works; gunicorn
  gets them as `fd://N`;
- workers are `WatchedThreadWorker`s (gunicorn's `gthread` with keep-alive): searching is one
  search at a time per process (`search.query`), the threads serve cached pages, static files
  and slow clients meanwhile;
- with `preload`, the app is built in the arbiter before the fork (the pure-memory parts only:
  modules, thesaurus, messages; never an index or a database handle, see `preload_shared`),
  so workers share those pages; each worker opens the index itself in `post_worker_init`;
- Prometheus counters are shared across workers through prometheus-client's multiprocess
  mode (`metrics_dir`; a dead worker's files are marked in `child_exit`).

`ServerOptions` is the plain description; `run` serves until stopped. POSIX only.
"""

from __future__ import annotations

import contextlib
import gc
import math
import os
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import ThreadWorker

#: Pending connections the kernel keeps per socket before refusing.
BACKLOG = 1024
#: The common log format (CLF): host, identity, user, time, request line, status, bytes.
ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s'


def default_workers() -> int:
    """One worker per core this process may run on (affinity and cpusets count, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def listen_sockets(host: str, port: int, backlog: int = BACKLOG) -> list[socket.socket]:
    """Listening TCP sockets for every address of `host` (port 0: a free port, the same for all).

    Raises OSError (address in use, unknown host) before anything listens.
    """
    infos = socket.getaddrinfo(host, port, socket.AF_UNSPEC, socket.SOCK_STREAM, socket.IPPROTO_TCP, socket.AI_PASSIVE)
    sockets: list[socket.socket] = []
    seen: set[tuple] = set()
    try:
        for family, kind, proto, _, sockaddr in infos:
            if sockaddr in seen:
                continue
            seen.add(sockaddr)
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            # Restart at once on the same port even while old connections sit in TIME_WAIT.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            if port == 0 and len(sockets) > 1:  # "localhost": ::1 and 127.0.0.1 on one port
                sockaddr = (sockaddr[0], sockets[0].getsockname()[1], *sockaddr[2:])
            sock.bind(sockaddr)
            sock.listen(backlog)
            sock.set_inheritable(True)  # gunicorn's workers are forked from this process
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


class WatchedThreadWorker(ThreadWorker):
    """gunicorn's threaded worker whose heartbeat also stops for a hung request.

    The arbiter kills a worker whose heartbeat is older than `timeout`. The threaded worker
    beats from its event loop, which goes on while a request thread hangs, so a request stuck
    in a loop or a dead lock would hold its thread (and, with the search lock, every search of
    that process) for good. Here the heartbeat is never newer than the start of the oldest
    request still running: once one has run for `timeout` seconds, the arbiter aborts the
    worker (SIGABRT, then SIGKILL) and starts a new one, as with gunicorn's sync worker.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._running: dict[int, float] = {}  # a request's id -> when it started (monotonic)
        self._running_lock = threading.Lock()

    def handle_request(self, req, conn):
        key = id(req)
        with self._running_lock:
            self._running[key] = time.monotonic()
        try:
            return super().handle_request(req, conn)
        finally:
            with self._running_lock:
                self._running.pop(key, None)

    def notify(self):
        now = time.monotonic()
        with self._running_lock:
            beat = min(self._running.values(), default=now)
        # The same clock as gunicorn's WorkerTmp.notify, which the arbiter compares with.
        os.utime(self.tmp.fileno(), (beat, beat))


@dataclass(frozen=True)
class ServerOptions:
    """How `nordsearch serve` runs gunicorn (the click command fills it from options and config.toml)."""

    workers: int
    threads: int = 8
    #: Seconds one request may run before its worker is killed and replaced.
    timeout: float = 30.0
    #: Seconds in-flight requests get to finish on SIGTERM or SIGHUP before their worker is killed.
    graceful_timeout: float = 10.0
    #: Build the app in the arbiter before forking, so the workers share its memory.
    preload: bool = False
    #: Where the access log goes: a file, "-" for standard output, None for nowhere.
    access_log: str | None = "-"
    #: gunicorn's own messages (worker started, killed, timed out) go to standard error at this level.
    log_level: str = "info"
    #: prometheus-client's multiprocess directory, or None when metrics are per process.
    metrics_dir: str | None = None


class NordsearchServer(BaseApplication):
    """gunicorn's application for one WSGI app built by `load_app` on already listening sockets (`fds`).

    `load_app()` returns `(wsgi, warm_up)`: the callable gunicorn serves, and a function each
    worker runs once after it is forked, before it accepts a connection. Without `preload`
    both run in the worker; with it, `load_app` runs once in the arbiter.
    """

    def __init__(
        self,
        load_app: Callable[[], tuple[Callable, Callable[[], None]]],
        fds: Sequence[int],
        options: ServerOptions,
    ):
        self.load_app = load_app
        self.fds = list(fds)
        self.options = options
        self._warm_up: Callable[[], None] = lambda: None
        super().__init__(prog="nordsearch serve")

    def load_config(self) -> None:
        o = self.options
        settings = {
            "bind": [f"fd://{fd}" for fd in self.fds],
            "workers": o.workers,
            "threads": o.threads,
            "worker_class": WatchedThreadWorker,
            "timeout": math.ceil(o.timeout),  # gunicorn takes whole seconds
            "graceful_timeout": math.ceil(o.graceful_timeout),
            "keepalive": 5,
            "preload_app": o.preload,
            "accesslog": o.access_log,
            "access_log_format": ACCESS_LOG_FORMAT,
            "errorlog": "-",
            "loglevel": o.log_level,
            "proc_name": "nordsearch-web",
            # Bound what one request may cost: the app only answers GETs with short query strings.
            "limit_request_line": 8190,
            "limit_request_fields": 100,
            # No control socket: it would live in $HOME or $XDG_RUNTIME_DIR, shared by every
            # server of the user (tests run several), and signals already do its job.
            "control_socket_disable": True,
            "post_worker_init": self._post_worker_init,
            "child_exit": self._child_exit,
            "pre_fork": _pre_fork,
        }
        for key, value in settings.items():
            self.cfg.set(key, value)

    def load(self):
        wsgi, warm_up = self.load_app()
        self._warm_up = warm_up
        return wsgi

    def _post_worker_init(self, worker) -> None:
        # In the worker, after its app is loaded and before it accepts: open the index here.
        self._warm_up()

    def _child_exit(self, server, worker) -> None:
        if self.options.metrics_dir:
            from prometheus_client import multiprocess

            multiprocess.mark_process_dead(worker.pid, self.options.metrics_dir)


def _pre_fork(server, worker) -> None:
    # Objects made before the fork are shared copy-on-write; the collector's bookkeeping would
    # touch (and so copy) every page holding one. Frozen objects are left alone.
    gc.freeze()


def run(
    load_app: Callable[[], tuple[Callable, Callable[[], None]]],
    fds: Sequence[int],
    options: ServerOptions,
) -> None:
    """Serve on the listening sockets `fds` until SIGTERM or SIGINT; gunicorn's arbiter runs in
    this process and ends it with SystemExit (so does each forked worker, through the caller's
    stack: clean-ups on the way out must check they run in the process that set them up)."""
    NordsearchServer(load_app, fds, options).run()


@contextlib.contextmanager
def metrics_directory(given: str | None = None):
    """prometheus-client's multiprocess directory for one server: `given` (emptied first, as the
    client requires) or a fresh temporary one removed at the end. Yields its path."""
    import shutil
    import tempfile

    if given:
        os.makedirs(given, exist_ok=True)
        for name in os.listdir(given):
            if name.endswith(".db"):
                os.unlink(os.path.join(given, name))
        yield given
        return
    path = tempfile.mkdtemp(prefix="nordsearch-metrics-")
    owner = os.getpid()
    try:
        yield path
    finally:
        if os.getpid() == owner:  # not in a worker leaving through this frame
            shutil.rmtree(path, ignore_errors=True)
