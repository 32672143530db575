"""Publishing a digest: freeze it in the store, then write the archive and the Atom feeds.

    draft file ─► checked (documents exist, none withdrawn, not published before)
               ─► frozen in the store with a number and a date (records.py)
               ─► digests/digest-NNNN.html, digests/index.html,
                  digests/feeds/all.atom, digests/feeds/area-<id>.atom

The archive is regenerated from the store on every publish (it is small), each file written
to a temporary name and renamed, so the web app never serves a half-written page.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from corpus.store import Store
from search.digest import records
from search.digest.check import check_documents, check_not_published
from search.digest.draftfile import read_draft
from search.digest.feeds import archive_name, feed_name, feed_xml
from search.digest.model import Digest
from search.digest.render import render, template_environment
from search.digest.view import AreaLabel
from search.i18n import format_date, message


@dataclass(frozen=True)
class Published:
    """What `publish` did: the digest's number and date, and the files it wrote."""

    number: int
    published_at: str
    items: int
    files: tuple[Path, ...]

    def as_json(self) -> dict:
        return {
            "number": self.number,
            "published_at": self.published_at,
            "items": self.items,
            "files": [str(f) for f in self.files],
        }


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def feed_paths(digests_dir: Path, areas: Sequence[str] = ()) -> dict[str, Path]:
    """The feed files of the archive: "all" and one per area id given (that have been written)."""
    paths = {"all": digests_dir / feed_name()}
    paths.update({a: digests_dir / feed_name(a) for a in areas})
    return paths


def write_archive(
    store: Store,
    digests_dir: Path,
    *,
    base_url: str | None = None,
    area_label: AreaLabel = lambda a, lang: a,
    area_order: Sequence[str] = (),
) -> list[Path]:
    """(Re)write every archive page and feed from the store's published digests."""
    base = base_url or digests_dir.absolute().as_uri() + "/"
    digests = records.list_digests(store, with_items=True)
    written = []
    for d in digests:
        written.append(
            _write(
                digests_dir / archive_name(d.number or 0),
                render(d, "html", area_label=area_label, area_order=area_order),
            )
        )
    lang = digests[0].lang if digests else "fi"
    title = message("digest.archive_title", lang)
    areas = sorted(
        {i.area for d in digests for i in d.included if i.area},
        key=lambda a: (area_order.index(a) if a in area_order else len(area_order), a),
    )
    entries = [
        {
            "href": archive_name(d.number or 0),
            "label": message("digest.number", d.lang, number=d.number),
            "title": d.title,
            "meta": " · ".join(
                [
                    message("digest.published", d.lang, date=format_date(d.published_at, d.lang)),
                    message(
                        "digest.period", d.lang, since=format_date(d.since, d.lang), until=format_date(d.until, d.lang)
                    ),
                    message("digest.item_count", d.lang, count=len(d.included)),
                ]
            ),
        }
        for d in digests
    ]
    index = (
        template_environment()
        .get_template("index.html")
        .render(
            lang=lang,
            title=title,
            empty=message("digest.archive_empty", lang),
            entries=entries,
            feed_all=feed_name(),
            area_feeds=[{"href": feed_name(a), "label": area_label(a, lang)} for a in areas],
        )
    )
    written.append(_write(digests_dir / "index.html", index))
    common = {"base_url": base, "lang": lang, "area_label": area_label, "area_order": area_order}
    written.append(_write(digests_dir / feed_name(), feed_xml(digests, **common)))
    for area in areas:
        written.append(_write(digests_dir / feed_name(area), feed_xml(digests, area=area, **common)))
    return written


def publish(
    store: Store,
    path: str | Path,
    digests_dir: Path,
    *,
    base_url: str | None = None,
    area_label: AreaLabel = lambda a, lang: a,
    area_order: Sequence[str] = (),
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Published:
    """Publish the draft at `path`: check it, freeze it with the next number, rewrite the archive."""
    digest, text = read_draft(path)
    check_documents(digest, text, path, store)
    check_not_published(digest, text, path, store)
    published_at = clock().replace(microsecond=0).isoformat()
    number = records.insert(store, digest, text, published_at)
    files = write_archive(store, digests_dir, base_url=base_url, area_label=area_label, area_order=area_order)
    return Published(number, published_at, len(digest.included), tuple(files))


def load_for_render(store: Store | None, path: str | Path, lang: str | None = None) -> Digest:
    """The draft at `path`, checked against the store when one is given, in `lang` when given."""
    digest, text = read_draft(path)
    if store is not None:
        check_documents(digest, text, path, store)
    return replace(digest, lang=lang) if lang else digest
