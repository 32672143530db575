"""`nordsearch index` and `nordsearch search`: thin click wiring over index.update and search.query.

Imports of whoosh and the analysis stay inside the commands, so `nordsearch --help` and every
other command start without them.
"""

from __future__ import annotations

import re
import sys

import click

from corpus.model import COUNTRIES, LANGUAGES
from search.cli import Context, json_option, pass_ctx
from search.model import MAX_LIMIT, MAX_PAGE, SORTS
from search.output import emit_json, progress

_YEARS = re.compile(r"^\s*(\d{4})?\s*(?:(-)\s*(\d{4})?)?\s*$")


def parse_years(value: str | None) -> tuple[int | None, int | None]:
    """`2015-2020`, `2015-`, `-2020` or `2018` → (from, to).

    >>> parse_years("2015-2020"), parse_years("-2020"), parse_years("2018")
    ((2015, 2020), (None, 2020), (2018, 2018))
    """
    if not value:
        return None, None
    m = _YEARS.match(value)
    if not m or not (m.group(1) or m.group(3)):
        raise click.BadParameter(f"{value!r} is not a year range: use FROM-TO, FROM-, -TO or one year, e.g. 2015-2020")
    start = int(m.group(1)) if m.group(1) else None
    end = int(m.group(3)) if m.group(3) else None
    if not m.group(2):
        end = start
    return start, end


@click.command("index")
@click.option(
    "--rebuild", is_flag=True, help="Rebuild the whole index from the store (the old one answers until done)."
)
@json_option
@pass_ctx
def index_command(ctx: Context, rebuild, as_json) -> None:
    """Bring the search index up to date with the store (only what changed since the last run)."""
    from index.update import update_index

    with ctx.store() as store:
        with progress(None, "indexing", enabled=not as_json) as bar:
            report = update_index(ctx.data_dir, store, rebuild=rebuild, on_progress=bar, on_total=bar.set_total)
    if as_json:
        emit_json(report.as_json())
    else:
        click.echo(report.summary())


def _styled(fragments, tty: bool) -> str:
    out = []
    for f in fragments:
        if f.match:
            out.append(click.style(f.text, bold=True) if tty else f"[{f.text}]")
        else:
            out.append(f.text)
    return "".join(out)


def print_result(result, *, tty: bool) -> None:
    """Human output: ranked hits with their snippet, then facet counts."""
    first = (result.page - 1) * result.limit
    shown = f"{first + 1}–{first + len(result.hits)} of {result.total}" if result.hits else f"0 of {result.total}"
    click.echo(
        f"{shown} results for {result.query!r}"
        + (f" (query language {result.query_lang})" if result.query_lang else "")
    )
    for note in result.notes:
        click.echo(f"note: {note}")
    if result.expanded:
        click.echo("expanded: " + "; ".join(f"{k} → {', '.join(v)}" for k, v in result.expanded.items()))
    for n, hit in enumerate(result.hits, start=first + 1):
        meta = " · ".join(str(x) for x in (hit.lang, hit.country or "-", hit.year or "-") if x)
        click.echo(f"\n{n}. {click.style(hit.title or hit.url, bold=True) if tty else hit.title or hit.url}  [{meta}]")
        click.echo(f"   {hit.url}")
        if hit.snippet:
            click.echo(f"   {_styled(hit.snippet, tty)}")
    if result.facets and any(result.facets.values()):
        click.echo("")
        for name, counts in result.facets.items():
            if counts:
                click.echo(f"{name}: " + ", ".join(f"{k} {v}" for k, v in list(counts.items())[:12]))


@click.command("search")
@click.argument("query")
@click.option(
    "--lang", "langs", multiple=True, type=click.Choice(LANGUAGES), help="Only documents in this language (repeatable)."
)
@click.option(
    "--country",
    "countries",
    multiple=True,
    type=click.Choice(COUNTRIES, case_sensitive=False),
    help="Only documents from this country (repeatable).",
)
@click.option("--publisher", "publishers", multiple=True, help="Only documents of this publisher (repeatable).")
@click.option(
    "--area", "areas", multiple=True, metavar="AREA_ID", help="Only documents in this substance area (repeatable)."
)
@click.option("--type", "doc_types", multiple=True, help="Only documents of this type, e.g. report (repeatable).")
@click.option(
    "--year", "years", metavar="FROM-TO", help="Only documents published in these years: 2015-2020, 2015-, -2020, 2018."
)
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True, help="Order of the hits.")
@click.option("--limit", type=click.IntRange(1, MAX_LIMIT), default=10, show_default=True, help="Hits per page.")
@click.option("--page", type=click.IntRange(1, MAX_PAGE), default=1, show_default=True, help="Page of hits to show.")
@click.option("--no-expand", is_flag=True, help="Do not add the thesaurus terms of other languages to the query.")
@click.option("--include-withdrawn", is_flag=True, help="Also show documents withdrawn at their source.")
@json_option
@pass_ctx
def search_command(
    ctx: Context,
    query,
    langs,
    countries,
    publishers,
    areas,
    doc_types,
    years,
    sort,
    limit,
    page,
    no_expand,
    include_withdrawn,
    as_json,
) -> None:
    """Search the index: words rank documents with more of them first, "a phrase", -exclude.

    The query is searched in every language; its own language ranks first, and thesaurus
    terms in the other Nordic languages are added unless --no-expand.
    """
    from search.model import SearchRequest
    from search.query import search

    year_from, year_to = parse_years(years)
    request = SearchRequest(
        query=query,
        langs=tuple(langs),
        countries=tuple(c.upper() for c in countries),
        publishers=tuple(publishers),
        areas=tuple(areas),
        doc_types=tuple(doc_types),
        year_from=year_from,
        year_to=year_to,
        sort=sort,
        limit=limit,
        page=page,
        expand=not no_expand,
        include_withdrawn=include_withdrawn,
    )
    result = search(ctx.data_dir, request)
    if as_json:
        emit_json(result.as_json())
    else:
        print_result(result, tty=sys.stdout.isatty())
