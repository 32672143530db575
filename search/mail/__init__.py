"""E-mail: the SMTP relay, delivery records that never double a message, subscribers, signed links.

    settings.py     SMTP settings from the data directory's config (or `--smtp HOST:PORT`)
    address.py      e-mail addresses checked and normalised (email-validator, no DNS)
    tokens.py       signed links: unsubscribe, confirm, the web form's CSRF token (itsdangerous)
    smtp.py         the relay connection (smtplib) that records a message as sent just before
                    the end of its data, then lets the server accept it
    deliveries.py   one row per (kind, reference, recipient): what was sent, refused, uncertain
    lock.py         one sending job per data directory
    subscribers.py  digest subscribers (address, language, areas) in the store

Digest sending is in `search.digest.send`, alerts in `search.alerts`; both build messages and
hand them to `deliveries.deliver`.
"""
