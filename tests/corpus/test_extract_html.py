"""HTML extraction: main content without chrome, metadata, charsets, odd pages, and the floors."""

from __future__ import annotations

import sys
import time
import tomllib
from pathlib import Path

import pytest

from corpus.errors import ExtractionError
from corpus.extract import extract, sniff
from corpus.model import Resource
from corpus.repair import repair

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
EVAL = Path(__file__).resolve().parents[1] / "eval"


def text_of(extracted) -> str:
    return "\n".join(b.text for b in extracted.blocks)


def html(path: Path, content_type: str | None = "text/html"):
    return repair(extract(Resource(url=path.as_uri(), body=path.read_bytes(), content_type=content_type)))


# -- own fixtures --------------------------------------------------------------------------


def test_finnish_page_keeps_article_and_drops_chrome():
    page = html(FIXTURES / "fi_uutinen_navigaatio_evaste.html")
    text = text_of(page)
    assert "Perhekeskuksessa toimivat neuvola, perheneuvola ja lastensuojelun avohuolto." in text
    assert "sosiaali- ja terveyspalvelut" in text  # the suspended hyphen survives
    for chrome in (
        "evästeitä",
        "Hyväksy",
        "Palvelut",
        "Asiointi",
        "Influenssarokotukset",
        "Sandviksgatan",
        "Jaa Facebookissa",
        "seuranta",
        "dataLayer",
    ):
        assert chrome not in text, chrome
    assert page.title == "Perhekeskus avautuu Vaasassa"
    assert page.lang_hint == "fi"
    assert page.date == "2024-03-15"
    assert page.description == "Uusi perhekeskus kokoaa lasten ja perheiden palvelut saman katon alle."


def test_headings_become_heading_blocks():
    page = html(FIXTURES / "fi_uutinen_navigaatio_evaste.html")
    headings = [(b.level, b.text) for b in page.blocks if b.kind == "heading"]
    assert headings == [(1, "Perhekeskus avautuu Vaasassa"), (2, "Yhteistyö järjestöjen kanssa")]


def test_latin1_danish_page_without_charset():
    body = (FIXTURES / "da_latin1_uden_charset.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")  # the fixture really is Latin-1
    page = html(FIXTURES / "da_latin1_uden_charset.html")
    text = text_of(page)
    assert "Ældrerådet følger området tæt." in text
    assert "Æbleskiver" in text and "\ufffd" not in text
    assert "Forside" not in text
    assert page.title == "Hjemmehjælp og plejebolig"


def test_http_charset_outranks_detection():
    body = "<html><body><p>Š on tšekkiä: žaketti ja šakki, ei pohjoismaista.</p></body></html>".encode("cp1250")
    page = extract(Resource(url="http://x/", body=body, content_type="text/html; charset=windows-1250"))
    assert "žaketti ja šakki" in text_of(page)


def test_bom_outranks_meta():
    body = b"\xef\xbb\xbf<html><head><meta charset='iso-8859-1'></head><body><p>S\xc3\xb6knad om f\xc3\xb6r\xc3\xa4ldrapenning</p></body></html>"
    assert "Söknad om föräldrapenning" in text_of(extract(Resource(url="x", body=body, content_type="text/html")))


def test_deeply_nested_html_gets_a_reason_not_a_recursion_error():
    body = (
        "<html><body>" + "<div>" * 100_000 + "<p>Syvällä sisällä.</p>" + "</div>" * 100_000 + "</body></html>"
    ).encode()
    assert sys.getrecursionlimit() < 100_000
    started = time.monotonic()
    with pytest.raises(ExtractionError, match=r"^HTML nested too deeply"):
        extract(Resource(url="x", body=body, content_type="text/html"))
    assert time.monotonic() - started < 10


def test_nesting_below_the_limit_is_extracted():
    body = (
        "<html><body>" + "<div>" * 400 + "<p>Syvällä sisällä on tekstiä.</p>" + "</div>" * 400 + "</body></html>"
    ).encode()
    assert "Syvällä sisällä on tekstiä." in text_of(extract(Resource(url="x", body=body, content_type="text/html")))


def test_empty_and_tagless_html():
    with pytest.raises(ExtractionError, match="empty"):
        extract(Resource(url="x", body=b"   \n", content_type="text/html"))
    with pytest.raises(ExtractionError, match="no text"):
        extract(
            Resource(url="x", body=b"<html><body><script>var a=1;</script></body></html>", content_type="text/html")
        )


def test_sniffing_beats_the_declared_type():
    assert sniff(b"<!DOCTYPE html><html><body>x</body></html>", "application/octet-stream") == "html"
    assert sniff(b"<?xml version='1.0'?>\n<!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0//EN'><html>", None) == "html"
    assert sniff(b"%PDF-1.4\n...", "text/html") == "pdf"
    assert sniff(b"<html><body>404</body></html>", "application/pdf") == "pdf"  # → "not a PDF"
    assert sniff(b"<html><body>404</body></html>", None, "https://x.fi/raportti.pdf") == "pdf"
    assert sniff(b"<table><tr><td>fragment</td></tr></table>", None) == "html"
    assert sniff(b"Pelkkaa tekstia.", "text/plain") == "txt"


# -- real pages ----------------------------------------------------------------------------


def test_latin1_pages_without_charset_come_out_right(shared_data):
    for name, word in [
        ("sv_rkrattsdb_legacy_sfs_2013_363_latin1.html", "ä"),
        ("sv_rkrattsdb_legacy_register_2008_344_latin1.html", "ö"),
    ]:
        text = text_of(html(shared_data / "html" / name))
        assert word in text and "\ufffd" not in text and "Ã" not in text, name


def test_page_declaring_latin1_but_saved_as_utf8(shared_data):
    page = html(shared_data / "html" / "news_da_sn_dk_922379.html")
    assert "Ã" not in text_of(page) and "Ã" not in page.title
    assert page.lang_hint == "da"


def test_fragment_without_html_element(shared_data):
    text = text_of(html(shared_data / "html" / "sv_arn_2013_07406_fragment.html"))
    assert "Fråga om köparen fullgjort sin skyldighet att kontrollera riktigheten" in text
    assert "2013-07406" in text


def test_socialstyrelsen_xhtml_with_xml_prolog(shared_data):
    page = html(shared_data / "html" / "sv_socialstyrelsen_sosfs_2005_27.html")
    assert page.title.startswith("Senaste version av Socialstyrelsens föreskrifter (SOSFS 2005:27)")
    text = text_of(page)
    assert "1 kap. Tillämpningsområde" in text
    assert "document.write" not in text
    assert "&#" not in text  # the numeric entities are decoded


def test_pdf_link_page(shared_data):
    page = html(shared_data / "html" / "sv_regeringen_dir_2016_15.html")
    assert page.title == "Dataskyddsförordningen"
    assert page.lang_hint == "sv"
    assert page.date == "2016-02-29"
    assert "Dir. 2016:15" in text_of(page)


def test_statute_database_keeps_paragraph_breaks(shared_data):
    page = html(shared_data / "html" / "sv_rkrattsdb_sfs_2016_1145.html")
    paragraphs = [b.text for b in page.blocks]
    assert len(paragraphs) > 50
    assert any(p.startswith("2 § Denna lag gäller för upphandling") for p in paragraphs)


@pytest.mark.parametrize(
    "name",
    ["news_fi_uusisuomi_angela.html", "news_fi_yle_3-11212601.html", "news_no_tine_fotballskole.html"],
)
def test_news_snippets(shared_data, name):
    import json

    want = json.loads((shared_data / "html" / "expected_news.json").read_text(encoding="utf-8"))[name]
    page = html(shared_data / "html" / name)
    text = text_of(page)
    for snippet in want["with"]:
        assert snippet in text
    for snippet in want["without"]:
        assert snippet not in text
    assert page.title == want["title"]


def test_every_real_page_extracts(shared_data):
    for path in sorted((shared_data / "html").glob("*.html")):
        page = html(path)
        assert page.blocks and page.format == "html", path.name


def test_floors_hold(shared_data):
    sys.path.insert(0, str(EVAL))
    try:
        import eval_html_extraction
    finally:
        sys.path.remove(str(EVAL))
    floors = tomllib.loads((EVAL / "floors.toml").read_text(encoding="utf-8"))["extraction"]
    figures = eval_html_extraction.evaluate(shared_data / "html")
    assert figures.with_share >= floors["html_must_appear"], figures.misses
    assert figures.without_share >= floors["html_must_not_appear"], figures.misses
    assert figures.date_accuracy >= floors["html_date_accuracy"], figures.misses
