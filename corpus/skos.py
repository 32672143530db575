"""Importing a SKOS thesaurus (Turtle, RDF/XML, N-Triples, JSON-LD) into nordsearch's thesaurus, with rdflib.

An operator downloads the Finnish, Swedish and English terms of TERO, YSO or ELSST (Finto,
CESSDA) and runs `nordsearch thesaurus import FILE --scheme NAME`. Each `skos:Concept` with
labels in nordsearch's languages becomes one of two things:

- an *extension* of a hand-made concept, when one of its labels is already a term of that
  concept in the same language (YSO's `lastensuojelu`@fi meets `child-protection-services`):
  its other labels become terms of that concept, and its preferred and alternative labels
  form one `same` group (equivalents within a language, translations across) — a SKOS
  concept's labels name one idea;
- a *loose* concept of the scheme (`[[concept]]`), which expands queries but classifies no
  document (the substance areas stay the network's own).

Labels qualified in parentheses (`huolto (lapset)`) are imported without the qualifier and
marked ambiguous: a scheme qualifies a label exactly when the bare word has several senses.
Hidden labels (misspellings) become terms that find the concept but are never added to a
query. A label that already belongs to another concept, or to an earlier concept of the
import, is skipped and reported: one term, one concept.

The result is written as `<data>/thesaurus/<scheme>.toml` in the thesaurus's own format
(`corpus.areas`), readable and editable, and merged with the hand-made files on every load.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from corpus.areas import Thesaurus
from corpus.errors import AreaConfigError
from corpus.model import LANGUAGES

#: rdflib parser names by file ending.
FORMATS = {
    ".ttl": "turtle",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".n3": "n3",
}
#: SKOS language tags that stand for one of nordsearch's languages.
LANGUAGE_TAGS = {"fi": "fi", "sv": "sv", "nb": "nb", "no": "nb", "nn": "nn", "da": "da", "en": "en"}
_QUALIFIER = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")


@dataclass(frozen=True)
class Label:
    text: str
    lang: str
    kind: str  # "pref" | "alt" | "hidden"
    qualified: bool = False  # the scheme qualified it in parentheses: the bare word is ambiguous


@dataclass(frozen=True)
class SkosConcept:
    uri: str
    labels: tuple[Label, ...]
    related: tuple[str, ...] = ()  # URIs of broader and related concepts


@dataclass
class ImportReport:
    """What an import did: counts and the labels it could not take, with the reason."""

    scheme: str
    path: str = ""
    concepts_read: int = 0
    extended: int = 0  # concepts merged into hand-made ones
    loose: int = 0
    labels_added: int = 0
    skipped: list[str] = field(default_factory=list)
    by_lang: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        return (
            f"{self.concepts_read} concepts read from scheme {self.scheme!r}: {self.extended} merged into "
            f"the substance areas' concepts, {self.loose} of no area; {self.labels_added} terms "
            f"({', '.join(f'{k} {v}' for k, v in sorted(self.by_lang.items()))}); {len(self.skipped)} labels skipped"
        )

    def as_json(self) -> dict:
        return {
            "scheme": self.scheme,
            "file": self.path,
            "concepts_read": self.concepts_read,
            "extended": self.extended,
            "loose": self.loose,
            "terms_added": self.labels_added,
            "terms_by_language": dict(self.by_lang),
            "skipped": self.skipped,
            "summary": self.summary(),
        }


def _label(text: str, lang: str, kind: str) -> Label | None:
    text = " ".join(str(text).split())
    qualified = False
    m = _QUALIFIER.match(text)
    if m and m.group(1):
        text, qualified = m.group(1), True
    if not re.search(r"\w", text) or len(text) > 200:
        return None
    return Label(text, lang, kind, qualified)


def read_skos(path: Path, fmt: str | None = None) -> list[SkosConcept]:
    """The concepts of a SKOS file that have labels in nordsearch's languages, in a stable order."""
    import rdflib
    from rdflib.namespace import RDF, SKOS

    fmt = fmt or FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise AreaConfigError(
            f"{path}: cannot tell the RDF format from the file ending (use --format turtle, xml, nt or json-ld)"
        )
    graph = rdflib.Graph()
    try:
        graph.parse(str(path), format=fmt)
    except FileNotFoundError as exc:
        raise AreaConfigError(f"{path}: file not found") from exc
    except Exception as exc:  # rdflib raises parser-specific errors (BadSyntax, SAXParseException, ...)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise AreaConfigError(f"{path}: not readable as {fmt} RDF: {first[:200]}") from exc
    concepts = []
    for uri in sorted(set(graph.subjects(RDF.type, SKOS.Concept)), key=str):
        labels = []
        for predicate, kind in ((SKOS.prefLabel, "pref"), (SKOS.altLabel, "alt"), (SKOS.hiddenLabel, "hidden")):
            for literal in sorted(graph.objects(uri, predicate), key=str):
                lang = LANGUAGE_TAGS.get((getattr(literal, "language", None) or "").lower().split("-")[0])
                if lang is None:
                    continue
                label = _label(str(literal), lang, kind)
                if label is not None:
                    labels.append(label)
        if not labels:
            continue
        related = [str(o) for p in (SKOS.broader, SKOS.related) for o in graph.objects(uri, p)]
        concepts.append(SkosConcept(str(uri), tuple(labels), tuple(sorted(set(related)))))
    if not concepts:
        raise AreaConfigError(
            f"{path}: no skos:Concept with labels in {', '.join(LANGUAGES)} (is it a SKOS thesaurus?)"
        )
    return concepts


def concept_id(scheme: str, uri: str) -> str:
    """A thesaurus id for an imported concept: the scheme, then the URI's last part, slugged."""
    local = re.split(r"[/#]", uri.rstrip("/#"))[-1] or uri
    slug = re.sub(r"[^a-z0-9]+", "-", f"{scheme}-{local}".lower()).strip("-")
    return slug or scheme


def _check_scheme(scheme: str) -> str:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", scheme or ""):
        raise AreaConfigError(f"scheme name must be lowercase letters, digits and hyphens, got {scheme!r}")
    return scheme


def plan_import(
    thesaurus: Thesaurus, concepts: list[SkosConcept], scheme: str, *, only_matching: bool = False
) -> tuple[dict, ImportReport]:
    """The TOML document of an import (extensions and loose concepts) and its report.

    `thesaurus` is everything loaded without this scheme's earlier import, so re-importing a
    scheme replaces it.
    """
    _check_scheme(scheme)
    report = ImportReport(scheme, concepts_read=len(concepts))
    owner: dict[tuple[str, str], str] = {}  # (lang, key) -> concept id
    for c in thesaurus.concepts:
        for t in c.terms:
            owner[(t.lang, t.key)] = c.id
    ids = {c.uri: concept_id(scheme, c.uri) for c in concepts}
    extensions: dict[str, dict] = {}  # area id -> {concept id -> table}
    loose: list[dict] = []
    for concept in concepts:
        matches = Counter(
            owner[(lab.lang, lab.text.casefold())] for lab in concept.labels if (lab.lang, lab.text.casefold()) in owner
        )
        target = matches.most_common(1)[0][0] if matches else None
        if target is not None and thesaurus.concept(target).scheme not in ("", scheme):
            target = None  # another imported scheme's loose concept: keep this one apart
        if target is None and only_matching:
            continue
        table: dict = {}
        same: dict[str, list[str]] = {}
        ambiguous: dict[str, list[str]] = {}
        cid = target or ids[concept.uri]
        for lab in concept.labels:
            key = (lab.lang, lab.text.casefold())
            have = owner.get(key)
            if have is not None and have != cid:
                report.skipped.append(f"{lab.lang} {lab.text!r} of {concept.uri}: already a term of concept {have!r}")
                continue
            if have is None:
                table.setdefault(lab.lang, []).append(lab.text)
                owner[key] = cid
                report.labels_added += 1
                report.by_lang[lab.lang] += 1
            if lab.kind in ("pref", "alt"):
                same.setdefault(lab.lang, []).append(lab.text)
            if lab.qualified:
                ambiguous.setdefault(lab.lang, []).append(lab.text)
        # One SKOS concept is one sense: its preferred and alternative labels of every language
        # form one `same` group (equivalents within a language, translations across).
        group = {lang: list(dict.fromkeys(texts)) for lang, texts in same.items()}
        if sum(map(len, group.values())) > 1:
            table["same"] = [group]
        if ambiguous:
            table["ambiguous"] = ambiguous
        if target is not None:
            if not any(k in table for k in (*LANGUAGES, "same", "ambiguous")):
                continue  # nothing new for the hand-made concept
            area = thesaurus.concept(target).area
            entry = extensions.setdefault(area, {}).setdefault(target, {"id": target})
            for key, value in table.items():
                entry[key] = entry.get(key, []) + value if isinstance(value, list) else {**entry.get(key, {}), **value}
            report.extended += 1
        else:
            if not any(lang in table for lang in LANGUAGES):
                continue  # every label belonged to other concepts
            related = [ids[u] for u in concept.related if u in ids]
            loose.append(
                {"id": cid, "scheme": scheme, "uri": concept.uri, **table, **({"related": related} if related else {})}
            )
            report.loose += 1
    document: dict = {}
    if extensions:
        document["area"] = [{"id": area, "concept": list(by_id.values())} for area, by_id in sorted(extensions.items())]
    if loose:
        document["concept"] = loose
    return document, report


def import_skos(
    path: Path,
    scheme: str,
    target_dir: Path,
    load,
    *,
    fmt: str | None = None,
    only_matching: bool = False,
) -> ImportReport:
    """Reads a SKOS file and writes `target_dir/<scheme>.toml`; `load(exclude)` gives the thesaurus.

    The new file is checked by loading the whole thesaurus with it before it replaces an earlier
    import of the scheme: a failed import leaves the previous state.
    """
    import tomli_w

    _check_scheme(scheme)
    target = target_dir / f"{scheme}.toml"
    concepts = read_skos(path, fmt)
    thesaurus = load(exclude=target)
    document, report = plan_import(thesaurus, concepts, scheme, only_matching=only_matching)
    report.path = str(target)
    target_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{scheme}.toml.new")
    header = (
        f"# SKOS scheme {scheme!r} imported from {path.name} by `nordsearch thesaurus import`.\n"
        "# Edit freely; importing the scheme again replaces this file.\n\n"
    )
    tmp.write_text(header + tomli_w.dumps(document), encoding="utf-8")
    try:
        load(extra=tmp, exclude=target)
    except AreaConfigError:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(target)
    return report
