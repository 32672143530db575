"""Job locks, and worker processes that die with the job that started them and never hold its lock.

A job (crawl, OCR) takes an `flock` on its data directory and runs worker processes. Two things
must hold after the job is SIGKILLed: the workers go too (nothing is left reading pages for an
hour), and the lock is free for the next run. Workers started with the `spawn` method are
fresh interpreters that inherit no file descriptor except multiprocessing's own pipes (Python
opens files non-inheritable), so they never hold the lock; `die_with_parent`, called in each
worker's initializer, asks the kernel to SIGKILL the worker when its parent process ends.
"""

from __future__ import annotations

import ctypes
import fcntl
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Have the kernel SIGKILL this process when its parent dies (Linux; elsewhere a no-op)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    parent = multiprocessing.parent_process()
    # the parent may have died between the fork and the prctl: then nobody will signal us
    if parent is not None and parent.pid != os.getppid():
        os._exit(1)


def spawn_context():
    """The multiprocessing context for job workers (see the module docstring)."""
    return multiprocessing.get_context("spawn")


@contextmanager
def job_lock(path: Path, busy: Callable[[str], Exception]) -> Iterator[int]:
    """An exclusive `flock` on `path` for one job; yields its file descriptor.

    The lock belongs to the open file: when the job is killed the kernel releases it, so a stale
    lock never blocks the next run. The pid written inside is only for the message: `busy(pid)`
    is the exception raised when another job holds the lock.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise busy(os.pread(fd, 32, 0).decode(errors="replace").strip() or "?") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield fd
    finally:
        os.close(fd)
