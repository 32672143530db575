"""The web app's UI language: chosen from `?ui=`, a cookie or Accept-Language, and its labels.

The UI speaks fi, sv and en (the network's two languages and a fallback). Page labels live in
`search/web/messages/{lang}.toml` under one `[web]` table; everything else — country and
language names, dates, digest labels — comes from the shared catalogue in `search.i18n`, so a
label is translated once for the CLI, the digests and the web.

    >>> t("web.search.button", "sv")
    'Sök'
"""

from __future__ import annotations

from search import i18n
from search.i18n import UI_LANGUAGES

#: Without any hint the network's majority language is the best guess.
DEFAULT_UI = "fi"
#: The name of the query parameter and of the cookie that carry an explicit choice.
UI_PARAM = "ui"
#: How each UI language names itself in the language switch.
SELF_NAMES = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}


def web_catalogue(lang: str) -> dict[str, str]:
    """The one message catalogue (search/messages), which holds the web labels under `web.`."""
    return i18n.catalogue(lang)


def t(key: str, lang: str, **values) -> str:
    """The label `key` in `lang`: web labels first, then the shared catalogue, then English, then the key."""
    text = web_catalogue(i18n.ui_lang(lang)).get(key) or web_catalogue(i18n.FALLBACK).get(key)
    if text is None:
        return i18n.message(key, lang, **values)
    return text.format(**values) if values else text


def choose_ui(param: str | None, cookie: str | None, accept_best: str | None) -> tuple[str, bool]:
    """The UI language and whether the user chose it explicitly (a param or a cookie).

    An explicit choice wins over the browser's Accept-Language, so a Swedish speaker on a
    Finnish-configured work computer can switch once and stay switched.
    """
    for value in (param, cookie):
        if value in UI_LANGUAGES:
            return value, True
    return (accept_best if accept_best in UI_LANGUAGES else DEFAULT_UI), False


def html_lang(code: str | None) -> str | None:
    """The value of a `lang` attribute for a content language code; None when unknown (`und`)."""
    if not code or code == "und" or not code.isalpha() or len(code) > 3:
        return None
    return code
