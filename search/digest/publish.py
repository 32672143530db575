"""Publishing a digest: freeze it in the store, then write the archive and the Atom feeds.

    draft file ─► checked (documents exist, none withdrawn, not published before in its
                  language; an edition carries only its issue's items)
               ─► frozen in the store: a new issue number, or an edition of `edition_of`
               ─► digests/digest-NNNN.<lang>.html (one page per edition), digests/index.html,
                  digests/feeds/[<lang>/]all.atom, digests/feeds/[<lang>/]area-<id>.atom

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
from search.digest.model import DIGEST_LANGUAGES, Digest, Issue
from search.digest.render import render, template_environment
from search.digest.view import AreaLabel, EditionLink
from search.errors import DigestError
from search.i18n import format_date, message


@dataclass(frozen=True)
class Published:
    """What `publish` did: the issue's number, the edition's language and date, and the files it wrote."""

    number: int
    lang: str
    published_at: str
    items: int
    files: tuple[Path, ...]
    edition_of: int | None = None
    notes: tuple[str, ...] = ()

    def as_json(self) -> dict:
        return {
            "number": self.number,
            "lang": self.lang,
            "edition_of": self.edition_of,
            "published_at": self.published_at,
            "items": self.items,
            "files": [str(f) for f in self.files],
            "notes": list(self.notes),
        }


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def feed_paths(digests_dir: Path, areas: Sequence[str] = (), langs: Sequence[str] = ()) -> dict[str, Path]:
    """The feed files of the archive: "all", each area's, and the same per language ("sv", "sv/<area>")."""
    paths = {"all": digests_dir / feed_name()}
    paths.update({a: digests_dir / feed_name(a) for a in areas})
    for lang in langs:
        paths[lang] = digests_dir / feed_name(None, lang)
        paths.update({f"{lang}/{a}": digests_dir / feed_name(a, lang) for a in areas})
    return paths


def edition_links(issue: Issue, lang: str, href: Callable[[int, str], str]) -> tuple[EditionLink, ...]:
    """Links from one edition to the issue's others, each labelled in its own language."""
    return tuple(
        EditionLink(e.lang, message("digest.in_language", e.lang), href(issue.number, e.lang))
        for e in issue.editions
        if e.lang != lang
    )


def write_archive(
    store: Store,
    digests_dir: Path,
    *,
    base_url: str | None = None,
    area_label: AreaLabel = lambda a, lang: a,
    area_order: Sequence[str] = (),
) -> list[Path]:
    """(Re)write every archive page and feed from the store's published issues."""
    base = base_url or digests_dir.absolute().as_uri() + "/"
    issues = records.list_issues(store, with_items=True)
    digests = [e for issue in issues for e in issue.editions]
    written = []
    for issue in issues:
        for d in issue.editions:
            written.append(
                _write(
                    digests_dir / archive_name(issue.number, d.lang),
                    render(
                        d,
                        "html",
                        area_label=area_label,
                        area_order=area_order,
                        editions=edition_links(issue, d.lang, archive_name),
                    ),
                )
            )
    langs = sorted({d.lang for d in digests}, key=lambda x: (DIGEST_LANGUAGES + (x,)).index(x)) or ["fi"]
    title = " · ".join(message("digest.archive_title", lang) for lang in langs)
    areas = sorted(
        {i.area for d in digests for i in d.included if i.area},
        key=lambda a: (area_order.index(a) if a in area_order else len(area_order), a),
    )
    entries = [
        {
            "number": issue.number,
            "editions": [
                {
                    "lang": d.lang,
                    "href": archive_name(issue.number, d.lang),
                    "label": message("digest.number", d.lang, number=issue.number),
                    "title": d.title,
                    "meta": " · ".join(
                        [
                            message("digest.published", d.lang, date=format_date(d.published_at, d.lang)),
                            message(
                                "digest.period",
                                d.lang,
                                since=format_date(d.since, d.lang),
                                until=format_date(d.until, d.lang),
                            ),
                            message("digest.item_count", d.lang, count=len(d.included)),
                        ]
                    ),
                }
                for d in issue.editions
            ],
        }
        for issue in issues
    ]
    index = (
        template_environment()
        .get_template("index.html")
        .render(
            lang=langs[0],
            title=title,
            empty=message("digest.archive_empty", langs[0]),
            entries=entries,
            feed_all=feed_name(),
            lang_feeds=[
                {"href": feed_name(None, lang), "label": message("digest.feed_title", lang), "lang": lang}
                for lang in langs
            ],
            area_feeds=[
                {"href": feed_name(a, lang), "label": area_label(a, lang), "lang": lang}
                for lang in langs
                for a in areas
            ],
        )
    )
    written.append(_write(digests_dir / "index.html", index))
    common = {"base_url": base, "area_label": area_label, "area_order": area_order}
    written.append(_write(digests_dir / feed_name(), feed_xml(digests, lang=langs[0], **common)))
    for area in areas:
        written.append(_write(digests_dir / feed_name(area), feed_xml(digests, area=area, lang=langs[0], **common)))
    for lang in langs:
        written.append(_write(digests_dir / feed_name(None, lang), feed_xml(digests, only_lang=lang, **common)))
        for area in areas:
            written.append(
                _write(digests_dir / feed_name(area, lang), feed_xml(digests, area=area, only_lang=lang, **common))
            )
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
    """Publish the draft at `path`: check it, freeze it (a new number, or an edition), rewrite the archive."""
    digest, text = read_draft(path)
    check_documents(digest, text, path, store)
    notes = check_not_published(digest, text, path, store)
    if not digest.included:
        raise DigestError(f"{path}: no item is included, so there is nothing to publish (set include = true)")
    published_at = clock().replace(microsecond=0).isoformat()
    number = records.insert(store, digest, text, published_at)
    files = write_archive(store, digests_dir, base_url=base_url, area_label=area_label, area_order=area_order)
    return Published(
        number, digest.lang, published_at, len(digest.included), tuple(files), digest.edition_of, tuple(notes)
    )


def load_for_render(store: Store | None, path: str | Path, lang: str | None = None) -> Digest:
    """The draft at `path`, checked against the store when one is given, in `lang` when given."""
    digest, text = read_draft(path)
    if store is not None:
        check_documents(digest, text, path, store)
    return replace(digest, lang=lang) if lang else digest
