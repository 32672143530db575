"""The draft file: a digest as human-editable TOML with comments, written and read back.

tomli_w cannot write comments, and the comments are the point (they tell the consultant what
each key does), so this module writes the few TOML forms a draft needs itself: basic strings,
multi-line basic strings, arrays of strings, integers, floats and booleans. Reading uses
tomllib; every error names the file and the line:

- syntax errors carry tomllib's own "(at line L, column C)";
- semantic errors (a missing key, a wrong type, an unknown or withdrawn document) find their
  line by searching the raw text from the item's `[[item]]` header on, because tomllib keeps
  no positions.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

from search.digest.model import DIGEST_LANGUAGES, NEW_SOURCE, Digest, DigestItem, Summary, Version
from search.digest.safety import safe_url
from search.errors import DigestError

FORMAT = 1
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ITEM_HEADER = re.compile(r"^\s*\[\[\s*item\s*\]\]", re.MULTILINE)
_VERSION_HEADER = re.compile(r"^\s*\[\[\s*item\s*\.\s*version\s*\]\]", re.MULTILINE)


# -- writing --------------------------------------------------------------------------------


def _control(ch: re.Match) -> str:
    return f"\\u{ord(ch.group(0)):04x}"


def toml_string(value: str) -> str:
    """A TOML basic string on one line."""
    text = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return '"' + _CONTROL.sub(_control, text) + '"'


def toml_text(value: str) -> str:
    """A TOML multi-line basic string that the consultant can write into between the quotes.

    The newline after the opening quotes is dropped by TOML, so an empty text reads back as "".
    """
    text = value.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")
    text = _CONTROL.sub(_control, text)
    return '"""\n' + text + ("\n" if text and not text.endswith("\n") else "") + '"""'


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return toml_string("" if value is None else str(value))


def _comment(text: str) -> str:
    """A comment line; document text in comments is flattened so it can never end the comment."""
    return "# " + _CONTROL.sub(" ", " ".join(text.split()))


def write_draft(digest: Digest, *, note: str = "") -> str:
    """The draft as TOML text with comments; `note` (e.g. "no documents in the window") heads the file."""
    out = [
        "# nordsearch digest draft. Edit this file, then:",
        "#   nordsearch digest render THIS.toml --format html --out digest.html   (preview; also md, txt)",
        "#   nordsearch digest add THIS.toml ID... / digest drop THIS.toml ID...  (items by document id)",
        "#   nordsearch digest publish THIS.toml                                  (freeze, archive, feeds)",
        "# Per item: include = false drops it; position orders the items (within area and country);",
        "# comment is your assessment, shown above the document's own summary. Keep the ids as they are.",
        '# Text between triple quotes may span lines; a double quote inside it is written \\".',
    ]
    if digest.edition_of is not None:
        out += [
            f"# This is the {digest.lang} edition of digest number {digest.edition_of}: the same items in the same order.",
            "# Write the title, the introduction and each item's assessment in this language; the first",
            "# edition's assessment is shown above each item. Set review = false once you have checked an item.",
        ]
    if note:
        out.append(_comment(note))
    out += [
        "",
        f"format = {FORMAT}",
        f"draft_id = {toml_string(digest.draft_id)}  # identifies this draft: it can be published once",
        f"drafted_at = {toml_string(digest.drafted_at)}",
    ]
    if digest.edition_of is not None:
        out.append(f"edition_of = {digest.edition_of}  # the published issue this draft is an edition of")
    out += [
        f"title = {toml_string(digest.title)}",
        f"lang = {toml_string(digest.lang)}  # fi or sv: labels, headings and dates",
        f"since = {toml_string(digest.since)}  # the window: documents published in it (undated ones: first seen)",
        f"until = {toml_string(digest.until)}",
        f"areas = {toml_value(list(digest.areas))}  # empty: every area",
    ]
    if digest.new_sources:
        out.append(
            f"new_sources = {toml_value(list(digest.new_sources))}  # sources whose earlier publications are offered (once)"
        )
    out += [
        "",
        "# Introduction for the whole digest, shown above the items:",
        f"intro = {toml_text(digest.intro)}",
    ]
    for n, item in enumerate(digest.items, start=1):
        out += ["", *write_item(item, n)]
    return "\n".join(out) + "\n"


def write_item(item: DigestItem, n: int) -> list[str]:
    """The lines of one `[[item]]` table (number `n` in the file), with its comments."""
    langs = "/".join(item.langs)
    out = [
        f"# ── {n}. " + _comment(item.title)[2:][:100],
        _comment(
            f"   {item.publisher or '-'} · {item.country or '-'} · {langs} · {item.date or '-'} · score {item.score}"
        ),
    ]
    if item.new_source:
        out.append(_comment(f"   From the first harvest of a new source ({item.source}): offered once."))
    out += [
        "[[item]]",
        f"include = {toml_value(item.include)}",
        f"position = {item.position}",
    ]
    if item.review:
        out.append("review = true  # set to false when you have checked this item's assessment")
    if item.reference:
        out.append(_comment(f"First edition's assessment: {item.reference}"))
    out += [
        "# Your assessment:",
        f"comment = {toml_text(item.comment)}",
        f"area = {toml_string(item.area)}  # listed under this area",
        f"areas = {toml_value(list(item.areas))}",
    ]
    if item.section:
        out += [
            f"section = {toml_string(item.section)}  # shown apart: a new source's earlier publications",
            f"source = {toml_string(item.source)}",
        ]
    out += [
        f"title = {toml_string(item.title)}",
        f"publisher = {toml_string(item.publisher or '')}",
        f"country = {toml_string(item.country or '')}",
        f"date = {toml_string(item.date or '')}",
        f"url = {toml_string(item.url)}",
        f"score = {item.score}",
        f"summary_lang = {toml_string(item.summary.lang)}  # the summary is the document's own text",
        f"summary_source = {toml_string(item.summary.source)}",
        f"summary = {toml_text(item.summary.text)}",
    ]
    for v in item.versions:
        out += [
            "[[item.version]]",
            f"id = {toml_string(v.doc_id)}",
            f"lang = {toml_string(v.lang)}",
            f"url = {toml_string(v.url)}",
            f"title = {toml_string(v.title)}",
        ]
    return out


# -- reading --------------------------------------------------------------------------------


class _Lines:
    """Line numbers of keys and values in the raw text, for error messages."""

    def __init__(self, text: str):
        self.text = text
        self.item_starts = [text.count("\n", 0, m.start()) + 1 for m in _ITEM_HEADER.finditer(text)]

    def _line_of(self, needle: str, start_line: int, end_line: int | None = None) -> int | None:
        lines = self.text.splitlines()
        stop = end_line - 1 if end_line else len(lines)
        for number in range(max(start_line, 1), stop + 1):
            line = lines[number - 1]
            if needle in line.split("#", 1)[0] or needle in line:
                return number
        return None

    def item(self, index: int) -> int:
        return self.item_starts[index] if index < len(self.item_starts) else 0

    def within_item(self, index: int, needle: str) -> int:
        start = self.item(index)
        end = self.item_starts[index + 1] if index + 1 < len(self.item_starts) else None
        return self._line_of(needle, start, end) or start

    def top(self, key: str) -> int:
        end = self.item_starts[0] if self.item_starts else None
        return self._line_of(f"{key} =", 1, end) or self._line_of(key, 1, end) or 1


def _require(table: dict, key: str, kind: type | tuple, where: str, default=None):
    value = table.get(key, default)
    if value is None:
        raise DigestError(f"{where}: missing {key!r}")
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise DigestError(f"{where}: {key!r} must be {names}, not {value!r}")
    return value


def _date(value: str, where: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise DigestError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def parse_draft(text: str, path: str | Path = "<draft>") -> Digest:
    """A digest from draft TOML text; DigestError naming `path` and the line when it is wrong."""
    name = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib says "Invalid value (at line 12, column 9)"; keep it whole.
        raise DigestError(f"{name}: not valid TOML: {exc} (fix the file or draft it again)") from None
    lines = _Lines(text)

    def at_top(key: str) -> str:
        return f"{name}, line {lines.top(key)}"

    fmt = data.get("format", FORMAT)
    if fmt != FORMAT:
        raise DigestError(f"{at_top('format')}: unknown draft format {fmt!r} (this nordsearch writes {FORMAT})")
    lang = _require(data, "lang", str, at_top("lang"))
    if lang not in DIGEST_LANGUAGES:
        raise DigestError(f"{at_top('lang')}: lang must be {' or '.join(DIGEST_LANGUAGES)}, not {lang!r}")
    areas = _require(data, "areas", list, at_top("areas"), default=[])
    if not all(isinstance(a, str) for a in areas):
        raise DigestError(f"{at_top('areas')}: areas must be a list of area ids")
    new_sources = _require(data, "new_sources", list, at_top("new_sources"), default=[])
    if not all(isinstance(a, str) for a in new_sources):
        raise DigestError(f"{at_top('new_sources')}: new_sources must be a list of source ids")
    edition_of = data.get("edition_of")
    if edition_of is not None and (not isinstance(edition_of, int) or isinstance(edition_of, bool) or edition_of < 1):
        raise DigestError(f"{at_top('edition_of')}: edition_of must be a digest number, not {edition_of!r}")
    raw_items = _require(data, "item", list, at_top("item"), default=[])
    items = []
    for index, raw in enumerate(raw_items):
        items.append(_parse_item(raw, index, lines, name))
    return Digest(
        title=_require(data, "title", str, at_top("title")),
        lang=lang,
        since=_date(_require(data, "since", str, at_top("since")), at_top("since")),
        until=_date(_require(data, "until", str, at_top("until")), at_top("until")),
        areas=tuple(areas),
        intro=_require(data, "intro", str, at_top("intro"), default="").strip(),
        items=tuple(items),
        draft_id=_require(data, "draft_id", str, at_top("draft_id"), default=""),
        drafted_at=_require(data, "drafted_at", str, at_top("drafted_at"), default=""),
        edition_of=edition_of,
        new_sources=tuple(new_sources),
    )


def _parse_item(raw: dict, index: int, lines: _Lines, name: str) -> DigestItem:
    def where(key: str | None = None) -> str:
        line = lines.within_item(index, f"{key} =") if key else lines.item(index)
        return f"{name}, line {line} (item {index + 1})"

    raw_versions = _require(raw, "version", list, where(), default=[])
    if not raw_versions:
        raise DigestError(f"{where()}: the item has no [[item.version]] with a document id")
    versions = []
    for v in raw_versions:
        doc_id = _require(v, "id", str, where("id"))
        url = _require(v, "url", str, where("url"), default="")
        if url and safe_url(url) is None:
            raise DigestError(
                f"{name}, line {lines.within_item(index, url)} (item {index + 1}): {url!r} is not an absolute http(s) or file URL"
            )
        versions.append(
            Version(
                doc_id,
                _require(v, "lang", str, where("lang"), default="und"),
                safe_url(url) or "",
                _require(v, "title", str, where("title"), default=""),
            )
        )
    url = _require(raw, "url", str, where("url"), default="")
    if url and safe_url(url) is None:
        raise DigestError(f"{where('url')}: {url!r} is not an absolute http(s) or file URL")
    areas = _require(raw, "areas", list, where("areas"), default=[])
    return DigestItem(
        versions=tuple(versions),
        title=_require(raw, "title", str, where("title")),
        publisher=_require(raw, "publisher", str, where("publisher"), default="") or None,
        country=_require(raw, "country", str, where("country"), default="") or None,
        date=_require(raw, "date", str, where("date"), default="") or None,
        area=_require(raw, "area", str, where("area"), default=(areas or [""])[0]),
        areas=tuple(str(a) for a in areas),
        url=safe_url(url) or "",
        summary=Summary(
            _require(raw, "summary", str, where("summary"), default="").strip(),
            _require(raw, "summary_lang", str, where("summary_lang"), default="und"),
            _require(raw, "summary_source", str, where("summary_source"), default=""),
        ),
        score=float(_require(raw, "score", (int, float), where("score"), default=0.0)),
        include=_require(raw, "include", bool, where("include"), default=True),
        position=_require(raw, "position", int, where("position"), default=index + 1),
        comment=_require(raw, "comment", str, where("comment"), default="").strip(),
        line=lines.item(index),
        section=_section(raw, where),
        source=_require(raw, "source", str, where("source"), default=""),
        review=_require(raw, "review", bool, where("review"), default=False),
    )


def _section(raw: dict, where) -> str:
    section = _require(raw, "section", str, where("section"), default="")
    if section not in ("", NEW_SOURCE):
        raise DigestError(f"{where('section')}: section must be {NEW_SOURCE!r} or absent, not {section!r}")
    return section


def read_draft(path: str | Path) -> tuple[Digest, str]:
    """The digest in a draft file and the file's text; DigestError when it cannot be read."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DigestError(f"{p}: no such draft file (write one with 'nordsearch digest draft')") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DigestError(f"{p}: cannot read the draft: {exc}") from None
    return parse_draft(text, p), text


def id_line(text: str, item_line: int, doc_id: str) -> int:
    """The line where `doc_id` stands at or after the item's header (the header's line when not found)."""
    for number, line in enumerate(text.splitlines()[max(item_line - 1, 0) :], start=max(item_line, 1)):
        if f'"{doc_id}"' in line:
            return number
    return item_line
