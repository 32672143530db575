"""OCR throughput: pages per second of the OCR job's worker code with 1 process and one per core.

Run: .venv/bin/python bench/bench_ocr.py [--pages 8] [--style 300dpi|150dpi-noisy]

The pages are image-only PDFs made from real born-digital pages (tests/fixtures/scans.py:
Swedish and Finnish PDF pages of ../shared/data/pdf), each read by `corpus.ocr.job`'s worker
function (render, denoise, deskew, Tesseract with a second pass when the language differs,
OCR fixes) in a `spawn` pool, as `nordsearch ocr` does. Worker start-up (interpreter, models)
is paid before the clock starts. Both settings run in the same invocation, interleaved per
round, and the machine's core count and load are printed beside the figures: the machine is
shared, so only figures of one run compare.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PDF_DIR = REPO.parent / "shared" / "data" / "pdf"
sys.path.insert(0, str(REPO))

SOURCES = [
    ("sv_prop_2012-13_187_vissa_skolfragor.pdf", "sv", range(10, 40)),
    ("fi_finlex_lastensuojelulaki_417_2007.pdf", "fi", range(5, 40)),
]


def make_pages(n: int, style_name: str, folder: Path) -> list[tuple[str, object]]:
    from corpus.ocr.queue import PageTask
    from tests.fixtures.scans import STYLES, image_pdf, scan_image

    style = next(s for s in STYLES if s.name == style_name)
    out = []
    for i in range(n):
        name, lang, pages = SOURCES[i % len(SOURCES)]
        index = list(pages)[i // len(SOURCES)]
        scan = image_pdf([scan_image((PDF_DIR / name).read_bytes(), index, style, seed=i)], style.dpi)
        digest = hashlib.sha256(scan).hexdigest()
        (folder / digest).write_bytes(scan)
        out.append((str(folder / digest), PageTask(digest, 0, lang)))
    return out


def _warm(_: int) -> int:
    return os.getpid()


def timed(workers: int, pages: list) -> float:
    from corpus.ocr.job import _init_worker, _read_page
    from corpus.workers import spawn_context

    with cf.ProcessPoolExecutor(workers, mp_context=spawn_context(), initializer=_init_worker) as pool:
        list(pool.map(_warm, range(workers * 2)))  # start-up and model loading are not OCR
        started = time.perf_counter()
        results = list(pool.map(_read_page, *zip(*pages, strict=True)))
        seconds = time.perf_counter() - started
    failed = [r[2] for r in results if r[0] is None]
    if failed:
        sys.exit(f"pages failed: {failed[:3]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=8, help="pages per run [8]")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of both settings, interleaved [1]")
    parser.add_argument("--style", default="300dpi", choices=["300dpi", "150dpi-noisy"])
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    settings = sorted({1, cores})
    with tempfile.TemporaryDirectory(prefix="nordsearch-bench-ocr-") as tmp:
        pages = make_pages(args.pages, args.style, Path(tmp))
        best = {w: float("inf") for w in settings}
        for _ in range(args.rounds):
            for workers in settings:
                best[workers] = min(best[workers], timed(workers, pages))
    print(f"cores {cores}, load {os.getloadavg()[0]:.2f}, {args.pages} pages ({args.style}), best of {args.rounds}")
    for workers in settings:
        rate = args.pages / best[workers]
        print(f"  {workers} process{'es' if workers > 1 else '':<2} {best[workers]:7.1f} s  {rate:6.2f} pages/s")
    if len(settings) > 1:
        print(f"  speed-up with {cores} processes: {best[1] / best[cores]:.2f}x")


if __name__ == "__main__":
    main()
