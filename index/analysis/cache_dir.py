"""Where nordsearch keeps what it compiles once per machine: lexicons and compiled thesauri.

`NORDSEARCH_CACHE` overrides the place (a directory), or turns the cache off with `off`
(then every process derives everything from simplemma and the thesaurus files, as before
the cache existed: what the cold-start benchmark compares against). Otherwise the cache is
`$XDG_CACHE_HOME/nordsearch`, else `~/.cache/nordsearch`.

Files here are disposable: each is keyed by what it was built from, written to a temporary
file and renamed into place (so a reader never sees half a file), and rebuilt when missing,
stale or unreadable.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

ENV_CACHE = "NORDSEARCH_CACHE"
OFF_VALUES = frozenset({"off", "0", "no", "none", "false"})


def cache_dir() -> Path | None:
    """The cache directory, or None when the cache is turned off."""
    value = os.environ.get(ENV_CACHE, "").strip()
    if value.lower() in OFF_VALUES:
        return None
    if value:
        return Path(value).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "nordsearch"


@contextlib.contextmanager
def build_lock(path: Path) -> Iterator[None]:
    """Held while `path` is built, so that concurrent processes build it once, not each.

    Readers never take it: they open whatever complete file the last rename left.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(str(path) + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the flock


@contextlib.contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """A temporary path beside `path`, renamed onto it when the block succeeds, removed otherwise."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the cache is not secret
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
