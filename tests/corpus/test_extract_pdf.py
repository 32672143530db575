"""PDF extraction on the real hard cases: passwords, scans, broken files, fonts, ligatures."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from corpus.errors import ExtractionError
from corpus.extract import extract
from corpus.extract.pdf import POOR_QUALITY, extract_pdf, pdfminer_pages, text_quality
from corpus.model import Resource
from corpus.repair import repair


@pytest.fixture(scope="module")
def pdf_dir(shared_data) -> Path:
    return shared_data / "pdf"


def pdf(path: Path, content_type: str | None = "application/pdf", url: str | None = None):
    return extract(Resource(url=url or path.as_uri(), body=path.read_bytes(), content_type=content_type))


def text_of(extracted) -> str:
    return "\n".join(b.text for b in extracted.blocks)


def test_encrypted_with_empty_user_password_opens(pdf_dir):
    out = pdf(pdf_dir / "sv_prop_2013-14_104_nyanlanda_etablering_aes.pdf")
    assert out.pages == 81
    assert "nyanlända" in text_of(out)


def test_encrypted_with_a_real_user_password_needs_it(pdf_dir):
    for name in ("hard_encrypted_rc4-40_userpw_foo.pdf", "hard_encrypted_aes-256-r6_userpw_usersecret.pdf"):
        with pytest.raises(ExtractionError, match="^needs password"):
            pdf(pdf_dir / name)


def test_scanned_pdf_has_no_text_layer(pdf_dir):
    with pytest.raises(ExtractionError, match=r"^no text layer \(scanned PDF; OCR not supported\)$"):
        pdf(pdf_dir / "sv_prop_1991-92_43_scanned_no_text.pdf")


def test_image_plus_ocr_layer_is_read(pdf_dir):
    assert "Fråga om köparen fullgjort sin skyldighet" in text_of(pdf(pdf_dir / "sv_arn_2013-07406_image_plus_ocr.pdf"))


def test_not_a_pdf(tmp_path):
    fake = tmp_path / "raportti.pdf"
    fake.write_bytes(b"<html><body>Tiedostoa ei loytynyt</body></html>")
    with pytest.raises(ExtractionError, match="^not a PDF"):
        extract_pdf(fake.read_bytes())
    with pytest.raises(ExtractionError, match="^empty file"):
        extract(Resource(url="file:///tyhja.pdf", body=b"", content_type="application/pdf"))


def test_truncated_pdf_gives_a_reason_or_partial_text(pdf_dir, tmp_path):
    body = (pdf_dir / "sv_dir_2016_15_dataskyddsforordningen.pdf").read_bytes()
    for cut in (len(body) // 2, 2000, 40):
        truncated = tmp_path / f"cut_{cut}.pdf"
        truncated.write_bytes(body[:cut])
        try:
            out = pdf(truncated)
        except ExtractionError as exc:
            assert exc.reason and "\n" not in exc.reason
        else:
            assert out.blocks and text_quality(text_of(out)) > POOR_QUALITY


def test_broken_xref_and_odd_xref_streams(pdf_dir):
    assert "Beautiful is better than ugly." in text_of(pdf(pdf_dir / "hard_broken_xref_zen_of_python.pdf"))
    assert "Hello" in text_of(pdf(pdf_dir / "hard_xref_stream_widths.pdf"))


def test_circular_xobjects_do_not_hang(pdf_dir):
    started = time.monotonic()
    out = pdf(pdf_dir / "hard_circular_xobjects.pdf")
    assert "Hello world" in text_of(out)
    assert time.monotonic() - started < 5
    started = time.monotonic()
    pdfminer_pages((pdf_dir / "hard_circular_xobjects.pdf").read_bytes())  # the slow path too
    assert time.monotonic() - started < 5


def test_non_unicode_cmap_falls_back_to_pdfminer(pdf_dir):
    # pdfium reads this Czech font as a shifted alphabet ("3HQČåQt..."); only pdfminer decodes it
    assert "Peněžní prostředky na účtech" in text_of(pdf(pdf_dir / "hard_non_unicode_cmap_czech.pdf"))


def test_quality_score_tells_garbage_from_text():
    assert text_quality("3HQČåQtSURVWĜHGN\\QD~þWHFK") < POOR_QUALITY
    assert text_quality("(cid:12)(cid:7)(cid:44) (cid:3)") < POOR_QUALITY
    assert text_quality("\ufffd\ufffd\ufffd ab \ufffd\ufffd") < POOR_QUALITY
    assert text_quality("Lastensuojelulain 4 §:n mukaan lapsen etu on otettava huomioon.") > 0.8
    assert text_quality("") == 0.0


def test_identity_cmap_polish(pdf_dir):
    assert "Termin płatności" in text_of(pdf(pdf_dir / "hard_identity_cmap_polish.pdf"))


def test_ligatures_come_out_as_letters(pdf_dir):
    text = text_of(repair(pdf(pdf_dir / "hard_ligatures_two_column_latex.pdf")))
    assert not set("ﬀﬁﬂﬃﬄ") & set(text)
    assert "fi" in text and "fl" in text
    assert "Information Extraction" in text


def test_finnish_statute_has_nordic_letters_and_no_soft_hyphens(pdf_dir):
    out = repair(pdf(pdf_dir / "fi_finlex_lastensuojelulaki_417_2007.pdf"))
    text = text_of(out)
    assert out.pages == 54 and out.title == "Lastensuojelulaki"
    assert out.lang_hint == "fi"
    assert "ä" in text and "ö" in text and "lastensuojelu" in text.lower()
    assert "\u00ad" not in text and "\ufffe" not in text


def test_pdf_served_without_pdf_in_url_or_with_a_wrong_type(pdf_dir):
    path = pdf_dir / "sv_dir_2016_15_dataskyddsforordningen.pdf"
    out = pdf(
        path,
        content_type="text/html",
        url="https://www.regeringen.se/contentassets/x/dir.-201615-dataskyddsforordningen",
    )
    assert out.format == "pdf" and out.pages == 28
    # the /Title "Dir. 2016:15 Dataskyddsförordningen" without its series designation (issue 13)
    assert out.title == "Dataskyddsförordningen"
    assert out.date == "2016-02-29"  # the file's creation date: the extractor alone reads no colophon


def test_pages_are_numbered_page_blocks(pdf_dir):
    out = pdf(pdf_dir / "no_nav_11-13.05_arbeidsavklaringspengar_nynorsk.pdf")
    assert [b.page for b in out.blocks] == list(range(1, out.pages + 1))
    assert {b.kind for b in out.blocks} == {"page"}
    assert "arbeidsavklaringspengar" in text_of(out)


def test_every_real_pdf_gives_text_or_a_one_line_reason(pdf_dir):
    failed = {}
    for path in sorted(pdf_dir.glob("*.pdf")):
        try:
            out = repair(pdf(path))
        except ExtractionError as exc:
            assert "\n" not in exc.reason and len(exc.reason) < 120
            failed[path.name] = exc.reason
        else:
            assert out.blocks, path.name
    assert set(failed) == {
        "hard_encrypted_rc4-40_userpw_foo.pdf",
        "hard_encrypted_aes-256-r6_userpw_usersecret.pdf",
        "hard_encrypted_rc4_emptypw_no_id.pdf",  # opens with the empty password; its one page is an image
        "sv_prop_1991-92_43_scanned_no_text.pdf",
    }
