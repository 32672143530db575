"""The index record of a Document: its keyword fields, its text per language, its stored payload.

Engine-neutral and cheap (no analysis: the engine's writer analyses `texts` and `titles`).
A document's sections go to their own language's text, or the document's when their
language is unknown; the title and description lead the text of the document's language.
Each language's first EXCERPT_CHARS are stored, so a search cuts snippets from the hit
itself instead of re-reading whole reports from the store.
"""

from __future__ import annotations

from corpus.model import LANGUAGES, Document
from index.records import Change, IndexRecord

FALLBACK_LANG = "en"
#: Characters of each language's text stored for snippets (about a page).
EXCERPT_CHARS = 3000


def field_lang(lang: str, doc: Document) -> str:
    """The language field a section goes to: its own, else the document's, else English."""
    if lang in LANGUAGES:
        return lang
    return doc.lang if doc.lang in LANGUAGES else FALLBACK_LANG


def language_texts(doc: Document) -> dict[str, str]:
    """The document's text per language field; title and description lead in the document's language."""
    parts: dict[str, list[str]] = {}
    main = field_lang(doc.lang, doc)
    parts[main] = [t for t in (doc.title, doc.description) if t]
    for section in doc.sections:
        parts.setdefault(field_lang(section.lang, doc), []).append(section.text)
    return {lang: "\n\n".join(chunks) for lang, chunks in parts.items() if chunks}


def excerpts(doc: Document) -> dict[str, str]:
    """The first EXCERPT_CHARS of each language's section text, cut at a space."""
    out: dict[str, str] = {}
    for section in doc.sections:
        lang = field_lang(section.lang, doc)
        have = out.get(lang, "")
        if len(have) >= EXCERPT_CHARS:
            continue
        text = (have + "\n\n" + section.text) if have else section.text
        if len(text) > EXCERPT_CHARS:
            cut = text.rfind(" ", 0, EXCERPT_CHARS)
            text = text[: cut if cut > EXCERPT_CHARS // 2 else EXCERPT_CHARS]
        out[lang] = text
    return out


def date_number(date: str | None) -> int:
    """YYYYMMDD as an int for sorting (missing parts are 0; no date is 0, sorted last)."""
    digits = "".join(c for c in (date or "")[:10] if c.isdigit())
    if len(digits) < 4:
        return 0
    return int(digits[:8].ljust(8, "0"))


def document_record(doc: Document) -> IndexRecord:
    """The index record of `doc` (see the module docstring)."""
    number = date_number(doc.date)
    values: dict[str, tuple[str, ...]] = {
        "lang": (doc.lang,),
        "langs": tuple(doc.langs or (doc.lang,)),
        "country": (doc.country,),
        "publisher": (doc.publisher,),
        "source": (doc.source,),
        "doc_type": (doc.doc_type,),
        "status": (doc.status,),
        "year": (str(number // 10000),) if number else (),
        "areas": tuple(doc.area_ids),
    }
    keywords = {name: tuple(v for v in vals if v) for name, vals in values.items()}
    stored = {
        "url": doc.url,
        "title": doc.title,
        "date": doc.date,
        "lang": doc.lang,
        "langs": list(keywords["langs"]),
        "country": doc.country,
        "publisher": doc.publisher,
        "source": doc.source,
        "doc_type": doc.doc_type or None,
        "status": doc.status,
        "areas": list(keywords["areas"]),
        "excerpts": excerpts(doc),
    }
    return IndexRecord(
        id=doc.id,
        keywords={name: vals for name, vals in keywords.items() if vals},
        date=number,
        texts=language_texts(doc),
        titles={field_lang(doc.lang, doc): doc.title} if doc.title else {},
        stored={k: v for k, v in stored.items() if v is not None},
    )


def document_change(seq: int, doc: Document) -> Change:
    """The change a stored document makes to the index: its record, or its removal when it failed."""
    return Change(seq, doc.id, None if doc.status == "failed" else document_record(doc))
