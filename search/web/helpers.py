"""Template helpers: links that keep the UI language, safe highlights, safe outbound links.

>>> from search.model import Fragment
>>> str(highlight((Fragment("<b>lasten"), Fragment("suojelu", match=True))))
'&lt;b&gt;lasten<mark>suojelu</mark>'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import urlencode

from flask import g, request, url_for
from markupsafe import Markup, escape

from search.digest.safety import safe_url as _safe_url
from search.model import Fragment
from search.web.i18n import SELF_NAMES, UI_PARAM, html_lang

__all__ = ["SELF_NAMES", "highlight", "html_lang", "link", "safe_url", "switch_ui"]


def _with_ui(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    out = [(k, v) for k, v in pairs if k != UI_PARAM]
    if g.get("ui_explicit"):
        out.append((UI_PARAM, g.ui))
    return out


def link(endpoint: str, _args: Sequence[tuple[str, str]] = (), **values) -> str:
    """The URL of `endpoint` with path `values` and query `_args`, keeping an explicit UI choice."""
    base = url_for(endpoint, **values)
    query = urlencode(_with_ui(_args))
    return f"{base}?{query}" if query else base


def switch_ui(lang: str) -> str:
    """This page's URL in another UI language: the same path and parameters, `ui` replaced."""
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k != UI_PARAM]
    pairs.append((UI_PARAM, lang))
    return f"{request.path}?{urlencode(pairs)}"


def highlight(snippet: Sequence[Fragment]) -> Markup:
    """Snippet fragments as HTML: every piece escaped, the matching ones inside `<mark>`.

    The markup is built here from escaped text, never by trusting text that already contains
    tags, so a crawled `<img onerror>` shows as those characters.
    """
    return Markup("").join(Markup("<mark>{}</mark>").format(f.text) if f.match else escape(f.text) for f in snippet)


def safe_url(url: str | None) -> str | None:
    """An outbound link target only for absolute http(s) and file URLs; None means "show as text"."""
    return _safe_url(url)
