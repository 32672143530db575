"""Small documents for index tests, saved into a real store."""

from __future__ import annotations

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
