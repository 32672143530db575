"""`nordsearch deploy systemd --out DIR`: thin click wiring over search.deploy."""

from __future__ import annotations

from pathlib import Path

import click

from search.cli import Context, pass_ctx
from search.deploy import UnitOptions, default_command, write_units

_DEFAULTS = UnitOptions(data_dir=Path("/"), command=())


@click.group()
def deploy() -> None:
    """Files for running nordsearch as a service."""


@deploy.command("systemd")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the unit files into (created if missing).",
)
@click.option("--user", default=_DEFAULTS.user, show_default=True, help="The dedicated system user the units run as.")
@click.option(
    "--exec",
    "command",
    help="The nordsearch command the units run [default: the nordsearch script of this installation].",
)
@click.option("--host", default=_DEFAULTS.host, show_default=True, help="Address the web app listens on.")
@click.option("--port", default=_DEFAULTS.port, show_default=True, type=click.IntRange(1, 65535), help="Its port.")
@click.option(
    "--web-memory-max", default=_DEFAULTS.web_memory_max, show_default=True, help="MemoryMax= of the web app."
)
@click.option(
    "--crawl-memory-max", default=_DEFAULTS.crawl_memory_max, show_default=True, help="MemoryMax= of a crawl."
)
@click.option(
    "--alerts-memory-max", default=_DEFAULTS.alerts_memory_max, show_default=True, help="MemoryMax= of an alerts run."
)
@click.option(
    "--crawl-schedule",
    default=_DEFAULTS.crawl_schedule,
    show_default=True,
    help="When the crawl runs (a systemd calendar expression, see `man systemd.time`).",
)
@click.option("--alerts-schedule", default=_DEFAULTS.alerts_schedule, show_default=True, help="When alerts are sent.")
@click.option(
    "--crawl-max-minutes",
    default=_DEFAULTS.crawl_max_minutes,
    show_default=True,
    type=click.FloatRange(min=1),
    help="Each crawl stops fetching after this many minutes.",
)
@pass_ctx
def systemd_units(ctx: Context, out: Path, command: str | None, **options) -> None:
    """Write systemd units: the web app, and a service + timer pair each for the crawl and for alerts.

    They run as a dedicated user, read-only except the data directory (--data-dir), with a memory
    limit each. INSTALL.txt in the folder says how to install and start them.
    """
    options = UnitOptions(
        data_dir=ctx.data_dir.root,
        command=tuple(command.split()) if command else default_command(),
        **options,
    )
    for path in write_units(options, out):
        click.echo(path)
