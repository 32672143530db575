"""Crawler throughput and memory on a generated site served on 127.0.0.1, delays off.

    .venv/bin/python bench/bench_crawl.py            # 2,000 pages + 200 PDFs, then a 20,000-URL crawl
    .venv/bin/python bench/bench_crawl.py --quick    # 500 pages + 50 PDFs only

Measures the crawl process alone (fetch, robots.txt, frontier and state in SQLite, raw store);
ingest (extraction, language, areas) has its own benchmark. Memory is the crawl process's
resident set, sampled every 0.2 s: "flat" means the 20,000-URL crawl peaks near the small one.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "fixtures"))

from minipdf import make_pdf  # noqa: E402

PDF = make_pdf("Rapport om äldreomsorg", ["Hemtjänst och särskilt boende för äldre personer. " * 20] * 3, lang="sv")


def site_handler(pages: int, pdfs: int):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            path = self.path
            if path == "/robots.txt":
                body, ctype = b"User-agent: *\nDisallow: /admin/\n", "text/plain"
            elif path.startswith("/d/"):
                body, ctype = PDF, "application/pdf"
            elif path == "/" or path.startswith("/p/"):
                n = int(path[3:]) if path.startswith("/p/") else 0
                links = [f"/p/{(n * 7 + k) % pages}" for k in range(1, 11)] + [f"/p/{n + 1}"] * (n + 1 < pages)
                if n % (pages // pdfs or 1) == 0:
                    links.append(f"/d/{n // (pages // pdfs or 1)}")
                items = "".join(f'<li><a href="{u}">sivu {u}</a></li>' for u in links)
                body = (
                    f"<!DOCTYPE html><html lang='fi'><head><meta charset='utf-8'><title>Sivu {n}</title></head>"
                    f"<body><h1>Sivu {n}</h1><p>Lastensuojelu ja perhetyö. {'Hyvinvointi. ' * 40}</p>"
                    f"<ul>{items}</ul></body></html>"
                ).encode()
                ctype = "text/html; charset=utf-8"
            else:
                body, ctype = b"", "text/plain"
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def crawl(pages: int, pdfs: int, max_pages: int) -> dict:
    from corpus.config import DataDir
    from corpus.store import Store
    from crawler.engine import CrawlPlan
    from crawler.state import CrawlState

    server = ThreadingHTTPServer(("127.0.0.1", 0), site_handler(pages, pdfs))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory(prefix="nordsearch-bench-") as tmp:
        data_dir = DataDir(Path(tmp) / "data").ensure()
        data_dir.config_file.write_text("crawl_delay = 0.0\ndownload_timeout = 10.0\ncrawl_depth = 1000\n")
        sources = Path(tmp) / "sources.toml"
        sources.write_text(
            f'[[source]]\nid = "bench"\nname = "Bench"\ncountry = "FI"\nlanguage = "fi"\n'
            f'start_urls = ["{base}/"]\ndelay = 0\nmax_pages = {max_pages}\ndepth = 1000\n'
            "allow_private_network = true\n"
        )
        with Store(data_dir.store_file) as store:
            run_id, _ = CrawlState(store).open_run({})
        plan = CrawlPlan(str(data_dir.root), ("bench",), str(sources), run_id, False).write(Path(tmp) / "plan.json")
        started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-m", "crawler.engine", str(plan)], cwd=REPO, stdout=subprocess.PIPE, text=True
        )
        samples: list[tuple[int, int]] = []  # (pages so far, RSS kB)
        fetched = 0

        def sample() -> None:
            while proc.poll() is None:
                samples.append((fetched, rss_kb(proc.pid)))
                time.sleep(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        for line in proc.stdout:
            if json.loads(line).get("event") == "fetched":
                fetched += 1
        proc.wait()
        seconds = time.monotonic() - started
        sampler.join()
        server.shutdown()
        server.server_close()
        with Store(data_dir.store_file) as store:
            counts = CrawlState(store).counts(run_id).get("bench", {})
    rss = [r for _, r in samples if r]
    quarter = [max((r for f, r in samples if f <= fetched * q / 4), default=0) // 1024 for q in (1, 2, 3, 4)]
    return {
        "urls fetched": fetched,
        "seconds": round(seconds, 1),
        "pages/s": round(fetched / seconds, 1),
        "peak RSS MB": max(rss, default=0) // 1024,
        "RSS MB at 25/50/75/100 % of pages": quarter,
        "MB fetched": round(counts.get("bytes", 0) / 1e6, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small site only")
    args = parser.parse_args()
    runs = [("500 pages + 50 PDFs", 500, 50, 550)] if args.quick else [
        ("2,000 pages + 200 PDFs", 2000, 200, 2200),
        ("20,000 URLs", 20000, 200, 20000),
    ]  # fmt: skip
    for label, pages, pdfs, cap in runs:
        result = crawl(pages, pdfs, cap)
        print(f"{label}: " + ", ".join(f"{k} {v}" for k, v in result.items()), flush=True)


if __name__ == "__main__":
    main()
