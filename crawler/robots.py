"""robots.txt decisions that follow RFC 9309, used by the crawler through Scrapy's RobotsTxtMiddleware.

Protego (Scrapy's default parser) agrees with Google's reference parser on 131 of 145 reference
cases; the RFC 9309 cases it gets wrong sit in its parser core, out of reach of its public API:

- an unknown line (``Invalid-Unknown-Line: x``) between two ``User-agent`` lines ends the
  group for Protego; RFC 9309 §2.2 says unknown records are ignored, so both agents share it;
- ``User-agent: FOO BAR`` names the product token ``FOO`` (RFC 9309 §2.2.1: the token is
  ``[A-Za-z_-]+``), which Protego keeps as ``foo bar``;
- Protego decodes percent-escapes of unreserved characters and encodes the URL before matching;
  RFC 9309 §2.2.2 (as Google's reference implements it) percent-encodes only the non-ASCII
  octets of a rule and upper-cases its escapes, and compares with the URL as given (the
  crawler's URLs are already percent-encoded by Scrapy).

So matching is done here (groups, longest match, ``*`` and ``$``), while Protego still reads
``Crawl-delay`` and ``Sitemap`` lines, which RFC 9309 leaves to each crawler.

>>> rules = RobotsRules.parse("User-agent: *\\nDisallow: /private\\nAllow: /private/open")
>>> rules.allowed("https://example.org/private/x", "nordsearch")
False
>>> rules.allowed("https://example.org/private/open/y", "nordsearch")
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from protego import Protego

#: Google's reference parser keeps at most this many bytes of a line (a 2083 * 8 buffer with its NUL).
MAX_LINE_BYTES = 16663

_KEYS = {
    "user-agent": "user-agent",
    "allow": "allow",
    "disallow": "disallow",
    "sitemap": "sitemap",
    # common misspellings accepted by Google's reference parser (beyond the RFC, harmless)
    "useragent": "user-agent",
    "user agent": "user-agent",
    "dissallow": "disallow",
    "dissalow": "disallow",
    "disalow": "disallow",
    "diasllow": "disallow",
    "disallaw": "disallow",
    "site-map": "sitemap",
}
_TOKEN = re.compile(r"[A-Za-z_-]+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def product_token(user_agent: str) -> str:
    """The product token a robots.txt group is matched against: ``nordsearch/0.1 (+…)`` → ``nordsearch``."""
    m = _TOKEN.match(user_agent.strip())
    return m.group(0) if m else ""


def encode_pattern(pattern: str) -> str:
    """Percent-encode the non-ASCII octets of a rule and upper-case its escapes (RFC 9309 §2.2.2)."""
    out = []
    raw = pattern.encode("utf-8")
    i = 0
    while i < len(raw):
        b = raw[i]
        if b == 0x25 and i + 3 <= len(raw) and re.fullmatch(rb"[0-9A-Fa-f]{2}", raw[i + 1 : i + 3]):
            out.append("%" + raw[i + 1 : i + 3].decode().upper())
            i += 3
            continue
        out.append(f"%{b:02X}" if b >= 0x80 or b < 0x21 else chr(b))
        i += 1
    return "".join(out)


def path_params_query(url: str) -> str:
    """The part of a URL that rules match: path, params and query; fragment dropped; empty path → ``/``."""
    url = url.partition("#")[0]
    if "://" in url:
        parts = urlsplit(url)
        path = parts.path or "/"
        return path + (f"?{parts.query}" if "?" in url else "")
    return url if url.startswith("/") else "/" + url


@dataclass(frozen=True)
class Rule:
    allow: bool
    pattern: str  # encoded

    def matches(self, path: str) -> bool:
        return _pattern_regex(self.pattern).match(path) is not None


_REGEX_CACHE: dict[str, re.Pattern] = {}


def _pattern_regex(pattern: str) -> re.Pattern:
    rx = _REGEX_CACHE.get(pattern)
    if rx is None:
        anchored = pattern.endswith("$")
        body = pattern[:-1] if anchored else pattern
        rx = re.compile(".*".join(re.escape(p) for p in body.split("*")) + ("$" if anchored else ""), re.DOTALL)
        if len(_REGEX_CACHE) < 10_000:
            _REGEX_CACHE[pattern] = rx
    return rx


@dataclass
class _Group:
    agents: list[str] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)


def _records(text: str):
    """(key, value) for every line that reads as a known record; unknown records are dropped."""
    for line in _LINE_BREAK.split(text):
        if len(line.encode("utf-8", "surrogatepass")) > MAX_LINE_BYTES:
            line = line.encode("utf-8", "surrogatepass")[:MAX_LINE_BYTES].decode("utf-8", "ignore")
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if ":" in line:
            key, value = line.split(":", 1)
        else:  # "Disallow /x" without a colon: accepted when the key is known (Google does too)
            parts = line.split(None, 1)
            key, value = parts[0], parts[1] if len(parts) > 1 else ""
        key = _KEYS.get(key.strip().lower())
        if key:
            yield key, value.strip()


class RobotsRules:
    """The rules of one robots.txt, matched as RFC 9309 says."""

    def __init__(self, groups: list[_Group], protego: Protego):
        self._groups = groups
        self._protego = protego

    @classmethod
    def parse(cls, text: str) -> RobotsRules:
        groups: list[_Group] = []
        current: _Group | None = None
        in_agents = False
        for key, value in _records(text):
            if key == "user-agent":
                if not in_agents:
                    current = _Group()
                    groups.append(current)
                    in_agents = True
                agent = "*" if value.startswith("*") else product_token(value)
                if agent:
                    current.agents.append(agent.lower())
            elif key in ("allow", "disallow"):
                in_agents = False
                if current is None or not value:
                    continue
                pattern = encode_pattern(value)
                current.rules.append(Rule(key == "allow", pattern))
                if key == "allow" and re.search(r"/index\.html?$", pattern):
                    # Google treats an allowed index.html as its directory
                    current.rules.append(Rule(True, pattern.rsplit("/", 1)[0] + "/$"))
        try:
            protego = Protego.parse(text)
        except Exception:  # Protego is only asked for Crawl-delay and Sitemap; never fail on it
            protego = Protego.parse("")
        return cls(groups, protego)

    def _rules_for(self, agent: str) -> list[Rule] | None:
        agent = agent.lower()
        specific = [r for g in self._groups if agent in g.agents for r in g.rules]
        if specific or any(agent in g.agents for g in self._groups):
            return specific
        if any("*" in g.agents for g in self._groups):
            return [r for g in self._groups if "*" in g.agents for r in g.rules]
        return None

    def allowed(self, url: str, agent: str) -> bool:
        """Whether the crawler named `agent` (its product token) may fetch `url`."""
        if not agent:
            return True
        if not url:
            return False
        rules = self._rules_for(agent)
        if not rules:
            return True
        path = path_params_query(url)
        if path == "/robots.txt":
            return True
        best: Rule | None = None
        for rule in rules:
            if rule.matches(path):
                key = (len(rule.pattern), rule.allow)
                if best is None or key > (len(best.pattern), best.allow):
                    best = rule
        return best is None or best.allow

    def crawl_delay(self, agent: str) -> float | None:
        delay = self._protego.crawl_delay(agent)
        return None if delay is None else float(delay)

    def sitemaps(self) -> list[str]:
        return list(self._protego.sitemaps)


def decode_robots(body: bytes) -> str:
    """robots.txt is UTF-8 (RFC 9309 §2.3); undecodable octets are replaced rather than fatal."""
    return body.decode("utf-8", errors="replace").lstrip("\ufeff")


class ScrapyRobotParser:
    """`ROBOTSTXT_PARSER` for Scrapy: our RFC 9309 rules behind Scrapy's RobotParser interface."""

    def __init__(self, body: bytes):
        self.rules = RobotsRules.parse(decode_robots(body))

    @classmethod
    def from_crawler(cls, crawler, robotstxt_body: bytes) -> ScrapyRobotParser:
        return cls(robotstxt_body)

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        url = url.decode() if isinstance(url, bytes) else url
        user_agent = user_agent.decode() if isinstance(user_agent, bytes) else user_agent
        return self.rules.allowed(url, product_token(user_agent))

    def crawl_delay(self, user_agent: str | bytes) -> float | None:
        user_agent = user_agent.decode() if isinstance(user_agent, bytes) else user_agent
        return self.rules.crawl_delay(product_token(user_agent))
