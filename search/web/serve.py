"""`nordsearch serve`: the web app under waitress, a production WSGI server with a thread pool.

`make_server` is the library function (tests, the load bench and the demo start the app with
it on 127.0.0.1 in a thread); the click command only parses options and prints the address.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
from collections.abc import Callable

import click

from corpus.config import DataDir

#: Worker threads: searches are short and mostly CPU-bound (the GIL), so a few threads keep
#: latency low without queuing behind slow clients; waitress buffers the sockets itself.
DEFAULT_THREADS = 8


def make_server(
    data_dir: DataDir,
    host: str = "127.0.0.1",
    port: int = 8080,
    *,
    threads: int = DEFAULT_THREADS,
    cache_seconds: float | None = None,
    app=None,
):
    """A waitress server for the app over `data_dir` (port 0: any free port; see `.effective_port`)."""
    from waitress.server import create_server

    if app is None:
        from search.web.app import create_app
        from search.web.cache import DEFAULT_TTL

        ttl = DEFAULT_TTL if cache_seconds is None else cache_seconds
        app = create_app(data_dir, cache_entries=0 if ttl <= 0 else 1024, cache_ttl=ttl)
    return create_server(
        app,
        host=host,
        port=port,
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
    host = server.effective_host
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{server.effective_port}/"


def run_in_thread(server) -> Callable[[], None]:
    """Serve in a daemon thread (tests, bench, demo); returns the function that stops it."""
    thread = threading.Thread(target=server.run, name="nordsearch-web", daemon=True)
    thread.start()

    def stop() -> None:
        server.close()
        thread.join(timeout=5)

    return stop


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
    "--threads", default=DEFAULT_THREADS, show_default=True, type=click.IntRange(1, 64), help="Worker threads."
)
@click.option(
    "--cache-seconds",
    default=60.0,
    show_default=True,
    type=click.FloatRange(0, 3600),
    help="Keep a search's result this long for repeated requests (0: no cache).",
)
@click.pass_obj
def serve(ctx, host: str, port: int, threads: int, cache_seconds: float) -> None:
    """Serve the read-only web app: search, documents, digests, feeds and the JSON API."""
    data_dir: DataDir = ctx.data_dir
    if not data_dir.store_file.exists():
        from corpus.errors import StoreError

        raise StoreError(f"no store at {data_dir.store_file}: run 'nordsearch ingest' or 'nordsearch crawl' first")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # waitress warns on every queued request under load; the queue itself is not a problem
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    try:
        server = make_server(data_dir, host, port, threads=threads, cache_seconds=cache_seconds)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    if not _is_loopback(host):
        click.echo(f"note: listening on {host}, reachable from other machines", err=True)
    click.echo(f"nordsearch web app for {data_dir.root} at {address(server)} (Ctrl-C to stop)")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
