"""Sections: cut an extracted document into runs of text under one heading in one language.

    blocks ─► groups (one per heading)  ─► chunks (paragraphs merged to a detectable size)
           ─► language per chunk        ─► sections (consecutive chunks of one language)

A section never spans a heading or a language change, so a Finnish report's Swedish summary
becomes Swedish sections of kind `summary`. Paragraphs are merged into chunks of at least
`MIN_CHUNK_CHARS` before detection because a one-line paragraph is too short to tell Danish
from Norwegian; chunks merge into sections only when they share a language. Hints (`<html lang>`,
PDF /Lang, a source's default) and the previous chunk's language only break ties (see
`corpus.language.decide`).

    >>> from corpus.model import Block, Extracted
    >>> doc = Extracted("html", "t", (Block("Sammanfattning", "heading", 2), Block("Barnen bor hemma.")))
    >>> [(s.heading, s.kind, s.lang) for s in sectionize(doc, default_lang=None)]
    [('Sammanfattning', 'summary', 'sv')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from corpus.language import UND, detect, hint_languages
from corpus.model import Extracted, Section

#: Paragraphs are merged until a chunk has this many characters, so its language can be told
#: (single sentences of ~70 characters are told right 97% of the time; 150 leaves a margin while
#: keeping a one-paragraph summary apart from the body around it).
MIN_CHUNK_CHARS = 150
#: A section is cut when it grows past this many characters (search hits point into sections).
MAX_SECTION_CHARS = 20_000
#: A line this short with no sentence punctuation at its end may be a heading (txt and PDF).
HEADING_LINE_CHARS = 80

#: Abstract headings in our languages; the heading may carry more words ("Svensk sammanfattning",
#: "Tiivistelmä – Sammanfattning – Abstract", "Summary in English").
SUMMARY_TERMS = (
    "tiivistelmä",
    "yhteenveto",
    "lyhennelmä",
    "abstrakti",
    "sammanfattning",
    "sammandrag",
    "sammendrag",
    "samandrag",
    "sammenfatning",
    "oppsummering",
    "opsummering",
    "resumé",
    "resume",
    "resymé",
    "abstract",
    "summary",
)
_SUMMARY = re.compile(r"\b(" + "|".join(SUMMARY_TERMS) + r")\b")
_NUMBERING = re.compile(r"^[\W\d_]+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n")
_LETTER = re.compile(r"[^\W\d_]")


def is_summary_heading(heading: str) -> bool:
    """True for an abstract heading in any of our languages (`2.1 Sammanfattning:`, `Executive summary`)."""
    text = _NUMBERING.sub("", heading.strip().lower()).strip(" :.-–—")
    return 0 < len(text.split()) <= 8 and bool(_SUMMARY.search(text))


def looks_like_heading(line: str) -> bool:
    """A short single line without sentence punctuation at its end, starting with a capital."""
    line = line.strip()
    if not line or "\n" in line or len(line) > HEADING_LINE_CHARS or line[-1] in ".,;!?…":
        return False
    first = _NUMBERING.sub("", line)[:1]
    return first.isupper() and len(line.split()) <= 10


@dataclass
class _Group:
    """The text under one heading, as paragraph units."""

    heading: str = ""
    level: int = 0
    summary: bool = False
    units: list[str] = field(default_factory=list)
    ocr: bool = False  # the units were recognised from a scan


def _units(text: str, split_lines: bool) -> Iterator[str]:
    """Paragraphs of a block; with `split_lines`, an abstract-heading line becomes its own unit.

    PDF pages often have no blank lines at all, so "Sammanfattning" is found only as a line.
    """
    for part in _PARAGRAPH_BREAK.split(text):
        part = part.strip()
        if not split_lines or "\n" not in part:
            yield part
            continue
        kept: list[str] = []
        for line in part.split("\n"):
            if len(line.split()) <= 5 and looks_like_heading(line) and is_summary_heading(line):
                if kept:
                    yield "\n".join(kept).strip()
                    kept = []
                yield line.strip()
            else:
                kept.append(line)
        if kept:
            yield "\n".join(kept).strip()


def _groups(extracted: Extracted) -> Iterator[_Group]:
    """Heading groups; in txt and PDF text, heading-like lines and abstract lines open groups too."""
    lines_may_be_headings = extracted.format in ("txt", "pdf")
    group = _Group()
    summary_level: int | None = None  # the level of the abstract heading we are under, if any

    def open_group(heading: str, level: int) -> _Group:
        nonlocal summary_level
        if group.heading and not group.units:  # consecutive headings: keep both in the name
            heading = f"{group.heading} – {heading}"
            level = min(level, group.level) if group.level else level
        if is_summary_heading(heading):
            summary_level = level
        elif summary_level is not None and level <= summary_level:
            summary_level = None  # a heading of the summary's rank or above ends it
        return _Group(heading, level, summary_level is not None)

    for block in extracted.blocks:
        if block.ocr != group.ocr:
            # text recognised from a scan never shares a section with text from a text layer,
            # so a section can say where its text came from
            if group.units:
                yield group
                group = _Group(group.heading, group.level, group.summary)
            group.ocr = block.ocr
        if block.kind == "heading":
            if group.units:
                yield group
            group = open_group(" ".join(block.text.split()), block.level or 1)
            group.ocr = block.ocr
            continue
        for unit in _units(block.text, split_lines=block.kind == "page" or lines_may_be_headings):
            if not unit:
                continue
            if lines_may_be_headings and looks_like_heading(unit):
                if group.units:
                    yield group
                # a heading line has no known rank: it ends an abstract unless it is one
                group = open_group(" ".join(unit.split()), 1)
                group.ocr = block.ocr
            else:
                group.units.append(unit)
    if group.units:
        yield group


def _chunks(units: list[str]) -> list[str]:
    """Consecutive units merged until each chunk has `MIN_CHUNK_CHARS` (the last may be short)."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for unit in units:
        current.append(unit)
        size += len(unit)
        if size >= MIN_CHUNK_CHARS:
            chunks.append("\n\n".join(current))
            current, size = [], 0
    if current:
        if chunks and size < MIN_CHUNK_CHARS // 3:  # a short tail joins the chunk before it
            chunks[-1] = chunks[-1] + "\n\n" + "\n\n".join(current)
        else:
            chunks.append("\n\n".join(current))
    return chunks


def sectionize(
    extracted: Extracted, *, default_lang: str | None, langdetect_seed: int | None = None
) -> tuple[Section, ...]:
    """A document's sections with their language, heading and kind; text without letters is dropped.

    `extracted.lang_hint` (or else `default_lang`, a source's default) breaks ties and labels text
    too short to tell; it never overrides clear evidence. `langdetect_seed` is the data
    directory's setting (corpus.language.detect's `seed`).
    """
    doc_hint = extracted.lang_hint if hint_languages(extracted.lang_hint) else default_lang
    sections: list[Section] = []
    previous: str | None = None
    for group in _groups(extracted):
        chunks = _chunks(group.units) or [""]
        runs: list[tuple[str, list[str]]] = []
        for i, chunk in enumerate(chunks):
            # the heading helps tell the language of a short group ("Sammanfattning" + 2 lines)
            probe = f"{group.heading}\n{chunk}" if i == 0 and len(chunk) < MIN_CHUNK_CHARS else chunk
            lang = detect(probe, hint=previous or doc_hint, seed=langdetect_seed)
            if lang != UND:
                previous = lang
            if runs and runs[-1][0] == lang and sum(map(len, runs[-1][1])) + len(chunk) <= MAX_SECTION_CHARS:
                runs[-1][1].append(chunk)
            else:
                runs.append((lang, [chunk]))
        summary_lang = runs[0][0] if group.summary else None
        for lang, texts in runs:
            text = "\n\n".join(t for t in texts if t)
            if not _LETTER.search(text):
                continue
            # a summary heading covers the summary's own language; text in another language
            # after it (no heading between) is the body going on
            kind = "summary" if group.summary and lang == summary_lang else "body"
            sections.append(
                Section(text=text, lang=lang, heading=group.heading, kind=kind, position=len(sections), ocr=group.ocr)
            )
    return tuple(sections)
