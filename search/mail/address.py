"""E-mail addresses: checked for syntax and normalised by email-validator before they are stored.

No DNS lookup (the machine may have no network, and a lookup would tell nothing about whether
someone reads the mailbox): the confirmation e-mail of a saved search is the real check.
The whole address is lower-cased: RFC 5321 lets a mailbox's local part be case-sensitive,
but no mail service the network uses treats Anna@ and anna@ as two people, and one person
must not become two subscribers (or escape a rate limit) by a capital letter.

    >>> normalise("Konsultti@Example.FI")
    'konsultti@example.fi'
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from search.errors import MailError

#: Longer addresses are refused outright (RFC 5321 caps a path at 256 octets).
MAX_LENGTH = 254


def normalise(address: str) -> str:
    """The address in its normal form (domain in lower case, IDNA); MailError when it is not an address."""
    text = (address or "").strip()
    if not text or len(text) > MAX_LENGTH:
        raise MailError(f"{text[:60]!r} is not an e-mail address")
    try:
        found = validate_email(text, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError as exc:
        raise MailError(f"{text[:80]!r} is not an e-mail address: {exc}") from None
    return found.normalized.lower()


def is_address(address: str) -> bool:
    try:
        normalise(address)
    except MailError:
        return False
    return True
