"""Signed tokens for links in e-mails and forms (itsdangerous), with one secret per data directory.

    unsubscribe   never expires: a digest in someone's inbox must unsubscribe years later
    confirm       a saved search's double opt-in link, valid CONFIRM_DAYS
    csrf          the web form's token, bound to a random cookie, valid CSRF_HOURS

The secret is `NORDSEARCH_SECRET_KEY` when set (several web nodes must share one), else the
data directory's `secret.key`, made on first use (32 random bytes, mode 0600). Each purpose
has its own salt, so a token made for one can never be used for another.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from itsdangerous import BadData, URLSafeSerializer, URLSafeTimedSerializer

from corpus.config import DataDir
from search.errors import MailError

ENV_SECRET = "NORDSEARCH_SECRET_KEY"
SECRET_FILE = "secret.key"
CONFIRM_DAYS = 7
CSRF_HOURS = 2


def secret_key(data_dir: DataDir, *, environ=os.environ) -> bytes:
    """The data directory's signing secret (made on first use)."""
    given = environ.get(ENV_SECRET)
    if given:
        return given.encode()
    path = Path(data_dir.root) / SECRET_FILE
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise MailError(f"cannot read the signing secret {path.name}: {exc}") from None
    key = secrets.token_hex(32).encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_bytes().strip()
    except OSError as exc:
        raise MailError(f"cannot create the signing secret in the data directory: {exc.strerror}") from None
    with os.fdopen(fd, "wb") as fh:
        fh.write(key + b"\n")
    return key


class Signer:
    """Makes and checks the tokens of one data directory."""

    def __init__(self, key: bytes):
        self._forever = {p: URLSafeSerializer(key, salt=f"nordsearch-{p}") for p in ("unsubscribe",)}
        self._timed = {p: URLSafeTimedSerializer(key, salt=f"nordsearch-{p}") for p in ("confirm", "csrf")}

    @classmethod
    def for_data_dir(cls, data_dir: DataDir) -> Signer:
        return cls(secret_key(data_dir))

    def unsubscribe(self, kind: str, key: str | int, email: str) -> str:
        """A token that ends a subscription (`kind` "digest") or one saved search (`kind` "alert", `key` its id)."""
        return self._forever["unsubscribe"].dumps([kind, key, email])

    def read_unsubscribe(self, token: str) -> tuple[str, str | int, str] | None:
        try:
            kind, key, email = self._forever["unsubscribe"].loads(token)
        except (BadData, ValueError, TypeError):
            return None
        return kind, key, email

    def confirm(self, alert_id: int, email: str) -> str:
        return self._timed["confirm"].dumps([alert_id, email])

    def read_confirm(self, token: str) -> tuple[int, str] | None:
        try:
            alert_id, email = self._timed["confirm"].loads(token, max_age=CONFIRM_DAYS * 86400)
        except (BadData, ValueError, TypeError):
            return None
        return int(alert_id), str(email)

    def csrf(self, nonce: str) -> str:
        return self._timed["csrf"].dumps(nonce)

    def check_csrf(self, token: str, nonce: str) -> bool:
        """Whether `token` was made for the cookie `nonce` in the last CSRF_HOURS."""
        if not token or not nonce:
            return False
        try:
            return secrets.compare_digest(str(self._timed["csrf"].loads(token, max_age=CSRF_HOURS * 3600)), nonce)
        except (BadData, ValueError, TypeError):
            return False
