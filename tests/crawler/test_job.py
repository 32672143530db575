"""The crawl job through the CLI: exit codes, the lock, resuming after SIGKILL."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cli import main
from tests.crawler.conftest import make_data_dir, sources_toml
from tests.crawler.site import FixtureSite, serve

REPO = Path(__file__).resolve().parents[2]
RUN_JOB = """
import json, sys
from pathlib import Path
from corpus.config import DataDir
from corpus.ingest import Pipeline
from crawler.job import CrawlOptions, run_crawl
data_dir = DataDir(Path(sys.argv[1]))
report = run_crawl(data_dir, CrawlOptions(sources_file=Path(sys.argv[2])), Pipeline(settings=data_dir.settings()))
print(json.dumps(report.as_json()))
"""


def cli(data_dir, *args):
    return CliRunner().invoke(main, ["--data-dir", str(data_dir.root), *args])


@pytest.fixture
def tiny(site, tmp_path):
    """A data dir whose source is one non-document URL: the whole job runs, nothing to ingest."""
    data_dir, sources_file = make_data_dir(tmp_path / "d", site)
    sources_file.write_text(
        sources_toml(site)
        .replace(f'start_urls = ["{site.base}/"]', f'start_urls = ["{site.base}/kuva"]')
        .replace(f'sitemaps = ["{site.base}/sitemap_index.xml"]\n', "")
        .replace(f'oai_pmh = {{ endpoint = "{site.base}/oai", metadata_prefix = "oai_dc" }}\n', "")
    )
    return data_dir, sources_file


def test_crawl_json_and_summary(tiny):
    data_dir, sources_file = tiny
    result = cli(data_dir, "crawl", "--sources-file", str(sources_file), "--json", "--no-index")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["sources"][0]["source"] == "fixture" and report["totals"]["failed"] == 0
    result = cli(data_dir, "crawl", "--sources-file", str(sources_file), "--no-index")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("crawl 2: 0 new")
    assert "fixture: 0 new" in result.output


def test_bad_sources_file_is_one_line_error(tmp_path, site):
    data_dir, sources_file = make_data_dir(tmp_path / "d", site)
    sources_file.write_text(sources_toml(site).replace("deny = ['/logout']", "deny = ['(']"))
    result = cli(data_dir, "crawl", "--sources-file", str(sources_file))
    assert result.exit_code == 1
    assert "source 'fixture', key 'deny'" in result.output and len(result.output.strip().splitlines()) == 1


def test_unknown_source_is_an_error(tiny):
    data_dir, sources_file = tiny
    result = cli(data_dir, "crawl", "--sources-file", str(sources_file), "--source", "nope")
    assert result.exit_code == 1 and "unknown source 'nope'" in result.output


def test_lock_held_refuses_and_stale_lock_is_recovered(tiny):
    data_dir, sources_file = tiny
    lock = data_dir.root / "crawl.lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.write(fd, b"4242\n")
        result = cli(data_dir, "crawl", "--sources-file", str(sources_file), "--no-index")
        assert result.exit_code == 1 and "another crawl (pid 4242) is running" in result.output
    finally:
        os.close(fd)  # like a killed run: the file stays, the lock is gone
    assert lock.exists()
    result = cli(data_dir, "crawl", "--sources-file", str(sources_file), "--no-index")
    assert result.exit_code == 0, result.output


def test_unusable_store_is_an_error(tiny):
    data_dir, sources_file = tiny
    data_dir.store_file.write_bytes(b"this is not sqlite" * 100)
    result = cli(data_dir, "crawl", "--sources-file", str(sources_file), "--no-index")
    assert result.exit_code == 1 and "unusable" in result.output


def frontier(db: Path) -> tuple[int, int]:
    try:
        with sqlite3.connect(db, timeout=5) as con:
            done = con.execute("SELECT COUNT(*) FROM crawl_frontier WHERE state='done' AND kind='page'").fetchone()[0]
            pending = con.execute("SELECT COUNT(*) FROM crawl_pending").fetchone()[0]
        return done, pending
    except sqlite3.Error:
        return 0, 0


def test_resumes_after_sigkill_without_loss_or_duplicates(tmp_path):
    site = FixtureSite()
    servers = serve(site)
    try:
        data_dir, sources_file = make_data_dir(tmp_path / "d", site)
        # slow enough to be killed half-way: 0.2 s between requests, one at a time
        (data_dir.config_file).write_text(
            data_dir.config_file.read_text().replace("crawl_delay = 0.0", "crawl_delay = 0.2")
            + "crawl_concurrency_per_host = 1\n"
        )
        sources_file.write_text(sources_toml(site).replace("delay = 0\n", ""))
        # the job as a library call (the CLI adds the area classifier, slow to build and beside the point)
        cmd = [sys.executable, "-c", RUN_JOB, str(data_dir.root), str(sources_file)]
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + 60
        while frontier(data_dir.store_file)[0] < 6 and time.monotonic() < deadline:
            time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        done_before, _ = frontier(data_dir.store_file)
        assert 6 <= done_before < 20, "the kill must land mid-crawl"

        result = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        assert report["resumed"] is True and report["run_id"] == 1
        assert frontier(data_dir.store_file)[1] == 0  # everything fetched was ingested
        with sqlite3.connect(data_dir.store_file) as con:
            docs = dict(con.execute("SELECT url, version FROM documents").fetchall())
            queued = con.execute("SELECT COUNT(*) FROM crawl_frontier WHERE state='queued'").fetchone()[0]
        assert queued == 0
        assert set(docs.values()) == {1}  # nothing stored twice as a new version
        expected = {"/", "/fi/index.html", "/sv/index.html", "/nb/index.html", "/da/index.html", "/latin1.html",
                    "/oai-tiedostot/julkaisu-1.pdf", "/bitstream/3/raportti.pdf", "/ohjaus/kohde.html"}  # fmt: skip
        assert {site.base + p for p in expected} <= set(docs)
        # a page is fetched in full again only if it was in flight when the kill came
        refetched = [p for p, n in site.full_bodies.items() if n > 1]
        assert len(refetched) <= 2, refetched
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
