"""Bibliographic metadata with provenance (issue 13 item 1): sources, their order, junk, patterns."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from corpus.biblio.claims import SOURCES, best, summary
from corpus.biblio.publishers import Registry, load_registry
from corpus.biblio.record import build_record
from corpus.biblio.text import identifier_claims, series_claims, text_claims, valid_isbn, valid_issn
from corpus.errors import ConfigError
from corpus.extract import extract
from corpus.extract.html import extract_html
from corpus.extract.pdf import extract_pdf
from corpus.ingest import Pipeline, process
from corpus.model import Claim, Resource
from corpus.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from minipdf import make_pdf  # noqa: E402

REGISTRY = load_registry()


def html(head: str, body: str = "<main><h1>Otsikko</h1><p>Tekstiä raportista.</p></main>") -> bytes:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>".encode()


def record_of(resource: Resource):
    doc = process(resource, Pipeline())
    assert doc.status == "ok", doc.error
    return doc


# -- which source wins ---------------------------------------------------------------------

ORDER = ["curated", "oai", "sidecar", "citation", "source", "dc", "jsonld", "og", "page", "pdf-info",
         "first-page", "text", "site", "print"]  # fmt: skip


@pytest.mark.parametrize("better,worse", list(zip(ORDER, ORDER[1:], strict=False)))
def test_a_better_source_wins_whatever_the_order_given(better, worse):
    claims = [Claim("title", f"from {worse}", worse), Claim("title", f"from {better}", better)]
    assert best(claims, "title")[0].value == f"from {better}"
    assert best(list(reversed(claims)), "title")[0].value == f"from {better}"


def test_every_listed_source_is_ranked():
    ranked = {kind for kinds in SOURCES for kind in kinds}
    assert set(ORDER) <= ranked


def test_multi_valued_fields_keep_every_value_of_the_best_source_only():
    claims = [
        Claim("authors", "A. Pdf", "pdf-info"),
        Claim("authors", "Kari Hansen", "citation"),
        Claim("authors", "Ola Nordmann", "citation"),
        Claim("authors", "Kari Hansen", "citation"),
    ]
    assert [c.value for c in best(claims, "authors")] == ["Kari Hansen", "Ola Nordmann"]
    assert summary(claims)["authors"] == {"value": ["Kari Hansen", "Ola Nordmann"], "source": "citation", "where": ""}


# -- HTML ------------------------------------------------------------------------------------


def test_citation_tags_outrank_dublin_core_and_open_graph_and_name_the_pdf():
    head = """<title>Barnskydd i Norden - Nordens välfärdscenter</title>
    <meta property="og:title" content="Barnskydd (og)"><meta property="og:site_name" content="Nordic Welfare Centre">
    <meta name="DC.title" content="Barnskydd (dc)"><meta name="DC.date" content="2024-01-05">
    <meta name="citation_title" content="Barnskydd i Norden 2024">
    <meta name="citation_author" content="Hansen, Kari"><meta name="citation_author" content="Virtanen, Liisa">
    <meta name="citation_publication_date" content="2024/03/14">
    <meta name="citation_pdf_url" content="/files/barnskydd-2024.pdf">
    <meta name="citation_isbn" content="978-951-33-2497-1">"""
    doc = record_of(Resource("https://nordicwelfare.org/pub/barnskydd", html(head), "text/html"))
    assert doc.title == "Barnskydd i Norden 2024"
    assert doc.authors == ("Hansen, Kari", "Virtanen, Liisa")
    assert doc.date == "2024-03-14" and doc.date_precision == "day"
    assert doc.publisher == "Nordens välfärdscenter"  # og:site_name in English, one name per organisation
    assert doc.isbn == ("9789513324971",)
    won = doc.best("title")[0]
    assert (won.source, won.where) == ("citation", 'meta name="citation_title"')
    assert [(link.kind, link.url) for link in doc.links] == [
        ("pdf", "https://nordicwelfare.org/files/barnskydd-2024.pdf")
    ]


def test_dublin_core_publisher_spellings_become_one_name():
    head = '<meta name="DC.Publisher" content="Regeringen och Regeringskansliet"><meta name="DC.Title" content="Ett betänkande">'
    doc = record_of(Resource("https://example.org/a", html(head), "text/html"))
    assert doc.publisher == "Regeringskansliet"
    assert doc.best("publisher")[0].where == 'meta name="dc.publisher" "Regeringen och Regeringskansliet"'


@pytest.mark.parametrize("kind", ["Report", "ScholarlyArticle", "Book", "CreativeWork"])
def test_json_ld_works(kind):
    ld = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "KIND", '
        '"name": "Omsorg för äldre 2025", "datePublished": "2025-05-02", "isbn": "951-33-2497-4", '
        '"author": [{"@type": "Person", "name": "Anna Berg"}, {"@type": "Organization", "name": "Socialstyrelsen"}], '
        '"isPartOf": {"@type": "CreativeWorkSeries", "name": "Rapport 2025:3"}}</script>'
    ).replace("KIND", kind)
    doc = record_of(Resource("https://example.se/x", html(ld), "text/html"))
    assert (doc.title, doc.date, doc.authors, doc.publisher) == (
        "Omsorg för äldre 2025",
        "2025-05-02",
        ("Anna Berg",),
        "Socialstyrelsen",
    )
    assert doc.series == "Rapport 2025:3" and doc.isbn == ("9513324974",)


def test_a_title_that_only_names_the_site_gives_way_to_the_page_content():
    body = """<div class="header">Regeringskansliets rättsdatabaser</div><div class="content">
      <div class="box"><span class="bold">Lag (2016:1145) om offentlig upphandling</span></div>
      <div class="box"><span class="bold">Utfärdad:</span> 2016-12-01</div>
      <div class="text">1 kap. Lagens innehåll. Denna lag gäller upphandling som görs av en upphandlande myndighet.</div></div>"""
    page = html("<title>Regeringskansliets rättsdatabaser</title>", body)
    doc = record_of(Resource("https://rkrattsbaser.gov.se/sfst?bet=2016:1145", page, "text/html"))
    assert doc.title == "Lag (2016:1145) om offentlig upphandling"
    assert doc.date == "2016-12-01"  # "Utfärdad:", not the year in the statute number
    assert doc.publisher == "Regeringskansliet"  # the address
    assert doc.series == "SFS 2016:1145"


def test_language_versions_and_the_one_report_pdf_are_links():
    head = '<link rel="alternate" hreflang="sv" href="https://thl.fi/sv/rapport-x"><link rel="alternate" hreflang="x-default" href="https://thl.fi/">'
    body = """<nav><a href="/sv/">Svenska</a><a href="/en/">English</a></nav><main><h1>Raportti X</h1>
      <p>Raportti lastensuojelusta kunnissa ja sen tuloksista vuonna 2025.</p>
      <p><a href="/en/report-x">In English</a> · <a href="/documents/123/raportti.pdf">Lataa raportti (PDF)</a></p></main>"""
    doc = record_of(Resource("https://thl.fi/fi/raportti-x", html(head, body), "text/html"))
    links = {(link.kind, link.url, link.lang) for link in doc.links}
    assert links == {
        ("translation", "https://thl.fi/sv/rapport-x", "sv"),
        ("translation", "https://thl.fi/en/report-x", "en"),
        ("pdf", "https://thl.fi/documents/123/raportti.pdf", None),
    }


def test_a_page_linking_many_pdfs_names_none_as_its_full_text():
    body = (
        "<main><h1>Julkaisut</h1><p>Listaus julkaisuista.</p>"
        + "".join(f'<p><a href="/r{i}.pdf">Raportti {i}</a></p>' for i in range(3))
        + "</main>"
    )
    doc = record_of(Resource("https://thl.fi/julkaisut", html("", body), "text/html"))
    assert not [link for link in doc.links if link.kind == "pdf"]


# -- PDF -------------------------------------------------------------------------------------


def test_junk_pdf_title_gives_way_to_the_largest_type_on_page_one():
    body = make_pdf(
        "Lastensuojelun tilastoraportti 2025",
        ["Tämä raportti kertoo lastensuojelusta kunnissa. " * 20],
        info={"Title": "Microsoft Word - rap_2019.docx", "Author": "kalle", "CreationDate": "D:20260301"},
        title_size=24,
    )
    out = extract_pdf(body)
    assert out.title == "Lastensuojelun tilastoraportti 2025"
    won = best(out.claims, "title")[0]
    assert (won.source, won.where) == ("first-page", "page 1, largest type")
    assert not best(out.claims, "authors")  # an account name is no author


@pytest.mark.parametrize(
    "junk", ["Microsoft Word - rap_2019.docx", "untitled", "NFS 2007-10k2.indd.indd", "121314400", "Prop. 2012/13:182"]
)
def test_junk_metadata_titles_are_rejected(junk):
    out = extract_pdf(make_pdf("Barnskydd i kommunerna", ["Text om barnskydd. " * 30], info={"Title": junk}))
    assert out.title == "Barnskydd i kommunerna"
    assert all(c.value != junk for c in out.claims)


def test_xmp_title_and_creators_are_read():
    xmp = (
        '<?xpacket begin=""?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">'
        "Omsorg i hemmet</rdf:li></rdf:Alt></dc:title><dc:creator><rdf:Seq><rdf:li>Anna Berg</rdf:li>"
        '<rdf:li>Erik Lund</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="r"?>'
    )
    out = extract_pdf(make_pdf("Sida 1", ["Text. " * 40], info={"Title": "untitled"}, xmp=xmp))
    assert out.title == "Omsorg i hemmet"
    assert [c.value for c in best(out.claims, "authors")] == ["Anna Berg", "Erik Lund"]


def test_a_title_equal_to_the_publisher_is_no_title():
    body = make_pdf(
        "Lastensuojelu kunnissa 2025", ["Raportti. " * 40], info={"Title": "Terveyden ja hyvinvoinnin laitos"}
    )
    doc = record_of(Resource("https://thl.fi/r.pdf", body, "application/pdf"))
    assert doc.title == "Lastensuojelu kunnissa 2025"
    assert doc.publisher == "THL"


def test_the_colophon_date_beats_the_print_date_and_the_series_names_the_publisher():
    colophon = ["THL:n raportti 12/2019", "ISBN 978-952-343-891-0 (verkkojulkaisu)", "URN:NBN:fi-fe2019052317043"]
    body = make_pdf(
        "Lasten hyvinvointi",
        ["Johdanto lasten hyvinvointiin. " * 20, *colophon, "Helsinki 2019"],
        info={"CreationDate": "D:20250102"},
    )
    doc = record_of(Resource("file:///tmp/r.pdf", body, "application/pdf"))
    assert doc.date == "2019" and doc.date_precision == "year"
    assert doc.best("date")[0].where == '"Helsinki 2019"'
    assert doc.series == "THL:n raportti 12/2019" and doc.publisher == "THL"
    assert doc.isbn == ("9789523438910",) and doc.urn == "URN:NBN:fi-fe2019052317043"


# -- text patterns ---------------------------------------------------------------------------


def test_isbn_and_issn_need_a_valid_check_digit():
    assert valid_isbn("978-951-33-2497-1") and valid_isbn("951-33-2497-4") and valid_isbn("0-8044-2957-X")
    assert not valid_isbn("978-951-33-2497-2") and not valid_isbn("951-33-2497-5")
    assert valid_issn("1403-8234") and valid_issn("0317-8471") and not valid_issn("1403-8235")
    found = identifier_claims("ISBN 978-951-33-2497-2\nISBN 978-951-33-2497-1 (PDF)\nISSN 1403-8235")
    assert [(c.field, c.value) for c in found] == [("isbn", "9789513324971")]


@pytest.mark.parametrize(
    "text,series",
    [
        ("THL:n raportti 12/2019", "THL:n raportti 12/2019"),
        ("Socialstyrelsens rapport 2021:3", "Socialstyrelsens rapport 2021:3"),
        ("Rapport 2021:3\nStockholm", "Rapport 2021:3"),
        ("Statens offentliga utredningar\nSOU 2013:75", "SOU 2013:75"),
        ("Regeringens proposition 2012/13:187", "Prop. 2012/13:187"),
        ("NOU 2020:14 Ny barnelov", "NOU 2020:14"),
        ("AFS 2011:19 Kemiska arbetsmiljörisker", "AFS 2011:19"),
    ],
)
def test_series_and_number(text, series):
    assert [c.value for c in series_claims(text, REGISTRY) if c.field == "series"] == [series]


def test_a_number_in_parentheses_is_a_citation_not_the_series():
    text = "Regeringen beslutade kommittédirektiv om en översyn (dir. 2014:139) enligt lagen (2001:453)."
    assert not [c for c in series_claims(text, REGISTRY) if c.field == "series"]


@pytest.mark.parametrize(
    "text,day",
    [
        ("Utkom från trycket den 28 december 2011", "2011-12-28"),
        ("Julkaisupäivä 19.4.2007", "2007-04-19"),
        ("Publicerad: 2017-04-21 15:23", "2017-04-21"),
        ("Beslut vid regeringssammanträde den 25 februari 2016", "2016-02-25"),
        ("Stockholm den 27 juni 2013", "2013-06-27"),
        ("Helsingissä 13 päivänä huhtikuuta 2007", "2007-04-13"),
        ("Publisert 3. mars 2021", "2021-03-03"),
        ("NAV 04-01.03. Bokmål. Fastsatt 07.2006. Endret 03.2012", "2012"),
    ],
)
def test_colophon_dates(text, day):
    assert [c.value for c in text_claims(text, registry=None) if c.field == "date"][0] == day


def test_a_publication_date_beats_a_decision_date():
    text = "beslutade den 29 november 2011.\nUtkom från trycket den 28 december 2011"
    assert [c.value for c in text_claims(text, registry=None) if c.field == "date"][:1] == ["2011-12-28"]


# -- publishers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,canonical",
    [
        ("Terveyden ja hyvinvoinnin laitos", "THL"),
        ("Institutet för hälsa och välfärd", "THL"),
        ("Finnish Institute for Health and Welfare", "THL"),
        ("Arbeids- og velferdsdirektoratet", "NAV"),
        ("Socialdepartementet", "Regeringskansliet"),
        ("Nordic Welfare Centre", "Nordens välfärdscenter"),
        ("  Kommunernes   Landsforening ", "KL"),
        ("Okänd förening", "Okänd förening"),
        ("TINE.no", "TINE"),
    ],
)
def test_publisher_names(name, canonical):
    assert REGISTRY.canonical(name) == canonical


def test_one_alias_two_organisations_told_apart_by_country_or_address():
    assert REGISTRY.canonical("Socialstyrelsen") == "Socialstyrelsen"
    assert REGISTRY.canonical("Socialstyrelsen", country="DK") == "Social- og Boligstyrelsen"
    assert REGISTRY.canonical("Socialstyrelsen", url="https://www.socialstyrelsen.dk/x") == "Social- og Boligstyrelsen"


def test_a_data_directory_adds_publishers(tmp_path):
    extra = tmp_path / "publishers.toml"
    extra.write_text(
        '[[publisher]]\nname = "Vaasan kaupunki"\naliases = ["Vasa stad"]\ndomains = ["vaasa.fi"]\n'
        '[[publisher]]\nname = "THL"\naliases = ["Terveyden- ja hyvinvoinninlaitos"]\n',
        encoding="utf-8",
    )
    registry = Registry(REGISTRY.publishers).extended(extra)
    assert registry.canonical("Vasa stad") == "Vaasan kaupunki" and registry.by_domain("https://www.vaasa.fi/a")
    assert registry.canonical("Terveyden- ja hyvinvoinninlaitos") == "THL"
    assert registry.canonical("Institutet för hälsa och välfärd") == "THL"  # the shipped aliases stay


def test_a_broken_publishers_file_is_one_clear_error(tmp_path):
    bad = tmp_path / "publishers.toml"
    bad.write_text('[[publisher]]\naliases = ["x"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"publishers.toml: publisher #1: needs a name"):
        REGISTRY.extended(bad)


# -- hints, record, store --------------------------------------------------------------------


def test_oai_record_outranks_the_page_and_the_sidecar_outranks_citation_tags():
    head = (
        '<meta name="citation_title" content="Från sidan"><meta name="citation_publication_date" content="2020-01-01">'
    )
    hints = {
        "oai_identifier": "oai:x:1",
        "oai_dc": {"title": ["Från OAI"], "date": ["2021"], "publisher": ["Institutet för hälsa och välfärd"],
                   "identifier": ["URN:NBN:fi-fe2021010101", "ISBN 978-951-33-2497-1"]},
    }  # fmt: skip
    doc = record_of(Resource("https://julkari.fi/handle/1", html(head), "text/html", hints=hints))
    assert (doc.title, doc.date, doc.publisher) == ("Från OAI", "2021", "THL")
    assert doc.urn == "URN:NBN:fi-fe2021010101" and doc.isbn == ("9789513324971",)
    record = build_record(
        (), {"record": {"title": "Ur exporten", "authors": ["A B"]}}, url="x", front_text="", description=None,
        registry=REGISTRY,
    )  # fmt: skip
    assert best(record, "title")[0].source == "sidecar"


def test_the_record_and_links_survive_the_store(tmp_path):
    head = '<meta name="citation_title" content="Barnskydd"><meta name="citation_pdf_url" content="https://x.se/a.pdf">'
    doc = record_of(Resource("https://x.se/a", html(head), "text/html"))
    with Store(tmp_path / "store.db") as store:
        store.save(doc)
        again = store.get(doc.id)
    assert again.record == doc.record and again.links == doc.links and again.title == "Barnskydd"


def test_a_store_from_before_gets_the_new_columns(tmp_path):
    import sqlite3

    from corpus.store import SCHEMA

    path = tmp_path / "old.db"
    old_schema = SCHEMA.replace(",\n    record TEXT NOT NULL DEFAULT '[]',\n    links TEXT NOT NULL DEFAULT '[]'", "")
    assert "record TEXT" not in old_schema
    with sqlite3.connect(path) as db:
        db.executescript(old_schema)
        db.execute(
            "INSERT INTO documents (id, url, first_seen, updated_at, seq) VALUES ('a', 'https://x/a', 'x', 'x', 1)"
        )
    with Store(path) as store:
        assert store.get("a").record == ()


def test_extract_passes_the_address_for_relative_links():
    out = extract(Resource("https://thl.fi/fi/x", html('<meta name="citation_pdf_url" content="r.pdf">'), "text/html"))
    assert out.links[0].url == "https://thl.fi/fi/r.pdf"
    assert extract_html(html(""), "text/html").links == ()
