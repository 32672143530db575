"""`nordsearch serve`: the web app under gunicorn, in one worker process per core.

The click command only resolves its options against the data directory's `config.toml`
(`web_workers`, `web_threads`, `web_timeout`, `web_preload`, `base_url`, `access_log`), binds
the address and hands over to `search.web.server`, where gunicorn's arbiter runs the workers.
Each worker builds the app (`build_app`), and searches once per language before it accepts a
connection (`warm_up`), so opening the index and loading each language's dictionaries is not
paid by users' requests, nor after a worker is replaced.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import replace

import click

from corpus.config import DataDir
from search.web.server import default_workers

#: Searched by each worker before it accepts connections, one per language, so opening the index
#: and loading each language's dictionaries is not paid by users' requests (nor after a restart):
#: cold, the Finnish query took 0.8 s and the first Danish one 1.8 s on the 10k collection.
WARM_UP_QUERIES = ("lastensuojelu", "barnskydd", "barnevern", "børnebeskyttelse", "child protection")
#: Response headers added with `debug_headers` (tests and bench/bench_web.py): which worker
#: answered, and its result cache's hits and misses so far.
WORKER_HEADER = "X-Nordsearch-Worker"
CACHE_HEADER = "X-Nordsearch-Cache"
#: prometheus-client reads this when it is first imported: it must be set before the app loads.
METRICS_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"

log = logging.getLogger(__name__)


def build_app(data_dir: DataDir, *, cache_seconds: float | None = None, base_url: str | None = None):
    """The app `serve` runs (`cache_seconds=0`: no result cache, every request searches)."""
    from search.web.app import create_app
    from search.web.cache import DEFAULT_ENTRIES, DEFAULT_TTL

    ttl = DEFAULT_TTL if cache_seconds is None else cache_seconds
    return create_app(data_dir, cache_entries=0 if ttl <= 0 else DEFAULT_ENTRIES, cache_ttl=ttl, base_url=base_url)


def with_debug_headers(app):
    """`app` answering with WORKER_HEADER and CACHE_HEADER on every response."""
    cache = app.extensions["nordsearch"].cache

    def wrapped(environ, start_response):
        def start(status, headers, exc_info=None):
            headers = [
                *headers,
                (WORKER_HEADER, str(os.getpid())),
                (CACHE_HEADER, f"hits={cache.hits} misses={cache.misses}"),
            ]
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return wrapped


def warm_up(app, queries: Sequence[str] = WARM_UP_QUERIES) -> None:
    """Real searches past the result cache, so the first users' requests do not load the dictionaries."""
    from search.model import SearchRequest

    collection = app.extensions["nordsearch"]
    collection.ensure_watching()  # from now on, a new index is opened within a second
    for query in queries:
        try:
            collection.search_fn(collection.data_dir, SearchRequest(query))
        except Exception as exc:  # a missing or broken index: the pages say so per request
            log.warning("worker %d: warm-up search failed: %s", os.getpid(), exc)
            return


def start_worker(app) -> None:
    """In each worker, before it accepts connections: the warm-up searches, then the index
    watcher (a new commit or rebuild is opened within a second, see `Collection.ensure_watching`)."""
    warm_up(app)
    app.extensions["nordsearch"].ensure_watching()


def preload_shared(app) -> None:
    """Load, before the workers are forked, what they can share: modules, dictionaries, thesaurus.

    The warm-up searches load them; then every index and database handle they opened is
    closed (`close_backends`): a handle carried across fork is shared state, and SQLite forbids
    using a connection in a child. Each worker opens its own in its warm-up.
    """
    from search.query import close_backends

    app.extensions["nordsearch"].thesaurus  # noqa: B018  (a cached property: loads it now)
    warm_up(app)
    close_backends()


def _address(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def bound_address(sockets) -> str:
    """The URL of the first listening socket."""
    host, port = sockets[0].getsockname()[:2]
    return _address(host, port)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run_server(
    data_dir: DataDir,
    host: str = "127.0.0.1",
    port: int = 8080,
    *,
    workers: int | None = None,
    threads: int | None = None,
    timeout: float | None = None,
    preload: bool | None = None,
    access_log: str | None = None,
    base_url: str | None = None,
    cache_seconds: float | None = None,
    debug_headers: bool = False,
    announce=print,
) -> None:
    """Serve the web app over `data_dir` on `host:port` until SIGTERM or Ctrl-C.

    Options left None come from the data directory's config.toml. `announce` gets the line
    naming the address (tests and the bench read it). Raises ServeError when the address cannot
    be bound; gunicorn exits the process when it stops.
    """
    from search.errors import ServeError
    from search.web import server

    settings = data_dir.settings()
    try:
        sockets = server.listen_sockets(host, port)
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    try:
        options = server.ServerOptions(
            workers=workers or settings.web_workers or default_workers(),
            threads=threads or settings.web_threads,
            timeout=timeout if timeout is not None else settings.web_timeout,
            preload=settings.web_preload if preload is None else preload,
            access_log=(settings.access_log if access_log is None else access_log) or None,
        )
        address = bound_address(sockets)
    except BaseException:
        for sock in sockets:
            sock.close()
        raise
    public = base_url or settings.base_url or address
    if not _is_loopback(host):
        click.echo(f"note: listening on {host}, reachable from other machines", err=True)
    plural = "s" if options.workers != 1 else ""
    announce(f"nordsearch web app for {data_dir.root} at {address} ({options.workers} worker{plural}; Ctrl-C to stop)")
    sys.stdout.flush()

    def load_app():
        app = build_app(data_dir, cache_seconds=cache_seconds, base_url=public)
        if options.preload:
            preload_shared(app)
        served = with_debug_headers(app) if debug_headers else app
        return served, lambda: start_worker(app)

    with server.metrics_directory(os.environ.get(METRICS_DIR_ENV)) as metrics_dir:
        os.environ[METRICS_DIR_ENV] = metrics_dir  # before prometheus_client is imported
        # gunicorn owns the sockets from here (and closes them); workers leave through SystemExit.
        server.run(load_app, [sock.detach() for sock in sockets], replace(options, metrics_dir=metrics_dir))


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Worker processes, each searching on its own core "
    f"[default: config.toml's web_workers, else one per core, here {default_workers()}].",
)
@click.option("--threads", type=click.IntRange(1, 64), help="Threads per worker [default: web_threads, 8].")
@click.option(
    "--timeout",
    type=click.FloatRange(1, 3600),
    help="Seconds a request may run before its worker is killed and replaced [default: web_timeout, 30].",
)
@click.option(
    "--preload/--no-preload",
    default=None,
    help="Load the app once before forking the workers, so they share its memory [default: web_preload].",
)
@click.option(
    "--access-log",
    metavar="FILE",
    help="Access log in the common log format: a file, '-' for standard output, '' for none "
    "[default: access_log, '-'].",
)
@click.option(
    "--base-url",
    metavar="URL",
    help="The public address of the site (e.g. https://nordsearch.example.fi/), for absolute links in "
    "feeds; never taken from a request's Host header [default: base_url, else the listening address].",
)
@click.option(
    "--cache-seconds",
    default=60.0,
    show_default=True,
    type=click.FloatRange(0, 3600),
    help="Keep a search's result this long for repeated requests, per worker (0: no cache).",
)
@click.option(
    "--debug-headers",
    is_flag=True,
    help=f"Add {WORKER_HEADER} (the worker's pid) and {CACHE_HEADER} (its cache hits) to responses; for tests and benchmarks.",
)
@click.pass_obj
def serve(
    ctx, host, port, workers, threads, timeout, preload, access_log, base_url, cache_seconds, debug_headers
) -> None:
    """Serve the read-only web app: search, documents, digests, feeds, the JSON API, health and metrics.

    gunicorn runs the workers: SIGHUP replaces them gracefully (new config and index), SIGTERM
    stops after in-flight requests, a hung request's worker is killed after --timeout.
    GET /healthz, /readyz and /metrics are for the service manager and Prometheus.
    """
    data_dir: DataDir = ctx.data_dir
    if not data_dir.store_file.exists():
        from corpus.errors import StoreError

        raise StoreError(f"no store at {data_dir.store_file}: run 'nordsearch ingest' or 'nordsearch crawl' first")
    if base_url is not None:
        from search.web.app import check_base_url

        check_base_url(base_url)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    run_server(
        data_dir,
        host,
        port,
        workers=workers,
        threads=threads,
        timeout=timeout,
        preload=preload,
        access_log=access_log,
        base_url=base_url,
        cache_seconds=cache_seconds,
        debug_headers=debug_headers,
        announce=click.echo,
    )
