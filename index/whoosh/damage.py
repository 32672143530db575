"""Telling a damaged index from a bug in our code.

whoosh reports unreadable files with whatever the broken bytes trip over first: an
`UnpicklingError` from a truncated TOC or term file, `struct.error` from a column, a bare
`Exception("Block tag error")` from a posting block, `EOFError`, `ValueError`. Catching those
types everywhere would also turn our own mistakes into "rebuild the index", so the test is where
the exception was raised: inside whoosh's package means the files are damaged; so does a
decoding error (zlib, struct, unpickling, a short buffer) raised in `index.whoosh.bulk`, which
reads whoosh's posting blocks and columns itself; anything else is a bug and keeps its traceback.

A `TypeError`, `AttributeError` or `NameError` is never called damage, wherever it is raised:
broken bytes come out of whoosh's decoders as the errors above, while these mean that code
called code it does not fit (our bug, or a whoosh of another version than `index.whoosh`
checks for), and "rebuild the index" would send the user after the wrong thing.
"""

from __future__ import annotations

import pickle
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

import whoosh

from index.errors import IndexCorruptError

_WHOOSH_DIR = str(Path(whoosh.__file__).resolve().parent)
#: Our own reader of whoosh's files (posting blocks, columns) and what broken bytes raise in it.
_BULK_READER = str(Path(__file__).resolve().with_name("bulk.py"))
_DECODING = (zlib.error, struct.error, pickle.UnpicklingError, EOFError, ValueError, IndexError)
#: Programming and version errors: never damage.
_NEVER_DAMAGE = (TypeError, AttributeError, NameError)


def _innermost_file(tb: TracebackType | None) -> str:
    last = None
    while tb is not None:
        last = tb
        tb = tb.tb_next
    return str(Path(last.tb_frame.f_code.co_filename).resolve()) if last is not None else ""


def is_damage(exc: BaseException) -> bool:
    """True when `exc` came from reading broken index files rather than from a bug."""
    if isinstance(exc, _NEVER_DAMAGE):
        return False
    where = _innermost_file(exc.__traceback__)
    return where.startswith(_WHOOSH_DIR) or (where == _BULK_READER and isinstance(exc, _DECODING))


@contextmanager
def reading(directory: Path) -> Iterator[None]:
    """Turns a damaged-file failure while reading the index in `directory` into IndexCorruptError."""
    try:
        yield
    except IndexCorruptError:
        raise
    except Exception as exc:
        if not is_damage(exc):
            raise
        reason = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
        raise IndexCorruptError(
            f"the search index {directory} cannot be read ({reason[:120]}): run 'nordsearch index --rebuild'"
        ) from exc
