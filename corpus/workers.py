"""Worker processes that die with the job that started them and never hold its lock.

A job (crawl, OCR) takes an `flock` on its data directory and runs worker processes. Two things
must hold after the job is SIGKILLed: the workers go too (nothing is left reading pages for an
hour), and the lock is free for the next run. Workers started with the `spawn` method are
fresh interpreters that inherit no file descriptor except multiprocessing's own pipes (Python
opens files non-inheritable), so they never hold the lock; `die_with_parent`, called in each
worker's initializer, asks the kernel to SIGKILL the worker when its parent process ends.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal

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
