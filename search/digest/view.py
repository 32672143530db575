"""A digest laid out for reading: items grouped by area, then country, with every label localised.

The renderers (HTML, Markdown, text) share this layout so that the three formats always show
the same items in the same order; they differ only in markup and escaping. Values here are raw
text from documents: each renderer escapes them for its format.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from corpus.model import COUNTRIES
from search.digest.model import Digest, DigestItem
from search.digest.safety import safe_url
from search.i18n import country_name, format_date, language_in, language_name, message

AreaLabel = Callable[[str, str], str]


@dataclass(frozen=True)
class VersionView:
    language: str
    url: str | None
    title: str


@dataclass(frozen=True)
class ItemView:
    title: str
    url: str | None
    meta: tuple[str, ...]  # publisher, country, date, languages (the ones known)
    areas: tuple[str, ...]
    comment: tuple[str, ...]  # paragraphs
    summary: tuple[str, ...]
    summary_label: str
    versions: tuple[VersionView, ...]  # only when there is more than one


@dataclass(frozen=True)
class CountryView:
    code: str
    name: str
    items: tuple[ItemView, ...]


@dataclass(frozen=True)
class AreaView:
    """A section of the digest: one substance area, or one new source's earlier publications."""

    id: str
    label: str
    countries: tuple[CountryView, ...]
    note: str = ""  # what the section is, when it is not an area (a new source)


@dataclass(frozen=True)
class EditionLink:
    """A link to another language edition of the same issue, labelled in that language."""

    lang: str
    label: str
    href: str


@dataclass(frozen=True)
class MailFooter:
    """What an e-mailed digest adds at its end: why it came, where to read it, how to stop it."""

    reason: str
    unsubscribe_label: str
    unsubscribe_url: str
    online_label: str = ""
    online_url: str = ""


@dataclass(frozen=True)
class DigestView:
    lang: str
    title: str
    subtitle: tuple[str, ...]
    intro: tuple[str, ...]
    areas_line: str
    sections: tuple[AreaView, ...]
    empty: str | None
    labels: dict
    editions: tuple[EditionLink, ...] = ()
    mail: MailFooter | None = None


def paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs split at blank lines, each flattened to one line."""
    return tuple(" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n") if p.strip())


def _item_view(item: DigestItem, lang: str, area_label: AreaLabel) -> ItemView:
    languages = ", ".join(language_name(code, lang) for code in item.langs)
    meta = tuple(
        x
        for x in (
            item.publisher,
            country_name(item.country, lang) if item.country else None,
            format_date(item.date, lang),
            languages,
        )
        if x
    )
    versions = ()
    if len(item.versions) > 1:
        versions = tuple(VersionView(language_name(v.lang, lang), safe_url(v.url), v.title) for v in item.versions)
    return ItemView(
        title=item.title,
        url=safe_url(item.url),
        meta=meta,
        areas=tuple(area_label(a, lang) for a in item.areas),
        comment=paragraphs(item.comment),
        summary=paragraphs(item.summary.text),
        summary_label=message("digest.summary", lang, language_in=language_in(item.summary.lang, lang)),
        versions=versions,
    )


def _by_country(items: Sequence[DigestItem], lang: str, area_label: AreaLabel) -> tuple[CountryView, ...]:
    by_country: dict[str, list[DigestItem]] = {}
    for item in items:
        by_country.setdefault(item.country or "", []).append(item)
    codes = sorted(by_country, key=lambda c: (COUNTRIES.index(c) if c in COUNTRIES else len(COUNTRIES), c))
    return tuple(
        CountryView(
            code, country_name(code or None, lang), tuple(_item_view(i, lang, area_label) for i in by_country[code])
        )
        for code in codes
    )


def _slug(text: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text.casefold()).split()) or "source"


def layout(
    digest: Digest, area_label: AreaLabel, area_order: Sequence[str] = (), editions: Sequence[EditionLink] = ()
) -> DigestView:
    """The digest's included items grouped by area (chosen order, then thesaurus order) and country.

    A new source's earlier publications follow the areas, one clearly labelled section per source.
    """
    lang = digest.lang
    order = list(dict.fromkeys([*digest.areas, *area_order]))
    by_area: dict[str, list[DigestItem]] = {}
    by_source: dict[str, list[DigestItem]] = {}
    for item in digest.included:
        if item.new_source:
            by_source.setdefault(item.source, []).append(item)
        else:
            by_area.setdefault(item.area, []).append(item)
    area_ids = sorted(by_area, key=lambda a: (order.index(a) if a in order else len(order), a))
    sections = []
    for area_id in area_ids:
        label = area_label(area_id, lang) if area_id else message("digest.other_area", lang)
        sections.append(AreaView(area_id, label, _by_country(by_area[area_id], lang, area_label)))
    for source, items in by_source.items():
        sections.append(
            AreaView(
                f"new-source-{_slug(source)}",
                message("digest.new_source", lang, source=source),
                _by_country(items, lang, area_label),
                note=message("digest.new_source_note", lang, count=len(items)),
            )
        )
    subtitle = []
    if digest.number is not None:
        subtitle.append(message("digest.number", lang, number=digest.number))
        subtitle.append(message("digest.published", lang, date=format_date(digest.published_at, lang)))
    else:
        subtitle.append(message("digest.draft", lang))
    subtitle.append(
        message("digest.period", lang, since=format_date(digest.since, lang), until=format_date(digest.until, lang))
    )
    areas_line = (
        ", ".join(area_label(a, lang) for a in digest.areas) if digest.areas else message("digest.all_areas", lang)
    )
    return DigestView(
        lang=lang,
        title=digest.title,
        subtitle=tuple(subtitle),
        intro=paragraphs(digest.intro),
        areas_line=f"{message('digest.areas', lang)}: {areas_line}",
        sections=tuple(sections),
        empty=None if sections else message("digest.empty", lang),
        labels={
            k: message(f"digest.{k}", lang) for k in ("comment", "versions", "read", "areas", "footer", "editions")
        },
        editions=tuple(editions),
    )
