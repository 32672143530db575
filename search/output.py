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


class Progress:
    """A progress bar on stderr whose total may be learnt, or grow, while it runs.

    Call it to advance (`progress(n=1, item="")`); `set_total(n)` when the total becomes known
    or changes (the crawl learns its pages as it finds links); `phase(label, total)` ends this
    bar and starts the next stage's. Without a total it shows the count only, never "87/0";
    with one, click shows the position out of the total and an ETA. Disabled (under cron or
    pipes), every method does nothing.
    """

    def __init__(self, label: str, total: int | None, *, enabled: bool = True, file=None):
        self.file = file if file is not None else sys.stderr
        self.enabled = enabled and self.file.isatty()
        self._bar = None
        if self.enabled:
            self._start(label, total)

    def _start(self, label: str, total: int | None) -> None:
        self._bar = click.progressbar(
            length=max(total or 0, 1),  # click needs a length to start; set_total makes it None: unknown
            label=label,
            file=self.file,
            show_pos=True,
            item_show_func=lambda s: (s or "")[-40:],
        )
        self.set_total(total)
        self._bar.__enter__()

    def __call__(self, n: int = 1, item: str = "") -> None:
        if self._bar is not None:
            self._bar.update(n, item)

    def set_total(self, total: int | None) -> None:
        bar = self._bar
        if bar is None:
            return
        bar.length = total if total else None
        bar.eta_known = bar.length is not None and bar.pos > 0
        if bar.length is None or bar.pos < bar.length:
            bar.finished = False  # a grown total: the bar is running again

    def phase(self, label: str, total: int | None = None) -> None:
        if self._bar is not None:
            self.close()
            self._start(label, total)

    def close(self) -> None:
        if self._bar is not None:
            bar, self._bar = self._bar, None
            bar.__exit__(None, None, None)


@contextmanager
def progress(total: int | None, label: str, *, enabled: bool = True):
    """A `Progress` on stderr when stderr is a terminal; a no-op under cron or pipes."""
    bar = Progress(label, total, enabled=enabled)
    try:
        yield bar
    finally:
        bar.close()
