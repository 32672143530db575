"""One sending job per data directory: two `digest send` or `alerts send` at once could both send a message.

An `flock` on `mail.lock` in the data directory: the kernel releases it when its holder dies
(SIGKILL included), so a killed send never blocks the next one. The pid inside is only for
the message to the one who has to wait.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from corpus.config import DataDir
from search.errors import MailError

LOCK_NAME = "mail.lock"


@contextmanager
def sending_lock(data_dir: DataDir) -> Iterator[None]:
    """Hold the data directory's sending lock; MailError at once when another send holds it."""
    data_dir.ensure()
    fd = os.open(data_dir.root / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            raise MailError(
                f"another send (pid {holder}) is running on {data_dir.root}; wait for it to finish"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)
