"""`nordsearch alerts send`: each active alert gets one mail of its new documents; none is mailed twice.

Cron-friendly (after each crawl and index update): an alert with nothing new gets nothing.

    alert (active) ─► its next mail, number `batch`:
        recorded as sent (or refused) already  ─► the number moves on (a kill came in between)
        else: new documents (find.py), minus those earlier mails carried ─► stored as this
        mail's documents ─► one message, recorded per (alert, mail number) by search.mail
        ─► sent or refused: the number moves on, and its documents count as mailed

A kill before the relay has the message leaves the mail unsent: the next run makes it again
(with any documents that came meanwhile). A kill after the record counts it as mailed.
Pending confirmations whose e-mail did not go out (the relay was down when the form was
sent) are sent here too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from corpus.config import DataDir
from corpus.store import Store
from search.alerts import store as alerts
from search.alerts.find import SearchFn, _search, new_documents
from search.alerts.mail import alert_message, confirmation_message
from search.alerts.model import Alert
from search.mail import deliveries
from search.mail.deliveries import Outgoing, Report
from search.mail.message import message_id
from search.mail.settings import SmtpSettings
from search.mail.smtp import Relay
from search.mail.tokens import CONFIRM_DAYS, Signer

KIND = "alert"


def alert_ref(alert: Alert) -> str:
    return f"{alert.id}/{alert.batch}"


def confirm_ref(alert: Alert, moment: datetime) -> str:
    """Each confirmation e-mail is its own message: the form may ask again for the same alert."""
    return f"{alert.id}/{moment.strftime('%Y%m%dT%H%M%S%f')}"


@dataclass
class AlertsReport:
    """What `alerts send` did: mails per alert, and the deliveries."""

    documents: dict[int, int] = field(default_factory=dict)  # alert id -> documents in its mail
    delivered: Report = field(default_factory=Report)
    confirmations: Report = field(default_factory=Report)
    dry_run: bool = False

    def as_json(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "alerts_with_news": len(self.documents),
            "documents": {str(k): v for k, v in self.documents.items()},
            **self.delivered.as_json(),
            "confirmations": self.confirmations.as_json(),
        }


def _settle(store: Store, alert: Alert) -> Alert:
    """The alert with its mail number moved past any mail already sent or refused (a kill can leave one)."""
    while True:
        known = deliveries.get(store, KIND, alert_ref(alert), alert.email)
        if known is None or known.state not in ("sent", "refused"):
            return alert
        alerts.next_batch(store, alert)
        alert = alerts.get(store, alert.id)


def send_alerts(
    data_dir: DataDir,
    store: Store,
    *,
    smtp: SmtpSettings,
    signer: Signer,
    dry_run: bool = False,
    search_fn: SearchFn = _search,
    area_label: Callable[[str, str], str] = lambda a, lang: a,
    relay_factory: Callable[[SmtpSettings], Relay] = Relay,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> AlertsReport:
    """Mail every active alert its new documents (and send confirmations that did not go out)."""
    alerts.ensure_schema(store)
    deliveries.ensure_schema(store)
    report = AlertsReport(dry_run=dry_run)
    with relay_factory(smtp) as relay:  # connects at the first message only
        for alert in alerts.listing(store, state="active"):
            alert = _settle(store, alert)
            docs = new_documents(data_dir, store, alert, search_fn=search_fn)
            if not docs:
                continue
            report.documents[alert.id] = len(docs)
            if dry_run:
                continue
            alerts.set_batch_docs(store, alert, [d.hit.id for d in docs])
            ref = alert_ref(alert)
            out = Outgoing(
                KIND,
                ref,
                alert.email,
                message_id(KIND, ref, alert.email, smtp.domain),
                lambda alert=alert, docs=docs, ref=ref: alert_message(
                    alert, docs, ref=ref, smtp=smtp, signer=signer, area_label=area_label, clock=clock
                ),
            )
            done = deliveries.deliver(store, relay, [out])
            _merge(report.delivered, done)
            _settle(store, alert)
        if not dry_run:
            _merge(report.confirmations, send_confirmations(store, relay, smtp=smtp, signer=signer, clock=clock))
    return report


def _merge(into: Report, more: Report) -> None:
    for name in ("sent", "already", "refused", "deferred", "uncertain", "refused_before"):
        getattr(into, name).extend(getattr(more, name))


def send_confirmations(
    store: Store,
    relay: Relay,
    *,
    smtp: SmtpSettings,
    signer: Signer,
    alerts_to_confirm: list[Alert] | None = None,
    area_label: Callable[[str, str], str] = lambda a, lang: a,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Report:
    """Confirmation e-mails: for `alerts_to_confirm` a new one each (the form asked); without it,
    the pending alerts (younger than the link's validity) whose confirmation never went out.
    """
    deliveries.ensure_schema(store)
    todo: list[tuple[Alert, str]] = []
    if alerts_to_confirm is not None:
        todo = [(a, confirm_ref(a, clock())) for a in alerts_to_confirm]
    else:
        oldest = (clock() - timedelta(days=CONFIRM_DAYS)).replace(microsecond=0).isoformat()
        for alert in alerts.listing(store, state="pending"):
            if alert.created_at < oldest:
                continue
            tried = deliveries.listing(store, "confirm", f"{alert.id}/")
            if any(d.state in ("sent", "refused") for d in tried):
                continue
            todo.append((alert, tried[-1].ref if tried else confirm_ref(alert, clock())))
    messages = [
        Outgoing(
            "confirm",
            ref,
            alert.email,
            message_id("confirm", ref, alert.email, smtp.domain),
            lambda alert=alert, ref=ref: confirmation_message(
                alert, ref=ref, smtp=smtp, signer=signer, area_label=area_label, clock=clock
            ),
        )
        for alert, ref in todo
    ]
    return deliveries.deliver(store, relay, messages)
