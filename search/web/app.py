"""The web app's factory: `create_app(data_dir)` wires the pages, the API and the feeds.

Pages read the store with `readonly=True` (one SQLite connection per request, closed when
the request ends, so worker threads never share one); the few routes that write (following a
search, confirming it, unsubscribing: search/web/alerts.py) open a writable one. It searches
through a search function passed in (by default `search.query.search`), so tests can hand it
a small stand-in and a server backend can replace Whoosh without touching this package.

Every response carries security headers; crawled text is hostile, so templates autoescape and
the Content-Security-Policy forbids inline scripts and styles. Errors render a friendly page
(or a JSON error under /api/) in the UI language, never a traceback.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, g, jsonify, render_template, request
from markupsafe import Markup
from werkzeug.exceptions import HTTPException, NotFound

from corpus.config import DataDir
from corpus.errors import ConfigError, NordsearchError
from corpus.model import LANGUAGES
from search import i18n
from search.model import SearchRequest, SearchResult
from search.web import helpers
from search.web.cache import DEFAULT_ENTRIES, DEFAULT_TTL, ResultCache
from search.web.i18n import UI_PARAM, choose_ui, t

SearchFn = Callable[[DataDir, SearchRequest], SearchResult]
log = logging.getLogger(__name__)

#: Crawled pages are hostile: no inline script or style, nothing loaded from elsewhere, no framing.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
#: The public address when neither `serve` nor config.toml name one (`serve` passes the address it
#: listens on): links made from it are right on the machine itself.
DEFAULT_BASE_URL = "http://localhost:8080/"
#: A chosen UI language is remembered this long (seconds): one year.
UI_COOKIE_AGE = 365 * 24 * 3600
#: How often each worker process looks for a new index (seconds): a commit or a rebuild is
#: opened by every worker within this time, even by one that gets no requests.
INDEX_CHECK_SECONDS = 0.5


def default_search(data_dir: DataDir, req: SearchRequest) -> SearchResult:
    """The real search, imported when first used so the app starts even while the index is missing."""
    from search.query import search

    return search(data_dir, req)


class Collection:
    """What the app reads, per process: the data directory, its thesaurus and sources (loaded once)."""

    def __init__(self, data_dir: DataDir, search_fn: SearchFn, cache: ResultCache, *, watch_index: bool = False):
        self.data_dir = data_dir
        self.search_fn = search_fn
        self.cache = cache
        self.watch_index = watch_index
        self._watcher_pid = 0  # the process whose watcher thread runs (threads do not survive a fork)
        self._watcher_lock = threading.Lock()

    @cached_property
    def _index(self):
        """The index backend, asked only for its identity (which reads two small files, no lock)."""
        from index.backend import open_backend

        return open_backend(self.data_dir)

    def index_identity(self) -> str:
        """The identity of the index on disk now ("" when there is none or it cannot be read)."""
        try:
            return self._index.identity()
        except (OSError, NordsearchError):
            return ""

    def ensure_watching(self) -> None:
        """Starts this process's index watcher once (called on each request; cheap after the first)."""
        if not self.watch_index or self._watcher_pid == os.getpid():
            return
        with self._watcher_lock:
            if self._watcher_pid == os.getpid():
                return
            self._watcher_pid = os.getpid()
            threading.Thread(target=self._watch, name="nordsearch-index-watch", daemon=True).start()

    def _watch(self) -> None:
        """Opens each new index as soon as it is committed (see `search.query.keep_current`)."""
        from search.query import keep_current

        seen = self.index_identity()
        while True:
            time.sleep(INDEX_CHECK_SECONDS)
            now = self.index_identity()
            if now == seen or not now:
                continue
            try:
                seen = keep_current(self.data_dir)
            except NordsearchError as exc:  # a damaged index: each search says so until rebuilt
                log.warning("index changed but cannot be opened: %s", exc)
                seen = now
            except Exception:  # the watcher must outlive anything one index does to it
                log.exception("index watcher")
                seen = now

    @cached_property
    def thesaurus(self):
        from corpus.areas import load_thesaurus
        from index.classify import thesaurus_files

        files = thesaurus_files(self.data_dir)
        return load_thesaurus(*files[1:], shipped=Path(files[0]))

    @cached_property
    def area_ids(self) -> frozenset[str]:
        return frozenset(self.thesaurus.ids)

    def area_label(self, area_id: str, lang: str) -> str:
        """An area's label in the UI language; an id the thesaurus no longer knows is shown as it is."""
        if area_id in self.area_ids:
            return self.thesaurus.label(area_id, lang)
        return area_id

    def store(self):
        """A read-only store for this request (closed at the end of the request)."""
        if "store" not in g:
            from corpus.store import Store

            g.store = Store(self.data_dir.store_file, readonly=True)
        return g.store

    def writable_store(self):
        """A writable store for the few routes that write (alerts, unsubscribe); closed at the end of the request."""
        if "writable_store" not in g:
            from corpus.store import Store

            g.writable_store = Store(self.data_dir.store_file)
        return g.writable_store

    @cached_property
    def signer(self):
        """Signs and checks the tokens of links and forms (search.mail.tokens)."""
        from search.mail.tokens import Signer

        return Signer.for_data_dir(self.data_dir)

    @cached_property
    def smtp(self):
        """The SMTP relay of the data directory's settings, or None when none is set (no e-mail from the web)."""
        from search.errors import MailError
        from search.mail.settings import smtp_settings

        try:
            return smtp_settings(self.data_dir.settings())
        except MailError:
            return None

    def search(self, req: SearchRequest) -> SearchResult:
        """The result of `req`, from the short-lived cache when the same search ran moments ago
        on the same index (the key holds the index identity: a new commit is a new key)."""
        return self.cache.get_or_compute((self.index_identity(), req), lambda: self.search_fn(self.data_dir, req))


def check_base_url(url: str) -> str:
    """`url` when it can be the site's public address (absolute http or https, no query); else ConfigError."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(f"base_url {url!r} must be the site's absolute address, like https://nordsearch.example.fi/")
    return url


def create_app(
    data_dir: DataDir | str | Path,
    *,
    search_fn: SearchFn | None = None,
    cache_entries: int = DEFAULT_ENTRIES,
    cache_ttl: float = DEFAULT_TTL,
    base_url: str | None = None,
) -> Flask:
    """The nordsearch web app over one data directory (`cache_entries=0`: no result cache).

    `base_url` is the site's public address: absolute links (feeds) start with it and never
    with a request's Host header, which any client can set. Default: config.toml's `base_url`,
    else DEFAULT_BASE_URL.
    """
    if not isinstance(data_dir, DataDir):
        data_dir = DataDir.resolve(data_dir)
    base_url = check_base_url(base_url or data_dir.settings().base_url or DEFAULT_BASE_URL)
    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=64 * 1024,  # only small forms are ever posted (follow a search, unsubscribe)
        JSON_SORT_KEYS=False,
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.jinja_env.autoescape = True  # also for any template name, not only *.html
    cache = ResultCache(cache_entries, cache_ttl)
    app.extensions["nordsearch"] = Collection(
        data_dir, search_fn or default_search, cache, watch_index=search_fn is None
    )
    app.config["NORDSEARCH_BASE_URL"] = base_url

    from search.web import alerts, api, feeds, health, metrics, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(alerts.bp)
    metrics.install(app)
    _install_ui_language(app)
    _install_headers(app)
    _install_errors(app)
    app.jinja_env.globals.update(
        csrf_field=alerts.csrf_field,
        alerts_enabled=alerts.alerts_enabled,
        t=lambda key, **values: t(key, g.ui, **values),
        link=helpers.link,
        switch_ui=helpers.switch_ui,
        html_lang=helpers.html_lang,
        highlight=helpers.highlight,
        safe_url=helpers.safe_url,
        url_label=helpers.url_label,
        country_name=lambda code: i18n.country_name(code, g.ui),
        language_name=lambda code: i18n.language_name(code, g.ui),
        format_date=lambda value: i18n.format_date(value, g.ui),
        area_label=lambda area_id: collection().area_label(area_id, g.ui),
        doc_type_label=lambda value: _doc_type_label(value, g.ui),
        UI_LANGUAGES=i18n.UI_LANGUAGES,
        SELF_NAMES=helpers.SELF_NAMES,
        LANGUAGES=LANGUAGES,
    )
    return app


def _doc_type_label(value: str, ui: str) -> str:
    from search.web.facets import doc_type_label

    return doc_type_label(value, ui)


def collection() -> Collection:
    from flask import current_app

    return current_app.extensions["nordsearch"]


def _install_ui_language(app: Flask) -> None:
    @app.before_request
    def watch_index() -> None:
        collection().ensure_watching()

    @app.before_request
    def pick_ui() -> None:
        best = request.accept_languages.best_match(i18n.UI_LANGUAGES)
        g.ui, g.ui_explicit = choose_ui(request.args.get(UI_PARAM), request.cookies.get(UI_PARAM), best)

    @app.teardown_appcontext
    def close_store(_exc) -> None:
        for name in ("store", "writable_store"):
            store = g.pop(name, None)
            if store is not None:
                store.close()


def _install_headers(app: Flask) -> None:
    @app.after_request
    def headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        # Pages depend on the UI language, which may come from Accept-Language.
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
        chosen = request.args.get(UI_PARAM)
        if chosen in i18n.UI_LANGUAGES and request.cookies.get(UI_PARAM) != chosen:
            response.set_cookie(UI_PARAM, chosen, max_age=UI_COOKIE_AGE, samesite="Lax", httponly=True)
        return response


def _error_response(status: int, key: str):
    ui = g.get("ui", i18n.FALLBACK)
    if request.path.startswith("/api/"):
        return jsonify({"error": t(f"web.error.{key}.text", "en"), "status": status}), status
    title = t(f"web.error.{key}.title", ui)
    text = t(f"web.error.{key}.text", ui)
    return render_template("error.html", status=status, title=title, text=Markup.escape(text)), status


def _install_errors(app: Flask) -> None:
    keys = {400: "bad_request", 404: "not_found", 405: "not_allowed", 413: "bad_request"}

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if "ui" not in g:
            g.ui, g.ui_explicit = i18n.FALLBACK, False
        status = exc.code or 500
        return _error_response(status, keys.get(status, "server"))

    @app.errorhandler(NordsearchError)
    def collection_error(exc: NordsearchError):
        # e.g. no store or no index yet: the operator's problem, the visitor gets a calm page
        log.warning("collection unavailable: %s", exc)
        return _error_response(503, "unavailable")

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        if isinstance(exc, HTTPException):  # pragma: no cover - handled above
            return http_error(exc)
        log.exception("error serving %s", request.path)
        return _error_response(500, "server")


__all__ = ["create_app", "collection", "NotFound"]
