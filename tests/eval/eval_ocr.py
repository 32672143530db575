"""OCR quality on image-only PDFs made from real born-digital pages: CER, WER and retrieval.

Pages of the real PDFs in ../shared/data/pdf (Finnish statutes, Swedish bills) and pages of
real UD test sentences (../shared/data/ud; Danish and Norwegian, which the PDFs lack or hold
only as forms) are "scanned" by tests/fixtures/scans.py in two styles:

    300dpi        clean, straight
    150dpi-noisy  150 dpi, 1.5° skew, grey noise (sigma 18) and speckles, JPEG-compressed

and read by the OCR job's own worker code (corpus.ocr.job: render, deskew, Tesseract with the
page's language as the first guess, second pass, OCR fixes), then repaired like any page.
The born-digital text, repaired the same way, is the reference.

- CER and WER are order-independent at line level (in the spirit of the "flexible character
  accuracy" of Clausner et al. 2020): a PDF's text layer does not always list lines in reading
  order (Finlex puts § headings after their paragraphs), so each reference line is paired with
  its most similar OCR line; errors are the edit distances of the pairs plus every character
  (word) of unpaired lines. Whitespace runs count as one space; nothing else is normalised.
- `found` is retrieval: the share of the born-digital page's distinctive analysed words
  (index.analysis, the index's own analysis; terms of 5+ letters) that the OCR'd page has.

    .venv/bin/python tests/eval/eval_ocr.py              # every page
    .venv/bin/python tests/eval/eval_ocr.py --quick      # one short UD page per language and style
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import hashlib
import os
import re
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data"
sys.path.insert(0, str(REPO))

from tests.fixtures.scans import STYLES, ScanStyle, image_pdf, page_text, scan_image, sentence_pdf, ud_sentences  # noqa: E402

LANGS = ("fi", "sv", "nb", "da")
#: Real PDF pages per language (file, 0-based page).
PDF_PAGES = {
    "fi": [
        ("fi_finlex_sosiaalihuoltolaki_1301_2014.pdf", 4),
        ("fi_finlex_lastensuojelulaki_417_2007.pdf", 12),
        ("fi_finlex_lastensuojelulaki_417_2007.pdf", 30),
    ],
    "sv": [
        ("sv_prop_2012-13_187_vissa_skolfragor.pdf", 20),
        ("sv_dir_2016_15_dataskyddsforordningen.pdf", 4),
        ("sv_prop_2012-13_182_internationell_delgivning.pdf", 12),
    ],
    "nb": [],
    "da": [],
}
#: UD pages per language (each about 2,200 characters of consecutive sentences).
UD_PAGES = {"fi": 1, "sv": 1, "nb": 3, "da": 3}


@dataclass(frozen=True)
class Page:
    lang: str
    name: str
    born_digital: bytes  # a PDF whose page `index` is the original
    index: int


#: Characters of UD sentences on a page of the quick set (a third of a page: `make test` is timed).
QUICK_CHARS = 700


def pages(quick: bool) -> list[Page]:
    """The pages to read; `quick` is one short page of UD sentences per language (the test's set)."""
    out: list[Page] = []
    if quick:
        for lang in LANGS:
            sentences = ud_sentences(DATA / "ud" / "sentences.tsv", lang, skip=200, chars=QUICK_CHARS)
            out.append(Page(lang, f"ud-{lang}-quick", sentence_pdf(f"UD {lang}", sentences), 0))
        return out
    for lang in LANGS:
        chosen: list[Page] = []
        for name, index in PDF_PAGES[lang]:
            chosen.append(Page(lang, f"{name}#{index + 1}", (DATA / "pdf" / name).read_bytes(), index))
        for n in range(UD_PAGES[lang]):
            sentences = ud_sentences(DATA / "ud" / "sentences.tsv", lang, skip=n * 40)
            chosen.append(Page(lang, f"ud-{lang}-{n + 1}", sentence_pdf(f"UD {lang} {n + 1}", sentences), 0))
        out.extend(chosen)
    return out


# -- metrics -------------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def _lines(text: str) -> list[str]:
    return [line for line in (_SPACE.sub(" ", raw).strip() for raw in text.split("\n")) if line]


def _pair(ref: list[str], hyp: list[str]) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Greedy best-first pairing of reference and OCR lines by normalised similarity."""
    from rapidfuzz.distance import Levenshtein
    from rapidfuzz.process import cdist

    if not ref or not hyp:
        return [], list(range(len(ref))), list(range(len(hyp)))
    sim = cdist(ref, hyp, scorer=Levenshtein.normalized_similarity)
    order = sorted(
        ((sim[i][j], i, j) for i in range(len(ref)) for j in range(len(hyp)) if sim[i][j] > 0.3), reverse=True
    )
    used_r, used_h, pairs = set(), set(), []
    for _, i, j in order:
        if i not in used_r and j not in used_h:
            used_r.add(i)
            used_h.add(j)
            pairs.append((i, j))
    return pairs, [i for i in range(len(ref)) if i not in used_r], [j for j in range(len(hyp)) if j not in used_h]


def error_rates(reference: str, ocr: str) -> tuple[int, int, int, int]:
    """(character errors, reference characters, word errors, reference words), order-independent by line."""
    from rapidfuzz.distance import Levenshtein

    ref, hyp = _lines(reference), _lines(ocr)
    pairs, lost, extra = _pair(ref, hyp)
    char_err = sum(Levenshtein.distance(ref[i], hyp[j]) for i, j in pairs)
    char_err += sum(len(ref[i]) for i in lost) + sum(len(hyp[j]) for j in extra)
    word_err = sum(Levenshtein.distance(ref[i].split(), hyp[j].split()) for i, j in pairs)
    word_err += sum(len(ref[i].split()) for i in lost) + sum(len(hyp[j].split()) for j in extra)
    return char_err, sum(len(line) for line in ref), word_err, sum(len(line.split()) for line in ref)


def distinctive_terms(text: str, lang: str) -> set[str]:
    from index.analysis import analyze

    return {t for t in analyze(text, lang) if len(t) >= 5 and t.isalpha()}


# -- running -------------------------------------------------------------------------------


def _repair(text: str, lang: str) -> str:
    from corpus.repair import repair_pages

    return repair_pages([text], lang)[0]


def evaluate(chosen: list[Page], styles: tuple[ScanStyle, ...] = STYLES, workers: int | None = None) -> dict:
    """Figures per (style, lang): cer, wer, found, pages, seconds per page."""
    from corpus.ocr.job import _init_worker, _read_page
    from corpus.ocr.queue import PageTask
    from corpus.workers import spawn_context

    workers = workers or os.cpu_count() or 1
    jobs = []
    with tempfile.TemporaryDirectory(prefix="nordsearch-eval-ocr-") as tmp:
        for page in chosen:
            reference = _repair(page_text(page.born_digital, page.index), page.lang)
            for style in styles:
                scan = image_pdf([scan_image(page.born_digital, page.index, style, seed=page.index)], style.dpi)
                digest = hashlib.sha256(scan).hexdigest()
                path = Path(tmp) / digest
                path.write_bytes(scan)
                jobs.append((page, style, reference, str(path), PageTask(digest, 0, page.lang)))
        started = time.monotonic()
        with cf.ProcessPoolExecutor(workers, mp_context=spawn_context(), initializer=_init_worker) as pool:
            futures = [pool.submit(_read_page, path, task) for _, _, _, path, task in jobs]
            results = [f.result() for f in futures]
        wall = time.monotonic() - started
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0, 0.0])
    rows = []
    for (page, style, reference, _, _), (result, seconds, error) in zip(jobs, results, strict=True):
        ocr = _repair(result.text, page.lang) if result else ""
        ce, cn, we, wn = error_rates(reference, ocr)
        terms = distinctive_terms(reference, page.lang)
        found = len(terms & distinctive_terms(ocr, page.lang))
        s = sums[(style.name, page.lang)]
        for k, v in enumerate((ce, cn, we, wn, found, len(terms), 1, seconds)):
            s[k] += v
        rows.append(
            (style.name, page.lang, page.name, ce / max(cn, 1), we / max(wn, 1), result.lang if result else error)
        )
    figures = {
        key: {
            "cer": s[0] / max(s[1], 1),
            "wer": s[2] / max(s[3], 1),
            "found": s[4] / max(s[5], 1),
            "pages": s[6],
            "seconds_per_page": s[7] / max(s[6], 1),
        }
        for key, s in sums.items()
    }
    return {"figures": figures, "rows": rows, "wall": wall, "workers": workers}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one short UD page per language and style")
    args = parser.parse_args()
    chosen = pages(args.quick)
    result = evaluate(chosen)
    print(
        f"cores {os.cpu_count()}, load {os.getloadavg()[0]:.2f}, {len(chosen)} pages x {len(STYLES)} styles, "
        f"{result['workers']} workers, {result['wall']:.0f} s"
    )
    for style, lang, name, cer, wer, got in result["rows"]:
        print(f"  {style:<13} {lang} {name:<55} CER {cer:6.2%} WER {wer:6.2%}  read as {got}")
    print(f"{'style':<13} lang   CER     WER   found  pages  s/page")
    for (style, lang), f in sorted(result["figures"].items()):
        print(
            f"{style:<13} {lang}  {f['cer']:6.2%} {f['wer']:6.2%}  {f['found']:.3f}  {f['pages']:5d}  {f['seconds_per_page']:6.1f}"
        )


if __name__ == "__main__":
    main()
