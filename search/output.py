"""Output helpers shared by the CLI commands: JSON on stdout, progress on a terminal only."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager

import click


def emit_json(data) -> None:
    """Print one JSON document on stdout and nothing else."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def log(message: str) -> None:
    """A line for humans on stderr (stdout stays clean for --json)."""
    click.echo(message, err=True)


@contextmanager
def progress(total: int | None, label: str, *, enabled: bool = True):
    """A progress bar on stderr when stderr is a terminal; a no-op under cron or pipes.

    Yields a function `advance(n=1, item="")`.
    """
    if not enabled or not sys.stderr.isatty():
        yield lambda n=1, item="": None
        return
    with click.progressbar(
        length=total or 0, label=label, file=sys.stderr, show_pos=True, item_show_func=lambda s: (s or "")[-40:]
    ) as bar:

        def advance(n: int = 1, item: str = "") -> None:
            bar.update(n, item)

        yield advance
