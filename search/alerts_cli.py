"""The `nordsearch alerts` commands: saved searches that e-mail their new documents."""

from __future__ import annotations

import click

from corpus.model import COUNTRIES, LANGUAGES
from search.output import emit_json, log


@click.group()
def alerts() -> None:
    """Saved searches: an address is told by e-mail when new documents match (run `alerts send` after each crawl)."""


@alerts.command()
@click.argument("email")
@click.argument("query")
@click.option(
    "--area", "areas", multiple=True, metavar="AREA_ID", help="Only documents in this substance area (repeatable)."
)
@click.option(
    "--country", "countries", multiple=True, type=click.Choice(COUNTRIES, case_sensitive=False),
    help="Only documents from this country (repeatable).",
)  # fmt: skip
@click.option(
    "--lang", "langs", multiple=True, type=click.Choice(LANGUAGES), help="Only documents in this language (repeatable)."
)
@click.option("--publisher", "publishers", multiple=True, help="Only documents of this publisher (repeatable).")
@click.option("--type", "doc_types", multiple=True, help="Only documents of this type, e.g. report (repeatable).")
@click.option(
    "--year", "years", metavar="FROM-TO", help="Only documents published in these years: 2015-2020, 2015-, -2020."
)
@click.option("--no-expand", is_flag=True, help="Do not add the thesaurus terms of other languages to the query.")
@click.option(
    "--mail-lang", type=click.Choice(["fi", "sv", "en"]), default="fi", show_default=True,
    help="Language of the alert's e-mails.",
)  # fmt: skip
@click.pass_obj
def add(ctx, email, query, areas, countries, langs, publishers, doc_types, years, no_expand, mail_lang) -> None:
    """Save a search for EMAIL: QUERY with filters, as `nordsearch search` takes them. Active at once.

    Only documents first seen from now on are mailed (the web form's alerts start when their
    address confirms them).
    """
    from search.alerts import store as saved
    from search.alerts.model import SavedSearch
    from search.digest import area_labeller
    from search.search_cli import parse_years

    known = area_labeller(ctx.data_dir.areas_file)[1]
    unknown = [a for a in areas if known and a not in known]
    if unknown:
        raise click.BadParameter(f"unknown area {unknown[0]!r} (known: {', '.join(known)})", param_hint="--area")
    year_from, year_to = parse_years(years)
    search = SavedSearch(
        " ".join(query.split()),
        areas=tuple(areas),
        countries=tuple(c.upper() for c in countries),
        langs=tuple(langs),
        publishers=tuple(publishers),
        doc_types=tuple(doc_types),
        year_from=year_from,
        year_to=year_to,
        expand=not no_expand,
    )
    with ctx.store() as store:
        alert, new = saved.save(store, email, search, mail_lang, state="active")
        if not new and alert.state == "pending":
            saved.confirm(store, alert.id, alert.email)  # the operator vouches for the address
    click.echo(f"{'added' if new else 'already there:'} alert {alert.id} for {alert.email}: {search.describe()}")


@alerts.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_obj
def list_(ctx, as_json) -> None:
    """List the saved searches with their address, state (pending until confirmed, or active) and mails sent."""
    from search.alerts import store as saved

    found = []
    if ctx.data_dir.store_file.exists():
        with ctx.store(readonly=True) as store:
            found = saved.listing(store)
    if as_json:
        emit_json([a.as_json() for a in found])
        return
    if not found:
        click.echo("no alerts yet (add one with 'nordsearch alerts add EMAIL QUERY')")
    for a in found:
        click.echo(f"{a.id:>4}  {a.state:<7}  {a.email}  {a.search.describe()}  ({a.batch} mails)")


@alerts.command()
@click.argument("alert_id", metavar="ID", type=click.IntRange(min=1))
@click.pass_obj
def remove(ctx, alert_id) -> None:
    """Remove a saved search: its address gets no further mail about it."""
    from search.alerts import store as saved
    from search.errors import AlertError

    with ctx.store() as store:
        if not saved.remove(store, alert_id):
            raise AlertError(f"no alert number {alert_id} (list them with 'nordsearch alerts list')")
    click.echo(f"removed alert {alert_id}")


@alerts.command()
@click.option("--smtp", "relay", metavar="HOST:PORT", help="A plain local relay, instead of the smtp_* settings.")
@click.option("--dry-run", is_flag=True, help="Count the new documents per alert; send nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_obj
def send(ctx, relay, dry_run, as_json) -> None:
    """Mail each active alert the documents new since its last mail (none twice); cron-friendly.

    Run it after each crawl (and index update). An alert with nothing new gets no mail; each
    mail is recorded when the relay takes it, so a killed run is simply run again.
    """
    from search.alerts.send import send_alerts
    from search.digest import area_labeller
    from search.mail.lock import sending_lock
    from search.mail.settings import smtp_settings
    from search.mail.tokens import Signer

    smtp = smtp_settings(ctx.data_dir.settings(), relay)
    label = area_labeller(ctx.data_dir.areas_file)[0]
    with sending_lock(ctx.data_dir), ctx.store() as store:
        done = send_alerts(
            ctx.data_dir, store, smtp=smtp, signer=Signer.for_data_dir(ctx.data_dir), dry_run=dry_run, area_label=label
        )
    if as_json:
        emit_json(done.as_json())
        return
    d = done.delivered
    for who, reply in d.refused:
        log(f"refused: {who}: {reply}")
    for who, reply in d.deferred:
        log(f"deferred (the next run tries again): {who}: {reply}")
    for who in d.uncertain:
        log(f"uncertain: {who}: a killed run recorded the mail but did not see the relay's answer")
    news = sum(done.documents.values())
    if dry_run:
        click.echo(f"dry run: {len(done.documents)} alerts have {news} new documents; nothing sent")
    else:
        confirmations = len(done.confirmations.sent)
        click.echo(
            f"alerts: {len(d.sent)} mails sent ({news} documents)"
            + (f", {len(d.refused)} refused" if d.refused else "")
            + (f", {confirmations} confirmation e-mails" if confirmations else "")
        )
