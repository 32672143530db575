"""robots.txt: RFC 9309 decisions, and the agreement floor with Google's reference cases."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from crawler.robots import RobotsRules, ScrapyRobotParser, product_token

EVAL = Path(__file__).resolve().parents[1] / "eval"
FLOORS = tomllib.loads((EVAL / "floors.toml").read_text())["crawler"]


def test_agreement_with_google_reference_cases(shared_data):
    sys.path.insert(0, str(EVAL))
    import eval_robots

    cases = eval_robots.load_cases(shared_data / "robots" / "cases.tsv")
    ours = eval_robots.agreement(eval_robots.our_decision, cases)
    protego = eval_robots.agreement(eval_robots.protego_decision, cases)
    assert ours["rfc"][0] >= FLOORS["robots_rfc_agree"] and ours["rfc"][1] == 72
    assert ours["all"][0] >= FLOORS["robots_all_agree"]
    assert ours["all"][0] > protego["all"][0]


@pytest.mark.parametrize(
    "robots,url,allowed",
    [
        ("User-agent: *\nDisallow: /", "https://x.fi/a", False),
        ("User-agent: nordsearch\nAllow: /\nUser-agent: *\nDisallow: /", "https://x.fi/a", True),
        # an unknown line does not end the group of agents (RFC 9309 §2.2)
        (
            "User-agent: nordsearch\nX-Unknown: y\nUser-agent: other\nDisallow: /raportit",
            "https://x.fi/raportit",
            False,
        ),
        # longest match wins; on a tie, allow wins
        ("User-agent: *\nDisallow: /julkaisut\nAllow: /julkaisut/avoin", "https://x.fi/julkaisut/avoin/1.pdf", True),
        ("User-agent: *\nDisallow: /a\nAllow: /a", "https://x.fi/a", True),
        ("User-agent: *\nDisallow: /*.pdf$", "https://x.fi/r.pdf", False),
        ("User-agent: *\nDisallow: /*.pdf$", "https://x.fi/r.pdf?x=1", True),
        ("User-agent: *\nDisallow: /ä", "https://x.fi/%C3%A4", False),
    ],
)
def test_rules(robots, url, allowed):
    assert RobotsRules.parse(robots).allowed(url, "nordsearch") is allowed


def test_scrapy_adapter_uses_the_product_token():
    parser = ScrapyRobotParser(
        b"User-agent: nordsearch\nDisallow: /private/\nCrawl-delay: 3\nSitemap: https://x.fi/s.xml"
    )
    agent = "nordsearch/0.1 (+https://github.com/nordsearch/nordsearch)"
    assert product_token(agent) == "nordsearch"
    assert not parser.allowed("https://x.fi/private/a", agent)
    assert parser.allowed("https://x.fi/public", agent)
    assert parser.crawl_delay(agent) == 3.0
    assert parser.rules.sitemaps() == ["https://x.fi/s.xml"]
