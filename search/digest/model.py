"""The plain data of a digest: a digest, its items and each item's language versions."""

from __future__ import annotations

from dataclasses import dataclass

#: Languages a digest is written in (the network's two languages); labels fall back to English.
DIGEST_LANGUAGES = ("fi", "sv")
#: Summaries are cut to about this many words.
SUMMARY_WORDS = 80
#: The `section` of an item from a new source's back catalogue (shown apart, clearly labelled).
NEW_SOURCE = "new-source"


@dataclass(frozen=True)
class Version:
    """One language version of an item: a document in the store."""

    doc_id: str
    lang: str
    url: str
    title: str


@dataclass(frozen=True)
class Summary:
    """A summary taken from the document itself; `source` says from where ("abstract" | "lead" | "description")."""

    text: str
    lang: str
    source: str = "abstract"


@dataclass(frozen=True)
class DigestItem:
    """One report in a digest, with all its language versions; `versions[0]` is the one linked first."""

    versions: tuple[Version, ...]
    title: str
    publisher: str | None
    country: str | None
    date: str | None
    area: str  # the area the item is listed under
    areas: tuple[str, ...]
    url: str
    summary: Summary
    score: float = 0.0
    include: bool = True
    position: int = 0
    comment: str = ""
    line: int = 0  # where the item starts in a draft file (0 when not read from a file)
    section: str = ""  # "" for the window's items; NEW_SOURCE for a new source's back catalogue
    source: str = ""  # the source id of a NEW_SOURCE item (its section's heading)
    review: bool = False  # an edition's item whose assessment the consultant has yet to write
    reference: str = ""  # in an edition's draft: the assessment in the issue's first edition

    @property
    def new_source(self) -> bool:
        return self.section == NEW_SOURCE

    @property
    def doc_ids(self) -> tuple[str, ...]:
        return tuple(v.doc_id for v in self.versions)

    @property
    def langs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.lang for v in self.versions))


@dataclass(frozen=True)
class Digest:
    """One language edition of a digest issue: window, areas, language, intro and items.

    A draft has no `number`; a draft with `edition_of` is a further language edition of that
    published issue. Once published, `number` is the issue's and `published_at` this edition's.
    `new_sources` are the sources whose back catalogue this digest offers (once, ever).
    """

    title: str
    lang: str
    since: str
    until: str
    areas: tuple[str, ...]
    intro: str
    items: tuple[DigestItem, ...]
    draft_id: str = ""
    drafted_at: str = ""
    number: int | None = None
    published_at: str | None = None
    edition_of: int | None = None
    new_sources: tuple[str, ...] = ()

    @property
    def included(self) -> tuple[DigestItem, ...]:
        """The items the consultant kept, in their chosen order."""
        return tuple(sorted((i for i in self.items if i.include), key=lambda i: (i.position, i.title)))

    @property
    def doc_ids(self) -> frozenset[str]:
        """Every document the included items carry."""
        return frozenset(d for i in self.included for d in i.doc_ids)


@dataclass(frozen=True)
class Issue:
    """A published digest issue: one number, its language editions (the first published first)."""

    number: int
    editions: tuple[Digest, ...]

    @property
    def first(self) -> Digest:
        return self.editions[0]

    @property
    def langs(self) -> tuple[str, ...]:
        return tuple(e.lang for e in self.editions)

    def edition(self, lang: str) -> Digest | None:
        return next((e for e in self.editions if e.lang == lang), None)
