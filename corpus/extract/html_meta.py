"""Metadata of an HTML page: title, publication date, description and declared language.

Kept apart from main-content extraction (`html.py`): these read the head and a few
well-known attributes, not the body's layout.
"""

from __future__ import annotations

import json
import re
from datetime import date

from bs4 import BeautifulSoup, Tag

#: Meta tags that carry a publication date, best first (Open Graph, Dublin Core, news CMSs).
DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dc.date.created",
    "dcterms.created",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "published_date",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "last-modified",
    "article:modified_time",
)

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DOMAIN = re.compile(r"\b[\w-]+\.(?:se|fi|no|dk|is|ax|fo|gl|com|org|net|eu|int)\b", re.I)


def _meta_content(soup: BeautifulSoup, *names: str) -> str | None:
    wanted = {n.lower() for n in names}
    found: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key in wanted and content and key not in found:
            found[key] = content
    for name in names:  # in the caller's order of preference
        if name.lower() in found:
            return found[name.lower()]
    return None


def iso_date(value: str | None) -> str | None:
    """The YYYY-MM-DD date at the start of an ISO-ish value, if it is a real, plausible date.

    >>> iso_date("2020-02-19T14:20:25Z"), iso_date("19.2.2020"), iso_date("0000-00-00")
    ('2020-02-19', '2020-02-19', None)
    """
    if not value:
        return None
    value = value.strip()
    match = _ISO_DATE.search(value[:40])
    if match:
        y, m, d = (int(g) for g in match.groups())
    else:  # Nordic day-first dates: 19.2.2020, 19/2/2020
        match = re.search(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b", value[:40])
        if not match:
            return None
        d, m, y = (int(g) for g in match.groups())
    try:
        found = date(y, m, d)
    except ValueError:
        return None
    return found.isoformat() if 1990 <= found.year <= 2100 else None


def _json_ld_dates(soup: BeautifulSoup) -> list[str]:
    dates = []
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.get_text() or "null")
        except ValueError:
            continue
        stack = [data]
        while stack:  # iterative: JSON-LD graphs nest arbitrarily
            item = stack.pop()
            if isinstance(item, dict):
                if isinstance(item.get("datePublished"), str):
                    dates.append(item["datePublished"])
                stack.extend(v for v in item.values() if isinstance(v, dict | list))
            elif isinstance(item, list):
                stack.extend(reversed(item))
    return dates


def page_date(soup: BeautifulSoup, main: Tag | None = None) -> str | None:
    """Publication date: meta tags, then itemprop=datePublished, JSON-LD, then `<time>`
    in the main content before any other `<time>` on the page."""
    if found := iso_date(_meta_content(soup, *DATE_META)):
        return found
    for tag in soup.find_all(attrs={"itemprop": re.compile("^datePublished$", re.I)}):
        if found := iso_date(tag.get("datetime") or tag.get("content") or tag.get_text()):
            return found
    for value in _json_ld_dates(soup):
        if found := iso_date(value):
            return found
    for scope in (main, soup):
        if scope is None:
            continue
        for tag in scope.find_all("time"):
            if found := iso_date(tag.get("datetime") or tag.get("dateTime") or tag.get_text()):
                return found
    return None


def page_lang(soup: BeautifulSoup) -> str | None:
    """The language the page declares (`<html lang>`, Content-Language, og:locale): a hint."""
    html = soup.find("html")
    lang = html.get("lang") or html.get("xml:lang") if isinstance(html, Tag) else None
    lang = lang or _meta_content(soup, "content-language", "dc.language", "og:locale")
    if not lang:
        for meta in soup.find_all("meta", attrs={"http-equiv": re.compile("^content-language$", re.I)}):
            lang = meta.get("content")
            break
    lang = (lang or "").strip().replace("_", "-")
    return lang.split(",")[0] or None


def page_description(soup: BeautifulSoup) -> str | None:
    text = _meta_content(soup, "description", "og:description", "dc.description", "twitter:description")
    return re.sub(r"\s+", " ", text).strip() if text else None


def strip_site_name(title: str, site_name: str | None = None) -> str:
    """Drop a trailing " - Site" / " | Site" from a page title; keep real subtitles.

    >>> strip_site_name("Vissa skolfrågor - Regeringen.se")
    'Vissa skolfrågor'
    >>> strip_site_name("Leudot talvet – näillä keinoilla torjut kaamosoireita")
    'Leudot talvet – näillä keinoilla torjut kaamosoireita'
    """
    title = re.sub(r"\s+", " ", title).strip()
    while True:
        for sep in (" | ", " - ", " – ", " — ", " :: "):
            head, found, tail = title.rpartition(sep)
            if not found or not head.strip() or len(head.split()) < 2:
                continue
            tail = tail.strip()
            site_like = bool(_DOMAIN.search(tail)) or (site_name and tail.casefold() == site_name.casefold())
            short = len(tail.split()) <= 3 and sep in (" | ", " - ", " :: ")
            if site_like or short or not tail:
                title = head.strip(" -|–—")
                break
        else:
            return title


def page_title(soup: BeautifulSoup, first_heading: str | None) -> str:
    """og:title, else `<title>`, both without a site-name suffix, else the first heading.

    A `<title>` that is only a site name or a code ("SFST") gives way to the first heading of
    the main content, when there is one.
    """
    site = _meta_content(soup, "og:site_name")
    if og := _meta_content(soup, "og:title", "twitter:title", "dc.title"):
        return strip_site_name(og, site)
    title = soup.find("title")
    text = strip_site_name(title.get_text(" "), site) if isinstance(title, Tag) else ""
    generic = not text or (text.isupper() and len(text) <= 6) or (site and text.casefold() == site.casefold())
    if generic and first_heading:
        return first_heading
    h1 = soup.find("h1")
    return text or (re.sub(r"\s+", " ", h1.get_text(" ")).strip() if isinstance(h1, Tag) else "")
