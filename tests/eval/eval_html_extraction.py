"""Main-text extraction and dates on the real news pages of ../shared/data/html.

Run: .venv/bin/python tests/eval/eval_html_extraction.py   (prints figures and every miss)
The test tests/corpus/test_extract_html.py holds the floors pinned in tests/eval/floors.toml
[extraction]. Expectations come from `expected_news.json` (trafilatura's `with`/`without`
snippets, htmldate's dates); the page text is what `extract` + `repair` give, as in ingest.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HTML_DIR = REPO.parent / "shared" / "data" / "html"
sys.path.insert(0, str(REPO))


@dataclass
class Figures:
    with_found: int = 0
    with_total: int = 0
    without_absent: int = 0
    without_total: int = 0
    dates_right: int = 0
    dates_total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def with_share(self) -> float:
        return self.with_found / self.with_total if self.with_total else 1.0

    @property
    def without_share(self) -> float:
        return self.without_absent / self.without_total if self.without_total else 1.0

    @property
    def date_accuracy(self) -> float:
        return self.dates_right / self.dates_total if self.dates_total else 1.0


def page_text(path: Path):
    from corpus.extract import extract
    from corpus.model import Resource
    from corpus.repair import repair

    extracted = repair(extract(Resource(url=path.as_uri(), body=path.read_bytes(), content_type="text/html")))
    return extracted, "\n".join(b.text for b in extracted.blocks)


def evaluate(html_dir: Path = HTML_DIR) -> Figures:
    expected = json.loads((html_dir / "expected_news.json").read_text(encoding="utf-8"))
    figures = Figures()
    for name, want in sorted(expected.items()):
        extracted, text = page_text(html_dir / name)
        for snippet in want.get("with", []):
            figures.with_total += 1
            if snippet in text:
                figures.with_found += 1
            else:
                figures.misses.append(f"{name}: missing {snippet!r}")
        for snippet in want.get("without", []):
            figures.without_total += 1
            if snippet not in text:
                figures.without_absent += 1
            else:
                figures.misses.append(f"{name}: boilerplate kept {snippet!r}")
        if want.get("expected_date_htmldate"):
            figures.dates_total += 1
            if extracted.date == want["expected_date_htmldate"]:
                figures.dates_right += 1
            else:
                figures.misses.append(f"{name}: date {extracted.date} != {want['expected_date_htmldate']}")
    return figures


def main() -> None:
    figures = evaluate()
    print(f"must-appear snippets found: {figures.with_found}/{figures.with_total} = {figures.with_share:.3f}")
    print(f"must-not snippets absent:   {figures.without_absent}/{figures.without_total} = {figures.without_share:.3f}")
    print(f"date accuracy:              {figures.dates_right}/{figures.dates_total} = {figures.date_accuracy:.3f}")
    for miss in figures.misses:
        print("  miss:", miss)


if __name__ == "__main__":
    main()
