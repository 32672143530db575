"""The SMTP relay (smtplib): one connection for a whole run, one transaction per recipient.

The point of this module is the moment a message counts as sent. SMTP gives no way to make
"the server has it" and "we wrote that down" one step, so the order is chosen to make the gap
as small as it can be:

    MAIL FROM, RCPT TO, DATA, the message's lines  ─►  `before_end()` records it as sent
    (a committed row)  ─►  the terminating "." goes out  ─►  the server's reply is read

A relay never delivers a message whose terminating "." it did not receive (RFC 5321 §4.1.1.4:
a dropped connection abandons the transaction). So a kill *before* the record leaves a message
the server never took, and the next run sends it; a kill *after* the record leaves a message
counted as sent, which the server takes (it has the whole message and the final "." is already
in the socket) unless it refuses it at the very end. The one case left: killed in the
microseconds between the committed record and writing the "." to the socket, the message is
counted but the server never finishes it. Those rows have no `accepted_at`, so the next run
names them as "uncertain" instead of guessing (see deliveries.py); sending them again with the
same Message-ID (`--resend-uncertain`) is the operator's call.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass

from search.errors import MailError
from search.mail.settings import SmtpSettings

_LINE_START_DOT = re.compile(rb"(?m)^\.")


@dataclass(frozen=True)
class Reply:
    """The server's answer to one message: accepted, refused for good (5xx), or deferred (4xx)."""

    outcome: str  # "accepted" | "refused" | "deferred"
    code: int
    text: str
    stage: str = "data"  # "rcpt" | "data"

    @property
    def detail(self) -> str:
        return f"{self.code} {self.text}".strip()


def _reply(code: int, text: bytes | str, stage: str) -> Reply:
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    message = " ".join(message.split())
    if 200 <= code < 300:
        return Reply("accepted", code, message, stage)
    return Reply("deferred" if 400 <= code < 500 else "refused", code, message, stage)


def _wire(message: bytes) -> bytes:
    """The message as DATA carries it: CRLF line ends, a leading "." doubled, ending in CRLF."""
    data = re.sub(rb"\r?\n", b"\r\n", message)
    data = _LINE_START_DOT.sub(b"..", data)
    return data if data.endswith(b"\r\n") else data + b"\r\n"


class Relay:
    """A connection to the relay, opened at the first `send` (none when nothing is sent); a context manager."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        self._client: smtplib.SMTP | None = None
        self._used = False

    def __enter__(self) -> Relay:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def connect(self) -> None:
        s = self.settings
        try:
            if s.security == "tls":
                client = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=ssl.create_default_context())
            else:
                client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            client.ehlo_or_helo_if_needed()
            if s.security == "starttls":
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if s.user:
                client.login(s.user, s.password)
        except smtplib.SMTPAuthenticationError as exc:
            raise MailError(
                f"the relay {s.describe()} refused the login: {exc.smtp_code} {_text(exc.smtp_error)}"
            ) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise MailError(f"the relay {s.describe()} cannot do that: {exc} (check smtp_security)") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"cannot connect to the SMTP relay {s.describe()}: {_describe(exc)}") from None
        self._client = client
        self._used = False

    def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()

    def send(self, sender: str, recipient: str, message: bytes, before_end: Callable[[], None]) -> Reply:
        """Send one message; `before_end` runs (and records it) just before the terminating ".".

        A refused or deferred recipient is a `Reply`, not an exception; a broken connection is a
        MailError (the caller reconnects or stops, and the message's record says how far it got).
        """
        if self._client is None:
            self.connect()
        client = self._client
        try:
            if self._used:
                client.rset()
            self._used = True
            options: list[str] = []
            if not (sender + recipient).isascii():
                if not client.has_extn("smtputf8"):
                    return Reply("refused", 553, "the relay does not take non-ASCII addresses (no SMTPUTF8)", "rcpt")
                options = ["SMTPUTF8", "BODY=8BITMIME"]
            code, text = client.mail(sender, options)
            if code != 250:
                raise MailError(f"the relay refused the sender {sender}: {code} {_text(text)} (check mail_from)")
            code, text = client.rcpt(recipient)
            if code not in (250, 251):
                return _reply(code, text, "rcpt")
            code, text = client.docmd("DATA")
            if code != 354:
                return _reply(code, text, "data")
            client.send(_wire(message))
            before_end()
            client.send(b".\r\n")
            code, text = client.getreply()
            return _reply(code, text, "data")
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            self._client = None
            raise MailError(f"the connection to the relay broke: {_describe(exc)}") from None


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _describe(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or exc.__class__.__name__
