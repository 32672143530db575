"""Delivery records: one row per message (kind, reference, recipient), so no message goes out twice.

    mail_deliveries   kind        "digest" | "alert" | "confirm"
                      ref         what was sent: "3/sv" (issue 3, Swedish edition), "alert:7:2" ...
                      recipient   the address
                      message_id  the same for every attempt of this message (a resend is
                                  recognisably the same message)
                      state       sending   before the end of the data: the relay has nothing
                                  sent      recorded just before the terminating "." (smtp.py)
                                  refused   the relay refused it for good (5xx)
                                  deferred  the relay said "later" (4xx): the next run tries again
                      accepted_at the relay's "250" after the data; empty on a "sent" row means
                                  the run was killed in between: uncertain, reported, not resent

A run sends every message whose row is missing, "sending" or "deferred", and reports the rest,
so a killed run is resumed by running it again and a second run sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from corpus.store import Store
from search.errors import MailError
from search.mail.smtp import Relay

SCHEMA = """
CREATE TABLE IF NOT EXISTS mail_deliveries (
    kind TEXT NOT NULL,
    ref TEXT NOT NULL,
    recipient TEXT NOT NULL,
    message_id TEXT NOT NULL,
    state TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    sent_at TEXT,
    accepted_at TEXT,
    PRIMARY KEY (kind, ref, recipient)
);
"""


def ensure_schema(store: Store) -> None:
    store.ensure_schema(SCHEMA)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Outgoing:
    """One message to send: who, what it is (kind, ref), its Message-ID, and its bytes (built when needed)."""

    kind: str
    ref: str
    recipient: str
    message_id: str
    build: Callable[[], bytes]


@dataclass(frozen=True)
class Delivery:
    """The recorded state of one message."""

    kind: str
    ref: str
    recipient: str
    message_id: str
    state: str
    detail: str
    started_at: str
    sent_at: str | None
    accepted_at: str | None

    @property
    def done(self) -> bool:
        return self.state == "sent" and bool(self.accepted_at)

    @property
    def uncertain(self) -> bool:
        return self.state == "sent" and not self.accepted_at


@dataclass
class Report:
    """What a run did, recipient by recipient."""

    sent: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # sent by an earlier run
    refused: list[tuple[str, str]] = field(default_factory=list)  # (recipient, the relay's answer)
    deferred: list[tuple[str, str]] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)  # killed between the record and the relay's reply
    refused_before: list[tuple[str, str]] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "sent": len(self.sent),
            "already_sent": len(self.already),
            "refused": [{"recipient": r, "reply": d} for r, d in self.refused],
            "deferred": [{"recipient": r, "reply": d} for r, d in self.deferred],
            "uncertain": self.uncertain,
            "refused_earlier": [{"recipient": r, "reply": d} for r, d in self.refused_before],
        }


def get(store: Store, kind: str, ref: str, recipient: str) -> Delivery | None:
    row = store.connection.execute(
        "SELECT * FROM mail_deliveries WHERE kind=? AND ref=? AND recipient=?", (kind, ref, recipient)
    ).fetchone()
    return Delivery(**dict(row)) if row else None


def listing(store: Store, kind: str, ref_prefix: str = "") -> list[Delivery]:
    ensure_schema(store)
    rows = store.connection.execute(
        "SELECT * FROM mail_deliveries WHERE kind=? AND ref LIKE ? ORDER BY ref, recipient",
        (kind, ref_prefix.replace("%", "") + "%"),
    )
    return [Delivery(**dict(r)) for r in rows]


def _begin(store: Store, out: Outgoing) -> None:
    with store.connection as conn:
        conn.execute(
            """INSERT INTO mail_deliveries (kind, ref, recipient, message_id, state, detail, started_at)
               VALUES (?,?,?,?, 'sending', '', ?)
               ON CONFLICT (kind, ref, recipient) DO UPDATE SET state='sending', detail='',
                   message_id=excluded.message_id, started_at=excluded.started_at, sent_at=NULL, accepted_at=NULL""",
            (out.kind, out.ref, out.recipient, out.message_id, _now()),
        )


def _set(store: Store, out: Outgoing, **values) -> None:
    assignments = ", ".join(f"{k}=?" for k in values)
    with store.connection as conn:
        conn.execute(
            f"UPDATE mail_deliveries SET {assignments} WHERE kind=? AND ref=? AND recipient=?",
            (*values.values(), out.kind, out.ref, out.recipient),
        )


def deliver(
    store: Store,
    relay: Relay,
    messages: Iterable[Outgoing],
    *,
    resend_uncertain: bool = False,
    retry_refused: bool = False,
    on_progress: Callable[[str], None] = lambda recipient: None,
) -> Report:
    """Send each message not sent before, recording each step; a refused recipient never stops the others.

    A broken connection is retried once with a new connection; if that fails too, MailError
    says how far the run got (the records keep the rest for the next run).
    """
    ensure_schema(store)
    report = Report()
    sender = relay.settings.sender_address
    for out in messages:
        known = get(store, out.kind, out.ref, out.recipient)
        if known is not None:
            if known.done:
                report.already.append(out.recipient)
                continue
            if known.uncertain and not resend_uncertain:
                report.uncertain.append(out.recipient)
                continue
            if known.state == "refused" and not retry_refused:
                report.refused_before.append((out.recipient, known.detail))
                continue
        body = out.build()
        _begin(store, out)
        recorded = []

        def record(out=out, recorded=recorded) -> None:
            _set(store, out, state="sent", sent_at=_now())
            recorded.append(True)

        for attempt in (1, 2):
            try:
                reply = relay.send(sender, out.recipient, body, record)
                break
            except MailError as exc:
                if recorded:  # the data was complete and recorded: the relay may have it
                    report.uncertain.append(out.recipient)
                    reply = None
                    break
                if attempt == 2:
                    raise MailError(
                        f"{exc}; stopped after {len(report.sent)} sent (run the same command again to send the rest)"
                    ) from None
                relay.close()  # the next attempt opens a new connection
        if reply is None:
            continue
        if reply.outcome == "accepted":
            _set(store, out, accepted_at=_now(), detail=reply.detail)
            report.sent.append(out.recipient)
        elif reply.outcome == "refused":
            _set(store, out, state="refused", detail=reply.detail)
            report.refused.append((out.recipient, reply.detail))
        else:
            _set(store, out, state="deferred", detail=reply.detail)
            report.deferred.append((out.recipient, reply.detail))
        on_progress(out.recipient)
    return report
