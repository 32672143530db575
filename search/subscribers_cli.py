"""The `nordsearch subscribers` commands: who receives the digests, in which language, for which areas."""

from __future__ import annotations

import click

from search.output import emit_json


@click.group()
def subscribers() -> None:
    """Digest subscribers: an address, the edition's language (fi or sv) and the areas they follow."""


def _known_areas(ctx) -> tuple[str, ...]:
    from search.digest import area_labeller

    return area_labeller(ctx.data_dir.areas_file)[1]


@subscribers.command()
@click.argument("email")
@click.option("--lang", type=click.Choice(["fi", "sv"]), required=True, help="The edition they read.")
@click.option(
    "--area", "areas", multiple=True, help="A substance area id they follow; repeat for several [default: every area]."
)
@click.pass_obj
def add(ctx, email, lang, areas) -> None:
    """Add a subscriber (or change the language and areas of one already there)."""
    from search.mail import subscribers as subs

    known = _known_areas(ctx)
    unknown = [a for a in areas if known and a not in known]
    if unknown:
        raise click.BadParameter(f"unknown area {unknown[0]!r} (known: {', '.join(known)})", param_hint="--area")
    with ctx.store() as store:
        sub, new = subs.add(store, email, lang, areas)
    what = ", ".join(sub.areas) or "every area"
    click.echo(f"{'added' if new else 'updated'} {sub.email}: the {sub.lang} edition, {what}")


@subscribers.command("list")
@click.option("--lang", type=click.Choice(["fi", "sv"]), help="Only those reading this edition.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_obj
def list_(ctx, lang, as_json) -> None:
    """List the subscribers by address."""
    from search.mail import subscribers as subs

    found = []
    if ctx.data_dir.store_file.exists():
        with ctx.store(readonly=True) as store:
            found = subs.listing(store, lang)
    if as_json:
        emit_json([s.as_json() for s in found])
        return
    if not found:
        click.echo("no subscribers yet (add one with 'nordsearch subscribers add EMAIL --lang fi')")
    for s in found:
        click.echo(f"{s.email}  {s.lang}  {', '.join(s.areas) or 'every area'}")


@subscribers.command()
@click.argument("email")
@click.pass_obj
def remove(ctx, email) -> None:
    """Remove a subscriber: no further digests are sent to the address."""
    from search.errors import MailError
    from search.mail import subscribers as subs

    with ctx.store() as store:
        if not subs.remove(store, email):
            raise MailError(f"{email} is not a subscriber (list them with 'nordsearch subscribers list')")
    click.echo(f"removed {email}")
