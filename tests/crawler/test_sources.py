"""The sources registry: the shipped Nordic publishers, validation that names source and key."""

from __future__ import annotations

import pytest

from corpus.errors import SourceConfigError
from corpus.sources import SHIPPED_SOURCES, configured_sources, load_sources, parse_sources

GOOD = """
[[source]]
id = "demo"
name = "Demo"
country = "SE"
language = "sv"
start_urls = ["https://example.org/publikationer/"]
"""


def test_shipped_registry_covers_the_nordic_countries():
    sources = load_sources(SHIPPED_SOURCES)
    assert len(sources) >= 12
    assert {"FI", "SE", "NO", "DK", "NORDIC"} <= {s.country for s in sources}
    ids = {s.id for s in sources}
    assert {"thl-julkari", "socialstyrelsen-se", "helsedirektoratet", "bufdir", "vive", "fafo"} <= ids
    assert any(s.oai_pmh for s in sources) and any(s.sitemaps for s in sources)
    assert not any(s.allow_private_network for s in sources)
    for s in sources:  # every start URL lies inside the source's own rules
        assert all(s.allows(u) for u in s.start_urls), s.id


@pytest.mark.parametrize(
    "change,key",
    [
        ('allow = ["(unclosed"]', "allow"),
        ('deny = ["*bad"]', "deny"),
        ('colour = "red"', "colour"),
        ("max_pages = 0", "max_pages"),
        ('delay = "slow"', "delay"),
        ('allow_private_network = "yes"', "allow_private_network"),
        ('oai_pmh = { endpoint = "ftp://x" }', "oai_pmh"),
    ],
)
def test_bad_source_names_source_and_key(change, key):
    with pytest.raises(SourceConfigError) as err:
        parse_sources(GOOD + change + "\n", origin="my-sources.toml")
    message = str(err.value)
    assert "my-sources.toml" in message and "'demo'" in message and repr(key) in message


@pytest.mark.parametrize("field,value", [("country", "XX"), ("language", "de"), ("id", "Bad Id")])
def test_bad_values_are_refused(field, value):
    text = GOOD.replace(f'{field} = "', f'{field} = "{value}" #', 1)
    with pytest.raises(SourceConfigError, match=field):
        parse_sources(text, origin="x")


def test_missing_key_and_duplicate_id():
    with pytest.raises(SourceConfigError, match="'name': missing"):
        parse_sources(GOOD.replace('name = "Demo"\n', ""), origin="x")
    with pytest.raises(SourceConfigError, match="defined twice"):
        parse_sources(GOOD + GOOD, origin="x")


def test_allow_and_deny_patterns():
    (s,) = parse_sources(GOOD + "allow = ['^https://example\\.org/pub']\ndeny = ['\\?page=']\n", origin="x")
    assert s.allows("https://example.org/publikationer/rapport.pdf")
    assert not s.allows("https://example.org/publikationer/?page=2")
    assert not s.allows("https://example.org/annat/")
    assert not s.allows("ftp://example.org/publikationer/")


def test_user_sources_add_and_replace(tmp_path):
    user = tmp_path / "sources.toml"
    user.write_text(GOOD + GOOD.replace('"demo"', '"vive"').replace("Demo", "My VIVE"))
    merged = {s.id: s for s in configured_sources(user)}
    assert "demo" in merged and merged["vive"].name == "My VIVE" and "fafo" in merged
    only = configured_sources(user, sources_file=user)
    assert {s.id for s in only} == {"demo", "vive"}
