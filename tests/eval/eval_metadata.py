"""Bibliographic metadata on the real pages and PDFs of ../shared/data: title, date, publisher.

Run: .venv/bin/python tests/eval/eval_metadata.py   (prints figures and every miss)
The truths were written by hand per file in tests/fixtures/metadata/truths.toml (see its header
for what counts as the title, the date and the publisher). Each file goes through ingest's
`process` as a local file would (a file:// URL, no hints), so nothing tells the extractor where
the page came from except the file itself. tests/corpus/test_metadata_eval.py holds the floors
pinned in tests/eval/floors.toml [metadata].

A date is right when it equals the truth at the truth's precision: a year-only truth ("2011")
compares the year; a day truth compares the whole day, so a year where the file states a day is
wrong. Titles are compared after Unicode, case, dash, quote and whitespace normalisation.
"""

from __future__ import annotations

import re
import sys
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data"
TRUTHS = REPO / "tests" / "fixtures" / "metadata" / "truths.toml"
sys.path.insert(0, str(REPO))

FIELDS = ("title", "date", "publisher")


@dataclass
class Figures:
    right: dict = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    total: dict = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    by_kind: dict = field(default_factory=dict)  # ("html" | "pdf", field) -> [right, total]
    misses: list[str] = field(default_factory=list)
    skipped: int = 0

    def accuracy(self, name: str) -> float:
        return self.right[name] / self.total[name] if self.total[name] else 1.0

    def add(self, kind: str, name: str, ok: bool) -> None:
        self.total[name] += 1
        self.right[name] += ok
        pair = self.by_kind.setdefault((kind, name), [0, 0])
        pair[0] += ok
        pair[1] += 1


def norm_text(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = re.sub(r"[\u2018\u2019\u201a\u201b`´]", "'", text)
    text = re.sub(r"[\u201c\u201d\u201e\u201f«»]", '"', text)
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(" .")


def date_matches(found: str | None, wanted: str) -> bool:
    if not found:
        return False
    if len(wanted) == 4:
        return found[:4] == wanted
    return found[:10] == wanted


def load_truths(path: Path = TRUTHS) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def read_document(path: Path):
    """The document ingest makes of this file (as `nordsearch ingest FILE` would)."""
    from corpus.ingest import FILE_TYPES, Pipeline, process
    from corpus.model import Resource

    resource = Resource(
        url=path.absolute().as_uri(), body=path.read_bytes(), content_type=FILE_TYPES[path.suffix.lower()]
    )
    return process(resource, Pipeline())


def evaluate(data: Path = DATA, truths: dict | None = None) -> Figures:
    truths = truths if truths is not None else load_truths()
    figures = Figures()
    for name, want in sorted(truths.items()):
        if want.get("skip"):
            figures.skipped += 1
            continue
        kind = "pdf" if name.endswith(".pdf") else "html"
        doc = read_document(data / kind / name)
        if "title" in want:
            accepted = {norm_text(t) for t in [want["title"], *want.get("title_also", [])]}
            ok = norm_text(doc.title) in accepted
            figures.add(kind, "title", ok)
            if not ok:
                figures.misses.append(f"{name}: title {doc.title!r} != {want['title']!r}")
        if "date" in want:
            ok = any(date_matches(doc.date, d) for d in [want["date"], *want.get("date_also", [])])
            figures.add(kind, "date", ok)
            if not ok:
                figures.misses.append(f"{name}: date {doc.date!r} != {want['date']!r}")
        if "publisher" in want:
            ok = norm_text(doc.publisher) == norm_text(want["publisher"])
            figures.add(kind, "publisher", ok)
            if not ok:
                figures.misses.append(f"{name}: publisher {doc.publisher!r} != {want['publisher']!r}")
    return figures


def main() -> None:
    figures = evaluate()
    print(f"files scored: {len(load_truths()) - figures.skipped} ({figures.skipped} left out, see truths.toml)")
    for name in FIELDS:
        parts = ", ".join(f"{kind} {r}/{t}" for (kind, f), (r, t) in sorted(figures.by_kind.items()) if f == name)
        print(
            f"{name + ' accuracy:':<20} {figures.right[name]}/{figures.total[name]} = "
            f"{figures.accuracy(name):.3f}   ({parts})"
        )
    for miss in figures.misses:
        print("  miss:", miss)


if __name__ == "__main__":
    main()
