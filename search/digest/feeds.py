"""Atom feeds of published digests: one of all digests, and one per substance area.

Each entry is one digest (in the area feed: the digest's part for that area), with the
rendered HTML as its content, so a feed reader shows the digest itself. Ids are URNs that
never change (`urn:nordsearch:digest:3`); links are built on `base_url`, which the web app
sets to where it serves the archive and the CLI sets to the archive folder's file URL.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from search.digest.model import Digest
from search.digest.render import render_html_fragment
from search.digest.view import AreaLabel
from search.i18n import message

ATOM = "http://www.w3.org/2005/Atom"
FEED_DIR = "feeds"


def archive_name(number: int) -> str:
    """The archive file of digest `number`, relative to the digests folder."""
    return f"digest-{number:04d}.html"


def feed_name(area: str | None = None) -> str:
    """The feed file, relative to the digests folder: all digests, or one area's."""
    return f"{FEED_DIR}/{'all' if area is None else 'area-' + area}.atom"


def _timestamp(value: str | None) -> str:
    if not value:
        return datetime(1970, 1, 1, tzinfo=UTC).isoformat()
    stamp = datetime.fromisoformat(value)
    return (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).isoformat()


def feed_xml(
    digests: Sequence[Digest],
    *,
    base_url: str,
    area: str | None = None,
    lang: str = "fi",
    area_label: AreaLabel = lambda area_id, lang: area_id,
    area_order: Sequence[str] = (),
) -> str:
    """An Atom feed (as text) of `digests` (with items), or of their parts in `area`.

    `base_url` ends with "/" and is where the archive pages are served; `lang` picks the
    feed's own title language (entries keep their digest's language).
    """
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    if area is None:
        title, feed_id = message("digest.feed_title", lang), "urn:nordsearch:digests"
    else:
        label = area_label(area, lang)
        title, feed_id = message("digest.feed_area_title", lang, area=label), f"urn:nordsearch:digests:area:{area}"
    chosen = []
    for digest in digests:
        if area is not None:
            part = tuple(i for i in digest.included if i.area == area)
            if not part:
                continue
            digest = replace(digest, items=part)
        chosen.append(digest)
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    updated = max((_timestamp(d.published_at) for d in chosen), default=_timestamp(None))
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=base_url + feed_name(area))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=base_url + "index.html")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "nordsearch"
    for digest in sorted(chosen, key=lambda d: -(d.number or 0)):
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry", {"{http://www.w3.org/XML/1998/namespace}lang": digest.lang})
        number_text = message("digest.number", digest.lang, number=digest.number)
        ET.SubElement(entry, f"{{{ATOM}}}title").text = f"{number_text}: {digest.title}"
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:nordsearch:digest:{digest.number}" + (
            f":area:{area}" if area else ""
        )
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _timestamp(digest.published_at)
        ET.SubElement(entry, f"{{{ATOM}}}published").text = _timestamp(digest.published_at)
        anchor = f"#area-{area}" if area else ""
        ET.SubElement(
            entry,
            f"{{{ATOM}}}link",
            rel="alternate",
            type="text/html",
            href=base_url + archive_name(digest.number or 0) + anchor,
        )
        summary = message("digest.item_count", digest.lang, count=len(digest.included))
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = summary
        content = ET.SubElement(entry, f"{{{ATOM}}}content", type="html")
        # ElementTree escapes the HTML as text, which is what type="html" means.
        content.text = render_html_fragment(digest, area_label=area_label, area_order=area_order)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
