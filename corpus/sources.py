"""The crawl sources registry: `sources.toml` files read into validated `Source` values.

The shipped registry (`corpus/sources.toml`) lists Nordic public publishers of welfare
knowledge; a data directory's own `sources.toml` adds sources or replaces shipped ones with
the same `id`. Each `[[source]]` table is checked on load: an error names the file, the
source and the key.

>>> s = parse_sources('''
... [[source]]
... id = "demo"
... name = "Demo"
... country = "FI"
... language = "fi"
... start_urls = ["https://example.org/julkaisut/"]
... ''', origin="example")[0]
>>> s.allows("https://example.org/julkaisut/raportti.pdf"), s.allows("https://other.example/")
(True, False)
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from corpus.errors import SourceConfigError
from corpus.model import COUNTRIES, LANGUAGES

SHIPPED_SOURCES = Path(__file__).with_name("sources.toml")

#: Defaults of the optional keys (documented in sources.toml's header).
DEFAULT_RECRAWL_DAYS = 7.0
DEFAULT_MAX_PAGES = 2000


@dataclass(frozen=True)
class OaiPmh:
    """An OAI-PMH endpoint harvested with ListRecords."""

    endpoint: str
    set: str | None = None
    metadata_prefix: str = "oai_dc"


@dataclass(frozen=True)
class Source:
    """One publisher to crawl, as configured in a sources.toml."""

    id: str
    name: str
    country: str
    language: str
    start_urls: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    oai_pmh: OaiPmh | None = None
    allow: tuple[re.Pattern, ...] = ()
    deny: tuple[re.Pattern, ...] = ()
    delay: float | None = None  # None: the data directory's crawl_delay setting
    recrawl_days: float = DEFAULT_RECRAWL_DAYS
    max_pages: int = DEFAULT_MAX_PAGES
    depth: int | None = None  # None: the crawl_depth setting
    allow_private_network: bool = False
    origin: str = ""  # the file it came from

    @property
    def hosts(self) -> frozenset[str]:
        """Hosts of the start URLs, sitemaps and OAI endpoint: the source's own hosts."""
        urls = [*self.start_urls, *self.sitemaps, *([self.oai_pmh.endpoint] if self.oai_pmh else [])]
        return frozenset((urlsplit(u).hostname or "") for u in urls)

    def allows(self, url: str) -> bool:
        """Whether `url` belongs to this source: an allow pattern matches (or, without allow
        patterns, its host is one of the source's hosts) and no deny pattern matches."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False
        if self.allow:
            inside = any(p.search(url) for p in self.allow)
        else:
            inside = parts.hostname in self.hosts
        return inside and not any(p.search(url) for p in self.deny)

    def hints(self) -> dict:
        """What the source says about every document it yields (for ingest)."""
        return {"source": self.id, "publisher": self.name, "country": self.country, "lang": self.language}

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "country": self.country,
            "language": self.language,
            "start_urls": list(self.start_urls),
            "sitemaps": list(self.sitemaps),
            "oai_pmh": None
            if self.oai_pmh is None
            else {
                "endpoint": self.oai_pmh.endpoint,
                "set": self.oai_pmh.set,
                "metadata_prefix": self.oai_pmh.metadata_prefix,
            },
            "allow": [p.pattern for p in self.allow],
            "deny": [p.pattern for p in self.deny],
            "delay": self.delay,
            "recrawl_days": self.recrawl_days,
            "max_pages": self.max_pages,
            "depth": self.depth,
            "allow_private_network": self.allow_private_network,
            "origin": self.origin,
        }


_KEYS = {
    "id",
    "name",
    "country",
    "language",
    "start_urls",
    "sitemaps",
    "oai_pmh",
    "allow",
    "deny",
    "delay",
    "recrawl_days",
    "max_pages",
    "depth",
    "allow_private_network",
}
_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")


class _Checker:
    def __init__(self, origin: str, index: int, table: dict):
        self.origin, self.table = origin, table
        sid = table.get("id")
        self.label = f"source {sid!r}" if isinstance(sid, str) else f"source #{index + 1}"

    def fail(self, key: str, problem: str) -> SourceConfigError:
        return SourceConfigError(f"{self.origin}: {self.label}, key {key!r}: {problem}")

    def string(self, key: str, *, required: bool = True, default: str | None = None) -> str | None:
        value = self.table.get(key, default)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "missing" if value is None else f"must be a non-empty string, got {value!r}")
        return value.strip()

    def urls(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, f"must be a list of URLs, got {value!r}")
        for url in value:
            self.url(key, url)
        if required and not value:
            raise self.fail(key, "needs at least one URL")
        return tuple(value)

    def url(self, key: str, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise self.fail(key, f"{url!r} is not an http(s) URL")
        return url

    def patterns(self, key: str) -> tuple[re.Pattern, ...]:
        value = self.table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, f"must be a list of regular expressions, got {value!r}")
        out = []
        for pattern in value:
            try:
                out.append(re.compile(pattern))
            except re.error as exc:
                raise self.fail(key, f"bad regular expression {pattern!r}: {exc}") from exc
        return tuple(out)

    def number(self, key: str, default, *, kind=float, minimum: float = 0):
        value = self.table.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or (kind is int and isinstance(value, float)):
            raise self.fail(key, f"must be a {'whole ' if kind is int else ''}number, got {value!r}")
        if value < minimum:
            raise self.fail(key, f"must be at least {minimum}, got {value!r}")
        return kind(value)


def _source(table: dict, index: int, origin: str) -> Source:
    c = _Checker(origin, index, table)
    if not isinstance(table, dict):
        raise SourceConfigError(f"{origin}: [[source]] #{index + 1} must be a table")
    for key in table:
        if key not in _KEYS:
            raise c.fail(key, f"unknown key (known: {', '.join(sorted(_KEYS))})")
    sid = c.string("id")
    if not _ID.fullmatch(sid):
        raise c.fail("id", "use lower-case letters, digits, '-' and '_'")
    country = c.string("country").upper()
    if country not in COUNTRIES:
        raise c.fail("country", f"{country!r} is not one of {', '.join(COUNTRIES)}")
    language = c.string("language").lower()
    if language not in LANGUAGES:
        raise c.fail("language", f"{language!r} is not one of {', '.join(LANGUAGES)}")
    oai = None
    if "oai_pmh" in table:
        raw = table["oai_pmh"]
        if not isinstance(raw, dict) or not isinstance(raw.get("endpoint"), str):
            raise c.fail("oai_pmh", "must be a table with an 'endpoint' URL (and optional 'set', 'metadata_prefix')")
        unknown = set(raw) - {"endpoint", "set", "metadata_prefix"}
        if unknown:
            raise c.fail("oai_pmh", f"unknown key {sorted(unknown)[0]!r}")
        for k in ("set", "metadata_prefix"):
            if k in raw and not isinstance(raw[k], str):
                raise c.fail("oai_pmh", f"{k!r} must be a string")
        oai = OaiPmh(c.url("oai_pmh", raw["endpoint"]), raw.get("set"), raw.get("metadata_prefix", "oai_dc"))
    start_urls = c.urls("start_urls")
    sitemaps = c.urls("sitemaps")
    if not (start_urls or sitemaps or oai):
        raise c.fail("start_urls", "a source needs start_urls, sitemaps or oai_pmh")
    private = table.get("allow_private_network", False)
    if not isinstance(private, bool):
        raise c.fail("allow_private_network", f"must be true or false, got {private!r}")
    return Source(
        id=sid,
        name=c.string("name"),
        country=country,
        language=language,
        start_urls=start_urls,
        sitemaps=sitemaps,
        oai_pmh=oai,
        allow=c.patterns("allow"),
        deny=c.patterns("deny"),
        delay=c.number("delay", None),
        recrawl_days=c.number("recrawl_days", DEFAULT_RECRAWL_DAYS),
        max_pages=c.number("max_pages", DEFAULT_MAX_PAGES, kind=int, minimum=1),
        depth=c.number("depth", None, kind=int),
        allow_private_network=private,
        origin=origin,
    )


def parse_sources(text: str, *, origin: str) -> list[Source]:
    """Sources from the text of a sources.toml; `origin` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourceConfigError(f"{origin}: {exc}") from exc
    extra = set(data) - {"source"}
    if extra:
        raise SourceConfigError(f"{origin}: unknown top-level key {sorted(extra)[0]!r} (sources are [[source]] tables)")
    tables = data.get("source", [])
    if not isinstance(tables, list):
        raise SourceConfigError(f"{origin}: 'source' must be an array of tables ([[source]])")
    sources = [_source(t, i, origin) for i, t in enumerate(tables)]
    seen: set[str] = set()
    for s in sources:
        if s.id in seen:
            raise SourceConfigError(f"{origin}: source {s.id!r}, key 'id': defined twice")
        seen.add(s.id)
    return sources


def load_sources(path: Path) -> list[Source]:
    """Sources of one sources.toml file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SourceConfigError(f"cannot read sources file {path}: {exc.strerror or exc}") from exc
    return parse_sources(text, origin=str(path))


def configured_sources(user_file: Path | None, *, sources_file: Path | None = None) -> list[Source]:
    """The sources to crawl: only `sources_file` when given; otherwise the shipped registry with
    the data directory's `user_file` added (a user source replaces a shipped one of the same id)."""
    if sources_file is not None:
        return load_sources(sources_file)
    merged = {s.id: s for s in load_sources(SHIPPED_SOURCES)}
    if user_file is not None and Path(user_file).exists():
        merged.update({s.id: s for s in load_sources(user_file)})
    return list(merged.values())
