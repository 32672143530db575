"""Small documents for index tests, saved into a real store; real text of every language."""

from __future__ import annotations

import csv

from corpus.model import Document, Section

TEXTS = {
    "fi": "Lastensuojelun sijaishuolto ja huostaanotetut lapset perhehoidossa.",
    "sv": "Familjehemmen behöver stöd när barn placeras enligt LVU.",
    "nb": "Barnevernstjenesten finner fosterhjem til barn som ikke kan bo hjemme.",
    "nn": "Barnevernet skal finne ein fosterheim når barnet ikkje kan bu heime.",
    "da": "Kommunen kan anbringe et barn i en plejefamilie.",
    "en": "Children in foster care need stable placements.",
}


def make_doc(n: int, lang: str = "sv", *, text: str | None = None, status: str = "ok", **meta) -> Document:
    body = text or f"{TEXTS[lang]} Dokument nummer {n}."
    return Document(
        id=f"doc{n:05d}",
        url=f"https://example.org/{n}",
        title=meta.pop("title", f"Rapport {n}"),
        lang=lang,
        langs=(lang,),
        content_hash=f"{n}:{body}:{status}",
        status=status,
        sections=(Section(text=body, lang=lang),),
        **meta,
    )


def ud_text(shared_data, lang: str, chars: int = 20_000) -> str:
    """Real sentences of `lang` (Universal Dependencies), with compounds, codes and stop words added."""
    with open(shared_data / "ud" / "sentences.tsv", encoding="utf-8") as f:
        text = " ".join(row["text"] for row in csv.DictReader(f, delimiter="\t") if row["lang"] == lang)[:chars]
    return text + " sote-uudistus LSS, ROP-lidelser 1,5 % och i på"
