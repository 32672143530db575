"""Publishers: one name per organisation, from whatever spelling, domain or series a file gives.

The registry is data (`corpus/publishers.toml`, extended by a data directory's own
`publishers.toml`): canonical names with their aliases in every language, web domains and the
series they publish. `canonical` turns "Regeringen och Regeringskansliet" or "Arbeids- og
velferdsdirektoratet" into "Regeringskansliet" and "NAV"; an unknown organisation keeps its own
name, tidied.

    >>> registry = load_registry()
    >>> registry.canonical("Regeringen och Regeringskansliet"), registry.canonical("Yle Uutiset")
    ('Regeringskansliet', 'Yle')
    >>> registry.by_domain("https://www.thl.fi/fi/julkaisut"), registry.by_series("THL:n raportti")
    ('THL', 'THL')
    >>> registry.canonical("Socialstyrelsen", country="DK")
    'Social- og Boligstyrelsen'
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from corpus.errors import ConfigError

SHIPPED = Path(__file__).resolve().parents[1] / "publishers.toml"
_DOMAIN_LIKE = re.compile(r"^(?:www\.)?([\w-]+)\.(?:se|fi|no|dk|is|ax|fo|gl|com|org|net|eu|int)$", re.I)


def name_key(text: str) -> str:
    """How names are compared: Unicode-normalised, case-folded, dashes and spaces unified."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    return re.sub(r"\s+", " ", text).strip(" .,;:")


@dataclass(frozen=True)
class Publisher:
    name: str
    country: str | None = None
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    series: tuple[str, ...] = ()


@dataclass(frozen=True)
class Registry:
    """The publishers nordsearch knows; picklable, so ingest workers carry their own copy."""

    publishers: tuple[Publisher, ...] = ()
    _names: dict = field(default_factory=dict, compare=False, repr=False)  # name key -> [Publisher]
    _series: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for p in self.publishers:
            for alias in (p.name, *p.aliases):
                self._names.setdefault(name_key(alias), []).append(p)
            for s in p.series:
                self._series.setdefault(name_key(s), p)

    def find(self, name: str | None, *, country: str | None = None, url: str | None = None) -> Publisher | None:
        """The known organisation behind a name (an alias shared by two is told apart by country or domain)."""
        if not name:
            return None
        matches = self._names.get(name_key(name))
        if not matches:
            domain = _DOMAIN_LIKE.match(name.strip())
            return self.find_domain(name.strip()) if domain else None
        if len(matches) > 1:
            home = self.find_domain(url) if url else None
            for p in matches:
                if p is home or (country and p.country == country):
                    return p
        return matches[0]

    def canonical(self, name: str | None, *, country: str | None = None, url: str | None = None) -> str | None:
        """The organisation's one name; an unknown one keeps its own (tidied; "TINE.no" -> "TINE")."""
        if not name or not name.strip():
            return None
        known = self.find(name, country=country, url=url)
        if known:
            return known.name
        tidy = re.sub(r"\s+", " ", name).strip(" .,;:|-–")
        domain = _DOMAIN_LIKE.match(tidy)
        # a site called by its address: "TINE.no" is TINE; a short one ("sn.dk") keeps its ending
        return domain.group(1) if domain and len(domain.group(1)) > 3 else tidy or None

    def find_domain(self, url: str | None) -> Publisher | None:
        if not url:
            return None
        host = urlsplit(url if "//" in url else f"//{url}").netloc.lower().split(":")[0]
        path = urlsplit(url if "//" in url else f"//{url}").path
        for p in self.publishers:
            for d in p.domains:
                d_host, _, d_path = d.partition("/")
                if (host == d_host or host.endswith("." + d_host)) and path.startswith("/" + d_path if d_path else ""):
                    return p
        return None

    def by_domain(self, url: str | None) -> str | None:
        found = self.find_domain(url)
        return found.name if found else None

    def by_series(self, series_name: str) -> str | None:
        found = self._series.get(name_key(series_name))
        return found.name if found else None

    def is_known_name(self, text: str | None) -> bool:
        """True when `text` is the name (or an alias or site name) of a known organisation."""
        return bool(text) and name_key(text) in self._names

    def extended(self, path: Path) -> Registry:
        """This registry plus a data directory's own publishers.toml (an entry of the same name extends one)."""
        extra = _read(path)
        if not extra:
            return self
        merged = {p.name: p for p in self.publishers}
        for p in extra:
            old = merged.get(p.name)
            merged[p.name] = (
                Publisher(
                    p.name,
                    p.country or old.country,
                    old.aliases + p.aliases,
                    old.domains + p.domains,
                    old.series + p.series,
                )
                if old
                else p
            )
        return Registry(tuple(merged.values()))


def _read(path: Path) -> tuple[Publisher, ...]:
    if not path.is_file():
        return ()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    out = []
    for i, entry in enumerate(data.get("publisher", [])):
        where = f"{path}: publisher #{i + 1}"
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            raise ConfigError(f"{where}: needs a name")
        lists = {}
        for key in ("aliases", "domains", "series"):
            value = entry.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where} ({entry['name']}): {key} must be a list of strings")
            lists[key] = tuple(v.strip() for v in value if v.strip())
        country = entry.get("country")
        if country is not None and not isinstance(country, str):
            raise ConfigError(f"{where} ({entry['name']}): country must be a string")
        out.append(Publisher(entry["name"].strip(), country, lists["aliases"], lists["domains"], lists["series"]))
    return tuple(out)


@lru_cache(maxsize=8)
def load_registry(extra: Path | None = None) -> Registry:
    """The shipped registry, extended by `extra` (a data directory's publishers.toml) when given."""
    base = Registry(_read(SHIPPED))
    return base.extended(extra) if extra else base
