"""The plain data of a digest: a digest, its items and each item's language versions."""

from __future__ import annotations

from dataclasses import dataclass

#: Languages a digest is written in (the network's two languages); labels fall back to English.
DIGEST_LANGUAGES = ("fi", "sv")
#: Summaries are cut to about this many words.
SUMMARY_WORDS = 80


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

    @property
    def doc_ids(self) -> tuple[str, ...]:
        return tuple(v.doc_id for v in self.versions)

    @property
    def langs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.lang for v in self.versions))


@dataclass(frozen=True)
class Digest:
    """A digest: window, areas, language, intro and items; `number` and `published_at` once published."""

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

    @property
    def included(self) -> tuple[DigestItem, ...]:
        """The items the consultant kept, in their chosen order."""
        return tuple(sorted((i for i in self.items if i.include), key=lambda i: (i.position, i.title)))
