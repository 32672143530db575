"""PDF extraction speed on ../shared/data/pdf: our pipeline vs pdfminer.six alone, in one run.

Run: .venv/bin/python bench/bench_pdf.py [--repeat 3] [--workers N]

Both sides run in a process pool with one worker per core (as `nordsearch ingest` does), each
file as one task, best of `--repeat` runs. "pipeline" is `corpus.extract.extract` + `repair`
(pypdfium2, with pdfminer.six only for poor pages); "pdfminer" is `pdfminer.high_level.
extract_text` on the whole file, the naive baseline. Pages are counted once with pypdfium2;
files that fail (encrypted with a password) count their pages for neither side.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PDF_DIR = REPO.parent / "shared" / "data" / "pdf"
sys.path.insert(0, str(REPO))


def pipeline(path: str) -> int:
    """Characters our pipeline extracts from one file (0 when it records a failure)."""
    from corpus.errors import ExtractionError
    from corpus.extract import extract
    from corpus.model import Resource
    from corpus.repair import repair

    body = Path(path).read_bytes()
    try:
        out = repair(extract(Resource(url=Path(path).as_uri(), body=body, content_type="application/pdf")))
    except ExtractionError:
        return 0
    return sum(len(b.text) for b in out.blocks)


def _no_ocr_detection(texts, images, quality) -> dict:
    return {}


def pipeline_without_ocr_detection(path: str) -> int:
    """The same pipeline with the per-page OCR detection (issue 17) switched off: "before"."""
    import corpus.extract.pdf as pdf_module

    original = pdf_module._ocr_wanted
    pdf_module._ocr_wanted = _no_ocr_detection
    try:
        return pipeline(path)
    finally:
        pdf_module._ocr_wanted = original


def pdfminer_alone(path: str) -> int:
    import logging

    from pdfminer.high_level import extract_text

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        return len(extract_text(path))
    except Exception:  # encrypted with a password, broken: the baseline records a failure too
        return 0


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(path.read_bytes())
    except pdfium.PdfiumError:
        return 0
    try:
        return len(pdf)
    finally:
        pdf.close()


def warm(_: int) -> None:
    """Import both extractors in a worker, so that start-up is not counted as extraction."""
    import pdfminer.high_level  # noqa: F401

    import corpus.extract.html  # noqa: F401
    import corpus.extract.pdf  # noqa: F401
    import corpus.repair  # noqa: F401


def timed(pool: cf.ProcessPoolExecutor, fn, files: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    # Largest files first, one per task: a big file picked up last would leave a core idle.
    chars = sum(pool.map(fn, sorted(files, key=lambda f: -os.path.getsize(f))))
    return time.perf_counter() - started, chars


def detection_cost(paths: list[Path]) -> tuple[float, float, int]:
    """Seconds per page of pdfium's text extraction and of the OCR detection on that text (one process)."""
    import pypdfium2 as pdfium

    from corpus.extract.pdf import _pdfium_pages, text_quality
    from corpus.ocr.detect import ocr_reason

    extract_s = detect_s = 0.0
    pages = 0
    for path in paths:
        try:
            pdf = pdfium.PdfDocument(path.read_bytes())
        except pdfium.PdfiumError:
            continue
        started = time.perf_counter()
        texts, _, images = _pdfium_pages(pdf)
        extract_s += time.perf_counter() - started
        pdf.close()
        started = time.perf_counter()
        for text, image in zip(texts, images, strict=True):
            ocr_reason(text, has_image=image, quality=text_quality(text) if text.strip() else None)
        detect_s += time.perf_counter() - started
        pages += len(texts)
    return extract_s / pages, detect_s / pages, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--dir", type=Path, default=PDF_DIR)
    args = parser.parse_args()
    paths = sorted(args.dir.glob("*.pdf"))
    if not paths:
        sys.exit(f"no PDFs under {args.dir}")
    pages = sum(page_count(p) for p in paths)
    files = [str(p) for p in paths]
    variants = (
        ("pipeline (pypdfium2 + pdfminer fallback + repair)", pipeline),
        ("the same without OCR detection (before issue 17)", pipeline_without_ocr_detection),
        ("pdfminer.six alone", pdfminer_alone),
    )
    runs: dict[str, list[tuple[float, int]]] = {name: [] for name, _ in variants}
    with cf.ProcessPoolExecutor(max_workers=args.workers) as pool:
        list(pool.map(warm, range(args.workers * 4)))
        # rounds interleave the variants, so that a neighbour's load on this shared machine hits each
        for _ in range(args.repeat):
            for name, fn in variants:
                runs[name].append(timed(pool, fn, files))
    results = {}
    for name, _ in variants:
        best, chars = min(runs[name])
        results[name] = best
        print(f"{name:52} {best:7.2f} s  {pages / best:8.1f} pages/s  {chars:>9,} chars", flush=True)
    pipeline_s, before_s, pdfminer_s = results.values()
    print(
        f"files: {len(paths)}, pages: {pages}, workers: {args.workers}, os.cpu_count(): {os.cpu_count()}, "
        f"load {os.getloadavg()[0]:.2f}, best of {args.repeat}"
    )
    print(f"OCR detection costs {pipeline_s / before_s - 1:+.1%} of the pipeline's time")
    detection_cost(paths[:1])  # warm: imports, word lists
    extract_page, detect_page, counted = detection_cost(paths)
    print(
        f"per page, one process ({counted} pages): pdfium text {extract_page * 1e6:.0f} us, "
        f"OCR detection (text_quality included) {detect_page * 1e6:.0f} us"
    )
    print(f"speed-up over pdfminer.six alone: {pdfminer_s / pipeline_s:.1f}x")


if __name__ == "__main__":
    main()
