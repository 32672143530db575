"""A real SMTP server for the e-mail tests: aiosmtpd on 127.0.0.1, keeping what it receives.

`Inbox` is the handler: it takes every message (parsed with the `email` package for the
tests), refuses the addresses in `refuse` at RCPT (550) and those in `refuse_data` after the
data (554), waits `delay` seconds per message if asked, and calls `on_rcpt` / `on_data` hooks
(the kill tests use them to SIGKILL the sender at an exact point of the SMTP dialogue).
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.raw, policy=policy.default)


@dataclass
class Inbox:
    """The handler of the test server and everything it accepted."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    refuse_data: set[str] = field(default_factory=set)
    delay: float = 0.0
    on_rcpt: Callable[[str, int], None] | None = None  # (address, messages accepted so far)
    on_data: Callable[[Received, int], None] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.on_rcpt:
            self.on_rcpt(address, len(self.received))
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if set(envelope.rcpt_tos) & self.refuse_data:
            return "554 5.7.1 message refused"
        got = Received(
            envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content or envelope.content)
        )
        with self.lock:
            self.received.append(got)
            count = len(self.received)
        if self.on_data:
            self.on_data(got, count)
        return "250 2.0.0 OK queued"

    def messages(self) -> list[EmailMessage]:
        with self.lock:
            return [r.message for r in self.received]

    def to(self) -> list[str]:
        with self.lock:
            return [a for r in self.received for a in r.rcpt_tos]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def smtp_server(inbox: Inbox | None = None) -> Iterator[tuple[Inbox, int]]:
    """An aiosmtpd server on 127.0.0.1 (a free port) for the block; yields the inbox and the port."""
    inbox = inbox or Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), enable_SMTPUTF8=True)
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()
