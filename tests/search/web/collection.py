"""A small Nordic collection for the web tests, and a stand-in search over it.

View tests run the app with `stub_search`, a plain function over the store that records the
requests it gets: the views are tested for what they send and show, independently of ranking.
End-to-end tests (test_browser.py) run the real search over a real index instead.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from corpus.config import DataDir
from corpus.model import AreaMatch, Document, Section
from corpus.store import Store
from search.model import Fragment, Hit, SearchRequest, SearchResult

#: The public address the test apps are configured with (their requests arrive as "localhost").
BASE_URL = "https://nordsearch.example.fi/"
HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_SNIPPET = "Barnevern <img src=x onerror=alert(1)> og fosterhjem"


def _doc(url, title, lang, country, publisher, source, date, text, areas=(), **kw) -> Document:
    return Document(
        id="",
        url=url,
        title=title,
        lang=lang,
        langs=(lang,),
        country=country,
        publisher=publisher,
        source=source,
        format="html",
        doc_type=kw.pop("doc_type", "report"),
        date=date,
        content_hash=url,
        sections=tuple(Section(text=t, lang=lang, position=i, kind=k) for i, (k, t) in enumerate(text)),
        areas=tuple(areas),
        **kw,
    )


CP = "child-protection"
OLD = "older-people"

DOCUMENTS = [
    _doc(
        "https://thl.fi/fi/julkaisut/lastensuojelu-2025",
        "Lastensuojelu 2025. Tilastoraportti 28/2026",
        "fi",
        "FI",
        "THL",
        "thl",
        "2026-05-02",
        [
            ("summary", "Tiivistelmä: lastensuojelun sijaishuolto ja perhehoito kasvoivat."),
            ("body", "Huostaanotettuja lapsia oli sijaishuollossa enemmän kuin ennen. Perhehoito yleistyi."),
        ],
        [AreaMatch(CP, 3.2, ("lastensuojelu", "sijaishuolto", "perhehoito"))],
    ),
    _doc(
        "https://thl.fi/sv/publikationer/barnskydd-2025",
        "Barnskydd 2025. Statistikrapport 28/2026",
        "sv",
        "FI",
        "THL",
        "thl",
        "2026-05-02",
        [("body", "Barnskyddets vård utom hemmet och familjevård ökade. Familjehem används mer.")],
        [AreaMatch(CP, 2.8, ("barnskydd", "familjehem"))],
    ),
    _doc(
        "https://bufdir.no/statistikk/fosterhjem-2025",
        "Fosterhjem i barnevernet 2025",
        "nb",
        "NO",
        "Bufdir",
        "bufdir",
        "2025-11-20",
        [("body", "Barnevernstjenesten plasserte flere barn i fosterhjem. Omsorgsovertakelse økte.")],
        [AreaMatch(CP, 2.5, ("fosterhjem", "barnevern"))],
    ),
    _doc(
        "https://vive.dk/anbringelse-2024",
        "Anbringelse af børn og unge 2024",
        "da",
        "DK",
        "VIVE",
        "vive",
        "2024-09-01",
        [("body", "Anbringelse i plejefamilie er den mest brugte form. Kommunerne anbringer flere børn.")],
        [AreaMatch(CP, 2.1, ("anbringelse", "plejefamilie"))],
    ),
    _doc(
        "https://socialstyrelsen.se/aldreomsorg-2025",
        "Äldreomsorgen i Sverige 2025",
        "sv",
        "SE",
        "Socialstyrelsen",
        "socialstyrelsen",
        "2025-03-15",
        [("body", "Hemtjänst och särskilt boende för äldre. Anhörigomsorg är viktig.")],
        [AreaMatch(OLD, 2.0, ("äldreomsorg", "hemtjänst"))],
    ),
    _doc(
        "https://hostile.example/evil",
        HOSTILE_TITLE,
        "nb",
        "NO",
        "<b>Evil</b> publisher",
        "hostile",
        "2025-01-01",
        [("body", HOSTILE_SNIPPET)],
        [AreaMatch(CP, 1.0, ("barnevern",))],
    ),
    _doc(
        "javascript:alert(2)//x",
        "Lenke med skript",
        "nb",
        "NO",
        "Bufdir",
        "bufdir",
        "2023-01-01",
        [("body", "Barnevern og skript i lenken.")],
    ),
]


def build_store(data_dir: DataDir, documents=DOCUMENTS) -> dict[str, str]:
    """Save `documents` into the data directory's store; returns {url: id}."""
    ids = {}
    with Store(data_dir.store_file) as store:
        for doc in documents:
            store.save(doc)
            ids[doc.url] = store.get_by_url(doc.url).id
    return ids


_WORD = re.compile(r"\w+")


def _snippet(text: str, words: set[str]) -> tuple[Fragment, ...]:
    parts, last = [], 0
    for m in re.finditer(r"\w+", text):
        if any(m.group().lower().startswith(w) for w in words):
            parts += [Fragment(text[last : m.start()]), Fragment(m.group(), True)]
            last = m.end()
    parts.append(Fragment(text[last:]))
    return tuple(p for p in parts if p.text)


class StubSearch:
    """A search over the store by word prefixes, with filters, facets and paging; records requests."""

    def __init__(self):
        self.requests: list[SearchRequest] = []

    def __call__(self, data_dir: DataDir, req: SearchRequest) -> SearchResult:
        self.requests.append(req)
        words = {w.lower() for w in _WORD.findall(req.query)}
        with Store(data_dir.store_file, readonly=True) as store:
            docs = list(store.documents(with_sections=True))
        found = []
        for d in docs:
            text = f"{d.title} {d.text}".lower()
            if words and not any(w in text for w in words):
                continue
            found.append(d)
        facets = {
            "lang": Counter(d.lang for d in found),
            "country": Counter(d.country for d in found if d.country),
            "area": Counter(a for d in found for a in d.area_ids),
            "year": Counter(d.date[:4] for d in found if d.date),
            "publisher": Counter(d.publisher for d in found if d.publisher),
            "doc_type": Counter(d.doc_type for d in found if d.doc_type),
        }
        keep = [
            d
            for d in found
            if (not req.langs or d.lang in req.langs)
            and (not req.countries or d.country in req.countries)
            and (not req.areas or set(req.areas) & set(d.area_ids))
            and (not req.publishers or d.publisher in req.publishers)
            and (not req.doc_types or d.doc_type in req.doc_types)
            and (not req.year_from or int(d.date[:4]) >= req.year_from)
            and (not req.year_to or int(d.date[:4]) <= req.year_to)
        ]
        if req.sort == "date":
            keep.sort(key=lambda d: d.date or "", reverse=True)
        start = (req.page - 1) * req.limit
        hits = tuple(
            Hit(
                id=d.id,
                url=d.url,
                title=d.title,
                lang=d.lang,
                country=d.country,
                publisher=d.publisher,
                date=d.date,
                doc_type=d.doc_type,
                areas=d.area_ids,
                score=1.0,
                snippet=_snippet(d.sections[-1].text, words),
                snippet_lang=d.sections[-1].lang,
            )
            for d in keep[start : start + req.limit]
        )
        expanded = {"lastensuojelu": ["barnskydd", "barnevern"]} if req.expand and "lastensuojelu" in words else {}
        return SearchResult(
            query=req.query,
            total=len(keep),
            hits=hits,
            facets={k: dict(v) for k, v in facets.items()},
            expanded=expanded,
            page=req.page,
            limit=req.limit,
        )


def many(n: int) -> list[Document]:
    """`n` near-identical Finnish documents, for paging."""
    base = DOCUMENTS[0]
    return [
        replace(base, url=f"https://thl.fi/fi/sarja/{i}", title=f"Lastensuojelu {i}", content_hash=str(i))
        for i in range(n)
    ]


def publish_digest(data_dir: DataDir, ids: dict[str, str], *, comment: str = "Hyvä katsaus.") -> int:
    """Freeze a small Finnish digest with two items (one with two language versions) in the store."""
    from search.digest import records
    from search.digest.model import Digest, DigestItem, Summary, Version

    fi_url, sv_url = DOCUMENTS[0].url, DOCUMENTS[1].url
    items = (
        DigestItem(
            versions=(
                Version(ids[fi_url], "fi", fi_url, DOCUMENTS[0].title),
                Version(ids[sv_url], "sv", sv_url, DOCUMENTS[1].title),
            ),
            title=DOCUMENTS[0].title,
            publisher="THL",
            country="FI",
            date="2026-05-02",
            area=CP,
            areas=(CP,),
            url=fi_url,
            summary=Summary("Lastensuojelun sijaishuolto kasvoi.", "fi"),
            position=1,
            comment=comment,
        ),
        DigestItem(
            versions=(Version(ids[DOCUMENTS[4].url], "sv", DOCUMENTS[4].url, DOCUMENTS[4].title),),
            title=DOCUMENTS[4].title,
            publisher="Socialstyrelsen",
            country="SE",
            date="2025-03-15",
            area=OLD,
            areas=(OLD,),
            url=DOCUMENTS[4].url,
            summary=Summary("Hemtjänst och särskilt boende.", "sv"),
            position=2,
        ),
    )
    digest = Digest(
        title="Pohjoismainen tietokooste kevät 2026",
        lang="fi",
        since="2026-01-01",
        until="2026-06-30",
        areas=(CP, OLD),
        intro="Kevään pohjoismaiset raportit.",
        items=items,
        draft_id="test-draft",
    )
    with Store(data_dir.store_file) as store:
        return records.insert(store, digest, "# draft\n", "2026-07-01T09:00:00+00:00")
