"""Plain-text extraction and charset decoding: UTF-8 with and without BOM, Latin-1, UTF-16, binary."""

from __future__ import annotations

import codecs

import pytest

from corpus.errors import ExtractionError
from corpus.extract import extract
from corpus.extract.charset import charset_param, decode
from corpus.model import Resource
from corpus.repair import repair

FINNISH = "Sosiaali- ja terveydenhuollon järjestäminen\n\nHyvinvointialue vastaa palveluista. Äitiysneuvola on lähellä."
SWEDISH = (
    "Barn- och ungdomsvård i Åbo\n\nSocialvården ansvarar för stödet. Överklagande sker hos förvaltningsdomstolen."
)


def text(body: bytes, content_type: str | None = "text/plain"):
    return extract(Resource(url="file:///x.txt", body=body, content_type=content_type))


def joined(extracted) -> str:
    return "\n\n".join(b.text for b in extracted.blocks)


@pytest.mark.parametrize("sample", [FINNISH, SWEDISH])
def test_utf8_with_and_without_bom(sample):
    for body in (sample.encode("utf-8"), codecs.BOM_UTF8 + sample.encode("utf-8")):
        out = text(body)
        assert joined(out) == sample
        assert not out.title.startswith("\ufeff")


@pytest.mark.parametrize("sample", [FINNISH, SWEDISH])
def test_latin1_without_declaration(sample):
    out = text(sample.encode("latin-1"))
    assert joined(out) == sample


def test_cp1252_letters_beyond_latin1():
    assert "€ 25 – Šibenik" in joined(text("Maksu € 25 – Šibenik ja Åland".encode("cp1252")))


def test_utf16_with_bom():
    assert joined(text(SWEDISH.encode("utf-16"))) == SWEDISH


def test_declared_charset_is_used():
    body = "Päätös".encode("iso-8859-15")
    assert joined(text(body, "text/plain; charset=ISO-8859-15")) == "Päätös"
    assert charset_param('text/html; charset="windows-1252"') == "windows-1252"
    assert charset_param("text/html") is None


def test_valid_utf8_wins_over_a_wrong_single_byte_declaration():
    assert decode("Förskola".encode(), "iso-8859-1") == ("Förskola", "utf-8")


def test_binary_bytes_are_undecodable():
    body = bytes(range(256)) * 40
    with pytest.raises(ExtractionError, match="^undecodable bytes"):
        text(body)


def test_empty_and_whitespace_files():
    for body in (b"", b"  \n\t\n"):
        with pytest.raises(ExtractionError, match="^empty file"):
            text(body)


def test_form_feeds_make_pages():
    out = text(b"Sivu yksi\n\fSivu kaksi\n\fSivu kolme")
    assert [(b.kind, b.page) for b in out.blocks] == [("page", 1), ("page", 2), ("page", 3)]
    assert out.pages == 3


def test_title_is_the_first_line():
    assert text(FINNISH.encode()).title == "Sosiaali- ja terveydenhuollon järjestäminen"


def test_seed_documents_decode_and_repair(shared_data):
    for path in sorted((shared_data / "seeds").glob("*.txt")):
        out = repair(text(path.read_bytes()))
        body = joined(out)
        assert "ä" in body and "\ufffd" not in body, path.name
        assert "\u00ad" not in body and "\u2010" not in body, path.name
        assert out.format == "txt" and out.title, path.name
