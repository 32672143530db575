"""`nordsearch ocr`: thin click wiring over corpus.ocr.job."""

from __future__ import annotations

from contextlib import ExitStack

import click

from search.cli import Context, json_option, pass_ctx, pipeline_for, update_index_after
from search.output import emit_json, progress


@click.command()
@click.option(
    "--max-minutes",
    type=click.FloatRange(min=0, min_open=True),
    help="Start no new page after this many minutes [default: the ocr_job_minutes setting, 60].",
)
@click.option("--workers", type=click.IntRange(min=1), help="Worker processes reading pages [default: one per core].")
@click.option("--no-index", is_flag=True, help="Do not update the search index afterwards.")
@json_option
@pass_ctx
def ocr(ctx: Context, max_minutes, workers, no_index, as_json) -> None:
    """Read the scanned pages waiting in the OCR queue (Tesseract), then make their documents searchable.

    Pages without a usable text layer are queued by `ingest` and `crawl`; this job reads them
    with one process per core, oldest document first, and ingests each document again as soon
    as its last page is read. Safe to kill: a rerun goes on where it stopped and never reads a
    page twice. `nordsearch status` shows the pages waiting.
    """
    from corpus.ocr.job import OcrOptions, run_ocr

    with ExitStack() as stack:
        advance = None

        def on_progress(done: int, total: int, label: str) -> None:
            # the bar (with its ETA) opens once the job knows how many pages wait
            nonlocal advance
            if advance is None:
                advance = stack.enter_context(progress(total, "OCR pages", enabled=not as_json))
                return
            advance(1, label)

        report = run_ocr(
            ctx.data_dir, pipeline_for(ctx.data_dir), OcrOptions(max_minutes, workers), on_progress=on_progress
        )
    indexed = None
    if report.documents and not no_index:
        indexed = update_index_after(ctx, quiet=as_json)
    if as_json:
        emit_json({**report.as_json(), "index": indexed})
        return
    click.echo(report.summary() + (f"; index: {indexed['summary']}" if indexed else ""))
