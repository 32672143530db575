"""The substance-area thesaurus: areas made of concepts, loaded and validated from TOML.

`corpus/areas.toml` ships the areas; a data directory's `areas.toml` extends them (new areas,
new concepts, extra terms for an existing concept). Matching documents and queries against
the thesaurus lives in `corpus.area_match`; this module only reads, checks and describes it.

    >>> th = load_thesaurus()
    >>> th.label("child-protection", "sv")
    'Barnskydd'
    >>> th.concept("foster-care").terms_in("nb")[:2]
    ('fosterhjem', 'fosterforeldre')

Besides its terms, a concept may say which of its terms mean the same in one language
(`same`: regional variants such as Finland-Swedish `närståendevård` and Sweden-Swedish
`anhörigomsorg`, synonyms, an abbreviation and its long form), which terms have another sense
outside welfare work (`ambiguous`: `omhändertagande` is also waste disposal), and where a
variant is used (`regions`). Concepts imported from a SKOS scheme (`corpus.skos`) that match
no concept of an area stand alone (`Thesaurus.loose`): they expand queries but classify no
document.

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

# An all-capitals term is an abbreviation (LVU, LSS, BPA), matched case-sensitively; so is a
# short word with a capital inside (SoL, SiS), which would otherwise be an ordinary word (`sol`).
_ACRONYM = re.compile(r"^[A-ZÅÄÖÆØ][A-ZÅÄÖÆØ0-9]+$|^[A-ZÅÄÖÆØ][a-zåäöæø]?[A-ZÅÄÖÆØ][A-Za-zÅÄÖÆØåäöæø]{0,3}$")
_AREA_KEYS = {"id", "label", "concept"}
#: Keys of a concept table besides its languages.
_CONCEPT_KEYS = {"id", "weight", "same", "ambiguous", "regions", "scheme", "uri", "broader", "related", "note", "area"}
#: Regions a variant may be marked with (`regions`): the Nordic countries.
REGIONS = ("FI", "SE", "NO", "DK", "IS", "AX")


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
    group: int = -1  # same-language equivalents of the concept share a group (`same`); -1: none
    ambiguous: bool = False  # has another sense outside welfare work (needs support to expand)
    region: str = ""  # where this variant is used (FI, SE, ...), when it is a regional variant

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

    @property
    def case_sensitive(self) -> bool:
        return self.kind == "acronym"


@dataclass(frozen=True)
class Concept:
    """One idea named in several languages (e.g. foster care); the unit of matching and expansion."""

    id: str
    area: str  # "" for a concept of no area (imported from a SKOS scheme, see `Thesaurus.loose`)
    terms: tuple[Term, ...]
    weight: float = 1.0
    scheme: str = ""  # the SKOS scheme it came from (or merged with), "" for hand-made
    uri: str = ""  # its URI in that scheme
    related: tuple[str, ...] = ()  # ids of related and broader concepts (SKOS), for explanations

    def terms_in(self, lang: str) -> tuple[str, ...]:
        return tuple(t.text for t in self.terms if t.lang == lang)

    def term(self, lang: str, text: str) -> Term | None:
        key = text.casefold()
        return next((t for t in self.terms if t.lang == lang and t.key == key), None)

    def equivalents(self, term: Term) -> tuple[Term, ...]:
        """The other terms of `term`'s language that mean the same (its `same` group)."""
        if term.group < 0:
            return ()
        return tuple(t for t in self.terms if t.lang == term.lang and t.group == term.group and t is not term)

    def aligned(self, term: Term, lang: str) -> tuple[Term, ...]:
        """The terms of `lang` in `term`'s `same` group: its preferred translations there."""
        if term.group < 0:
            return ()
        return tuple(t for t in self.terms if t.lang == lang and t.group == term.group)

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
    loose: tuple[Concept, ...] = ()  # concepts of no area: they expand queries, classify nothing
    _by_id: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({a.id: a for a in self.areas})
        self._by_id.update({c.id: c for a in self.areas for c in a.concepts})
        self._by_id.update({c.id: c for c in self.loose})

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.areas)

    @property
    def concepts(self) -> tuple[Concept, ...]:
        """Every concept: the areas' first, in file order, then the loose ones."""
        return tuple(c for a in self.areas for c in a.concepts) + self.loose

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
        self._ids: dict[str, int] | None = None

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
        if self._ids is None:  # one scan for every table of the file (an imported scheme has thousands)
            self._ids = {}
            for m in re.finditer(r'^[ \t]*id[ \t]*=[ \t]*["\']([^"\'\n]*)["\']', self.text, re.MULTILINE):
                self._ids.setdefault(m.group(1), self._line(m.start()))
        return self._ids.get(table_id, 1)

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


class _Loading:
    """State shared by every file of one load: which concept owns each term, group numbers."""

    def __init__(self) -> None:
        self.seen_terms: dict[tuple[str, str], tuple[str, str]] = {}  # (lang, key) -> (concept id, where)
        self.next_group = 0

    def claim(self, term: Term, concept_id: str, loc: _Locator, line: int) -> None:
        # One term, one concept: a term in two places would make a match ambiguous, both as an
        # explanation ("which concept put it there?") and for expansion.
        other = self.seen_terms.get((term.lang, term.key))
        if other is not None:
            raise loc.error(
                line,
                f"duplicate {term.lang} term {term.text!r} in concept {concept_id!r}: "
                f"already in concept {other[0]!r} at {other[1]}",
            )
        self.seen_terms[(term.lang, term.key)] = (concept_id, term.where)

    def group(self) -> int:
        self.next_group += 1
        return self.next_group


def _new_term(value, lang: str, concept_id: str, loc: _Locator, at: int, state: _Loading) -> Term:
    if not isinstance(value, str) or not value.strip(" ="):
        raise loc.error(at, f"concept {concept_id!r}: empty term in {lang}")
    term_line = loc.string(value, at)
    term = Term.parse(value, lang, f"{loc.path}:{term_line}")
    if not re.search(r"\w", term.text):
        raise loc.error(term_line, f"concept {concept_id!r}: term {value!r} has no letters")
    state.claim(term, concept_id, loc, term_line)
    return term


def _lang_table(raw, what: str, concept_id: str, loc: _Locator, at: int) -> dict:
    if not isinstance(raw, dict):
        raise loc.error(at, f"concept {concept_id!r}: {what} must be a table of languages")
    for lang in raw:
        if lang not in LANGUAGES:
            raise loc.error(
                loc.key(lang, at),
                f"concept {concept_id!r}: unknown language {lang!r} in {what} (known: {', '.join(LANGUAGES)})",
            )
    return raw


def _concept(raw, loc: _Locator, area_id: str, area_line: int, state: _Loading, header: str = "area.concept"):
    """A concept's own terms (no annotations yet: `_annotate` resolves those against every term)."""
    if not isinstance(raw, dict):
        raise loc.error(area_line, f"area {area_id!r}: [[{header}]] must be a table")
    concept_id = _check_id(raw.get("id"), loc, area_line, f"a concept of area {area_id!r}:" if area_id else "a concept")
    line = loc.table(header, concept_id)
    weight = raw.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 3:
        raise loc.error(
            loc.key("weight", line), f"concept {concept_id!r}: weight must be a number in (0, 3], got {weight!r}"
        )
    for key in ("scheme", "uri", "note"):
        if key in raw and not isinstance(raw[key], str):
            raise loc.error(loc.key(key, line), f"concept {concept_id!r}: {key} must be a string")
    related = raw.get("related", []) + raw.get("broader", [])
    if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
        raise loc.error(line, f"concept {concept_id!r}: related and broader must be lists of concept ids")
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
        terms += [_new_term(value, lang, concept_id, loc, at, state) for value in values]
    concept = Concept(
        concept_id,
        area_id,
        tuple(terms),
        float(weight),
        scheme=raw.get("scheme", ""),
        uri=raw.get("uri", ""),
        related=tuple(dict.fromkeys(related)),
    )
    return concept, line


def _annotate(concept: Concept, raw: dict, loc: _Locator, line: int, state: _Loading) -> Concept:
    """Applies a concept table's `same`, `ambiguous` and `regions` to the concept's terms.

    `same` groups may name terms the concept does not have yet: they are added (a regional
    variant or an abbreviation is a term of the concept too). The others must name its terms.
    """
    terms = list(concept.terms)

    def find(lang: str, text: str) -> int | None:
        key = " ".join(text.split()).lstrip("=").strip().casefold()
        return next((i for i, t in enumerate(terms) if t.lang == lang and t.key == key), None)

    same = raw.get("same", [])
    if not isinstance(same, list):
        raise loc.error(loc.key("same", line), f"concept {concept.id!r}: same must be a list of tables")
    for group_raw in same:
        # One table is one sense: its terms of one language are equivalents, its terms of the
        # other languages their preferred translations.
        at = loc.key("same", line)
        if not isinstance(group_raw, dict):
            raise loc.error(at, f"concept {concept.id!r}: each same group is a table like {{ sv = [...], fi = [...] }}")
        table = _lang_table({k: v for k, v in group_raw.items() if k != "note"}, "same", concept.id, loc, at)
        if not all(isinstance(texts, list) for texts in table.values()) or sum(map(len, table.values())) < 2:
            raise loc.error(at, f"concept {concept.id!r}: a same group needs two or more terms, as lists per language")
        group = state.group()
        for lang, texts in table.items():
            for text in texts:
                i = find(lang, text) if isinstance(text, str) else None
                if i is None:
                    terms.append(_new_term(text, lang, concept.id, loc, at, state))
                    i = len(terms) - 1
                old = terms[i].group
                if old >= 0 and old != group:  # already in a group (an extension adds to a shipped one): join
                    terms = [replace(t, group=group) if t.group == old else t for t in terms]
                terms[i] = replace(terms[i], group=group)
    for key in ("ambiguous", "regions"):
        if key not in raw:
            continue
        at = loc.key(key, line)
        for lang, values in _lang_table(raw[key], key, concept.id, loc, at).items():
            items = values.items() if key == "regions" and isinstance(values, dict) else None
            if key == "ambiguous" and not isinstance(values, list):
                raise loc.error(at, f"concept {concept.id!r}: ambiguous.{lang} must be a list of its {lang} terms")
            if key == "regions" and items is None:
                raise loc.error(at, f'concept {concept.id!r}: regions.{lang} must be a table {{ term = "FI" }}')
            for text, region in items if items is not None else ((v, None) for v in values):
                i = find(lang, text) if isinstance(text, str) else None
                if i is None:
                    raise loc.error(at, f"concept {concept.id!r}: {key} names {text!r}, not one of its {lang} terms")
                if key == "ambiguous":
                    terms[i] = replace(terms[i], ambiguous=True)
                elif region not in REGIONS:
                    raise loc.error(
                        at, f"concept {concept.id!r}: region of {text!r} must be one of {', '.join(REGIONS)}"
                    )
                else:
                    terms[i] = replace(terms[i], region=region)
    return replace(concept, terms=tuple(terms))


def _merge(
    path: Path, data: dict, loc: _Locator, areas: dict[str, Area], loose: dict[str, Concept], state: _Loading
) -> None:
    """Add the areas and loose concepts of one file (in place), validating as it goes."""
    unknown = sorted(set(data) - {"area", "concept"})
    if unknown:
        raise loc.error(
            loc.key(unknown[0], 1), f"unknown top-level key {unknown[0]!r} (expected [[area]] or [[concept]] tables)"
        )
    raw_areas = data.get("area", [])
    if not isinstance(raw_areas, list):
        raise loc.error(1, "areas must be written as [[area]] tables")
    concept_owner = {c.id: a.id for a in areas.values() for c in a.concepts}
    concept_owner.update({c.id: "" for c in loose.values()})
    in_this_file: set[str] = set()

    def add(area_concepts: dict[str, Concept], raw_concept: dict, area_id: str, line: int, header: str) -> None:
        concept, cline = _concept(raw_concept, loc, area_id, line, state, header)
        owner = concept_owner.get(concept.id)
        if owner is not None and owner != area_id:
            where = f"area {owner!r}" if owner else "the loose concepts"
            raise loc.error(cline, f"concept id {concept.id!r} already belongs to {where}")
        if concept.id in area_concepts:
            if owner is None:  # defined twice in this file
                raise loc.error(cline, f"duplicate concept id {concept.id!r} in area {area_id!r}")
            old = area_concepts[concept.id]  # an extension: extra terms for a shipped concept
            weight = raw_concept["weight"] if "weight" in raw_concept else old.weight
            concept = replace(
                old,
                terms=old.terms + concept.terms,
                weight=float(weight),
                scheme=old.scheme or concept.scheme,
                uri=old.uri or concept.uri,
                related=tuple(dict.fromkeys(old.related + concept.related)),
            )
        concept = _annotate(concept, raw_concept, loc, cline, state)
        if not concept.terms:
            raise loc.error(cline, f"concept {concept.id!r} has no terms")
        area_concepts[concept.id] = concept
        concept_owner[concept.id] = area_id

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
            add(concepts, raw_concept, area_id, line, "area.concept")
        merged_labels = {**dict(existing.labels), **labels} if existing else labels
        areas[area_id] = Area(area_id, tuple(merged_labels.items()), tuple(concepts.values()))
    raw_loose = data.get("concept", [])
    if not isinstance(raw_loose, list):
        raise loc.error(1, "concepts of no area must be written as [[concept]] tables")
    for raw_concept in raw_loose:
        if isinstance(raw_concept, dict) and raw_concept.get("area"):
            raise loc.error(
                loc.table("concept", str(raw_concept.get("id"))),
                f"concept {raw_concept.get('id')!r}: a concept of an area goes in its [[area.concept]] table",
            )
        add(loose, raw_concept, "", 1, "concept")


def load_thesaurus(*extra: Path | str | None, shipped: Path | str | None = SHIPPED_FILE) -> Thesaurus:
    """The shipped thesaurus extended by each existing file in `extra` (e.g. a data dir's areas.toml).

    Missing extra files are skipped (a data directory need not have one); a missing shipped
    file is an error.
    """
    areas: dict[str, Area] = {}
    loose: dict[str, Concept] = {}
    state = _Loading()
    sources = []
    paths = [Path(shipped)] if shipped is not None else []
    paths += [Path(p) for p in extra if p is not None and Path(p).exists()]
    for path in paths:
        data, loc = _read(path)
        _merge(path, data, loc, areas, loose, state)
        sources.append(str(path))
    return Thesaurus(tuple(areas.values()), tuple(sources), tuple(loose.values()))
