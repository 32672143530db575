"""Scanned PDFs become searchable: ingest queues their pages, `nordsearch ocr` reads them, search finds them.

Issue 17's "must show": an image-only PDF of a Finnish report page and of a Swedish one, ingested,
each has text, the right language, and is found by a search for a word on the page; the real
scanned PDF and the image+OCR one become searchable; a SIGKILL during `nordsearch ocr`, then a
rerun: every page OCR'd exactly once in the result.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cli import main
from search.query import close_backends
from tests.conftest import REPO
from tests.fixtures.scans import CLEAN_300, NOISY_150, image_pdf, scan_image, sentence_pdf, ud_sentences

pytestmark = pytest.mark.slow


def run(data: Path, *args: str) -> dict | str:
    result = CliRunner().invoke(main, ["--data-dir", str(data), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if "--json" in args else result.output


def distinctive_word(page_text: str, avoid: str) -> str:
    """A long word of the page that the other page lacks (a search for it must find this page)."""
    words = [w for w in re.findall(r"[^\W\d_]{11,}", page_text) if w.lower() not in avoid.lower()]
    assert words, page_text[:200]
    return words[0].lower()


@pytest.fixture(scope="module")
def scans(shared_data, tmp_path_factory):
    from tests.fixtures.scans import page_text

    folder = tmp_path_factory.mktemp("scans")
    fi_body = (shared_data / "pdf" / "fi_finlex_lastensuojelulaki_417_2007.pdf").read_bytes()
    sv_body = (shared_data / "pdf" / "sv_prop_2012-13_187_vissa_skolfragor.pdf").read_bytes()
    (folder / "fi").mkdir()
    (folder / "sv").mkdir()
    (folder / "fi" / "raportti_skannattu.pdf").write_bytes(image_pdf([scan_image(fi_body, 12, CLEAN_300)], 300))
    (folder / "sv" / "rapport_skannad.pdf").write_bytes(image_pdf([scan_image(sv_body, 20, NOISY_150, seed=3)], 150))
    fi_text, sv_text = page_text(fi_body, 12), page_text(sv_body, 20)
    return folder, distinctive_word(fi_text, sv_text), distinctive_word(sv_text, fi_text)


def test_scanned_finnish_and_swedish_pages_are_read_and_found(tesseract, scans, tmp_path):
    folder, fi_word, sv_word = scans
    data = tmp_path / "data"
    run(data, "ingest", str(folder / "fi"), "--country", "FI", "--json")
    ingested = run(data, "ingest", str(folder / "sv"), "--country", "SE", "--json")
    assert "waiting for OCR" in ingested["failures"][0]["reason"]
    status = run(data, "status", "--json")
    assert status["ocr"]["pages_waiting"] == 2 and status["ocr"]["documents_waiting"] == 2
    assert "2 pages waiting" in run(data, "status")
    assert run(data, "search", fi_word, "--json")["total"] == 0  # nothing to find before OCR
    close_backends()  # each CLI command is its own process; here they share the backend cache

    report = run(data, "ocr", "--json")
    assert (report["pages_done"], report["documents_ingested"], report["pages_left"]) == (2, 2, 0)
    assert run(data, "status", "--json")["ocr"]["pages_waiting"] == 0

    docs = {Path(d["url"]).stem: d for d in run(data, "docs", "--json")}
    for stem, lang, word in (("raportti_skannattu", "fi", fi_word), ("rapport_skannad", "sv", sv_word)):
        doc = run(data, "show", docs[stem]["id"], "--json")
        assert doc["status"] == "ok" and doc["lang"] == lang and doc["scanned"]
        assert doc["sections"] and all(s["ocr"] for s in doc["sections"])
        assert word in " ".join(s["text"] for s in doc["sections"]).lower()
        assert doc["meta"]["ocr"]["pages"] == [1] and doc["meta"]["ocr"]["confidence"] > 70
        hits = run(data, "search", word, "--json")["hits"]
        assert [h["id"] for h in hits][:1] == [doc["id"]], (word, hits)
        assert hits[0]["scanned"] is True
    assert "text recognised from a scan" in run(data, "search", fi_word)


def test_the_real_scanned_pdf_and_the_image_plus_ocr_one_become_searchable(tesseract, shared_data, tmp_path):
    data = tmp_path / "data"
    for name in ("sv_prop_1991-92_43_scanned_no_text.pdf", "sv_arn_2013-07406_image_plus_ocr.pdf"):
        run(data, "ingest", str(shared_data / "pdf" / name), "--country", "SE", "--json")
    assert run(data, "ocr", "--json")["pages_done"] == 2  # the scan's two pages; the other has a text layer
    hit = run(data, "search", "eftertaxering", "--json")["hits"][0]
    assert hit["url"].endswith("sv_prop_1991-92_43_scanned_no_text.pdf") and hit["lang"] == "sv" and hit["scanned"]
    hit = run(data, "search", "resebyrå", "--json")["hits"][0]
    assert hit["url"].endswith("sv_arn_2013-07406_image_plus_ocr.pdf") and not hit["scanned"]


# -- SIGKILL during `nordsearch ocr` -------------------------------------------------------

PAGES = 6


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            continue
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
    except OSError:
        return False
    return state != "Z"


def _pages(store: Path) -> dict[int, tuple[str, str, str]]:
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT page, status, run, done_at FROM ocr_pages").fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def test_sigkill_during_ocr_then_a_rerun_reads_every_page_exactly_once(tesseract, shared_data, tmp_path):
    ud = shared_data / "ud" / "sentences.tsv"
    pages = [ud_sentences(ud, "sv", skip=300 + 30 * n, chars=600) for n in range(PAGES)]
    images = [scan_image(sentence_pdf(f"Sida {n + 1}", s), 0, CLEAN_300) for n, s in enumerate(pages)]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "skannad.pdf").write_bytes(image_pdf(images, 300))
    data = tmp_path / "data"
    run(data, "ingest", str(tmp_path / "in"), "--country", "SE", "--json")
    store = data / "store.sqlite"

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, "-m", "search", "--data-dir", str(data), "ocr", "--workers", "1", "--json"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    workers: set[int] = set()
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        workers |= _children(proc.pid)
        if sum(1 for s, _, _ in _pages(store).values() if s == "done") >= 2:
            break
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(0.2)
    else:
        pytest.fail("the OCR job read no two pages in 240 s")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    before = {p: v for p, v in _pages(store).items() if v[0] == "done"}
    assert 2 <= len(before) < PAGES, "the kill must land mid-job"

    # the workers die with the job, and the job's lock is free at once
    assert workers
    for _ in range(100):
        if not any(_alive(w) for w in workers):
            break
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers), "OCR workers outlived the killed job"
    from corpus.config import DataDir
    from corpus.ocr.job import ocr_lock

    with ocr_lock(DataDir(data)):
        pass

    report = run(data, "ocr", "--json")
    assert report["pages_done"] == PAGES - len(before) and report["pages_left"] == 0
    after = _pages(store)
    assert all(status == "done" for status, _, _ in after.values()) and len(after) == PAGES
    for page, row in before.items():
        assert after[page] == row, "a page read before the kill was read again"
    assert len({run_ for _, run_, _ in after.values()}) == 2  # two jobs, each page in exactly one

    (doc,) = run(data, "docs", "--json")
    text = " ".join(" ".join(s["text"].split()) for s in run(data, "show", doc["id"], "--json")["sections"])
    for sentences in pages:  # each page's text is in the document exactly once
        marker = max(sentences, key=len)[:40]
        assert text.count(marker) == 1, (marker, text.count(marker))
