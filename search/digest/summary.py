"""Summaries of at most ~80 words taken from a document itself: its abstract, else its leading sentences.

    >>> from corpus.model import Document, Section
    >>> doc = Document("d", "https://x.fi/r", "Raportti", "fi", sections=(
    ...     Section("Evästeet: hyväksy kaikki.", "fi"),
    ...     Section("Sijaishuollon tarve kasvoi. Perhehoito yleistyi.", "fi"),))
    >>> summarize(doc).text
    'Sijaishuollon tarve kasvoi. Perhehoito yleistyi.'

The abstract is a section of kind "summary" (set by sectioning from headings such as
Tiivistelmä, Sammanfattning, Sammendrag, Resumé, Abstract) or, for documents stored before
sections had kinds, a section whose heading is one of those words. Lead sentences skip
boilerplate: cookie banners, navigation, imprint lines (ISBN, ISSN, ©, "Julkaisija"), bare
dates and URLs, and fragments too short to be a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from corpus.model import Document, Section
from search.digest.model import SUMMARY_WORDS, Summary

_SUMMARY_HEADING = re.compile(
    r"\b(tiivistelmä|yhteenveto|sammanfattning|sammandrag|sammendrag|samandrag|sammenfatning|"
    r"oppsummering|resumé|resume|resymé|abstract|summary)\b",
    re.IGNORECASE,
)
# What marks a sentence as page furniture rather than content, in our six languages: whole
# words, and phrases found anywhere (plain substring tests: far cheaper than one big regex).
_FURNITURE_WORDS = frozenset(
    "isbn issn julkaisija utgivare utgiver udgiver publisher taitto ombrytning kansikuva omslagsbild "
    "forsidefoto copyright tulosta".split()
)
_FURNITURE_PHRASES = (
    "cookie", "eväste", "kakor", "informasjonskaps", "©", "all rights reserved", "kuva:", "foto:", "photo:",
    "bild:", "lue lisää", "läs mer", "les mer", "læs mere", "read more", "siirry sisältöön", "hoppa till",
    "gå til hovedinnhold", "skip to", "javascript", "skriv ut", "print this", "jaa:", "dela:", "del:", "share:",
    " kb)", " mb)",
)  # fmt: skip
_WORDS = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'»”)]*\s+(?=[\"'«“(]*[A-ZÅÄÖÆØÜ0-9])")
_URL = re.compile(r"https?://|www\.")
_MAIL = re.compile(r"[^\s@]@[^\s@]+\.\w")
_LETTERS = re.compile(r"[^\W\d_]")


def is_summary_section(section: Section) -> bool:
    """True for an abstract: kind "summary", or a short heading that names one."""
    if section.kind == "summary":
        return True
    heading = section.heading.strip()
    return 0 < len(heading.split()) <= 8 and bool(_SUMMARY_HEADING.search(heading))


def is_boilerplate(sentence: str) -> bool:
    """A sentence that is page furniture: a short fragment, mostly not letters, a URL, or a furniture phrase."""
    words = sentence.split()
    # Menu items, captions and headings carry no end stop; a real sentence may be two Finnish words.
    if len(words) < 2 or (len(words) < 8 and not sentence.rstrip("\"'»”)").endswith((".", "!", "?", "…"))):
        return True
    letters = len(_LETTERS.findall(sentence))
    if letters < 0.6 * len(sentence.replace(" ", "")):
        return True
    if (
        _URL.search(sentence)
        or ("@" in sentence and _MAIL.search(sentence))
        or "|" in sentence
        or "»" in sentence
        and "«" not in sentence
    ):
        return True
    # Furniture shows in the first words of a sentence.
    head = sentence[:300].casefold()
    return any(p in head for p in _FURNITURE_PHRASES) or not _FURNITURE_WORDS.isdisjoint(_WORDS.findall(head))


def sentences(text: str) -> list[str]:
    """The sentences of a text, paragraph by paragraph (a paragraph without an end stop is one sentence)."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n(?=[-•*]\s)", text):
        flat = " ".join(paragraph.split())
        if flat:
            out.extend(s.strip() for s in _SENTENCE_END.split(flat) if s.strip())
    return out


def clip_words(text: str, limit: int = SUMMARY_WORDS) -> str:
    """`text` cut to `limit` words, at a sentence end when one falls in the last third, else with an ellipsis."""
    words = " ".join(text.split()).split(" ")
    if len(words) <= limit:
        return " ".join(words).strip()
    cut = " ".join(words[:limit])
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    if end > len(cut) * 2 // 3:
        return cut[: end + 1]
    return cut.rstrip(",;:–-") + " …"


def lead(sections: Iterable[Section], limit: int = SUMMARY_WORDS) -> str:
    """The leading sentences of `sections`, boilerplate skipped, up to about `limit` words."""
    picked: list[str] = []
    count = 0
    for section in sections:
        for sentence in sentences(section.text):
            if is_boilerplate(sentence):
                continue
            picked.append(sentence)
            count += len(sentence.split())
            if count >= limit:
                return clip_words(" ".join(picked), limit)
    return clip_words(" ".join(picked), limit)


def abstracts(doc: Document) -> list[Summary]:
    """Every abstract the document has, one per language, in document order (clipped to ~80 words)."""
    by_lang: dict[str, list[Section]] = {}
    for section in doc.sections:
        if is_summary_section(section):
            by_lang.setdefault(section.lang, []).append(section)
    found = []
    for lang, secs in by_lang.items():
        text = lead(secs) or clip_words(" ".join(s.text for s in secs))
        if text:
            found.append(Summary(text, lang, "abstract"))
    return found


def summarize(doc: Document, prefer: str | None = None) -> Summary:
    """The document's own summary, in `prefer` when it has an abstract in that language.

    Order: an abstract in `prefer`, an abstract in the document's language, any abstract, the
    lead sentences of the body (in the document's language first), the description.
    """
    found = abstracts(doc)
    for want in (prefer, doc.lang):
        for summary in found:
            if summary.lang == want:
                return summary
    if found:
        return found[0]
    body = [s for s in doc.sections if not is_summary_section(s)]
    own = [s for s in body if s.lang == doc.lang] or body
    text = lead(own)
    if text:
        return Summary(text, own[0].lang if own else doc.lang, "lead")
    if doc.description:
        return Summary(clip_words(doc.description), doc.lang, "description")
    return Summary("", doc.lang, "none")
