"""`nordsearch serve`: the web app under waitress, in one worker process per core.

`make_server` is the library function for one in-process server (tests, the demo start the app
with it on 127.0.0.1 in a thread); `serve_prefork` is what the command runs: the parent binds
the address and forks `workers` processes (`search.web.prefork`), each building its own app and
running waitress on the inherited socket — searching is pure Python and one search at a time
per process, so more threads in one process cannot use a second core. The click command only
parses options and prints the address.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import sys
import threading
from collections.abc import Callable, Sequence

import click

from corpus.config import DataDir
from search.web.prefork import Supervisor, default_workers, listen_sockets

#: Threads per worker process: searches are short and mostly CPU-bound (the GIL), so a few
#: threads keep latency low without queuing behind slow clients; waitress buffers the sockets.
DEFAULT_THREADS = 8
#: Searched by each worker before it accepts connections, one per language, so opening the index
#: and loading each language's dictionaries is not paid by users' requests (nor after a restart):
#: cold, the Finnish query took 0.8 s and the first Danish one 1.8 s on the 10k collection.
WARM_UP_QUERIES = ("lastensuojelu", "barnskydd", "barnevern", "børnebeskyttelse", "child protection")
#: Response headers added with `debug_headers` (tests and bench/bench_web.py): which worker
#: answered, and its result cache's hits and misses so far.
WORKER_HEADER = "X-Nordsearch-Worker"
CACHE_HEADER = "X-Nordsearch-Cache"

log = logging.getLogger(__name__)


def build_app(data_dir: DataDir, *, cache_seconds: float | None = None):
    """The app `serve` runs (`cache_seconds=0`: no result cache, every request searches)."""
    from search.web.app import create_app
    from search.web.cache import DEFAULT_ENTRIES, DEFAULT_TTL

    ttl = DEFAULT_TTL if cache_seconds is None else cache_seconds
    return create_app(data_dir, cache_entries=0 if ttl <= 0 else DEFAULT_ENTRIES, cache_ttl=ttl)


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


def make_server(
    data_dir: DataDir,
    host: str = "127.0.0.1",
    port: int = 8080,
    *,
    threads: int = DEFAULT_THREADS,
    cache_seconds: float | None = None,
    app=None,
    sockets: Sequence | None = None,
):
    """A waitress server for the app over `data_dir` (port 0: any free port; see `.effective_port`).

    With `sockets` (already listening, e.g. inherited from `serve_prefork`'s parent) it serves
    those instead of binding `host` and `port`.
    """
    from waitress.server import create_server

    if app is None:
        app = build_app(data_dir, cache_seconds=cache_seconds)
    where = {"sockets": list(sockets)} if sockets else {"host": host, "port": port}
    return create_server(
        app,
        **where,
        threads=threads,
        ident="nordsearch",
        # Bound what one request may cost: the app only answers GETs with short query strings.
        max_request_header_size=64 * 1024,
        max_request_body_size=64 * 1024,
        channel_timeout=30,
        connection_limit=200,
        clear_untrusted_proxy_headers=True,
    )


def address(server) -> str:
    return _address(server.effective_host, server.effective_port)


def _address(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def run_in_thread(server) -> Callable[[], None]:
    """Serve in a daemon thread (tests, bench, demo); returns the function that stops it."""
    thread = threading.Thread(target=server.run, name="nordsearch-web", daemon=True)
    thread.start()

    def stop() -> None:
        server.close()
        thread.join(timeout=5)

    return stop


def serve_prefork(
    data_dir: DataDir,
    sockets: Sequence[socket.socket],
    *,
    workers: int | None = None,
    threads: int = DEFAULT_THREADS,
    cache_seconds: float | None = None,
    debug_headers: bool = False,
    log_line: Callable[[str], None] | None = None,
) -> int:
    """Serve `data_dir` on listening `sockets` (see `listen_sockets`) in `workers` processes
    (default: one per core) until SIGTERM or SIGINT; returns the signal number that stopped them.

    The caller must not have searched `data_dir` in this process: the workers are forked.
    """

    def worker(inherited: Sequence[socket.socket]) -> None:
        # In the child, after the fork: everything that touches the index is opened here.
        app = build_app(data_dir, cache_seconds=cache_seconds)
        warm_up(app)
        served = with_debug_headers(app) if debug_headers else app
        make_server(data_dir, threads=threads, app=served, sockets=inherited).run()

    options = {"log": log_line} if log_line else {}
    return Supervisor(sockets, worker, workers or default_workers(), **options).run()


def bound_address(sockets: Sequence[socket.socket]) -> str:
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


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help=f"Worker processes, each searching on its own core [default: one per core, here {default_workers()}].",
)
@click.option(
    "--threads",
    default=DEFAULT_THREADS,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Threads per worker process.",
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
    ctx, host: str, port: int, workers: int | None, threads: int, cache_seconds: float, debug_headers: bool
) -> None:
    """Serve the read-only web app: search, documents, digests, feeds and the JSON API."""
    data_dir: DataDir = ctx.data_dir
    if not data_dir.store_file.exists():
        from corpus.errors import StoreError

        raise StoreError(f"no store at {data_dir.store_file}: run 'nordsearch ingest' or 'nordsearch crawl' first")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # waitress warns on every queued request under load; the queue itself is not a problem
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)

    try:
        sockets = listen_sockets(host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    try:
        if not _is_loopback(host):
            click.echo(f"note: listening on {host}, reachable from other machines", err=True)
        count = workers or default_workers()
        plural = "s" if count != 1 else ""
        click.echo(
            f"nordsearch web app for {data_dir.root} at {bound_address(sockets)} ({count} worker{plural}; Ctrl-C to stop)"
        )
        sys.stdout.flush()  # the bench and tests read this line through a pipe
        serve_prefork(
            data_dir,
            sockets,
            workers=count,
            threads=threads,
            cache_seconds=cache_seconds,
            debug_headers=debug_headers,
            log_line=lambda line: click.echo(line, err=True),
        )
    finally:
        for sock in sockets:
            sock.close()
