"""Digests: compiled and assessed Nordic knowledge per substance area, drafted, rendered and published.

    window × areas ─► candidates (draft.py) ─► language versions grouped (grouping.py)
                   ─► summaries (summary.py) ─► draft TOML the consultant edits (draftfile.py)
                   ─► HTML / Markdown / text (render.py) ─► archive and Atom feeds (publish.py, feeds.py)

The web app uses `list_digests`, `get_digest`, `render_html_fragment` and `feed_xml`.
"""

from __future__ import annotations

from search.digest.draft import draft_digest
from search.digest.draftfile import parse_draft, read_draft, write_draft
from search.digest.feeds import archive_name, feed_name, feed_xml
from search.digest.model import Digest, DigestItem, Summary, Version
from search.digest.publish import Published, feed_paths, publish, write_archive
from search.digest.records import get_digest, list_digests
from search.digest.render import area_labeller, render, render_html_fragment

__all__ = [
    "Digest",
    "DigestItem",
    "Published",
    "Summary",
    "Version",
    "archive_name",
    "area_labeller",
    "draft_digest",
    "feed_name",
    "feed_paths",
    "feed_xml",
    "get_digest",
    "list_digests",
    "parse_draft",
    "publish",
    "read_draft",
    "render",
    "render_html_fragment",
    "write_archive",
    "write_draft",
]
