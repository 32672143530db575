"""The `nordsearch digest` commands: thin click wiring over `search.digest`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from search.output import emit_json, log


class IsoDate(click.ParamType):
    """A calendar date written YYYY-MM-DD; anything else is a usage error (exit 2)."""

    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date (YYYY-MM-DD, e.g. 2026-11-23)", param, ctx)


def _labels(ctx):
    from search.digest import area_labeller

    return area_labeller(ctx.data_dir.areas_file)


@click.group()
def digest() -> None:
    """Draft, render and publish digests of new Nordic knowledge per substance area."""


@digest.command()
@click.option("--since", required=True, type=IsoDate(), help="First day of the window (YYYY-MM-DD).")
@click.option("--until", type=IsoDate(), help="Last day of the window (YYYY-MM-DD) [default: today].")
@click.option("--area", "areas", multiple=True, help="A substance area id; repeat for several [default: every area].")
@click.option(
    "--lang", type=click.Choice(["fi", "sv"]), default="fi", show_default=True, help="Language of the digest."
)
@click.option("--title", help="Title of the digest [default: a title in the digest's language].")
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Draft file to write (TOML)."
)
@click.pass_obj
def draft(ctx, since, until, areas, lang, title, out) -> None:
    """Write a draft digest of the window's new documents, for the consultant to edit."""
    from search.digest import draft_digest, write_draft
    from search.errors import DigestError

    label, order = _labels(ctx)
    unknown = [a for a in areas if order and a not in order]
    if unknown:
        raise click.BadParameter(f"unknown area {unknown[0]!r} (known: {', '.join(order)})", param_hint="--area")
    if until and until < since:
        raise click.BadParameter(f"--until {until} is before --since {since}", param_hint="--until")
    with ctx.store() as store:
        result = draft_digest(store, since=since, until=until, areas=areas, lang=lang, title=title, area_order=order)
    note = ""
    if not result.items:
        note = f"No new documents in {', '.join(areas) or 'any area'} between {result.since} and {result.until}: this digest is empty."
    try:
        out.write_text(write_draft(result, note=note), encoding="utf-8")
    except OSError as exc:
        raise DigestError(f"{out}: cannot write the draft: {exc}") from None
    if note:
        log(note)
    grouped = sum(1 for i in result.items if len(i.versions) > 1)
    click.echo(
        f"wrote {out}: {len(result.items)} items ({grouped} with several language versions), {result.since}–{result.until}"
    )


@digest.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "md", "txt"]),
    default="html",
    show_default=True,
    help="Output format.",
)
@click.option("--lang", type=click.Choice(["fi", "sv"]), help="Language of labels and dates [default: the draft's].")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="File to write [default: stdout].")
@click.pass_obj
def render(ctx, file, fmt, lang, out) -> None:
    """Render a draft digest as e-mail HTML, Markdown or plain text."""
    from search.digest.publish import load_for_render
    from search.digest.render import render as render_digest

    store = None
    if ctx.data_dir.store_file.exists():
        store = ctx.store(readonly=True)
    try:
        result = load_for_render(store, file, lang)
    finally:
        if store is not None:
            store.close()
    label, order = _labels(ctx)
    text = render_digest(result, fmt, area_label=label, area_order=order)
    if out:
        out.write_text(text, encoding="utf-8")
        log(f"wrote {out}")
    else:
        click.echo(text, nl=False)


@digest.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--base-url", help="URL where the digests folder is served, ending in / [default: its file URL].")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_obj
def publish(ctx, file, base_url, as_json) -> None:
    """Publish a draft: number it, freeze it in the store, write the archive and the Atom feeds."""
    from search.digest import publish as publish_digest

    label, order = _labels(ctx)
    with ctx.store() as store:
        done = publish_digest(
            store, file, ctx.data_dir.digests_dir, base_url=base_url, area_label=label, area_order=order
        )
    if as_json:
        emit_json(done.as_json())
        return
    click.echo(f"published digest number {done.number} ({done.items} items) to {ctx.data_dir.digests_dir}")


@digest.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_obj
def list_(ctx, as_json) -> None:
    """List the published digests, newest first."""
    from search.digest import list_digests

    if not ctx.data_dir.store_file.exists():
        found = []
    else:
        with ctx.store(readonly=True) as store:
            found = list_digests(store, with_items=True)
    data = [
        {
            "number": d.number,
            "title": d.title,
            "lang": d.lang,
            "published_at": d.published_at,
            "since": d.since,
            "until": d.until,
            "areas": list(d.areas),
            "items": len(d.items),
            "documents": sum(len(i.versions) for i in d.items),
        }
        for d in found
    ]
    if as_json:
        emit_json(data)
        return
    if not data:
        click.echo("no digests published yet")
    for d in data:
        click.echo(
            f"{d['number']:>4}  {d['published_at'][:10]}  {d['lang']}  {d['items']:>3} items  {d['since']}–{d['until']}  {d['title']}"
        )
