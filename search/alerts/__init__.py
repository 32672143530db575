"""Saved-search alerts: a network member follows a search and gets an e-mail when new documents match.

    model.py     SavedSearch (query + filters, as the search page and the CLI give them) and Alert
    store.py     the alerts, the documents each has mailed, and the web form's rate limit
    find.py      a saved search's documents that are new since the alert began and not yet mailed
    mail.py      the alert e-mail and the double opt-in confirmation e-mail (fi, sv, en)
    send.py      `nordsearch alerts send`: every active alert, recorded per mail (search.mail)

The web form ("follow this search") is in search/web/alerts.py; an alert made there is
`pending` until its address confirms it, and nothing but the confirmation is sent before.
"""
