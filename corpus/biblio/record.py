"""A document's bibliographic record: every claim gathered, cleaned and ordered, best first.

    hints (OAI record, sidecar record, the source's labels) ─┐
    the extractor's claims (HTML head, PDF info/XMP/page 1)  ─┼─► normalise ─► ordered record
    text patterns over the front text and the title          ─┤
    the address (a known publisher's domain)                 ─┘

Normalising: every publisher name becomes the registry's one name ("Regeringen och
Regeringskansliet" -> "Regeringskansliet"); a site name (og:site_name, "... - Regeringen.se") is
a publisher claim; an author that is a known organisation is the publisher ("Arbeids- og
velferdsdirektoratet" -> NAV); a title equal to a publisher or site name is no title; ISBNs
lose their hyphens.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from urllib.parse import urlsplit

from corpus.biblio.claims import best, complete_titles, ordered
from corpus.biblio.publishers import Registry, name_key
from corpus.biblio.text import series_claims, text_claims, valid_isbn
from corpus.model import Claim

#: Record keys a sidecar file or a JSONL line may carry (`nordsearch ingest`), and their fields.
RECORD_KEYS = {
    "title": "title", "date": "date", "publisher": "publisher", "series": "series", "author": "authors",
    "authors": "authors", "isbn": "isbn", "issn": "issn", "urn": "urn",
}  # fmt: skip


def _values(value) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else [value]
    return [re.sub(r"\s+", " ", str(v)).strip() for v in items if str(v).strip()]


def record_claims(record: dict, source: str, where: str) -> list[Claim]:
    """Claims of a plain record ({"title": ..., "authors": [...], ...}) from one source."""
    claims = []
    for key, field in RECORD_KEYS.items():
        for value in _values(record.get(key)):
            claims.append(Claim(field, value, source, where))
    return claims


def hint_claims(hints: dict) -> list[Claim]:
    """What the source, the OAI-PMH record or a sidecar record says of the file."""
    claims: list[Claim] = []
    if isinstance(hints.get("record"), dict):
        claims += record_claims(hints["record"], "sidecar", hints.get("record_from") or "sidecar record")
    if hints.get("oai_identifier"):
        dc = hints.get("oai_dc") if isinstance(hints.get("oai_dc"), dict) else {}
        where = f"OAI-PMH oai_dc {hints['oai_identifier']}"
        for value in _values(dc.get("title") or hints.get("title"))[:1]:
            claims.append(Claim("title", value, "oai", where))
        for value in _values(dc.get("date") or hints.get("date"))[:1]:
            claims.append(Claim("date", value[:10], "oai", where))
        for value in _values(dc.get("creator") or hints.get("creator")):
            claims.append(Claim("authors", value, "oai", where))
        for value in _values(dc.get("publisher"))[:1]:
            claims.append(Claim("publisher", value, "oai", where))
        for value in _values(dc.get("identifier")) + _values(dc.get("relation")):
            claims += identifier_value(value, "oai", where)
    elif hints.get("title"):
        claims.append(Claim("title", str(hints["title"]), "source", "hint"))
    if hints.get("publisher"):
        claims.append(Claim("publisher", str(hints["publisher"]), "source", "the source's publisher"))
    if hints.get("date") and not hints.get("oai_identifier"):
        claims.append(Claim("date", str(hints["date"])[:10], "source", "hint"))
    return claims


def identifier_value(value: str, source: str, where: str) -> list[Claim]:
    """An identifier written as "ISBN 978-...", "urn:isbn:...", "URN:NBN:fi-fe...", "ISSN ..."."""
    text = value.strip()
    if m := re.match(r"^(?:urn:)?isbn:?\s*([\dXx-]{10,17})$", text, re.I):
        return [Claim("isbn", m.group(1), source, where)]
    if m := re.match(r"^(?:urn:)?issn:?\s*(\d{4}-?\d{3}[\dXx])$", text, re.I):
        return [Claim("issn", m.group(1), source, where)]
    if text.lower().startswith("urn:nbn:"):
        return [Claim("urn", "URN:NBN:" + text[8:], source, where)]
    return []


def _isbn(value: str) -> str | None:
    digits = re.sub(r"[^\dXx]", "", value).upper()
    return digits if valid_isbn(digits) else None


def normalise(claims: Iterable[Claim], registry: Registry, *, url: str = "", country: str | None = None) -> list[Claim]:
    """Publisher names canonical, site names and organisational authors as publishers, junk titles out."""
    claims = list(claims)
    names = {name_key(c.value) for c in claims if c.field in ("site_name", "publisher")}
    out: list[Claim] = []
    for c in claims:
        if c.field in ("site_name", "publisher") or (c.field == "authors" and registry.find(c.value, country=country)):
            name = registry.canonical(c.value, country=country, url=url)
            if name:
                label = c.where if c.value == name else f'{c.where} "{c.value}"'
                out.append(Claim("publisher", name, c.source, label))
                names.add(name_key(name))
            continue
        if c.field == "title" and (name_key(c.value) in names or registry.is_known_name(c.value)):
            continue  # "Regeringskansliets rättsdatabaser": the site, not the document
        if c.field == "isbn":
            if value := _isbn(c.value):
                out.append(Claim("isbn", value, c.source, c.where))
            continue
        if c.field == "date" and not re.match(r"^(?:19|20)\d\d(?:-\d\d(?:-\d\d)?)?$", c.value):
            continue
        if c.field == "date" and len(c.value) == 7:  # a month: nordsearch keeps a year or a day
            c = Claim("date", c.value[:4], c.source, c.where)
        out.append(c)
    return out


def build_record(
    extracted_claims: Iterable[Claim],
    hints: dict,
    *,
    url: str,
    front_text: str,
    description: str | None,
    registry: Registry,
) -> tuple[Claim, ...]:
    """The document's record: every claim from every source, normalised and ordered best first."""
    country = hints.get("country")
    claims = hint_claims(hints) + list(extracted_claims)
    title = best(normalise(claims, registry, url=url, country=country), "title")
    if title:  # a title carries its own number: "Lag (2016:1145) om ...", "Kemiska ... (AFS 2011:19)"
        own = series_claims(title[0].value, registry, in_title=True)
        claims += [replace(c, where=f"{c.where} (title)") for c in own]
    if description and re.match(r"^NAV \d\d-\d\d\.\d\d", description):  # a PDF /Subject naming the form
        claims += series_claims(description, registry)
    claims += text_claims(front_text, registry=registry)
    if (host := urlsplit(url).netloc) and (name := registry.by_domain(url)):
        claims.append(Claim("publisher", name, "site", f"address {host}"))
    # a year read off a series number is the weakest text date: a colophon or a signature says the day
    claims.sort(key=lambda c: c.field == "date" and c.source == "text" and "number" in c.where)
    return ordered(complete_titles(normalise(claims, registry, url=url, country=country)))
