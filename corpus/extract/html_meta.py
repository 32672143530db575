"""Metadata of an HTML page as claims with provenance: title, authors, date, publisher, identifiers.

Kept apart from main-content extraction (`html.py`): these read the head and a few
well-known attributes, not the body's layout. Every value becomes a `Claim` naming its source
kind and the tag it came from (see `corpus.biblio.claims` for which kind wins):

    citation_* (Highwire)        citation   title, author, publication_date, publisher, isbn, issn,
                                            series_title + technical_report_number
    DC.* / DCTERMS.*             dc         title, creator, publisher, date/issued, identifier
    schema.org JSON-LD           jsonld     Report, ScholarlyArticle, Book, CreativeWork, Article...
    Open Graph                   og         og:title, og:site_name, article:published_time
    <title>, author, CMS dates   page       the title without its site-name suffix
    site-name suffix             site       "... - Regeringen.se" names the publisher
    <time> in the main content   content
    modification dates           print      the last resort for a date
"""

from __future__ import annotations

import json
import re
from datetime import date

from bs4 import BeautifulSoup, Tag

from corpus.model import Claim

#: Date meta tags by source kind, best first within a kind. Created/modified dates say when a
#: page was made or touched, not when the text was published, so they rank last.
DATE_META = {
    "citation": ("citation_publication_date", "citation_date", "citation_online_date"),
    "dc": ("dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dc.date.published"),
    "og": ("article:published_time", "og:published_time", "og:published"),
    "page": (
        "datepublished", "published", "pubdate", "publishdate", "publish-date", "published_date",
        "epi.published", "display-date", "sailthru.date", "parsely-pub-date", "article.published", "date",
        "dc.date.created", "dcterms.created", "creation_date",
    ),
    "print": ("last-modified", "article:modified_time", "dc.date.modified", "dcterms.modified", "epi.modified"),
}  # fmt: skip
#: Flat list of the date tags, best first (kept for callers that want one date).
DATE_META_ORDER = tuple(name for names in DATE_META.values() for name in names)

#: JSON-LD types whose properties describe the document itself.
WORK_TYPES = {
    "report", "scholarlyarticle", "book", "chapter", "creativework", "article", "newsarticle", "blogposting",
    "legislation", "legislationobject", "thesis", "techarticle", "govermentpublication", "publicationissue",
    "medicalscholarlyarticle", "dataset", "webpage", "collectionpage", "itempage",
}  # fmt: skip
#: Types that never describe the document (a photo's caption date is not the page's).
_MEDIA_TYPES = {"imageobject", "videoobject", "audioobject", "mediaobject", "breadcrumblist", "listitem"}

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DOMAIN = re.compile(r"\b[\w-]+\.(?:se|fi|no|dk|is|ax|fo|gl|com|org|net|eu|int)\b", re.I)
#: A day-less value that CMSs write for "this year": 1997-01-01 00:00:00.
_YEAR_PLACEHOLDER = re.compile(r"^\s*((?:19|20)\d\d)-01-01(?:[ T]00:00(?::00)?)?\s*$")


def _metas(soup: BeautifulSoup) -> dict[str, list[str]]:
    """Every meta tag's values by lower-cased name/property/itemprop, in page order."""
    found: dict[str, list[str]] = {}
    for meta in soup.find_all("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = re.sub(r"\s+", " ", meta.get("content") or "").strip()
        if key and content:
            found.setdefault(key, []).append(content)
    return found


def _meta_content(soup: BeautifulSoup, *names: str) -> str | None:
    metas = _metas(soup)
    for name in names:  # in the caller's order of preference
        if metas.get(name.lower()):
            return metas[name.lower()][0]
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


def claim_date(value: str | None) -> str | None:
    """A date claim's value: the day, a bare year ("2013", "2013-00-00"), or a year placeholder
    ("1997-01-01 00:00:00" means 1997).

    >>> claim_date("1997-01-01 00:00:00"), claim_date("2014"), claim_date("2016-02-29 13:23:56")
    ('1997', '2014', '2016-02-29')
    """
    if not value:
        return None
    if m := _YEAR_PLACEHOLDER.match(value):
        return m.group(1)
    if m := re.fullmatch(r"\s*((?:19|20)\d\d)/(\d{1,2})(?:/(\d{1,2}))?\s*", value):  # Highwire: 2024/03/14
        if not m.group(3):
            return m.group(1)
        value = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    if m := re.fullmatch(r"\s*((?:19|20)\d\d)(?:-0?0?(?:-0?0?)?)?\s*", value):
        return m.group(1)
    return iso_date(value)


def _json_ld_nodes(soup: BeautifulSoup) -> list[dict]:
    """Every JSON-LD object on the page (graphs flattened), in page order."""
    nodes: list[dict] = []
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.get_text() or "null")
        except ValueError:
            continue
        stack = [data]
        while stack:  # iterative: JSON-LD graphs nest arbitrarily
            item = stack.pop()
            if isinstance(item, dict):
                nodes.append(item)
                stack.extend(reversed([v for v in item.values() if isinstance(v, dict | list)]))
            elif isinstance(item, list):
                stack.extend(reversed(item))
    return nodes


def _types(node: dict) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds if k}


def _names(value) -> list[tuple[str, bool]]:
    """(name, is_organisation) of a JSON-LD author/publisher value: a string, an object or a list."""
    out = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str) and item.strip():
            out.append((item.strip(), False))
        elif isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"].strip():
            out.append(
                (item["name"].strip(), "organization" in _types(item) or "governmentorganization" in _types(item))
            )
    return out


def json_ld_claims(soup: BeautifulSoup) -> list[Claim]:
    claims: list[Claim] = []
    for node in _json_ld_nodes(soup):
        kinds = _types(node)
        if kinds & _MEDIA_TYPES:
            continue
        label = "/".join(sorted(kinds)) or "node"
        if isinstance(node.get("datePublished"), str) and (day := claim_date(node["datePublished"])):
            claims.append(Claim("date", day, "jsonld", f"JSON-LD {label}.datePublished"))
        if not kinds & WORK_TYPES:
            if "website" in kinds and isinstance(node.get("name"), str):
                claims.append(Claim("site_name", node["name"].strip(), "jsonld", "JSON-LD WebSite.name"))
            continue
        page_like = kinds <= {"webpage", "collectionpage", "itempage"}
        for key in ("headline", "name"):
            if isinstance(node.get(key), str) and node[key].strip() and not page_like:
                claims.append(
                    Claim("title", re.sub(r"\s+", " ", node[key]).strip(), "jsonld", f"JSON-LD {label}.{key}")
                )
                break
        for name, org in _names(node.get("author")):
            claims.append(Claim("publisher" if org else "authors", name, "jsonld", f"JSON-LD {label}.author"))
        for name, _ in _names(node.get("publisher")):
            claims.append(Claim("publisher", name, "jsonld", f"JSON-LD {label}.publisher"))
        for key, fld in (("isbn", "isbn"), ("issn", "issn")):
            values = node.get(key)
            for v in values if isinstance(values, list) else [values]:
                if isinstance(v, str) and v.strip():
                    claims.append(Claim(fld, v.strip(), "jsonld", f"JSON-LD {label}.{key}"))
        part = node.get("isPartOf")
        if isinstance(part, dict) and isinstance(part.get("name"), str):
            claims.append(Claim("series", part["name"].strip(), "jsonld", f"JSON-LD {label}.isPartOf"))
    return claims


def meta_claims(soup: BeautifulSoup) -> list[Claim]:
    """Claims of the head's meta tags: citation_*, Dublin Core, Open Graph and the rest."""
    metas = _metas(soup)
    claims: list[Claim] = []

    def add(field: str, source: str, *names: str, many: bool = False) -> None:
        for name in names:
            for value in metas.get(name, [])[: None if many else 1]:
                claims.append(Claim(field, value, source, f'meta name="{name}"'))
            if metas.get(name) and not many:
                return

    add("title", "citation", "citation_title")
    add("authors", "citation", "citation_author", many=True)
    add("publisher", "citation", "citation_publisher", "citation_technical_report_institution",
        "citation_dissertation_institution")  # fmt: skip
    add("isbn", "citation", "citation_isbn", many=True)
    add("issn", "citation", "citation_issn", many=True)
    if metas.get("citation_series_title"):
        number = (metas.get("citation_technical_report_number") or metas.get("citation_volume") or [""])[0]
        series = f"{metas['citation_series_title'][0]} {number}".strip()
        claims.append(Claim("series", series, "citation", 'meta name="citation_series_title"'))
    add("title", "dc", "dc.title", "dcterms.title")
    add("authors", "dc", "dc.creator", "dcterms.creator", many=True)
    add("publisher", "dc", "dc.publisher", "dcterms.publisher")
    add("series", "dc", "dc.relation.ispartofseries", "dcterms.ispartof")
    for name in ("dc.identifier", "dcterms.identifier"):
        for value in metas.get(name, []):
            for fld, pattern in (("isbn", r"^(?:urn:)?isbn:?\s*"), ("issn", r"^(?:urn:)?issn:?\s*")):
                if re.match(pattern, value, re.I):
                    claims.append(Claim(fld, re.sub(pattern, "", value, flags=re.I), "dc", f'meta name="{name}"'))
            if re.match(r"urn:nbn:", value, re.I):
                claims.append(Claim("urn", "URN:NBN:" + value[8:], "dc", f'meta name="{name}"'))
    add("title", "og", "og:title", "twitter:title")
    add("site_name", "og", "og:site_name")
    add("authors", "page", "author", "article:author", "sailthru.author", "parsely-author", many=True)
    for source, names in DATE_META.items():
        for name in names:
            for value in metas.get(name, [])[:1]:
                if day := claim_date(value):
                    claims.append(Claim("date", day, source, f'meta name="{name}"'))
    # Authors given as web addresses (article:author on news sites) are profile pages, not names.
    return [c for c in claims if not (c.field == "authors" and re.match(r"https?://", c.value))]


def time_claims(soup: BeautifulSoup, main: Tag | None) -> list[Claim]:
    """Dates of `itemprop=datePublished` elements, then of `<time>` in the main content, then anywhere."""
    claims = []
    for tag in soup.find_all(attrs={"itemprop": re.compile("^datePublished$", re.I)}):
        if found := iso_date(tag.get("datetime") or tag.get("content") or tag.get_text()):
            claims.append(Claim("date", found, "page", 'itemprop="datePublished"'))
            break
    for scope, where in ((main, "<time> in the main content"), (soup, "<time>")):
        if scope is None:
            continue
        for tag in scope.find_all("time"):
            if found := iso_date(tag.get("datetime") or tag.get("dateTime") or tag.get_text()):
                claims.append(Claim("date", found, "content", where))
                break
    return claims


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


def split_site_name(title: str, site_name: str | None = None) -> tuple[str, str | None]:
    """A page title without a trailing " - Site" / " | Site", and the site name it carried.

    >>> split_site_name("Vissa skolfrågor - Regeringen.se")
    ('Vissa skolfrågor', 'Regeringen.se')
    >>> split_site_name("Leudot talvet – näillä keinoilla torjut kaamosoireita")
    ('Leudot talvet – näillä keinoilla torjut kaamosoireita', None)
    """
    title = re.sub(r"\s+", " ", title).strip()
    site: str | None = None
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
                # the site's own name: a domain-like part wins over a section name ("Erhverv")
                if tail and (site is None or (_DOMAIN.search(tail) and not _DOMAIN.search(site))):
                    site = tail
                break
        else:
            return title, site


def strip_site_name(title: str, site_name: str | None = None) -> str:
    """Drop a trailing " - Site" / " | Site" from a page title; keep real subtitles.

    >>> strip_site_name("Vissa skolfrågor - Regeringen.se")
    'Vissa skolfrågor'
    """
    return split_site_name(title, site_name)[0]


def is_generic_title(title: str, site_names: set[str]) -> bool:
    """A title that names the site or a code ("SFST"), not the document."""
    text = title.strip()
    return not text or (text.isupper() and len(text) <= 6) or text.casefold() in site_names


def title_claims(soup: BeautifulSoup) -> list[Claim]:
    """The `<title>` without its site-name suffix (page), the suffix as the publisher (site)."""
    site = _meta_content(soup, "og:site_name")
    title = soup.find("title")
    if not isinstance(title, Tag):
        return []
    text, suffix = split_site_name(title.get_text(" "), site)
    claims = [Claim("title", text, "page", "<title>")] if text else []
    if suffix:
        claims.append(Claim("site_name", suffix, "site", "<title> suffix"))
    return claims


def head_claims(soup: BeautifulSoup, main: Tag | None = None) -> list[Claim]:
    """Every claim of the page's head and marked-up dates; og:title/<title> titles carry no site name.

    `site_name` claims (og:site_name, a title suffix, JSON-LD WebSite) are kept for the caller:
    they name the publisher and tell a title that only names the site.
    """
    claims = meta_claims(soup) + json_ld_claims(soup) + title_claims(soup) + time_claims(soup, main)
    site_names = {c.value.casefold() for c in claims if c.field == "site_name"}
    out = []
    for c in claims:
        if c.field == "title":
            text = strip_site_name(c.value, next(iter(site_names), None)) if c.source in ("og", "dc") else c.value
            if is_generic_title(text, site_names):
                continue
            c = Claim("title", text, c.source, c.where)
        out.append(c)
    return out
