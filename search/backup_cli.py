"""`nordsearch backup DEST`, `restore SRC`, `check [--fix]`: thin click wiring over search.backup and search.check."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from search.cli import Context, json_option, pass_ctx
from search.output import emit_json, progress


@click.command()
@click.argument("dest", type=click.Path(path_type=Path))
@json_option
@pass_ctx
def backup(ctx: Context, dest: Path, as_json: bool) -> None:
    """Copy the data directory into the new folder DEST while crawls and the web app keep running.

    The store is copied with SQLite's online backup API (one consistent snapshot), the search
    index as a snapshot, the fetched files and the configuration as they are. Restore it with
    'nordsearch restore DEST'.
    """
    from search.backup import backup as make_backup

    with progress(None, "raw files", enabled=not as_json) as bar:
        report = make_backup(ctx.data_dir, dest.absolute(), on_raw=lambda name: bar(1, name))
    if as_json:
        emit_json(report.as_json())
    else:
        click.echo(f"{report.summary()}: {dest}")


@click.command()
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the documents the data directory already holds.")
@json_option
@pass_ctx
def restore(ctx: Context, src: Path, force: bool, as_json: bool) -> None:
    """Bring back a backup made by 'nordsearch backup' into the data directory.

    No crawl may run meanwhile (the crawl lock is taken); a running web app switches to the
    restored collection by itself. The index is restored from the backup's snapshot and brought
    up to date, or rebuilt from the store.
    """
    from search.backup import restore as do_restore

    with progress(None, "indexing", enabled=not as_json) as bar:
        report = do_restore(ctx.data_dir, src, force=force, on_progress=bar, on_total=bar.set_total)
    if as_json:
        emit_json(report.as_json())
    else:
        click.echo(report.summary())


@click.command("check")
@click.option("--fix", is_flag=True, help="Repair what the store can repair: bring the index level with the store.")
@json_option
@pass_ctx
def check_command(ctx: Context, fix: bool, as_json: bool) -> None:
    """Check that the search index agrees with the store (and the store file is sound).

    Exit code 0 when they agree, 1 when problems remain (run again with --fix).
    """
    from corpus.errors import StoreError
    from search.check import check, repair

    if not ctx.data_dir.store_file.exists():
        raise StoreError(f"no store at {ctx.data_dir.store_file}: run 'nordsearch ingest' or 'nordsearch crawl' first")
    if fix:
        with progress(None, "indexing", enabled=not as_json) as bar:
            report = repair(ctx.data_dir, on_progress=bar, on_total=bar.set_total)
    else:
        report = check(ctx.data_dir)
    if as_json:
        emit_json(report.as_json())
    else:
        for line in report.lines():
            click.echo(line)
    if report.problems:
        sys.exit(1)
