"""The `nordsearch` command: thin click wiring over the library in corpus/, crawler/, index/, search/.

Every command takes `--data-dir` (global); listing commands take `--json` and then print one
JSON document on stdout. Errors are one line on stderr and exit code 1 (usage errors: 2).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from corpus.config import ENV_DATA_DIR, DataDir
from corpus.errors import NordsearchError
from search.documents import document_json, document_summary
from search.output import emit_json, log, progress


class Context:
    """What every command gets: the data directory, opened lazily."""

    def __init__(self, data_dir: DataDir):
        self.data_dir = data_dir

    def store(self, *, readonly: bool = False):
        from corpus.store import Store

        if not readonly:
            self.data_dir.ensure()
        return Store(self.data_dir.store_file, readonly=readonly)


class NordsearchGroup(click.Group):
    """Turns any NordsearchError into one line on stderr and exit code 1, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except NordsearchError as exc:
            raise click.ClickException(str(exc)) from exc
        except KeyboardInterrupt:
            log("interrupted")
            sys.exit(130)


pass_ctx = click.make_pass_decorator(Context)


@click.group(cls=NordsearchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar=ENV_DATA_DIR,
    default=None,
    show_envvar=True,
    help="Data directory holding config, store, raw files, index and digests [default: ./nordsearch-data].",
)
@click.version_option(package_name="nordsearch")
@click.pass_context
def main(ctx: click.Context, data_dir: Path | None) -> None:
    """nordsearch: gather, search and digest Nordic welfare knowledge.

    Ingest or crawl documents in Finnish, Swedish, Norwegian and Danish, search them by
    substance area across languages, and publish curated digests in Finnish and Swedish.
    """
    ctx.obj = Context(DataDir.resolve(data_dir))


def json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")(f)


def pipeline_for(data_dir: DataDir):
    """The ingest pipeline with the substance-area classifier of this data directory."""
    from corpus.ingest import Pipeline
    from index.classify import classifier_for

    return Pipeline(settings=data_dir.settings(), classify=classifier_for(data_dir))


def update_index_after(ctx: Context, *, quiet: bool) -> dict:
    """Bring the index up to date after documents changed (ingest, crawl, reclassify)."""
    from index.update import update_index

    with ctx.store() as store, progress(None, "indexing", enabled=not quiet) as bar:
        return update_index(ctx.data_dir, store, on_progress=bar, on_total=bar.set_total).as_json()


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--country",
    type=click.Choice(["FI", "SE", "NO", "DK", "IS", "NORDIC", "INT"], case_sensitive=False),
    help="Country to record on these local files.",
)
@click.option("--publisher", help="Publisher to record on these local files.")
@click.option("--force", is_flag=True, help="Re-extract files even when their bytes are unchanged.")
@click.option("--no-index", is_flag=True, help="Do not update the search index afterwards.")
@json_option
@pass_ctx
def ingest(ctx: Context, paths, country, publisher, force, no_index, as_json) -> None:
    """Ingest local files and folders (recursively: .html, .htm, .pdf, .txt) into the store."""
    from corpus.ingest import find_files, ingest_paths
    from corpus.rawstore import RawStore

    hints = {k: v for k, v in (("country", country and country.upper()), ("publisher", publisher)) if v}
    pipeline = pipeline_for(ctx.data_dir)
    total = sum(1 for _ in find_files(paths))
    with ctx.store() as store, progress(total, "ingesting", enabled=not as_json) as advance:
        report = ingest_paths(
            store,
            RawStore(ctx.data_dir.raw_dir),
            paths,
            pipeline,
            hints=hints,
            force=force,
            on_done=lambda o: advance(1, o.url),
        )
    indexed = None if no_index else update_index_after(ctx, quiet=as_json)
    if as_json:
        emit_json({**report.as_json(), "index": indexed})
        return
    for failure in report.failures:
        log(f"failed: {failure.url}: {failure.reason}")
    click.echo(report.summary() + (f"; index: {indexed['summary']}" if indexed else ""))


@main.command()
@click.option("--all", "show_all", is_flag=True, help="Include failed and withdrawn documents.")
@json_option
@pass_ctx
def docs(ctx: Context, show_all, as_json) -> None:
    """List the documents in the store."""
    with ctx.store(readonly=True) as store:
        items = [document_summary(d) for d in store.documents(status=None if show_all else "ok")]
    if as_json:
        emit_json(items)
        return
    for d in items:
        flag = "" if d["status"] == "ok" else f" [{d['status']}: {d.get('error', '')}]"
        click.echo(f"{d['id']}  {d['lang']:<3} {(d['country'] or '-'):<6} {d['title'][:70]}{flag}")


@main.command()
@click.argument("doc_id")
@json_option
@pass_ctx
def show(ctx: Context, doc_id, as_json) -> None:
    """Show one document: metadata, areas and sections with their language."""
    with ctx.store(readonly=True) as store:
        doc = store.get(doc_id)
        versions = store.versions(doc_id)
    data = document_json(doc, versions)
    if as_json:
        emit_json(data)
        return
    click.echo(
        f"{doc.title}\n{doc.url}\nid {doc.id} · {doc.lang} {'/'.join(doc.langs)} · {doc.country or '-'} · "
        f"{doc.publisher or '-'} · {doc.date or '-'} · version {doc.version} · {doc.status}"
    )
    for name, won in data["record"].items():
        value = "; ".join(won["value"]) if isinstance(won["value"], list) else won["value"]
        click.echo(f"{name}: {value}  [{won['source']}: {won['where']}]")
    for a in data["areas"]:
        click.echo(f"area {a['id']} ({a['score']}): {', '.join(a['terms'])}")
    for s in doc.sections:
        head = f" — {s.heading}" if s.heading else ""
        click.echo(f"\n[{s.position} {s.lang} {s.kind}{head}]\n{s.text[:400]}")


@main.command()
@json_option
@pass_ctx
def status(ctx: Context, as_json) -> None:
    """Counts of documents by language, type, country, the errors recorded, and OCR pages waiting."""
    from corpus.ocr import queue as ocr_queue

    with ctx.store(readonly=True) as store:
        counts = store.status_counts()
        counts["ocr"] = ocr_queue.counts(store)
    if as_json:
        emit_json(counts)
        return
    click.echo(f"{counts['documents']} documents in {ctx.data_dir.root}")
    for key in ("by_status", "by_lang", "by_format", "by_doc_type", "by_country", "sections_by_lang", "errors"):
        if counts[key]:
            click.echo(f"  {key.replace('_', ' ')}: " + ", ".join(f"{k} {v}" for k, v in counts[key].items()))
    ocr = counts["ocr"]
    if any(ocr[k] for k in ("pages_waiting", "pages_done", "pages_failed", "pages_capped")):
        click.echo(
            f"  OCR: {ocr['pages_waiting']} pages waiting ({ocr['documents_waiting']} documents), "
            f"{ocr['pages_done']} read (mean confidence {ocr['mean_confidence']}), "
            f"{ocr['pages_failed']} failed, {ocr['pages_capped']} over the per-document cap"
        )


# -- commands of the other layers register here, one line each -----------------------------
# (keep this block: each layer adds its own command group from its own module)

from search.crawl_cli import crawl, sources  # noqa: E402  (the crawler layer's commands)

main.add_command(crawl)
main.add_command(sources)

from search.digest_cli import digest  # noqa: E402  (the digest commands: search/digest/)

main.add_command(digest)

from search.subscribers_cli import subscribers  # noqa: E402  (digest subscribers: search/mail/)

main.add_command(subscribers)

from search.alerts_cli import alerts  # noqa: E402  (saved-search alerts: search/alerts/)

main.add_command(alerts)

from search.web.serve import serve  # noqa: E402  (the web app: search/web/)

main.add_command(serve)

from search.search_cli import index_command, search_command  # noqa: E402  (the index and search commands)

main.add_command(index_command)
main.add_command(search_command)

from search.areas_cli import areas  # noqa: E402  (substance areas: list, --reclassify)

main.add_command(areas)

from search.ocr_cli import ocr  # noqa: E402  (OCR of scanned pages: corpus/ocr/)

main.add_command(ocr)

from search.thesaurus_cli import thesaurus  # noqa: E402  (the thesaurus: show, import, measure)

main.add_command(thesaurus)

from search.deploy_cli import deploy  # noqa: E402  (service files: deploy systemd)

main.add_command(deploy)

from search.backup_cli import backup, check_command, restore  # noqa: E402  (backup, restore, check)

main.add_command(backup)
main.add_command(restore)
main.add_command(check_command)
