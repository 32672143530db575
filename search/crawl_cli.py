"""`nordsearch crawl` and `nordsearch sources`: thin click wiring over crawler.job."""

from __future__ import annotations

from pathlib import Path

import click

from search.cli import Context, json_option, pass_ctx, pipeline_for, update_index_after
from search.output import emit_json, progress


@click.command()
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="Crawl only this source (repeatable).")
@click.option("--max-pages", type=click.IntRange(min=1), help="Fetch at most this many pages in all.")
@click.option(
    "--max-minutes",
    type=click.FloatRange(min=0, min_open=True),
    help="Stop fetching after this many minutes (what was fetched is still ingested).",
)
@click.option(
    "--sources-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Crawl only the sources defined in this sources.toml.",
)
@click.option("--no-index", is_flag=True, help="Do not update the search index afterwards.")
@json_option
@pass_ctx
def crawl(ctx: Context, source_ids, max_pages, max_minutes, sources_file, no_index, as_json) -> None:
    """Crawl the configured sources: fetch what is new or changed, ingest it, update the index.

    Safe under cron: a second run while one is going exits with an error; a killed run is
    resumed by the next one. Exit code 0 whenever the job ran, even if some URLs failed.
    """
    from crawler.job import CrawlOptions, run_crawl

    options = CrawlOptions(tuple(source_ids), max_pages, max_minutes, sources_file)
    with progress(None, "crawling", enabled=not as_json) as bar:
        report = run_crawl(ctx.data_dir, options, pipeline_for(ctx.data_dir), on_event=CrawlProgress(bar))
    indexed = None if no_index else update_index_after(ctx, quiet=as_json)
    if as_json:
        emit_json({**report.as_json(), "index": indexed})
        return
    for line in report.summary_lines():
        click.echo(line)
    if indexed:
        click.echo(f"index: {indexed['summary']}")


class CrawlProgress:
    """Turns the crawl job's events into the progress bar, with the best total known so far.

    Fetching: the pages scheduled so far (the frontier grows as links are found, so the total
    grows with it; a resumed run's queued pages count from the start), each fetched or failed
    (or skipped by robots.txt) page one step. Ingesting: the bodies waiting, known when that stage starts.
    """

    def __init__(self, bar):
        self.bar = bar
        self.scheduled: set[str] = set()

    def __call__(self, event: dict) -> None:
        kind, url = event.get("event"), event.get("url", "")
        if kind == "scheduled":
            self.scheduled.add(url)
            self.bar.set_total(len(self.scheduled))
        elif kind == "fetched" or (kind in ("failed", "skipped") and url in self.scheduled):
            self.bar(1, url)
        elif kind == "ingesting":
            self.bar.phase("ingesting", event.get("total"))
        elif kind == "ingested":
            self.bar(1, url)


@click.command()
@click.option(
    "--sources-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="List only the sources defined in this sources.toml.",
)
@json_option
@pass_ctx
def sources(ctx: Context, sources_file, as_json) -> None:
    """List every source: the configured ones (shipped and the data directory's own) and any other
    that documents came from, with their documents and last crawl."""
    from crawler.job import source_listing

    items = source_listing(ctx.data_dir, sources_file)
    if as_json:
        emit_json([s.as_json() for s in items])
        return
    for s in items:
        click.echo(source_line(s))


def source_line(s) -> str:
    """One `nordsearch sources` line: id, country, language, name, documents, last crawl."""
    last = s.last_crawl
    if last:
        when = (
            f"last crawl {last['finished_at']}: {last.get('new', 0)} new, {last.get('changed', 0)} changed, "
            f"{last.get('failed', 0)} failed"
        )
    elif s.configured:
        when = "never crawled"
    else:
        when = "not configured" if s.id else "ingested from local files"
    docs = f"{s.searchable} docs"
    extra = [f"{s.documents[k]} {k}" for k in ("withdrawn", "failed") if s.documents.get(k)]
    if extra:
        docs += f" ({', '.join(extra)})"
    ident = s.id or "-"
    return f"{ident:<20} {s.country or '-':<6} {s.language or '-':<3} {s.name[:44]:<44} {docs:<24} {when}"
