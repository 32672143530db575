"""The substance-area thesaurus: areas made of concepts, loaded and validated from TOML.

`corpus/areas.toml` ships the areas; a data directory's `areas.toml` extends them (new areas,
new concepts, extra terms for an existing concept). Matching documents and queries against
the thesaurus lives in `corpus.area_match`; this module only reads, checks and describes it.

    >>> th = load_thesaurus()
    >>> th.label("child-protection", "sv")
    'Barnskydd'
    >>> th.concept("foster-care").terms_in("nb")[:2]
    ('fosterhjem', 'fosterforeldre')

Validation errors name the file and the line. tomllib reports line numbers only for syntax
errors, so for semantic errors (unknown language, empty label, duplicates) the line is found
by searching the raw text for the offending key or string after the enclosing table.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from corpus.errors import AreaConfigError
from corpus.model import LANGUAGES

#: The thesaurus that ships with nordsearch.
SHIPPED_FILE = Path(__file__).with_name("areas.toml")
#: Languages the UI shows labels in; other languages fall back to English.
UI_LANGUAGES = ("fi", "sv", "en")

# An all-capitals term is an abbreviation (LVU, LSS, BPA), matched case-sensitively.
_ACRONYM = re.compile(r"^[A-ZÅÄÖÆØ][A-ZÅÄÖÆØ0-9]+$")
_AREA_KEYS = {"id", "label", "concept"}
_CONCEPT_KEYS = {"id", "weight"}


@dataclass(frozen=True)
class Term:
    """One term of a concept in one language, as written in the file.

    `kind` is "word" (lemma, and a compound part when long enough), "exact" (written `=word`:
    whole word only), "phrase" (several words) or "acronym" (all capitals, case-sensitive).
    """

    text: str
    lang: str
    kind: str
    where: str = ""  # "file:line", for error messages and explanations

    @classmethod
    def parse(cls, raw: str, lang: str, where: str = "") -> Term:
        text = " ".join(raw.split())
        if text.startswith("="):
            return cls(text[1:].strip(), lang, "exact", where)
        if _ACRONYM.match(text):
            return cls(text, lang, "acronym", where)
        return cls(text, lang, "phrase" if len(re.findall(r"\w+", text)) > 1 else "word", where)

    @property
    def key(self) -> str:
        """What duplicates are compared by: case-insensitive, markers stripped."""
        return self.text.casefold()


@dataclass(frozen=True)
class Concept:
    """One idea named in several languages (e.g. foster care); the unit of matching and expansion."""

    id: str
    area: str
    terms: tuple[Term, ...]
    weight: float = 1.0

    def terms_in(self, lang: str) -> tuple[str, ...]:
        return tuple(t.text for t in self.terms if t.lang == lang)

    @property
    def langs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.lang for t in self.terms))


@dataclass(frozen=True)
class Area:
    """A substance area: labels in every language and the concepts that signal it."""

    id: str
    labels: tuple[tuple[str, str], ...]  # (lang, label)
    concepts: tuple[Concept, ...]

    def label(self, lang: str) -> str:
        labels = dict(self.labels)
        return labels.get(lang) or labels.get("en") or self.id

    def terms_in(self, lang: str) -> tuple[str, ...]:
        return tuple(t for c in self.concepts for t in c.terms_in(lang))


@dataclass(frozen=True)
class Thesaurus:
    """Every area, in file order; `sources` are the files it was loaded from."""

    areas: tuple[Area, ...]
    sources: tuple[str, ...] = ()
    _by_id: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({a.id: a for a in self.areas})
        self._by_id.update({c.id: c for a in self.areas for c in a.concepts})

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.areas)

    @property
    def concepts(self) -> tuple[Concept, ...]:
        return tuple(c for a in self.areas for c in a.concepts)

    def area(self, area_id: str) -> Area:
        found = self._by_id.get(area_id)
        if not isinstance(found, Area):
            raise AreaConfigError(f"unknown area {area_id!r} (known: {', '.join(self.ids)})")
        return found

    def concept(self, concept_id: str) -> Concept:
        found = self._by_id.get(concept_id)
        if not isinstance(found, Concept):
            raise AreaConfigError(f"unknown concept {concept_id!r}")
        return found

    def label(self, area_id: str, ui_lang: str = "en") -> str:
        """The area's label for the UI (fi, sv or en; anything else gets English)."""
        return self.area(area_id).label(ui_lang if ui_lang in UI_LANGUAGES else "en")


# -- loading ---------------------------------------------------------------------------------


class _Locator:
    """Finds the line of a key or string in a TOML file's raw text (1-based).

    Every term of the thesaurus gets its line (`Term.where`), so this runs thousands of times
    per load: searches run over the whole text from a line's offset (one C-level scan) and
    quoted strings are plain substring searches, not a compiled pattern each.
    """

    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text
        self.starts = [0]  # offset of each line's first character
        for number, line in enumerate(text.splitlines(keepends=True)):
            self.starts.append(self.starts[number] + len(line))
        self.count = len(self.starts) - 1

    def _offset(self, start: int) -> int:
        return self.starts[min(max(start, 1), self.count + 1) - 1]

    def _line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def find(self, pattern: str, start: int = 1) -> int:
        """First line at or after `start` whose text matches the regex `pattern`; else `start`."""
        found = re.compile(pattern, re.MULTILINE).search(self.text, self._offset(start))
        return self._line(found.start()) if found else start

    def table(self, header: str, table_id: str) -> int:
        """The line of `id = "<table_id>"` in a `[[header]]` table (the table's anchor)."""
        return self.find(rf'^[ \t]*id[ \t]*=[ \t]*["\']{re.escape(table_id)}["\']')

    def string(self, value: str, start: int) -> int:
        offset = self._offset(start)
        hits = [i for i in (self.text.find(f'"{value}"', offset), self.text.find(f"'{value}'", offset)) if i >= 0]
        return self._line(min(hits)) if hits else start

    def key(self, name: str, start: int) -> int:
        """The line of `name =` (also `{ name =` and dotted `x.name =`) at or after `start`."""
        offset = self._offset(start)
        while (at := self.text.find(name, offset)) >= 0:
            offset = at + len(name)
            before = self.text[at - 1] if at else "\n"
            if before in " \t{,.\n" and self.text[offset : offset + 80].lstrip(" \t").startswith("="):
                return self._line(at)
        return start

    def error(self, line: int, message: str) -> AreaConfigError:
        return AreaConfigError(f"{self.path}:{line}: {message}")


def _read(path: Path) -> tuple[dict, _Locator]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise AreaConfigError(f"{path}: areas file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise AreaConfigError(f"{path}: cannot read areas file: {exc}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # its message carries "(at line N, column M)"
        raise AreaConfigError(f"{path}: {exc}") from exc
    return data, _Locator(path, text)


def _check_id(value, loc: _Locator, line: int, what: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", value or ""):
        raise loc.error(line, f"{what} id must be lowercase letters, digits and hyphens, got {value!r}")
    return value


def _labels(raw, loc: _Locator, line: int, area_id: str, *, complete: bool) -> dict[str, str]:
    if raw is None and not complete:
        return {}
    if not isinstance(raw, dict):
        raise loc.error(line, f'area {area_id!r}: label must be a table of languages (fi = "…", sv = "…")')
    labels = {}
    for lang, text in raw.items():
        at = loc.key(lang, line)
        if lang not in LANGUAGES:
            raise loc.error(at, f"area {area_id!r}: unknown language {lang!r} in label (known: {', '.join(LANGUAGES)})")
        if not isinstance(text, str) or not text.strip():
            raise loc.error(at, f"area {area_id!r}: empty label for {lang!r}")
        labels[lang] = text.strip()
    missing = [lang for lang in LANGUAGES if lang not in labels]
    if complete and missing:
        raise loc.error(line, f"area {area_id!r}: no label for {', '.join(missing)} (every language needs one)")
    return labels


def _concept(raw, loc: _Locator, area_id: str, area_line: int, seen_terms: dict) -> tuple[Concept, int]:
    if not isinstance(raw, dict):
        raise loc.error(area_line, f"area {area_id!r}: [[area.concept]] must be a table")
    concept_id = _check_id(raw.get("id"), loc, area_line, f"a concept of area {area_id!r}:")
    line = loc.table("area.concept", concept_id)
    weight = raw.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 3:
        raise loc.error(
            loc.key("weight", line), f"concept {concept_id!r}: weight must be a number in (0, 3], got {weight!r}"
        )
    terms: list[Term] = []
    for lang, values in raw.items():
        if lang in _CONCEPT_KEYS:
            continue
        at = loc.key(lang, line)
        if lang not in LANGUAGES:
            raise loc.error(at, f"concept {concept_id!r}: unknown language {lang!r} (known: {', '.join(LANGUAGES)})")
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list):
            raise loc.error(at, f"concept {concept_id!r}: {lang} must be a list of terms")
        for value in values:
            if not isinstance(value, str) or not value.strip(" ="):
                raise loc.error(at, f"concept {concept_id!r}: empty term in {lang}")
            term_line = loc.string(value, at)
            term = Term.parse(value, lang, f"{loc.path}:{term_line}")
            if not re.search(r"\w", term.text):
                raise loc.error(term_line, f"concept {concept_id!r}: term {value!r} has no letters")
            # One term, one concept: a term in two places would make a match ambiguous, both
            # as an explanation ("which concept put it there?") and for expansion.
            other = seen_terms.get((lang, term.key))
            if other is not None:
                raise loc.error(
                    term_line,
                    f"duplicate {lang} term {term.text!r} in concept {concept_id!r}: "
                    f"already in concept {other[0]!r} at {other[1]}",
                )
            seen_terms[(lang, term.key)] = (concept_id, term.where)
            terms.append(term)
    if not terms:
        raise loc.error(line, f"concept {concept_id!r} has no terms")
    return Concept(concept_id, area_id, tuple(terms), float(weight)), line


def _merge(path: Path, data: dict, loc: _Locator, areas: dict[str, Area], seen_terms: dict) -> None:
    """Add the areas of one file to `areas` (in place), validating as it goes."""
    unknown = sorted(set(data) - {"area"})
    if unknown:
        raise loc.error(loc.key(unknown[0], 1), f"unknown top-level key {unknown[0]!r} (expected [[area]] tables)")
    raw_areas = data.get("area", [])
    if not isinstance(raw_areas, list):
        raise loc.error(1, "areas must be written as [[area]] tables")
    concept_owner = {c.id: a.id for a in areas.values() for c in a.concepts}
    in_this_file: set[str] = set()
    for raw in raw_areas:
        area_id = _check_id(raw.get("id"), loc, loc.find(r"^\s*\[\[area\]\]"), "area")
        line = loc.table("area", area_id)
        if area_id in in_this_file:
            dup = loc.table("area", area_id)
            dup = loc.find(rf'^\s*id\s*=\s*["\']{re.escape(area_id)}["\']', dup + 1)
            raise loc.error(dup, f"duplicate area id {area_id!r} (first at line {line})")
        in_this_file.add(area_id)
        extra = sorted(set(raw) - _AREA_KEYS)
        if extra:
            raise loc.error(
                loc.key(extra[0], line), f"area {area_id!r}: unknown key {extra[0]!r} (expected id, label, concept)"
            )
        existing = areas.get(area_id)
        labels = _labels(raw.get("label"), loc, loc.key("label", line), area_id, complete=existing is None)
        raw_concepts = raw.get("concept", [])
        if not isinstance(raw_concepts, list):
            raise loc.error(line, f"area {area_id!r}: concepts must be [[area.concept]] tables")
        if existing is None and not raw_concepts:
            raise loc.error(line, f"area {area_id!r} has no concepts")
        concepts = {c.id: c for c in existing.concepts} if existing else {}
        for raw_concept in raw_concepts:
            concept, cline = _concept(raw_concept, loc, area_id, line, seen_terms)
            owner = concept_owner.get(concept.id)
            if owner is not None and owner != area_id:
                raise loc.error(cline, f"concept id {concept.id!r} already belongs to area {owner!r}")
            if concept.id in concepts:
                if owner is None:  # defined twice in this file
                    raise loc.error(cline, f"duplicate concept id {concept.id!r} in area {area_id!r}")
                old = concepts[concept.id]  # an extension: extra terms for a shipped concept
                weight = raw_concept["weight"] if "weight" in raw_concept else old.weight
                concept = replace(old, terms=old.terms + concept.terms, weight=float(weight))
            concepts[concept.id] = concept
            concept_owner[concept.id] = area_id
        merged_labels = {**dict(existing.labels), **labels} if existing else labels
        areas[area_id] = Area(area_id, tuple(merged_labels.items()), tuple(concepts.values()))


def load_thesaurus(*extra: Path | str | None, shipped: Path | str | None = SHIPPED_FILE) -> Thesaurus:
    """The shipped thesaurus extended by each existing file in `extra` (e.g. a data dir's areas.toml).

    Missing extra files are skipped (a data directory need not have one); a missing shipped
    file is an error.
    """
    areas: dict[str, Area] = {}
    seen_terms: dict = {}
    sources = []
    paths = [Path(shipped)] if shipped is not None else []
    paths += [Path(p) for p in extra if p is not None and Path(p).exists()]
    for path in paths:
        data, loc = _read(path)
        _merge(path, data, loc, areas, seen_terms)
        sources.append(str(path))
    return Thesaurus(tuple(areas.values()), tuple(sources))
