"""Crawler fixtures: the fixture website on 127.0.0.1 and a data directory with a sources file for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crawler.site import FixtureSite, serve

CONFIG = """
download_timeout = 1.5
max_file_bytes = 200000
crawl_delay = 0.0
crawl_retries = 1
crawl_backoff = 0.1
crawl_max_retry_after = 3.0
workers = 1
"""


def sources_toml(site: FixtureSite, **overrides) -> str:
    values = {
        "max_pages": 200,
        "depth": 4,
        "recrawl_days": 0,
        "allow_private_network": "true",
    } | overrides
    port = site.port
    return f"""
[[source]]
id = "fixture"
name = "Fixture welfare site"
country = "FI"
language = "fi"
start_urls = ["{site.base}/"]
sitemaps = ["{site.base}/sitemap_index.xml"]
oai_pmh = {{ endpoint = "{site.base}/oai", metadata_prefix = "oai_dc" }}
allow = ['^http://127\\.0\\.0\\.1:{port}/']
deny = ['/logout']
delay = 0
recrawl_days = {values["recrawl_days"]}
max_pages = {values["max_pages"]}
depth = {values["depth"]}
allow_private_network = {values["allow_private_network"]}
"""


@pytest.fixture(scope="session")
def site():
    fixture = FixtureSite()
    servers = serve(fixture)
    yield fixture
    for server in servers:
        server.shutdown()
        server.server_close()


def make_data_dir(root: Path, site: FixtureSite, **overrides):
    from corpus.config import DataDir

    data_dir = DataDir(root).ensure()
    data_dir.config_file.write_text(CONFIG)
    sources = root / "fixture-sources.toml"
    sources.write_text(sources_toml(site, **overrides))
    return data_dir, sources
