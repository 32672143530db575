"""One e-mail as bytes: multipart/alternative (plain text + HTML), with the headers a list mail needs.

    From, To, Subject, Date, Message-ID      the Message-ID is given (the same on every attempt)
    Content-Language                         fi or sv
    List-Id                                  what kind of list this is
    List-Unsubscribe                         the web link (a signed token) and a mailto: to the sender
    List-Unsubscribe-Post                    "One-Click" (RFC 8058) when there is a web link

The web link needs the web app's public address (`base_url` in config.toml). Without it a
message still carries a way out: the mailto: link, a reply that asks the sender to remove the
address.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import quote

from search.mail.settings import SmtpSettings
from search.mail.tokens import Signer


@dataclass(frozen=True)
class Unsubscribe:
    """The ways out of one subscription: a web link (may be empty) and a mailto: link."""

    web: str
    mailto: str

    @property
    def best(self) -> str:
        return self.web or self.mailto


def web_link(smtp: SmtpSettings, path: str) -> str:
    """`path` on the web app's public address; "" when `base_url` is not set."""
    if not smtp.base_url:
        return ""
    return smtp.base_url.rstrip("/") + "/" + path.lstrip("/")


def unsubscribe_links(smtp: SmtpSettings, signer: Signer, kind: str, key: str | int, email: str) -> Unsubscribe:
    token = signer.unsubscribe(kind, key, email)
    mailto = f"mailto:{smtp.sender_address}?subject={quote('unsubscribe ' + email)}"
    return Unsubscribe(web_link(smtp, f"unsubscribe/{token}"), mailto)


def message_id(kind: str, ref: str, recipient: str, domain: str) -> str:
    """A Message-ID that is the same for every attempt at this (kind, ref, recipient)."""
    who = hashlib.sha256(recipient.encode("utf-8")).hexdigest()[:20]
    what = "".join(ch if ch.isalnum() else "." for ch in f"{kind}.{ref}")
    return f"<nordsearch.{what}.{who}@{domain}>"


def compose(
    smtp: SmtpSettings,
    *,
    recipient: str,
    subject: str,
    text: str,
    html: str,
    msg_id: str,
    lang: str,
    list_id: str,
    unsubscribe: Unsubscribe | None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> bytes:
    """The message as bytes ready for SMTP (CRLF line ends; SMTPUTF8 only for a non-ASCII address)."""
    msg = EmailMessage()
    msg["From"] = smtp.sender
    msg["To"] = recipient
    msg["Subject"] = " ".join(subject.split())
    msg["Date"] = format_datetime(clock().astimezone(UTC))
    msg["Message-ID"] = msg_id
    msg["List-Id"] = f"{list_id} <{list_id.lower().replace(' ', '-')}.nordsearch.{smtp.domain}>"
    if unsubscribe is not None:
        links = [link for link in (unsubscribe.web, unsubscribe.mailto) if link]
        msg["List-Unsubscribe"] = ", ".join(f"<{link}>" for link in links)
        if unsubscribe.web:
            msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    msg["Content-Language"] = lang  # after the parts: set_content moves Content-* headers into the first part
    chosen = policy.SMTP if recipient.isascii() and smtp.sender_address.isascii() else policy.SMTPUTF8
    return msg.as_bytes(policy=chosen)
