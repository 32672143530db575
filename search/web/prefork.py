"""Pre-fork serving: the parent binds the listening sockets, forks N workers and keeps them running.

Searching is pure Python and one search at a time per process (see `search.query`), so one
process uses one core whatever its thread count. Here every worker is a process of its own:

- the parent binds the sockets (`listen_sockets`), then forks the workers; each inherits the
  sockets and accepts on them, so the kernel hands every new connection to whichever worker
  accepts first (a busy worker's event loop is slower to wake, so the idle one tends to win);
- a worker builds everything it searches with after the fork (`worker` is called in the child),
  so no whoosh searcher or SQLite handle is ever shared between processes;
- the parent only supervises: a worker that exits is started again after a back-off
  (`Backoff`: doubling while workers keep dying young, so a crash loop sleeps instead of
  spinning); SIGTERM or SIGINT stops every worker (SIGTERM, then SIGKILL after `grace`
  seconds) and `Supervisor.run` returns once all are gone, so the port is free again;
- a worker whose parent disappears (SIGKILL, OOM) notices at once through a pipe and stops.

POSIX only (`os.fork`). The caller must not have opened an index or a database before
`Supervisor.run`, and should have no threads running: forked children get only the forking thread.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: Pending connections the kernel keeps per socket before refusing (waitress's own default).
BACKLOG = 1024


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
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


@dataclass(frozen=True)
class Backoff:
    """How long to wait before starting a worker again.

    A worker that ran at least `healthy_after` seconds is replaced at once; one that died young
    waits `first` seconds, doubling with every further young death up to `longest`.

    >>> b = Backoff(first=0.5, longest=4.0)
    >>> [b.delay(n) for n in range(6)]
    [0.0, 0.5, 1.0, 2.0, 4.0, 4.0]
    """

    first: float = 0.5
    longest: float = 30.0
    healthy_after: float = 10.0

    def delay(self, young_deaths: int) -> float:
        if young_deaths <= 0:
            return 0.0
        return min(self.longest, self.first * 2 ** (young_deaths - 1))


@dataclass
class _Slot:
    """One worker position: the process in it now, or when to start the next one."""

    pid: int | None = None
    started_at: float = 0.0
    young_deaths: int = 0
    start_at: float = 0.0


def describe_exit(status: int) -> str:
    """'exit code 3' or 'signal SIGKILL' for a `waitpid` status."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            return f"signal {signal.Signals(number).name}"
        except ValueError:
            return f"signal {number}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


class Supervisor:
    """Runs `worker(sockets)` in `count` forked processes until SIGTERM or SIGINT.

    `worker` runs in the child and should serve until it receives SIGTERM (delivered as
    SystemExit); the child then exits with `os._exit`, never returning into the caller's stack.
    `log` gets one line per event (a worker exited, is restarted, did not stop in time).
    """

    def __init__(
        self,
        sockets: Sequence[socket.socket],
        worker: Callable[[Sequence[socket.socket]], None],
        count: int,
        *,
        backoff: Backoff = Backoff(),
        grace: float = 10.0,
        log: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True),
        clock: Callable[[], float] = time.monotonic,
    ):
        if count < 1:
            raise ValueError(f"need at least one worker, not {count}")
        self.sockets = list(sockets)
        self.worker = worker
        self.slots = [_Slot() for _ in range(count)]
        self.backoff = backoff
        self.grace = grace
        self.log = log
        self.clock = clock
        self._stop_signal: int | None = None
        self._wake_r = self._wake_w = -1
        self._parent_alive_r = self._parent_alive_w = -1

    @property
    def pids(self) -> list[int]:
        return [s.pid for s in self.slots if s.pid is not None]

    # -- the parent -------------------------------------------------------------------------

    def run(self) -> int:
        """Start the workers and keep them running; returns the signal number that stopped them."""
        if threading.active_count() > 1:
            self.log(f"warning: forking with {threading.active_count()} threads running; only this one is copied")
        self._wake_r, self._wake_w = os.pipe()
        self._parent_alive_r, self._parent_alive_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        os.set_blocking(self._wake_r, False)
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGCHLD)}
        previous_wakeup = signal.set_wakeup_fd(self._wake_w)
        try:
            for slot in self.slots:
                self._start(slot)
            while self._stop_signal is None:
                self._reap()
                now = self.clock()
                for slot in self.slots:
                    if slot.pid is None and slot.start_at <= now:
                        self._start(slot)
                self._sleep(min([1.0] + [s.start_at - now for s in self.slots if s.pid is None]))
            self._stop_all()
            return self._stop_signal
        finally:
            signal.set_wakeup_fd(previous_wakeup)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            for fd in (self._wake_r, self._wake_w, self._parent_alive_r, self._parent_alive_w):
                with contextlib.suppress(OSError):
                    os.close(fd)

    def _on_signal(self, signum: int, frame) -> None:
        if signum in (signal.SIGTERM, signal.SIGINT):
            if self._stop_signal is not None:  # asked twice: stop waiting for in-flight requests
                for pid in self.pids:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
            self._stop_signal = signum
        # SIGCHLD: nothing here; the wakeup fd already woke the loop, which reaps

    def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            with contextlib.suppress(InterruptedError):
                select.select([self._wake_r], [], [], seconds)
        with contextlib.suppress(BlockingIOError):
            while os.read(self._wake_r, 512):
                pass

    def _start(self, slot: _Slot) -> None:
        sys.stdout.flush()
        sys.stderr.flush()  # or the child would print the parent's buffered output again
        try:
            pid = os.fork()
        except OSError as exc:  # out of memory or processes: try again later, like a young death
            slot.young_deaths += 1
            wait = max(self.backoff.delay(slot.young_deaths), self.backoff.first)
            slot.start_at = self.clock() + wait
            self.log(f"cannot start a worker: {exc.strerror or exc}; trying again in {wait:.1f} s")
            return
        if pid == 0:
            self._child()  # never returns
        slot.pid = pid
        slot.started_at = self.clock()

    def _reap(self) -> list[tuple[int, int]]:
        """Collect exited workers and schedule their restart; returns (pid, status) pairs."""
        reaped = []
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            reaped.append((pid, status))
            slot = next((s for s in self.slots if s.pid == pid), None)
            if slot is None:
                continue
            now = self.clock()
            lived = now - slot.started_at
            slot.pid = None
            if self._stop_signal is not None:
                continue
            slot.young_deaths = 0 if lived >= self.backoff.healthy_after else slot.young_deaths + 1
            wait = self.backoff.delay(slot.young_deaths)
            slot.start_at = now + wait
            self.log(f"worker {pid} stopped ({describe_exit(status)}) after {lived:.1f} s; restarting in {wait:.1f} s")
        return reaped

    def _stop_all(self) -> None:
        for pid in self.pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        deadline = self.clock() + self.grace
        while self.pids and self.clock() < deadline:
            self._reap()
            if self.pids:
                self._sleep(min(0.1, deadline - self.clock()))
        for pid in self.pids:
            self.log(f"worker {pid} did not stop within {self.grace:.0f} s; killing it")
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        while self.pids:
            try:
                pid, _ = os.waitpid(-1, 0)
            except ChildProcessError:
                break
            for slot in self.slots:
                if slot.pid == pid:
                    slot.pid = None

    # -- a worker ---------------------------------------------------------------------------

    def _child(self) -> None:
        code = 1
        try:
            signal.set_wakeup_fd(-1)
            # Ctrl-C reaches the whole process group; the parent decides and sends SIGTERM.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, _exit_on_sigterm)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            os.close(self._wake_r)
            os.close(self._wake_w)
            os.close(self._parent_alive_w)  # the parent holds the only write end: EOF = parent gone
            threading.Thread(target=_stop_when_parent_exits, args=(self._parent_alive_r,), daemon=True).start()
            self.worker(self.sockets)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            traceback.print_exc()
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)


def _exit_on_sigterm(signum: int, frame) -> None:
    raise SystemExit(0)  # waitress's run() catches it and shuts its threads down


def _stop_when_parent_exits(fd: int) -> None:
    while True:
        try:
            if not os.read(fd, 1):
                break
        except OSError as exc:
            if exc.errno != errno.EINTR:
                break
    os.kill(os.getpid(), signal.SIGTERM)
