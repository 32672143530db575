"""The SMTP relay's settings: from the data directory's `config.toml`, or `--smtp HOST:PORT` for a local relay.

smtp_host = "smtp.example.fi"        smtp_security = "starttls" | "tls" | "none"
smtp_port = 587                      smtp_user = "tietokooste"
smtp_password_env = "NORDSEARCH_SMTP_PASSWORD"   (the variable's name; the password stays out of files)
mail_from = "Pohjoismainen tietokooste <tietokooste@example.fi>"
base_url = "https://nordsearch.example.fi/"      (unsubscribe and confirmation links)
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import getaddresses

from corpus.config import Settings
from search.errors import MailError

SECURITY = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send: the relay, its security, the login, the sender, the public address."""

    host: str
    port: int
    security: str
    user: str = ""
    password: str = ""
    timeout: float = 30.0
    sender: str = ""  # the From header, e.g. "Tietokooste <tietokooste@example.fi>"
    base_url: str = ""  # the web app's public address, for links in messages ("" : none)

    @property
    def sender_address(self) -> str:
        """The bare address of the sender (the SMTP envelope's MAIL FROM)."""
        return getaddresses([self.sender])[0][1]

    @property
    def domain(self) -> str:
        """The sender's domain: Message-IDs are made in it."""
        return self.sender_address.rpartition("@")[2] or "localhost"

    def describe(self) -> str:
        return f"{self.host}:{self.port} ({self.security}{', as ' + self.user if self.user else ''})"


def default_sender() -> str:
    """nordsearch@ this machine: a sender a local relay accepts when `mail_from` is not set."""
    host = socket.gethostname() or "localhost"
    return str(Address("nordsearch", "nordsearch", host if "." in host else f"{host}.localdomain"))


def parse_relay(value: str) -> tuple[str, int]:
    """HOST:PORT (a plain local relay); MailError when it is not one."""
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise MailError(f"--smtp {value!r}: give the relay as HOST:PORT, e.g. 127.0.0.1:25")
    return host.strip("[]"), int(port)


def smtp_settings(settings: Settings, relay: str | None = None, *, environ=os.environ) -> SmtpSettings:
    """The relay to use: `relay` ("HOST:PORT", plain and without login) or the settings' SMTP keys.

    A password is read from the environment variable the settings name; a login without one,
    or an unknown security, is a MailError that says which setting to fix.
    """
    sender = settings.mail_from or default_sender()
    if not getaddresses([sender])[0][1]:
        raise MailError(f"mail_from {settings.mail_from!r} in config.toml is not an e-mail address")
    common = {"sender": sender, "base_url": settings.base_url, "timeout": settings.smtp_timeout}
    if relay:
        host, port = parse_relay(relay)
        return SmtpSettings(host, port, "none", **common)
    if not settings.smtp_host:
        raise MailError(
            "no SMTP relay: set smtp_host (and smtp_port, smtp_security, smtp_user, mail_from) in the data "
            "directory's config.toml, or give --smtp HOST:PORT for a plain local relay"
        )
    if settings.smtp_security not in SECURITY:
        raise MailError(f"smtp_security {settings.smtp_security!r} in config.toml: use one of {', '.join(SECURITY)}")
    password = ""
    if settings.smtp_user:
        password = environ.get(settings.smtp_password_env, "")
        if not password:
            raise MailError(
                f"smtp_user is {settings.smtp_user!r} but the environment variable {settings.smtp_password_env} "
                "(smtp_password_env in config.toml) holds no password"
            )
    return SmtpSettings(
        settings.smtp_host,
        settings.smtp_port or DEFAULT_PORTS[settings.smtp_security],
        settings.smtp_security,
        settings.smtp_user,
        password,
        **common,
    )
