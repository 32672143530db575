"""Sending a published issue to its subscribers: each gets the edition in their language, their areas only.

issue N ─► for each subscriber (only --lang's when given):
             no edition in their language yet   ─► waits (a later send, once it is published)
             none of the edition's items in their areas ─► nothing to send
             else the edition cut to their areas ─► one multipart message (the text and the
             HTML that `digest render` makes, plus why it came and how to unsubscribe)
       ─► mail.deliveries: recorded per (issue/edition, subscriber), so a second send, or a
          send after a kill, sends only what is not sent yet
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from corpus.store import Store
from search.digest import records
from search.digest.model import Digest, Issue
from search.digest.render import render_view
from search.digest.view import AreaLabel, MailFooter, layout
from search.i18n import message
from search.mail import deliveries, subscribers
from search.mail.deliveries import Outgoing, Report
from search.mail.message import compose, message_id, unsubscribe_links, web_link
from search.mail.settings import SmtpSettings
from search.mail.smtp import Relay
from search.mail.subscribers import Subscriber
from search.mail.tokens import Signer

KIND = "digest"


@dataclass(frozen=True)
class Planned:
    """One subscriber's part of a send: the edition cut to their areas, or why there is nothing."""

    subscriber: Subscriber
    edition: Digest | None  # None: nothing to send (see `reason`)
    reason: str = ""  # "no-edition" | "no-items" when there is nothing to send

    @property
    def items(self) -> int:
        return len(self.edition.included) if self.edition else 0

    def as_json(self) -> dict:
        return {
            "email": self.subscriber.email,
            "lang": self.subscriber.lang,
            "items": self.items,
            "skipped": self.reason,
        }


@dataclass
class SendReport:
    """What `digest send` did: the deliveries, and the subscribers it had nothing for."""

    number: int
    planned: list[Planned]
    delivered: Report = field(default_factory=Report)
    dry_run: bool = False

    def waiting(self, reason: str) -> list[Planned]:
        return [p for p in self.planned if p.reason == reason]

    def as_json(self) -> dict:
        return {
            "number": self.number,
            "dry_run": self.dry_run,
            "subscribers": len(self.planned),
            "no_edition_in_their_language": [p.subscriber.email for p in self.waiting("no-edition")],
            "nothing_in_their_areas": [p.subscriber.email for p in self.waiting("no-items")],
            **({"would_send": [p.as_json() for p in self.planned if p.edition]} if self.dry_run else {}),
            **self.delivered.as_json(),
        }


def ref(number: int, lang: str) -> str:
    return f"{number}/{lang}"


def for_subscriber(edition: Digest, subscriber: Subscriber) -> Digest:
    """The edition with only the items listed under the subscriber's areas (all when they follow every area)."""
    if not subscriber.areas:
        return edition
    items = tuple(i for i in edition.included if subscriber.follows(i.area))
    return replace(edition, items=items, areas=subscriber.areas)


def plan(store: Store, issue: Issue, lang: str | None = None) -> list[Planned]:
    """Every subscriber (of `lang` when given) with what they would get from `issue`."""
    out = []
    for sub in subscribers.listing(store, lang):
        edition = issue.edition(sub.lang)
        if edition is None:
            out.append(Planned(sub, None, "no-edition"))
            continue
        mine = for_subscriber(edition, sub)
        out.append(Planned(sub, mine, "") if mine.included else Planned(sub, None, "no-items"))
    return out


def digest_message(
    edition: Digest,
    sub: Subscriber,
    *,
    smtp: SmtpSettings,
    signer: Signer,
    area_label: AreaLabel,
    area_order: Sequence[str] = (),
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> bytes:
    """The e-mail of one subscriber's edition: text and HTML from the digest renderers, and the way out."""
    lang = edition.lang
    number = edition.number or 0
    out = unsubscribe_links(smtp, signer, KIND, "all", sub.email)
    areas = ", ".join(area_label(a, lang) for a in sub.areas) or message("digest.all_areas", lang)
    footer = MailFooter(
        reason=message("mail.digest_reason", lang, email=sub.email, areas=areas),
        unsubscribe_label=message("mail.unsubscribe", lang),
        unsubscribe_url=out.best,
        online_label=message("mail.read_online", lang),
        online_url=web_link(smtp, f"digests/{number}/{lang}"),
    )
    view = replace(layout(edition, area_label, area_order), mail=footer)
    subject = f"{message('digest.number', lang, number=number)}: {edition.title}"
    return compose(
        smtp,
        recipient=sub.email,
        subject=subject,
        text=render_view(view, "txt"),
        html=render_view(view, "html"),
        msg_id=message_id(KIND, ref(number, lang), sub.email, smtp.domain),
        lang=lang,
        list_id=message("mail.digest_list", lang),
        unsubscribe=out,
        clock=clock,
    )


def send_issue(
    store: Store,
    number: int,
    *,
    smtp: SmtpSettings,
    signer: Signer,
    lang: str | None = None,
    dry_run: bool = False,
    resend_uncertain: bool = False,
    area_label: AreaLabel = lambda a, lang: a,
    area_order: Sequence[str] = (),
    relay_factory: Callable[[SmtpSettings], Relay] = Relay,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    on_progress: Callable[[str], None] = lambda recipient: None,
) -> SendReport:
    """Send issue `number` to every subscriber that has not had it; nothing is sent twice."""
    issue = records.get_issue(store, number)
    planned = plan(store, issue, lang)
    report = SendReport(number, planned, dry_run=dry_run)
    todo = [p for p in planned if p.edition is not None]
    if dry_run:
        deliveries.ensure_schema(store)
        for p in todo:
            known = deliveries.get(store, KIND, ref(number, p.subscriber.lang), p.subscriber.email)
            if known is not None and known.done:
                report.delivered.already.append(p.subscriber.email)
        return report
    if not todo:
        return report

    def outgoing(p: Planned) -> Outgoing:
        edition, sub = p.edition, p.subscriber
        key = ref(number, sub.lang)
        return Outgoing(
            KIND,
            key,
            sub.email,
            message_id(KIND, key, sub.email, smtp.domain),
            lambda: digest_message(
                edition, sub, smtp=smtp, signer=signer, area_label=area_label, area_order=area_order, clock=clock
            ),
        )

    with relay_factory(smtp) as relay:  # connects at the first message: none when all are sent
        report.delivered = deliveries.deliver(
            store, relay, [outgoing(p) for p in todo], resend_uncertain=resend_uncertain, on_progress=on_progress
        )
    return report
