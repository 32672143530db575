"""A document with text recognised from a scan says so on its page and in search hits (fi, sv, en)."""

from __future__ import annotations

import pytest

from corpus.config import DataDir
from corpus.model import Document, Section
from corpus.store import Store, doc_id_for

SCANNED_URL = "https://example.fi/vanha-raportti.pdf"
DIGITAL_URL = "https://example.fi/uusi-raportti.pdf"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from index.update import update_index
    from search.query import close_backends
    from search.web.app import create_app

    data_dir = DataDir(tmp_path_factory.mktemp("scanned") / "data").ensure()
    text = "Perhehoidon kehittämishanke arvioi sijaisperheiden valmennusta ja tukea kunnissa."
    with Store(data_dir.store_file) as store:
        for url, ocr in ((SCANNED_URL, True), (DIGITAL_URL, False)):
            meta = {"pages": 1, "ocr": {"pages": [1], "sections": [0], "confidence": 91.0}} if ocr else {"pages": 1}
            store.save(
                Document(
                    id=doc_id_for(url),
                    url=url,
                    title="Perhehoidon arviointi" + (" 1998" if ocr else " 2024"),
                    lang="fi",
                    langs=("fi",),
                    country="FI",
                    format="pdf",
                    content_hash=url,
                    first_seen="2026-12-01T00:00:00+00:00",
                    sections=(Section(text=text, lang="fi", ocr=ocr),),
                    meta=meta,
                )
            )
        update_index(data_dir, store)
    yield create_app(data_dir, cache_entries=0).test_client()
    close_backends()


@pytest.mark.parametrize(
    "ui, label, note",
    [
        ("fi", "Teksti tunnistettu skannatusta kuvasta", "Teksti on tunnistettu skannatusta kuvasta (OCR)"),
        ("sv", "Texten tolkad från en skannad bild", "Texten är tolkad från en skannad bild (OCR)"),
        ("en", "Text recognised from a scan", "Text recognised from a scan (OCR)"),
    ],
)
def test_scanned_document_page_and_hit_say_so(client, ui, label, note):
    html = client.get(f"/?q=sijaisperheiden&ui={ui}").get_data(as_text=True)
    hits = html.split('class="hit"')[1:]
    assert len(hits) == 2
    scanned = [h for h in hits if "vanha-raportti" in h or "1998" in h]
    digital = [h for h in hits if "2024" in h]
    assert label in scanned[0] and label not in digital[0]
    page = client.get(f"/documents/{doc_id_for(SCANNED_URL)}?ui={ui}").get_data(as_text=True)
    assert note in page
    assert note not in client.get(f"/documents/{doc_id_for(DIGITAL_URL)}?ui={ui}").get_data(as_text=True)


def test_api_and_show_json_carry_the_flag(client):
    hits = client.get("/api/search?q=sijaisperheiden").get_json()["hits"]
    assert {h["url"]: h["scanned"] for h in hits} == {SCANNED_URL: True, DIGITAL_URL: False}
    doc = client.get(f"/api/documents/{doc_id_for(SCANNED_URL)}").get_json()
    assert doc["scanned"] is True and doc["sections"][0]["ocr"] is True
