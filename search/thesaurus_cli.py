"""`nordsearch thesaurus`: explain a word, import a SKOS scheme, measure translation weights.

Thin click wiring over `search.thesaurus_info` (explain), `corpus.skos` (import) and
`search.translation_weights` (measure).
"""

from __future__ import annotations

from pathlib import Path

import click

from corpus.model import LANGUAGES
from search.cli import Context, json_option, pass_ctx
from search.output import emit_json, log, progress


def thesaurus_loader(ctx: Context):
    """`load(extra=None, exclude=None)`: the data directory's thesaurus, one file added or left out."""
    from corpus.areas import load_thesaurus

    def load(extra: Path | None = None, exclude: Path | None = None):
        files = [f for f in ctx.data_dir.thesaurus_files() if exclude is None or f != exclude]
        return load_thesaurus(*files, *([extra] if extra else []))

    return load


@click.group()
def thesaurus() -> None:
    """The thesaurus that classifies documents and expands queries: explain, import, measure."""


@thesaurus.command("show")
@click.argument("word")
@click.option("--lang", type=click.Choice(LANGUAGES), help="Only this language's reading of the word.")
@click.option(
    "--ui-lang", type=click.Choice(["fi", "sv", "en"]), default="en", show_default=True, help="Language of area labels."
)
@json_option
@pass_ctx
def show(ctx: Context, word, lang, ui_lang, as_json) -> None:
    """Explain what WORD is to the thesaurus and what a query with it is expanded to, and why.

    Inflected forms work (`lastensuojelun`); a phrase is quoted: "ekonomiskt bistånd".
    """
    from search.thesaurus_info import explain, format_explanation

    thesaurus_loader(ctx)()  # a broken data-directory thesaurus fails here with file and line
    found = explain(word, lang=lang, data_dir=ctx.data_dir, ui_lang=ui_lang)
    if as_json:
        emit_json(found.as_json())
    else:
        click.echo(format_explanation(found))


@thesaurus.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--scheme", required=True, help="Name of the scheme (lowercase, e.g. yso, tero, elsst).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "xml", "nt", "json-ld", "n3"]),
    help="RDF format of FILE [default: from its ending: .ttl, .rdf/.xml/.owl, .nt, .jsonld].",
)
@click.option(
    "--only-matching",
    is_flag=True,
    help="Import only concepts that share a label with a substance-area concept (adds their other labels).",
)
@json_option
@pass_ctx
def import_command(ctx: Context, file, scheme, fmt, only_matching, as_json) -> None:
    """Import a SKOS thesaurus (Turtle or RDF/XML) as scheme NAME into the data directory.

    Concepts sharing a label with a substance-area concept merge into it; the others expand
    queries but classify no document. Importing a scheme again replaces it. Afterwards run
    `nordsearch areas --reclassify` so documents are classified with the new terms.
    """
    from corpus.skos import import_skos

    ctx.data_dir.ensure()
    report = import_skos(
        file, scheme, ctx.data_dir.thesaurus_dir, thesaurus_loader(ctx), fmt=fmt, only_matching=only_matching
    )
    if as_json:
        emit_json(report.as_json())
        return
    click.echo(report.summary())
    for line in report.skipped[:10]:
        log(f"skipped: {line}")
    if len(report.skipped) > 10:
        log(f"... and {len(report.skipped) - 10} more skipped labels (see --json)")
    click.echo(f"written to {report.path}; run `nordsearch areas --reclassify` to classify documents with it")


@thesaurus.command("measure")
@json_option
@pass_ctx
def measure_command(ctx: Context, as_json) -> None:
    """Weigh the thesaurus's translations by how documents with text in two languages use them.

    A Finnish report with a Swedish summary names each concept in both: a translation seen
    beside its concept often is trusted more when queries are expanded.
    """
    from index.classify import matcher_for, thesaurus_files
    from search.translation_weights import measure, save_weights

    matcher = matcher_for(thesaurus_files(ctx.data_dir))
    with ctx.store(readonly=True) as store:
        total = store.count()

        def documents():
            for doc in store.documents(status="ok", with_sections=True):
                advance(1, doc.title)
                yield doc

        with progress(total, "measuring", enabled=not as_json) as advance:
            weights = measure(matcher, documents())
    path = save_weights(ctx.data_dir, weights)
    concepts = len(weights.counts)
    summary = f"{weights.documents} bilingual documents of {total}; translations of {concepts} concepts weighed"
    if as_json:
        emit_json({"documents": total, "bilingual": weights.documents, "concepts": concepts, "file": str(path)})
    else:
        click.echo(f"{summary}; written to {path}")
