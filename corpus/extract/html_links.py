"""What an HTML page says about the other files of its work: its PDF, its language versions.

- `citation_pdf_url` and a JSON-LD `encoding`/`associatedMedia` PDF: the full text of a landing page;
- the one report PDF a publication page links in its main content (a listing page that links
  many PDFs names none); a PDF link is told by the address (`.pdf`, `/bitstream/`, `get=pdf`)
  or by what the link says ("(pdf 300 kB)", `type="application/pdf"`), because Nordic sites
  serve PDFs from addresses without `.pdf`;
- `<link rel="alternate" hreflang="sv">` and links in the main content that say "på svenska",
  "suomeksi", "in English" ...: language versions (a site-wide language switcher sits in the
  page's chrome, which is gone before this runs, and points at home pages, which are skipped).
"""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from corpus.model import LANGUAGES, Link

PDFISH = re.compile(r"\.pdf(?:$|[?#])|/bitstreams?/|[?&](?:get|format|type)=pdf\b|/download/|/getfile", re.I)
_SAYS_PDF = re.compile(r"\bpdf\b", re.I)
#: Link texts that name a language version, in the languages our sources write them.
LANGUAGE_LINKS = {
    "på svenska": "sv", "svenska": "sv", "ruotsiksi": "sv", "in swedish": "sv", "på svensk": "sv",
    "suomeksi": "fi", "på finska": "fi", "in finnish": "fi", "suomi": "fi", "finska": "fi",
    "in english": "en", "english": "en", "på engelska": "en", "englanniksi": "en", "på engelsk": "en",
    "på norsk": "nb", "norsk": "nb", "på bokmål": "nb", "bokmål": "nb", "på nynorsk": "nn", "nynorsk": "nn",
    "på dansk": "da", "dansk": "da", "tanskaksi": "da", "norjaksi": "nb",
}  # fmt: skip
_HREFLANG = {"no": "nb", "nob": "nb", "nno": "nn", "swe": "sv", "fin": "fi", "dan": "da", "eng": "en"}


def language_code(tag: str | None) -> str | None:
    """nordsearch's code of an hreflang value ("sv-FI" -> "sv", "no" -> "nb"), None when not ours."""
    code = (tag or "").strip().lower().replace("_", "-").split("-")[0]
    code = _HREFLANG.get(code, code)
    return code if code in LANGUAGES else None


def _base(soup: BeautifulSoup, url: str) -> str:
    base = soup.find("base", href=True)
    return urljoin(url, base["href"]) if isinstance(base, Tag) and url else url


def _absolute(base: str, href: str | None) -> str | None:
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    target = urljoin(base, href.strip()) if base else href.strip()
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https", "file"):
        return None
    return parts._replace(fragment="").geturl()


def _same_page(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


#: Bare language names: as link texts they usually switch a whole site's language.
_BARE_NAMES = {"svenska", "suomi", "english", "norsk", "dansk", "finska", "bokmål", "nynorsk"}


def _home_like(url: str, label: str = "") -> bool:
    """A site's home or a language's home (`/`, `/sv/`, `/english`): not a version of one document.

    A bare language name ("English") must point deeper than one path segment to count.
    """
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if len(segments) == 0 or (len(segments) == 1 and len(segments[0]) <= 5):
        return True
    return label in _BARE_NAMES and len(segments) < 2


def head_links(soup: BeautifulSoup, url: str) -> list[Link]:
    """citation_pdf_url, hreflang alternates and JSON-LD PDF encodings."""
    base = _base(soup, url)
    found: list[Link] = []
    for meta in soup.find_all("meta", attrs={"name": re.compile(r"^citation_pdf_url$", re.I)}):
        if target := _absolute(base, meta.get("content")):
            found.append(Link("pdf", target, None, 'meta name="citation_pdf_url"'))
    for tag in soup.find_all(("link", "a"), attrs={"hreflang": True}):
        rel = " ".join(tag.get("rel") or []).lower() if tag.name == "link" else "alternate"
        hreflang = str(tag.get("hreflang") or "")
        target = _absolute(base, tag.get("href"))
        if "alternate" not in rel or not target or hreflang.lower() == "x-default" or _same_page(target, url):
            continue
        found.append(Link("translation", target, language_code(hreflang), f"<{tag.name} hreflang={hreflang}>"))
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.get_text() or "null")
        except ValueError:
            continue
        for node in data if isinstance(data, list) else [data]:
            if not isinstance(node, dict):
                continue
            for key in ("encoding", "associatedMedia"):
                media = node.get(key)
                for item in media if isinstance(media, list) else [media]:
                    if not isinstance(item, dict):
                        continue
                    kind = str(item.get("encodingFormat") or "").lower()
                    target = _absolute(base, item.get("contentUrl") or item.get("url"))
                    if target and ("pdf" in kind or PDFISH.search(target)):
                        found.append(Link("pdf", target, None, f"JSON-LD {key}.contentUrl"))
    return found


def content_links(content: Tag, url: str, soup: BeautifulSoup) -> list[Link]:
    """Language-version links and the one report PDF in the main content (chrome already gone)."""
    base = _base(soup, url)
    found: list[Link] = []
    pdfs: dict[str, str] = {}
    for a in content.find_all("a", href=True):
        target = _absolute(base, a.get("href"))
        if not target or _same_page(target, url):
            continue
        text = re.sub(r"\s+", " ", a.get_text(" ")).strip()
        label = text.casefold().strip(" .:»›→()[]")
        if label in LANGUAGE_LINKS and not _home_like(target, label):
            found.append(Link("translation", target, LANGUAGE_LINKS[label], f'link "{text}"'))
            continue
        says_pdf = "pdf" in str(a.get("type") or "").lower() or bool(_SAYS_PDF.search(text))
        if PDFISH.search(target) or says_pdf:
            pdfs.setdefault(target, text[:60])
    if len(pdfs) == 1:
        target, text = next(iter(pdfs.items()))
        found.append(Link("pdf", target, None, f'the one PDF the page links ("{text}")'))
    return found
