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
@click.option("--since", type=IsoDate(), help="First day of the window (YYYY-MM-DD); required for a new issue.")
@click.option("--until", type=IsoDate(), help="Last day of the window (YYYY-MM-DD) [default: today].")
@click.option("--area", "areas", multiple=True, help="A substance area id; repeat for several [default: every area].")
@click.option(
    "--lang", type=click.Choice(["fi", "sv"]), default="fi", show_default=True, help="Language of the digest."
)
@click.option(
    "--edition-of",
    "edition_of",
    type=click.IntRange(min=1),
    metavar="N",
    help="Draft the --lang edition of published digest number N: the same items in the same order.",
)
@click.option("--title", help="Title of the digest [default: a title in the digest's language].")
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Draft file to write (TOML)."
)
@click.pass_obj
def draft(ctx, since, until, areas, lang, edition_of, title, out) -> None:
    """Write a draft digest of the window's new documents, for the consultant to edit.

    A document enters the window by its publication date (an undated one by the day it was
    first seen, once its source had been harvested before); a new source's earlier
    publications come in a section of their own, at most `digest_new_source_items` of them.
    With --edition-of N, write the --lang edition of published issue N instead.
    """
    from search.digest import draft_digest, write_draft
    from search.digest.edition import draft_edition
    from search.errors import DigestError

    label, order = _labels(ctx)
    if edition_of is not None:
        if since or until or areas:
            raise click.UsageError(
                "--edition-of takes the window and areas of its issue: leave out --since, --until and --area"
            )
        with ctx.store() as store:
            result = draft_edition(store, edition_of, lang, title=title)
        note = ""
    else:
        if since is None:
            raise click.UsageError("Missing option '--since' (the first day of the window), or give --edition-of N")
        unknown = [a for a in areas if order and a not in order]
        if unknown:
            raise click.BadParameter(f"unknown area {unknown[0]!r} (known: {', '.join(order)})", param_hint="--area")
        if until and until < since:
            raise click.BadParameter(f"--until {until} is before --since {since}", param_hint="--until")
        settings = ctx.data_dir.settings()
        with ctx.store() as store:
            result = draft_digest(
                store,
                since=since,
                until=until,
                areas=areas,
                lang=lang,
                title=title,
                area_order=order,
                new_source_items=settings.digest_new_source_items,
                source_names=_source_names(ctx),
            )
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
    fresh = [i for i in result.items if i.new_source]
    extra = f", {len(fresh)} from new sources ({', '.join(dict.fromkeys(i.source for i in fresh))})" if fresh else ""
    what = f"the {lang} edition of digest number {edition_of}: " if edition_of else ""
    click.echo(
        f"wrote {out}: {what}{len(result.items)} items ({grouped} with several language versions{extra}), "
        f"{result.since}–{result.until}"
    )


def _source_names(ctx) -> dict[str, str]:
    """Source ids and their names from the registry (a source's name heads its "new source" section)."""
    from corpus.errors import ConfigError
    from corpus.sources import configured_sources

    try:
        return {s.id: s.name for s in configured_sources(ctx.data_dir.sources_file)}
    except ConfigError:
        return {}  # the names are a nicety; a broken sources.toml is the crawl's error to report


def _edited(done, as_json: bool) -> None:
    if as_json:
        emit_json(done.as_json())
        return
    for change in done.changes:
        click.echo(change)
    click.echo(f"{done.path}: {done.items} items included")
    for problem in done.problems:
        log(f"check: {problem}")


@digest.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("doc_ids", nargs=-1, required=True, metavar="ID...")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_obj
def add(ctx, file, doc_ids, as_json) -> None:
    """Add documents to a draft by id (language versions among them become one item), then check it."""
    from search.digest.edit import add_documents

    with ctx.store() as store:
        _edited(add_documents(store, file, doc_ids), as_json)


@digest.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("doc_ids", nargs=-1, required=True, metavar="ID...")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_obj
def drop(ctx, file, doc_ids, as_json) -> None:
    """Drop documents from a draft by id (their item is left out, or the version taken out of it), then check it."""
    from search.digest.edit import drop_documents

    with ctx.store() as store:
        _edited(drop_documents(store, file, doc_ids), as_json)


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
    for note in done.notes:
        log(f"note: {note}")
    what = (
        f"the {done.lang} edition of digest number {done.number}" if done.edition_of else f"digest number {done.number}"
    )
    click.echo(f"published {what} ({done.lang}, {done.items} items) to {ctx.data_dir.digests_dir}")


@digest.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_obj
def list_(ctx, as_json) -> None:
    """List the published digests, newest first, each with its language editions."""
    from search.digest.records import list_issues

    if not ctx.data_dir.store_file.exists():
        found = []
    else:
        with ctx.store(readonly=True) as store:
            found = list_issues(store, with_items=True)
    data = [issue_json(issue) for issue in found]
    if as_json:
        emit_json(data)
        return
    if not data:
        click.echo("no digests published yet")
    for d in data:
        for n, e in enumerate(d["editions"]):
            number = f"{d['number']:>4}" if n == 0 else "    "
            click.echo(
                f"{number}  {e['lang']}  {e['published_at'][:10]}  {e['items']:>3} items  {d['since']}–{d['until']}  {e['title']}"
            )


def issue_json(issue) -> dict:
    """An issue as `digest list --json` shows it: the window and areas once, then each edition."""
    first = issue.first
    return {
        "number": issue.number,
        "published_at": first.published_at,
        "since": first.since,
        "until": first.until,
        "areas": list(first.areas),
        "langs": list(issue.langs),
        "editions": [
            {
                "lang": e.lang,
                "title": e.title,
                "published_at": e.published_at,
                "items": len(e.items),
                "documents": sum(len(i.versions) for i in e.items),
            }
            for e in issue.editions
        ],
    }


@digest.command()
@click.argument("number", type=click.IntRange(min=1))
@click.option("--lang", type=click.Choice(["fi", "sv"]), help="Only the subscribers of this edition [default: all].")
@click.option("--dry-run", is_flag=True, help="Show who would get what; send nothing.")
@click.option(
    "--smtp",
    "relay",
    metavar="HOST:PORT",
    help="A plain local relay to send through, instead of the smtp_* settings in config.toml.",
)
@click.option(
    "--resend-uncertain",
    is_flag=True,
    help="Send again the messages a killed run left uncertain (recorded, the relay's answer not seen); same Message-ID.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_obj
def send(ctx, number, lang, dry_run, relay, resend_uncertain, as_json) -> None:
    """E-mail published digest NUMBER to its subscribers: each their language's edition, their areas only.

    Each message is recorded when the relay takes it, so a second send sends nothing and a
    send that was killed sends only the rest. A refused address is reported and the others
    are still sent. SMTP settings: smtp_host, smtp_port, smtp_security (starttls, tls, none),
    smtp_user, smtp_password_env, mail_from and base_url (for the unsubscribe link) in the
    data directory's config.toml.
    """
    from search.digest.send import send_issue
    from search.mail.lock import sending_lock
    from search.mail.settings import smtp_settings
    from search.mail.tokens import Signer
    from search.output import progress

    smtp = smtp_settings(ctx.data_dir.settings(), relay)
    label, order = _labels(ctx)
    with sending_lock(ctx.data_dir), ctx.store() as store:
        with progress(None, "sending", enabled=not as_json) as advance:
            done = send_issue(
                store,
                number,
                smtp=smtp,
                signer=Signer.for_data_dir(ctx.data_dir),
                lang=lang,
                dry_run=dry_run,
                resend_uncertain=resend_uncertain,
                area_label=label,
                area_order=order,
                on_progress=lambda who: advance(1, who),
            )
    if as_json:
        emit_json(done.as_json())
        return
    _send_summary(done, smtp)


def _send_summary(done, smtp) -> None:
    d = done.delivered
    if done.dry_run:
        for p in done.planned:
            if p.edition is not None:
                state = " (already sent)" if p.subscriber.email in d.already else ""
                click.echo(f"would send {p.subscriber.email}: {p.subscriber.lang}, {p.items} items{state}")
    for p in done.waiting("no-edition"):
        log(
            f"waiting: {p.subscriber.email} reads {p.subscriber.lang}, and digest number {done.number} has no {p.subscriber.lang} edition yet"
        )
    for p in done.waiting("no-items"):
        log(f"nothing for {p.subscriber.email}: digest number {done.number} has no items in their areas")
    for who, reply in d.refused:
        log(f"refused: {who}: {reply}")
    for who, reply in d.deferred:
        log(f"deferred (the next send tries again): {who}: {reply}")
    for who, reply in d.refused_before:
        log(f"refused earlier, not sent again: {who}: {reply}")
    for who in d.uncertain:
        log(
            f"uncertain: {who}: a killed send recorded it but did not see the relay's answer; check the relay's log "
            "(--resend-uncertain sends it again with the same Message-ID)"
        )
    if done.dry_run:
        click.echo(f"dry run: nothing sent ({len(done.planned)} subscribers)")
    elif not d.sent and not d.refused and not d.deferred:
        already = f"{len(d.already)} subscriber(s) already have it" if d.already else "no subscriber to send it to"
        click.echo(f"nothing to send for digest number {done.number}: {already}")
    else:
        click.echo(
            f"digest number {done.number}: sent {len(d.sent)} through {smtp.host}:{smtp.port}"
            + (f", {len(d.already)} already had it" if d.already else "")
            + (f", {len(d.refused)} refused" if d.refused else "")
            + (f", {len(d.deferred)} deferred" if d.deferred else "")
        )
