"""The crawl job reads the scanned pages it fetched, within its time budget, and says so in its report."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from search.cli import main
from tests.crawler.conftest import make_data_dir, sources_toml
from tests.fixtures.scans import CLEAN_300, image_pdf, scan_image, sentence_pdf, ud_sentences

SCAN_PATH = "/skannatut/vanha-raportti.pdf"

pytestmark = pytest.mark.slow


@pytest.fixture
def scanned_site(site, shared_data, tmp_path):
    sentences = ud_sentences(shared_data / "ud" / "sentences.tsv", "fi", skip=500, chars=500)
    scan = image_pdf([scan_image(sentence_pdf("Vanha raportti", sentences), 0, CLEAN_300)], 300)
    site.pages[SCAN_PATH] = ("application/pdf", scan)  # linked from nowhere: other crawl tests never see it
    data_dir, sources_file = make_data_dir(tmp_path / "d", site)
    data_dir.config_file.write_text(data_dir.config_file.read_text().replace("max_file_bytes = 200000", ""))
    sources_file.write_text(
        sources_toml(site)
        .replace(f'start_urls = ["{site.base}/"]', f'start_urls = ["{site.base}{SCAN_PATH}"]')
        .replace(f'sitemaps = ["{site.base}/sitemap_index.xml"]\n', "")
        .replace(f'oai_pmh = {{ endpoint = "{site.base}/oai", metadata_prefix = "oai_dc" }}\n', "")
    )
    yield data_dir, sources_file, max(sentences, key=len)
    del site.pages[SCAN_PATH]


def cli(data_dir, *args):
    result = CliRunner().invoke(main, ["--data-dir", str(data_dir.root), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_crawl_reads_scanned_pages_within_its_budget(tesseract, scanned_site):
    data_dir, sources_file, sentence = scanned_site
    report = json.loads(cli(data_dir, "crawl", "--sources-file", str(sources_file), "--max-minutes", "5", "--json"))
    assert report["ocr"]["pages_done"] == 1 and report["ocr"]["documents_ingested"] == 1, report["ocr"]
    assert report["ocr"]["pages_left"] == 0
    (doc,) = json.loads(cli(data_dir, "docs", "--json"))
    assert doc["status"] == "ok" and doc["lang"] == "fi" and doc["scanned"]
    word = max(sentence.split(), key=len).strip(".,;:!?").lower()
    hits = json.loads(cli(data_dir, "search", word, "--json"))["hits"]
    assert hits and hits[0]["id"] == doc["id"]


def test_a_crawl_without_time_left_leaves_the_pages_waiting(tesseract, scanned_site, site, tmp_path):
    import time

    from corpus.ingest import Pipeline
    from crawler.job import OCR_MIN_SECONDS, CrawlOptions, ocr_step

    data_dir, _, _ = scanned_site
    scan = tmp_path / "skannattu.pdf"
    scan.write_bytes(site.pages[SCAN_PATH][1])
    cli(data_dir, "ingest", str(scan), "--country", "FI", "--no-index")
    events = []
    started = time.monotonic() - 60 + OCR_MIN_SECONDS / 2  # a one-minute crawl with too little left
    result = ocr_step(
        data_dir, Pipeline(settings=data_dir.settings()), CrawlOptions(max_minutes=1), started, events.append
    )
    assert "no time left" in result["skipped"]
    assert json.loads(cli(data_dir, "status", "--json"))["ocr"]["pages_waiting"] == 1
