"""The app's write routes: follow a search by e-mail (double opt-in), confirm it, unsubscribe.

    POST /alerts                      the "follow this search" form of the results page
    GET  /alerts/confirm/<token>      the confirmation link of the e-mail: a page with a button
    POST /alerts/confirm/<token>      ... which activates the alert
    GET  /unsubscribe/<token>         the unsubscribe link of a digest or alert e-mail: a button
    POST /unsubscribe/<token>         ... which unsubscribes; also RFC 8058 one-click from mail clients

Links in e-mails only show a page with a button: mail scanners follow links, and must neither
confirm nor unsubscribe anyone. The form carries a CSRF token bound to a random cookie
(SameSite=Strict). Requests are limited per client (per hour) and per address (per day),
counted in the store so every worker sees the same counts. The answer to the form is the same
whether or not the address already follows the search, is pending, or hit its limit: nobody
learns from it who follows what. Only the confirmation is ever sent before the address
confirms, and the confirmation link is signed and expires.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import timedelta

from flask import Blueprint, abort, current_app, g, render_template, request

from search.errors import MailError
from search.web.app import collection
from search.web.i18n import t
from search.web.params import parse_search

bp = Blueprint("alerts", __name__)

CSRF_COOKIE = "nordsearch_csrf"
CSRF_FIELD = "csrf"


# -- CSRF -----------------------------------------------------------------------------------


def csrf_field() -> str:
    """The hidden form field's token (a template global); the cookie it is bound to is set after the request."""
    nonce = request.cookies.get(CSRF_COOKIE) or g.get("csrf_nonce")
    if not nonce:
        nonce = g.csrf_nonce = secrets.token_urlsafe(24)
    return collection().signer.csrf(nonce)


@bp.after_app_request
def set_csrf_cookie(response):
    nonce = g.get("csrf_nonce")
    if nonce and request.cookies.get(CSRF_COOKIE) != nonce:
        response.set_cookie(
            CSRF_COOKIE, nonce, httponly=True, samesite="Strict", secure=request.is_secure, max_age=24 * 3600
        )
    return response


def _csrf_ok() -> bool:
    return collection().signer.check_csrf(request.form.get(CSRF_FIELD, ""), request.cookies.get(CSRF_COOKIE, ""))


def alerts_enabled() -> bool:
    """Whether the form is offered: only when the data directory has an SMTP relay to confirm with."""
    return collection().smtp is not None


# -- pages ----------------------------------------------------------------------------------


def _page(title_key: str, text: str, *, status: int = 200, form: dict | None = None, back: str | None = None):
    return (
        render_template("mail_action.html", title=t(title_key, g.ui), text=text, form=form, back=back),
        status,
    )


def _search_back(params) -> str:
    from search.web.helpers import link

    return link("views.search_page", params.query_args(page=None))


@bp.post("/alerts")
def follow():
    """The "follow this search" form: the same answer for every address; a confirmation e-mail is sent."""
    from search.alerts import store as saved
    from search.alerts.model import SavedSearch
    from search.alerts.send import send_confirmations
    from search.mail.address import normalise
    from search.mail.smtp import Relay

    c = collection()
    if c.smtp is None:
        abort(404)
    params = parse_search(request.form, area_ids=c.area_ids)
    back = _search_back(params)
    if not _csrf_ok():
        return _page("web.alert.bad_form_title", t("web.alert.bad_form_text", g.ui), status=400, back=back)
    if params.is_empty:
        abort(400)
    settings = c.data_dir.settings()
    store = c.writable_store()
    client = request.remote_addr or "unknown"
    counts = saved.count_request(store, {f"client:{client}": timedelta(hours=1)})
    if counts[f"client:{client}"] > settings.alert_requests_per_client:
        return _page("web.alert.too_many_title", t("web.alert.too_many_text", g.ui), status=429, back=back)
    try:
        email = normalise(request.form.get("email", ""))
    except MailError:
        return _page("web.alert.bad_form_title", t("web.alert.bad_email", g.ui), status=400, back=back)
    allowed = saved.count_request(store, {f"address:{email}": timedelta(days=1)})[f"address:{email}"]
    if allowed <= settings.alert_requests_per_address:
        alert, _ = saved.save(store, email, SavedSearch.of(params.request), g.ui, state="pending")
        if alert.state == "pending":
            smtp = replace(c.smtp, base_url=current_app.config["NORDSEARCH_BASE_URL"])
            try:
                with Relay(smtp) as relay:
                    send_confirmations(
                        store, relay, smtp=smtp, signer=c.signer, alerts_to_confirm=[alert], area_label=c.area_label
                    )
            except MailError as exc:  # the relay is down: `alerts send` sends it later; the answer is the same
                current_app.logger.warning("confirmation e-mail not sent now: %s", exc)
        # an active alert for this search: nothing to confirm; the answer does not say so
    return _page("web.alert.sent_title", t("web.alert.sent_text", g.ui, email=email), back=back)


@bp.route("/alerts/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    from search.alerts import store as saved
    from search.errors import AlertError

    c = collection()
    found = c.signer.read_confirm(token)
    alert = None
    if found is not None:
        try:
            alert = saved.get(c.store(), found[0])
        except AlertError:
            alert = None
    if alert is None or alert.email != found[1]:
        return _page("web.alert.expired_title", t("web.alert.expired_text", g.ui), status=404)
    if request.method == "POST":
        if not _csrf_ok():
            return _page("web.alert.bad_form_title", t("web.alert.bad_form_text", g.ui), status=400)
        saved.confirm(c.writable_store(), alert.id, alert.email)
        return _page("web.alert.confirmed_title", t("web.alert.confirmed_text", g.ui))
    described = alert.search.describe(lambda a: c.area_label(a, g.ui))
    return _page(
        "web.alert.confirm_title",
        t("web.alert.confirm_text", g.ui, email=alert.email, search=described),
        form={"action": request.path, "button": t("web.alert.confirm_button", g.ui), "csrf": True},
    )


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """A digest's or an alert's way out. The signed token is the authority, so no CSRF token is asked:
    mail clients post RFC 8058's `List-Unsubscribe=One-Click` without cookies."""
    from search.alerts import store as saved
    from search.mail import subscribers

    c = collection()
    found = c.signer.read_unsubscribe(token)
    if found is None:
        return _page("web.alert.expired_title", t("web.alert.expired_text", g.ui), status=404)
    kind, key, email = found
    if request.method == "POST":
        store = c.writable_store()
        if kind == "digest":
            subscribers.remove(store, email)
        elif kind == "alert":
            saved.remove(store, int(key), email)
        return _page("web.alert.unsubscribed_title", t("web.alert.unsubscribed_text", g.ui, email=email))
    text_key = "web.alert.unsubscribe_digest" if kind == "digest" else "web.alert.unsubscribe_alert"
    return _page(
        "web.alert.unsubscribe_title",
        t(text_key, g.ui, email=email),
        form={"action": request.path, "button": t("web.alert.unsubscribe_button", g.ui), "csrf": False},
    )
