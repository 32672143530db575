"""The e-mails of saved searches: the alert (new documents) and the confirmation (double opt-in).

Both come as plain text and HTML (inline styles, no remote images) in the alert's language,
with dates as `4.12.2026` and area names from the areas file. Links to documents go to their
page in the web app when its public address is known, else to the original (safe_url).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from search.alerts.find import NewDocument
from search.alerts.model import Alert
from search.digest.safety import safe_url
from search.i18n import country_name, format_date, language_name, message
from search.mail.message import compose, message_id, unsubscribe_links, web_link
from search.mail.settings import SmtpSettings
from search.mail.tokens import CONFIRM_DAYS, Signer

#: Documents listed in one alert e-mail; the rest are counted, with a link to the search.
MAX_LISTED = 25
WIDTH = 78
TEMPLATES = Path(__file__).with_name("templates")


@cache
def _templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False) or [""]


def search_url(smtp: SmtpSettings, alert: Alert) -> str:
    """The saved search on the web app's search page ("" without base_url)."""
    page = web_link(smtp, "")
    return page + ("?" + urlencode(alert.search.url_args()) if page else "")


def _item(doc: NewDocument, smtp: SmtpSettings, lang: str) -> dict:
    hit = doc.hit
    meta = [
        x
        for x in (
            hit.publisher,
            country_name(hit.country, lang) if hit.country else None,
            format_date(hit.date, lang) if hit.date else None,
            language_name(hit.lang, lang),
        )
        if x
    ]
    url = web_link(smtp, f"documents/{hit.id}") or safe_url(hit.url) or ""
    return {
        "title": hit.title or "—",
        "url": url,
        "lang": hit.lang,
        "meta": meta,
        "snippet": " ".join(hit.snippet_text.split()),
        "snippet_lang": hit.snippet_lang or hit.lang,
    }


def alert_message(
    alert: Alert,
    docs: Sequence[NewDocument],
    *,
    ref: str,
    smtp: SmtpSettings,
    signer: Signer,
    area_label: Callable[[str, str], str] = lambda a, lang: a,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> bytes:
    """The alert e-mail telling `alert`'s address about `docs` (the first MAX_LISTED listed)."""
    lang = alert.lang
    described = alert.search.describe(lambda a: area_label(a, lang))
    listed = [_item(d, smtp, lang) for d in docs[:MAX_LISTED]]
    more = message("alert.more", lang, count=len(docs) - MAX_LISTED) if len(docs) > MAX_LISTED else ""
    out = unsubscribe_links(smtp, signer, "alert", alert.id, alert.email)
    values = {
        "lang": lang,
        "title": message("alert.title", lang),
        "lead": message("alert.lead", lang, search=described, count=len(docs), date=format_date(alert.since, lang)),
        "items": listed,
        "more": more,
        "search_url": search_url(smtp, alert),
        "search_label": message("alert.search_link", lang),
        "reason": message("alert.reason", lang, email=alert.email, search=described),
        "unsubscribe_url": out.best,
        "unsubscribe_label": message("alert.unsubscribe", lang),
    }
    html = _templates().get_template("alert.html").render(**values)
    text = [values["title"].upper(), "", *_wrap(values["lead"]), ""]
    for n, item in enumerate(listed, start=1):
        text += _wrap(f"{n}. {item['title']}")
        text += _wrap(" · ".join(item["meta"]), "   ")
        if item["snippet"]:
            text += _wrap(item["snippet"], "   ")
        if item["url"]:
            text.append(f"   {item['url']}")
        text.append("")
    if more:
        text += [*_wrap(more), ""]
    if values["search_url"]:
        text += [f"{values['search_label']}: {values['search_url']}", ""]
    text += ["-- ", *_wrap(values["reason"]), f"{values['unsubscribe_label']}: {out.best}", ""]
    return compose(
        smtp,
        recipient=alert.email,
        subject=message("alert.subject", lang, search=described, count=len(docs)),
        text="\n".join(text),
        html=html,
        msg_id=message_id("alert", ref, alert.email, smtp.domain),
        lang=lang,
        list_id=message("alert.list", lang),
        unsubscribe=out,
        clock=clock,
    )


def confirm_url(smtp: SmtpSettings, signer: Signer, alert: Alert) -> str:
    return web_link(smtp, f"alerts/confirm/{signer.confirm(alert.id, alert.email)}")


def confirmation_message(
    alert: Alert,
    *,
    ref: str,
    smtp: SmtpSettings,
    signer: Signer,
    area_label: Callable[[str, str], str] = lambda a, lang: a,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> bytes:
    """The double opt-in e-mail: a link that confirms the alert; nothing else is sent before it is followed."""
    lang = alert.lang
    described = alert.search.describe(lambda a: area_label(a, lang))
    values = {
        "lang": lang,
        "title": message("alert.confirm_title", lang),
        "lead": message("alert.confirm_lead", lang, email=alert.email, search=described, days=CONFIRM_DAYS),
        "confirm_url": confirm_url(smtp, signer, alert),
        "confirm_label": message("alert.confirm_link", lang),
        "ignore": message("alert.confirm_ignore", lang),
    }
    html = _templates().get_template("confirm.html").render(**values)
    text = [
        values["title"].upper(),
        "",
        *_wrap(values["lead"]),
        "",
        values["confirm_url"],
        "",
        *_wrap(values["ignore"]),
        "",
    ]
    return compose(
        smtp,
        recipient=alert.email,
        subject=message("alert.confirm_subject", lang, search=described),
        text="\n".join(text),
        html=html,
        msg_id=message_id("confirm", ref, alert.email, smtp.domain),
        lang=lang,
        list_id=message("alert.list", lang),
        unsubscribe=None,
        clock=clock,
    )
