"""A small dated corpus for digest tests: Nordic reports in several languages and areas.

Built programmatically with `Store.save(Document(...))`. It holds two language versions of one
THL report (fi with its own Tiivistelmä and a Swedish Sammanfattning; sv without an abstract),
a Norwegian report and its English summary sharing the series number Nord 2026:012, a
different THL report in the same week (must not be grouped), documents in other areas, an
off-topic document with no area, one outside the window and one withdrawn. Two documents carry
hostile markup in their titles and text.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from corpus.model import AreaMatch, Document, Section
from corpus.store import Store

SINCE, UNTIL = "2026-10-01", "2026-11-30"
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
AREAS = ("child-protection", "older-people", "adult-social-work")


def clock() -> datetime:
    return NOW


def doc(
    id: str,
    url: str,
    title: str,
    lang: str,
    *,
    date: str,
    first_seen: str | None = None,
    areas: dict[str, float] | None = None,
    sections: tuple[Section, ...] = (),
    country: str = "FI",
    publisher: str = "THL",
    source: str | None = None,
    status: str = "ok",
    meta: dict | None = None,
) -> Document:
    return Document(
        id=id,
        url=url,
        title=title,
        lang=lang,
        langs=tuple(dict.fromkeys(s.lang for s in sections)) or (lang,),
        country=country,
        publisher=publisher,
        source=source,
        format="html",
        doc_type="report",
        date=date,
        content_hash=f"hash-{id}",
        first_seen=first_seen or f"{date}T06:00:00+00:00",
        status=status,
        sections=sections,
        areas=tuple(AreaMatch(a, s, (a,)) for a, s in (areas or {}).items()),
        meta=meta or {},
    )


DOCUMENTS = (
    doc(
        "thl-ls-fi",
        "https://thl.fi/fi/tilastot/lastensuojelu-2025",
        "Lastensuojelu 2025. Tilastoraportti 28/2026",
        "fi",
        date="2026-11-02",
        source="thl",
        areas={"child-protection": 0.92, "families-children-youth": 0.4},
        sections=(
            Section("Tiivistelmä", "fi", "Tiivistelmä", "summary", 0),
            Section(
                "Kodin ulkopuolelle sijoitettuja lapsia oli vuonna 2025 yhteensä 19 000. "
                "Perhehoidon osuus sijaishuollosta kasvoi edelleen. Kiireellisten sijoitusten määrä väheni.",
                "fi",
                "Tiivistelmä",
                "summary",
                1,
            ),
            Section(
                "År 2025 var 19 000 barn placerade utom hemmet. Familjevårdens andel ökade. "
                "Antalet brådskande placeringar minskade.",
                "sv",
                "Sammanfattning",
                "summary",
                2,
            ),
            Section(
                "Lastensuojeluilmoituksia tehtiin 150 000 kappaletta.", "fi", "Lastensuojeluilmoitukset", "body", 3
            ),
        ),
    ),
    doc(
        "thl-ls-sv",
        "https://thl.fi/sv/statistik/barnskydd-2025",
        "Barnskydd 2025. Statistikrapport 28/2026",
        "sv",
        date="2026-11-09",
        source="thl",
        publisher="Institutet för hälsa och välfärd",
        areas={"child-protection": 0.88},
        sections=(
            Section("Statistikrapport 28/2026 · ISSN 1798-0887", "sv", "", "body", 0),
            Section(
                "Antalet barnskyddsanmälningar var 150 000. De flesta gällde barn i skolåldern. "
                "Institutionsvården minskade för tredje året i rad.",
                "sv",
                "Barnskyddsanmälningar",
                "body",
                1,
            ),
        ),
    ),
    doc(
        "thl-uts-sv",
        "https://thl.fi/sv/statistik/utkomststod-2025",
        "Utkomststöd 2025. Statistikrapport 30/2026",
        "sv",
        date="2026-11-03",
        source="thl",
        publisher="Institutet för hälsa och välfärd",
        areas={"adult-social-work": 0.7},
        sections=(
            Section(
                "Utkomststöd beviljades 2025 till 280 000 hushåll. Det grundläggande utkomststödet betalas av FPA.",
                "sv",
                "",
                "body",
                0,
            ),
        ),
    ),
    doc(
        "nwc-nb",
        "https://nordicwelfare.org/no/publikasjoner/barnevern-i-norden",
        "Barnevern i Norden: plasseringer og ettervern",
        "nb",
        date="2026-10-20",
        country="NORDIC",
        publisher="Nordens välfärdscenter",
        source="nordicwelfare",
        areas={"child-protection": 0.75},
        sections=(
            Section(
                "Nord 2026:012. Rapporten sammenligner plasseringer utenfor hjemmet i de nordiske landene. "
                "Ettervern for unge over 18 år er ulikt organisert.",
                "nb",
                "",
                "body",
                0,
            ),
        ),
    ),
    doc(
        "nwc-en",
        "https://nordicwelfare.org/en/publications/child-welfare-placements-summary",
        "Child welfare in the Nordic countries: placements and aftercare. Summary",
        "en",
        date="2026-10-22",
        country="NORDIC",
        publisher="Nordic Welfare Centre",
        source="nordicwelfare",
        areas={},
        sections=(
            Section(
                "Summary of Nord 2026:012. Placements outside the home are compared across the Nordic countries. "
                "Aftercare for young people over 18 is organised differently.",
                "en",
                "Summary",
                "summary",
                0,
            ),
        ),
    ),
    doc(
        "sos-aldre",
        "https://www.socialstyrelsen.se/publikationer/aldreomsorgens-personal-2026",
        "Äldreomsorgens personal 2026",
        "sv",
        date="2026-10-15",
        country="SE",
        publisher="Socialstyrelsen",
        source="socialstyrelsen",
        areas={"older-people": 0.7},
        sections=(
            Section("Vi använder kakor (cookies) för att webbplatsen ska fungera bra för dig.", "sv", "", "body", 0),
            Section(
                "Hoppa till huvudinnehåll\n\nBristen på undersköterskor i hemtjänsten ökar i hela landet. "
                "Var tredje kommun har svårt att rekrytera sjuksköterskor till särskilt boende.",
                "sv",
                "",
                "body",
                1,
            ),
        ),
    ),
    doc(
        "vive-hjem",
        "https://www.vive.dk/da/udgivelser/hjemmepleje-og-paaroerende",
        "Hjemmepleje og pårørende <script>alert('titel')</script> *stjerne* [link](javascript:alert(1))",
        "da",
        date="2026-11-15",
        country="DK",
        publisher="VIVE",
        source="vive",
        areas={"older-people": 0.6},
        sections=(
            Section(
                "Pårørende yder en stor del af hjælpen til ældre i eget hjem. <img src=x onerror=alert(1)> "
                "Kommunerne samarbejder i stigende grad med pårørende.",
                "da",
                "Resumé",
                "summary",
                0,
            ),
        ),
    ),
    doc(
        "thl-influenssa",
        "https://thl.fi/fi/rokotukset/influenssa-2026",
        "Influenssarokotukset kaudella 2026–2027",
        "fi",
        date="2026-11-05",
        source="thl",
        areas={},
        sections=(Section("Influenssarokotukset alkavat marraskuussa kaikille yli 65-vuotiaille.", "fi"),),
    ),
    doc(
        "thl-vaka",
        "https://thl.fi/fi/julkaisut/varhaiskasvatus-2025",
        "Varhaiskasvatus 2025",
        "fi",
        date="2026-11-06",
        source="thl",
        areas={"early-childhood-education": 0.9},
        sections=(Section("Varhaiskasvatukseen osallistui 250 000 lasta vuonna 2025.", "fi"),),
    ),
    doc(
        "bufdir-old",
        "https://www.bufdir.no/statistikk/barnevern-2024",
        "Barnevern 2024",
        "nb",
        date="2025-03-01",
        first_seen="2025-03-02T06:00:00+00:00",
        country="NO",
        publisher="Bufdir",
        source="bufdir",
        areas={"child-protection": 0.95},
        sections=(Section("Barnevernstjenesten mottok 58 000 bekymringsmeldinger i 2024.", "nb"),),
    ),
    doc(
        "nav-withdrawn",
        "https://www.nav.no/rapporter/sosialhjelp-2026",
        "Sosialhjelp 2026",
        "nb",
        date="2026-11-10",
        country="NO",
        publisher="NAV",
        source="nav",
        status="withdrawn",
        areas={"adult-social-work": 0.8},
        sections=(Section("Antallet sosialhjelpsmottakere økte i 2026.", "nb"),),
    ),
)


def build_store(path: Path, documents=DOCUMENTS) -> Store:
    """A store at `path` holding `documents`; the caller closes it."""
    store = Store(path)
    for d in documents:
        store.save(d)
    return store


def draft_text(store: Store, lang: str = "fi", areas=AREAS, since: str = SINCE, until: str = UNTIL) -> str:
    """The draft file text for the fixture window, as `nordsearch digest draft` writes it."""
    from datetime import date

    from search.digest import draft_digest, write_draft

    digest = draft_digest(
        store, since=date.fromisoformat(since), until=date.fromisoformat(until), areas=areas, lang=lang, clock=clock
    )
    return write_draft(digest)


def edit(text: str, item: int, key: str, value: str) -> str:
    """The draft with `key` of item number `item` (1-based) set, as a consultant edits it by hand."""
    from search.digest.draftfile import toml_text, toml_value

    head = -1
    for _ in range(item):
        head = text.index("[[item]]", head + 1)
    start = text.index(f"\n{key} = ", head) + 1
    end = (
        text.index('"""', text.index('"""', start) + 3) + 3
        if key in ("comment", "summary")
        else text.index("\n", start)
    )
    new = toml_text(value) if key in ("comment", "summary") else toml_value(value)
    return text[:start] + f"{key} = {new}" + text[end:]


def set_intro(text: str, intro: str) -> str:
    from search.digest.draftfile import toml_text

    start = text.index("\nintro = ") + 1
    end = text.index('"""', text.index('"""', start) + 3) + 3
    return text[:start] + f"intro = {toml_text(intro)}" + text[end:]
