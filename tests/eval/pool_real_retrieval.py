"""Pooling documents to judge for the real-document query set (tests/fixtures/relevance).

For every query, the top 10 of several systems (tests/eval/real_systems.py: nordsearch with and
without expansion, plain whoosh StandardAnalyzer, a stemmed all-words-first BM25) and of the
judge's own manual searches (manual_runs.toml: other words for the same need, in other
languages, run through the stemmed system, top 5 each) are pooled. Documents of the pool that
judgements.toml has no grade for are listed, with their title and the passages around the
query's words, to be read and graded by hand (0-3, see judgements.toml).

    .venv/bin/python tests/eval/pool_real_retrieval.py [--data-dir DIR] [--query ID] [--show]

`--data-dir` reuses a collection built before (tests/eval/real_collection.py), else one is
built in a temporary directory (a minute or two).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import tomllib
from pathlib import Path

EVAL = Path(__file__).resolve().parent
REPO = EVAL.parents[1]
for p in (str(REPO), str(EVAL)):
    if p not in sys.path:
        sys.path.insert(0, p)

from real_collection import build_collection  # noqa: E402
from real_systems import nordsearch_system, stored_documents, whoosh_system  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "relevance"
DEPTH = 10
MANUAL_DEPTH = 5


def load_queries() -> list[dict]:
    return tomllib.loads((FIXTURES / "queries.toml").read_text(encoding="utf-8"))["query"]


def load_judgements() -> dict[str, dict[str, int]]:
    path = FIXTURES / "judgements.toml"
    if not path.exists():
        return {}
    return {qid: dict(grades) for qid, grades in tomllib.loads(path.read_text(encoding="utf-8")).items()}


def load_manual_runs() -> dict[str, list[str]]:
    path = FIXTURES / "manual_runs.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def pool(systems: dict, queries: list[dict], manual: dict[str, list[str]], stemmed) -> dict[str, dict[str, list[str]]]:
    """{query id: {key: [systems that retrieved it]}}"""
    pooled: dict[str, dict[str, list[str]]] = {}
    for q in queries:
        found: dict[str, list[str]] = {}
        for name, run in systems.items():
            for key in run(q["text"], DEPTH):
                found.setdefault(key, []).append(name)
        for text in manual.get(q["id"], []):
            for key in stemmed(text, MANUAL_DEPTH):
                found.setdefault(key, []).append(f"manual:{text}")
        pooled[q["id"]] = found
    return pooled


def best_passage(text: str, words: list[str], width: int = 260) -> str:
    """The window of `text` with the most distinct query words (matched by their first five letters)."""
    stems = sorted({w.lower()[:5] for w in re.findall(r"\w+", " ".join(words)) if len(w) >= 3})
    if not stems or not text:
        return " ".join(text[:width].split())
    pattern = re.compile("|".join(re.escape(s) for s in stems), re.I)
    hits = [(m.start(), m.group().lower()) for m in pattern.finditer(text)]
    if not hits:
        return " ".join(text[:width].split())
    best, best_count = 0, -1
    for i, (start, _) in enumerate(hits):
        seen = {w for at, w in hits[i:] if at < start + width}
        if len(seen) > best_count:
            best, best_count = start, len(seen)
    start = max(0, best - 40)
    return " ".join(text[start : start + width].split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="a collection built before (its data directory)")
    parser.add_argument("--query", action="append", help="only this query id (repeatable)")
    parser.add_argument("--show", action="store_true", help="print the unjudged documents with passages")
    args = parser.parse_args()
    from corpus.config import DataDir

    queries = [q for q in load_queries() if not args.query or q["id"] in args.query]
    judged = load_judgements()
    manual = load_manual_runs()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        data_dir = DataDir(args.data_dir) if args.data_dir else build_collection(root)
        stemmed = whoosh_system(data_dir, root, "stemmed")
        systems = {
            "nordsearch": nordsearch_system(data_dir, expand=True),
            "nordsearch-noexpand": nordsearch_system(data_dir, expand=False),
            "whoosh-standard": whoosh_system(data_dir, root, "standard"),
            "whoosh-stemmed": stemmed,
        }
        pooled = pool(systems, queries, manual, stemmed)
        docs = {key: (lang, title, text) for key, lang, title, text in stored_documents(data_dir)}
    total = unjudged = 0
    for q in queries:
        found = pooled[q["id"]]
        todo = [k for k in found if k not in judged.get(q["id"], {})]
        total += len(found)
        unjudged += len(todo)
        print(f"{q['id']}: pool {len(found)}, unjudged {len(todo)}")
        if not args.show or not todo:
            continue
        print(f"  {q['text']!r} [{q['lang']}] need: {q['need']}")
        words = q["text"].split() + [w for t in manual.get(q["id"], []) for w in t.split()]
        for key in todo:
            lang, title, text = docs.get(key, ("?", "?", ""))
            print(f"  - {key} [{lang}] {' '.join(title[:150].split())}")
            print(f"      … {best_passage(text, words)}")
    print(f"{len(queries)} queries, {total} pooled documents, {unjudged} not judged yet")


if __name__ == "__main__":
    main()
