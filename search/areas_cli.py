"""The `nordsearch areas` command: list substance areas with document counts, or re-classify the store.

Thin click wiring: the work is `corpus.areas` (the thesaurus), `index.classify` (the
classifier of a data directory) and `reclassify` below (a plain function a script can call).
"""

from __future__ import annotations

from collections.abc import Callable

import click

from corpus.model import AreaMatch
from search.cli import Context, json_option, pass_ctx, update_index_after
from search.output import emit_json, log, progress


def area_counts(store) -> dict[str, int]:
    """Searchable documents per area id, from the store's doc_areas table."""
    rows = store.connection.execute(
        "SELECT a.area_id, COUNT(*) FROM doc_areas a JOIN documents d ON d.id = a.doc_id "
        "WHERE d.status = 'ok' GROUP BY a.area_id"
    ).fetchall()
    return {r[0]: r[1] for r in rows}


def reclassify(
    store, classify: Callable[..., tuple[AreaMatch, ...]], on_progress: Callable[[int, str], None] | None = None
) -> dict:
    """Classify every stored document again from its stored sections; save what changed."""
    changed = total = 0
    for doc in store.documents(status="ok", with_sections=True):
        total += 1
        if store.set_areas(doc.id, classify(doc.title, doc.description or "", doc.sections)):
            changed += 1
        if on_progress:
            on_progress(1, doc.title[:40])
    return {"documents": total, "changed": changed}


@click.command()
@click.option(
    "--ui-lang",
    type=click.Choice(["fi", "sv", "en"]),
    default="en",
    show_default=True,
    help="Language of the area labels.",
)
@click.option(
    "--reclassify",
    "do_reclassify",
    is_flag=True,
    help="Classify every stored document again with the current thesaurus, then update the index.",
)
@click.option("--no-index", is_flag=True, help="With --reclassify: do not update the search index afterwards.")
@json_option
@pass_ctx
def areas(ctx: Context, ui_lang, do_reclassify, no_index, as_json) -> None:
    """List substance areas with labels and document counts (or --reclassify the store).

    The thesaurus is corpus/areas.toml, extended by areas.toml in the data directory.
    """
    from index.classify import classifier_for

    classify = classifier_for(ctx.data_dir)  # loads and validates the thesaurus: errors are one line
    thesaurus = classify.thesaurus
    if do_reclassify:
        with ctx.store() as store:
            total = store.count()
            with progress(total, "reclassifying", enabled=not as_json) as advance:
                report = reclassify(store, classify, advance)
        indexed = None if no_index or not report["changed"] else update_index_after(ctx, quiet=as_json)
        if as_json:
            emit_json({**report, "index": indexed})
        else:
            click.echo(
                f"{report['documents']} documents classified, {report['changed']} changed"
                + (f"; index: {indexed['summary']}" if indexed else "")
            )
        return
    counts: dict[str, int] = {}
    if ctx.data_dir.store_file.exists():
        with ctx.store(readonly=True) as store:
            counts = area_counts(store)
    else:
        log(f"no store at {ctx.data_dir.store_file}: counts are 0")
    items = [
        {
            "id": a.id,
            "label": thesaurus.label(a.id, ui_lang),
            "labels": dict(a.labels),
            "documents": counts.get(a.id, 0),
            "concepts": len(a.concepts),
        }
        for a in thesaurus.areas
    ]
    if as_json:
        emit_json(items)
        return
    width = max(len(i["id"]) for i in items)
    for i in items:
        click.echo(f"{i['id']:<{width}}  {i['documents']:>6}  {i['label']}")
