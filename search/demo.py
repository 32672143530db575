"""`make demo`: serve the bundled demo website, crawl it with the real crawler, index, search, then serve the web app.

    python -m search.demo --data-dir nordsearch-data-demo

The demo site (search/demo_site/, written for nordsearch: HTML pages and PDF reports in
Finnish, Swedish, Norwegian and Danish, with robots.txt and a sitemap) is served on
127.0.0.1 on a free port. A sources file pointing at it (with `allow_private_network`, since
the crawler otherwise refuses loopback addresses) goes into the data directory, and the
ordinary `nordsearch crawl` runs over it.
"""

from __future__ import annotations

import argparse
import mimetypes
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SITE_ROOT = Path(__file__).resolve().with_name("demo_site")
TEMPLATED = {"robots.txt", "sitemap.xml"}  # hold {BASE}, the address the site is served on


@dataclass
class DemoSite:
    server: ThreadingHTTPServer
    base_url: str

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler(root: Path, base_url_ref: list[str]):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            rel = self.path.split("?", 1)[0].lstrip("/") or "index.html"
            path = (root / rel).resolve()
            if root not in path.parents or not path.is_file():
                self.send_error(404)
                return
            body = path.read_bytes()
            if path.name in TEMPLATED:
                body = body.replace(b"{BASE}", base_url_ref[0].encode())
            if body.startswith(b"%PDF-"):
                ctype = "application/pdf"  # served from URLs without .pdf, like many Nordic sites
            elif path.suffix == ".html":
                ctype = "text/html; charset=utf-8"
            else:
                ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def serve_demo_site(host: str = "127.0.0.1", port: int = 0, root: Path = SITE_ROOT) -> DemoSite:
    """Serve the demo website in a background thread; port 0 picks a free port."""
    base_ref = [""]
    server = ThreadingHTTPServer((host, port), _handler(root, base_ref))
    server.daemon_threads = True
    base_ref[0] = f"http://{host}:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return DemoSite(server, base_ref[0])


def demo_sources(base_url: str) -> str:
    host = base_url.split("://", 1)[1]
    return f"""# The demo website served by `python -m search.demo` (written by it; the port changes per run).
[[source]]
id = "demo"
name = "Nordic welfare demo site"
country = "NORDIC"
language = "sv"
start_urls = ["{base_url}/"]
sitemaps = ["{base_url}/sitemap.xml"]
allow = ['^http://{host.replace(".", "[.]")}/']
delay = 0
recrawl_days = 0
allow_private_network = true
"""


EXAMPLE_QUERY = "äldreomsorg"


def main(argv: list[str] | None = None) -> int:
    from search.cli import main as cli

    parser = argparse.ArgumentParser(prog="python -m search.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="nordsearch-data-demo", help="data directory for the demo")
    parser.add_argument(
        "--web-port", type=int, default=8080, help="port of the web app served at the end (0: any free; -1: none)"
    )
    args = parser.parse_args(argv)
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    site = serve_demo_site()
    try:
        sources_file = data_dir / "demo-sources.toml"
        sources_file.write_text(demo_sources(site.base_url), encoding="utf-8")
        print(f"demo site: {site.base_url}/ (fi, sv, nb, da pages and PDF reports)", flush=True)
        print("crawling it with the real crawler (robots.txt, sitemap, links, PDFs) ...", flush=True)
        code = _run(cli, ["--data-dir", str(data_dir), "crawl", "--sources-file", str(sources_file)])
        if code:
            return code
        if "search" in cli.commands:
            print(f"\nexample search: nordsearch search {EXAMPLE_QUERY!r}", flush=True)
            _run(cli, ["--data-dir", str(data_dir), "search", EXAMPLE_QUERY])
        else:
            print("\n(the search command is not installed in this build; the documents:)", flush=True)
            _run(cli, ["--data-dir", str(data_dir), "docs"])
        print(
            "\nsearch further with:\n"
            f"  .venv/bin/nordsearch --data-dir {data_dir} search 'lastensuojelu'\n"
            f"  .venv/bin/nordsearch --data-dir {data_dir} docs\n"
            f"  .venv/bin/nordsearch --data-dir {data_dir} sources --sources-file {sources_file}"
        )
    finally:
        site.close()
    return serve_web(data_dir, args.web_port)


def serve_web(data_dir: Path, port: int) -> int:
    """The demo's last step: the web app on the demo collection (`nordsearch serve`, gunicorn) on
    127.0.0.1, until Ctrl-C."""
    if port < 0:
        return 0
    from corpus.config import DataDir
    from search.errors import ServeError
    from search.query import close_backends
    from search.web.serve import run_server

    close_backends()  # the example search opened the index here; gunicorn's workers open their own

    def announce(line: str) -> None:
        print(f"\n{line}", flush=True)

    try:
        try:
            run_server(DataDir.resolve(data_dir), "127.0.0.1", port, announce=announce)
        except ServeError:  # the port is taken: any free one will do for a demo
            run_server(DataDir.resolve(data_dir), "127.0.0.1", 0, announce=announce)
    except KeyboardInterrupt:
        print("stopped", flush=True)
    return 0


def _run(cli, args: list[str]) -> int:
    try:
        cli.main(args, prog_name="nordsearch", standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0)
    except Exception as exc:  # click already turned NordsearchError into ClickException
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
