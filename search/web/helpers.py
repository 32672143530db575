"""Template helpers: links that keep the UI language, safe highlights, safe outbound links.

>>> from search.model import Fragment
>>> str(highlight((Fragment("<b>lasten"), Fragment("suojelu", match=True))))
'&lt;b&gt;lasten<mark>suojelu</mark>'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath
from urllib.parse import unquote, urlencode, urlsplit

from flask import current_app, g, request, url_for
from markupsafe import Markup, escape

from search.digest.safety import safe_url as _safe_url
from search.model import Fragment
from search.web.i18n import SELF_NAMES, UI_PARAM, html_lang

__all__ = [
    "SELF_NAMES",
    "absolute_url",
    "highlight",
    "html_lang",
    "link",
    "public_url",
    "safe_url",
    "switch_ui",
    "url_label",
]


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
    """An outbound link target only for absolute http(s) URLs; None means "show as text".

    A document ingested from a local file has a `file:` URL: a path on the server, which web
    users never see (`url_label` shows its file name instead).
    """
    return public_url(url)


def public_url(url: str | None) -> str | None:
    """`url` when a web user may see and follow it (absolute http or https, made safe); else None."""
    target = _safe_url(url)
    if target is None or urlsplit(target).scheme.lower() not in ("http", "https"):
        return None
    return target


def url_label(url: str | None) -> str:
    """What a page shows for an original that is not a public link: a file's name, never its path."""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        return url  # shown as escaped text, never as a link (see public_url)
    return PurePosixPath(unquote(parts.path)).name


def absolute_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint`, on the configured public address (never the request's Host)."""
    path = url_for(endpoint, **values)
    root = request.script_root
    if root and path.startswith(root):  # the public address already holds any path prefix
        path = path[len(root) :]
    return current_app.config["NORDSEARCH_BASE_URL"].rstrip("/") + path
