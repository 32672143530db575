"""Atom feeds of published digests: all editions, one feed per language, and both per substance area.

    feeds/all.atom              every edition of every issue (each entry in its own xml:lang)
    feeds/<lang>/all.atom       the editions in one language: what a Finnish or Swedish reader follows
    feeds/area-<id>.atom        every edition's part for one area
    feeds/<lang>/area-<id>.atom one language's editions, one area

Each entry is one edition (in an area feed: its part for that area), with the rendered HTML
as its content, so a feed reader shows the digest itself. Ids are URNs that never change: an
issue's first edition keeps the id digests had before editions (`urn:nordsearch:digest:3`),
a later edition adds its language (`urn:nordsearch:digest:3:sv`). Links are built on
`base_url`, which the web app sets to where it serves the archive and the CLI sets to the
archive folder's file URL.
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


def archive_name(number: int, lang: str) -> str:
    """The archive file of issue `number`'s edition in `lang`, relative to the digests folder."""
    return f"digest-{number:04d}.{lang}.html"


def feed_name(area: str | None = None, lang: str | None = None) -> str:
    """The feed file, relative to the digests folder: all editions or one language's, all areas or one."""
    folder = f"{FEED_DIR}/{lang}" if lang else FEED_DIR
    return f"{folder}/{'all' if area is None else 'area-' + area}.atom"


def entry_id(digest: Digest, first: bool) -> str:
    """The entry's URN: the issue's for its first edition, with the language for a later one."""
    return f"urn:nordsearch:digest:{digest.number}" + ("" if first else f":{digest.lang}")


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
    only_lang: str | None = None,
    area_label: AreaLabel = lambda area_id, lang: area_id,
    area_order: Sequence[str] = (),
) -> str:
    """An Atom feed (as text) of the editions `digests` (with items), or of their parts in `area`.

    `base_url` ends with "/" and is where the archive pages are served; `lang` picks the
    feed's own title language (entries keep their edition's language); `only_lang` keeps
    the editions in that language (the feed of one language).
    """
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    if only_lang:
        feed.set("{http://www.w3.org/XML/1998/namespace}lang", only_lang)
        lang = only_lang
    scope = f":{only_lang}" if only_lang else ""
    if area is None:
        title, feed_id = message("digest.feed_title", lang), f"urn:nordsearch:digests{scope}"
    else:
        label = area_label(area, lang)
        title = message("digest.feed_area_title", lang, area=label)
        feed_id = f"urn:nordsearch:digests{scope}:area:{area}"
    firsts = {}
    for digest in sorted(digests, key=lambda d: (d.published_at or "", d.lang)):
        firsts.setdefault(digest.number, digest.lang)
    chosen = []
    for digest in digests:
        if only_lang and digest.lang != only_lang:
            continue
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
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=base_url + feed_name(area, only_lang))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=base_url + "index.html")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "nordsearch"
    for digest in sorted(chosen, key=lambda d: (-(d.number or 0), d.published_at or "", d.lang)):
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry", {"{http://www.w3.org/XML/1998/namespace}lang": digest.lang})
        number_text = message("digest.number", digest.lang, number=digest.number)
        ET.SubElement(entry, f"{{{ATOM}}}title").text = f"{number_text}: {digest.title}"
        first = firsts.get(digest.number) == digest.lang
        ET.SubElement(entry, f"{{{ATOM}}}id").text = entry_id(digest, first) + (f":area:{area}" if area else "")
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _timestamp(digest.published_at)
        ET.SubElement(entry, f"{{{ATOM}}}published").text = _timestamp(digest.published_at)
        anchor = f"#area-{area}" if area else ""
        ET.SubElement(
            entry,
            f"{{{ATOM}}}link",
            rel="alternate",
            type="text/html",
            href=base_url + archive_name(digest.number or 0, digest.lang) + anchor,
        )
        summary = message("digest.item_count", digest.lang, count=len(digest.included))
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = summary
        content = ET.SubElement(entry, f"{{{ATOM}}}content", type="html")
        # ElementTree escapes the HTML as text, which is what type="html" means.
        content.text = render_html_fragment(digest, area_label=area_label, area_order=area_order)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
