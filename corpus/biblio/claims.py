"""Which claim wins: the stated order of sources, and the choice of each field's value.

Every extractor reports what it found as `Claim`s (field, value, source kind, where). A field's
value is that of the best-ranked source that says anything about it; several values of one
source (authors, ISBNs) are kept together. The order, best first:

    curated > oai > sidecar > citation > source > dc > jsonld > og > page > pdf-xmp, pdf-info
            > first-page, content > text > site > print

- `curated`: the consultant's `nordsearch edit`; `oai`: the OAI-PMH `oai_dc` record;
  `sidecar`: a record that came with the file (`report.pdf.json`, `ingest --jsonl`);
- `citation`: Highwire `citation_*` tags; `source`: what sources.toml or `ingest --publisher`
  says of every file of a source; `dc`: `DC.*`/`DCTERMS.*`; `jsonld`: schema.org JSON-LD;
  `og`: Open Graph; `page`: the page's own `<title>` and other head tags;
- `pdf-xmp`, `pdf-info`: the PDF's XMP packet and information dictionary (junk rejected);
- `first-page`: the largest type on a PDF's page 1; `content`: an HTML page's first emphasised
  or labelled line ("Rubrik: ...");
- `text`: patterns in the text (colophon dates, series numbers, ISBN with check digit);
- `site`: what the address or a site-name suffix says ("... - Regeringen.se");
- `print`: a PDF's creation date (a print or export date, the last resort).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from corpus.model import Claim


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()


#: Source kinds, best first; kinds in one inner tuple rank equal (the earlier claim wins a tie).
SOURCES: tuple[tuple[str, ...], ...] = (
    ("curated",),
    ("oai",),
    ("sidecar",),
    ("citation",),
    ("source",),
    ("dc",),
    ("jsonld",),
    ("og",),
    ("page",),
    ("pdf-xmp", "pdf-info"),
    ("first-page", "content"),
    ("text",),
    ("site",),
    ("print",),
)
_RANK = {kind: rank for rank, kinds in enumerate(SOURCES) for kind in kinds}

#: The fields of a bibliographic record; the last four may hold several values.
FIELDS = ("title", "date", "publisher", "series", "authors", "isbn", "issn", "urn")
MULTI_VALUED = frozenset({"authors", "isbn", "issn", "urn"})


def source_rank(source: str) -> int:
    """Smaller is better; an unknown kind ranks after every known one."""
    return _RANK.get(source, len(SOURCES))


def best(claims: Iterable[Claim], field: str) -> tuple[Claim, ...]:
    """The claims of `field` from its best source: every value of that source for a
    multi-valued field, else the first one (sources rank by `SOURCES`, ties by order given)."""
    found = [c for c in claims if c.field == field and c.value]
    if not found:
        return ()
    top = min(c.rank for c in found)
    source = next(c.source for c in found if c.rank == top)
    winners = [c for c in found if c.source == source]
    if field not in MULTI_VALUED:
        return (winners[0],)
    seen: set[str] = set()
    return tuple(c for c in winners if not (c.value in seen or seen.add(c.value)))


def ordered(claims: Iterable[Claim]) -> tuple[Claim, ...]:
    """Claims sorted by field, then best source first (stable within a source): how a record is kept."""
    position = {f: i for i, f in enumerate(FIELDS)}
    unique = list(dict.fromkeys(claims))
    return tuple(sorted(unique, key=lambda c: (position.get(c.field, len(FIELDS)), c.rank)))


def summary(claims: Iterable[Claim]) -> dict:
    """field -> {"value", "source", "where"} of the winning claims (lists for multi-valued fields)."""
    claims = tuple(claims)
    out: dict = {}
    for field in FIELDS:
        won = best(claims, field)
        if not won:
            continue
        if field in MULTI_VALUED:
            out[field] = {"value": [c.value for c in won], "source": won[0].source, "where": won[0].where}
        else:
            out[field] = {"value": won[0].value, "source": won[0].source, "where": won[0].where}
    return out


def complete_titles(claims: list[Claim]) -> list[Claim]:
    """A title cut short by a length limit (og:title) is completed from a longer one it begins,
    when two other sources agree on that longer title (a heading with more after it is not one)."""
    sources: dict[str, set[str]] = {}
    for c in claims:
        if c.field == "title":
            sources.setdefault(c.value, set()).add(c.source)
    out = []
    for c in claims:
        if c.field == "title" and len(c.value) >= 40:
            longer = [
                t
                for t, kinds in sources.items()
                if len(kinds) >= 2
                and kinds != {"content"}
                and len(t) > len(c.value) + 3
                and _key(t).startswith(_key(c.value))
            ]
            if longer:
                c = Claim("title", max(longer, key=len), c.source, f"{c.where}, completed from a longer claim")
        out.append(c)
    return out
