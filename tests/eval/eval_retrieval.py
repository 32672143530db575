"""Retrieval figures on tests/fixtures/retrieval: our analysis vs whoosh StandardAnalyzer vs LanguageAnalyzer.

44 short welfare documents in fi, sv, nb, nn, da, en and 40 queries with judged relevant
documents (inflected forms, compounds, abbreviations, words typed without Nordic letters).
Queries marked `cross = true` have their relevant documents in other languages (issue 4's
cross-lingual search); they are reported apart, so same-language figures measure analysis.

Systems, all over the same documents and the same parsed clauses (words OR'ed with a
coordination bonus, "phrases" as phrases):
- ours / ours+expand: the real index and search (`search.query.search`), without and with
  cross-lingual expansion;
- standard: whoosh StandardAnalyzer, one field (title + text);
- language: whoosh LanguageAnalyzer (snowball), one field per language, the query analysed
  with each language's analyzer in each field (nb and nn use the Norwegian stemmer).

    .venv/bin/python tests/eval/eval_retrieval.py
"""

from __future__ import annotations

import math
import sys
import tempfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

FIXTURES = REPO / "tests" / "fixtures" / "retrieval"
K = 10
WHOOSH_LANG = {"fi": "fi", "sv": "sv", "nb": "no", "nn": "no", "da": "da", "en": "en"}


def load() -> tuple[list[dict], list[dict]]:
    docs = tomllib.loads((FIXTURES / "docs.toml").read_text(encoding="utf-8"))["doc"]
    queries = tomllib.loads((FIXTURES / "queries.toml").read_text(encoding="utf-8"))["query"]
    return docs, queries


def recall_at(ranked: list[str], relevant: set[str], k: int = K) -> float:
    return len(set(ranked[:k]) & relevant) / len(relevant)


def ndcg_at(ranked: list[str], relevant: set[str], k: int = K) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranked[:k]) if d in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return dcg / ideal


# -- ours --------------------------------------------------------------------------------------


def our_system(docs: list[dict], root: Path):
    """A data directory with the documents stored and indexed; returns search(query, expand) → ids."""
    from corpus.config import DataDir
    from corpus.model import Document, Section
    from corpus.store import Store
    from index.update import update_index
    from search.model import SearchRequest
    from search.query import search

    data_dir = DataDir(root / "data").ensure()
    ids: dict[str, str] = {}
    with Store(data_dir.store_file) as store:
        for d in docs:
            url = f"https://example.org/{d['id']}"
            doc = Document(
                id=d["id"],
                url=url,
                title=d["title"],
                lang=d["lang"],
                langs=(d["lang"],),
                country=d["country"],
                content_hash=d["id"],
                sections=(Section(text=d["text"], lang=d["lang"]),),
            )
            store.save(doc)
            ids[d["id"]] = d["id"]
        update_index(data_dir, store, workers=1)

    def run(text: str, expand: bool) -> list[str]:
        result = search(data_dir, SearchRequest(query=text, limit=K, expand=expand))
        return [h.id for h in result.hits]

    return run


# -- whoosh baselines --------------------------------------------------------------------------


def whoosh_system(docs: list[dict], root: Path, kind: str):
    from whoosh import index
    from whoosh import query as Q
    from whoosh.analysis import LanguageAnalyzer, StandardAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    from search.parse import parse_query

    if kind == "standard":
        analyzers = {"content": StandardAnalyzer()}
    else:
        analyzers = {f"body_{lang}": LanguageAnalyzer(code) for lang, code in WHOOSH_LANG.items()}
    schema = Schema(id=ID(stored=True), **{name: TEXT(analyzer=a) for name, a in analyzers.items()})
    path = root / kind
    path.mkdir()
    ix = index.create_in(str(path), schema)
    with ix.writer() as w:
        for d in docs:
            name = "content" if kind == "standard" else f"body_{d['lang']}"
            w.add_document(id=d["id"], **{name: d["title"] + "\n" + d["text"]})

    def field_query(name: str, text: str, phrase: bool):
        tokens = [t.text for t in analyzers[name](text)]
        if not tokens:
            return None
        terms = [Q.Term(name, t) for t in tokens]
        if len(terms) == 1:
            return terms[0]
        return Q.Phrase(name, tokens) if phrase else Q.And(terms)

    def run(text: str, expand: bool) -> list[str]:
        positive, negative = [], []
        for clause in parse_query(text).clauses:
            subs = [q for q in (field_query(n, clause.text, clause.phrase) for n in analyzers) if q is not None]
            if subs:
                (negative if clause.exclude else positive).append(Q.Or(subs))
        if not positive:
            return []
        q = positive[0] if len(positive) == 1 else Q.Or(positive, scale=0.9)
        if negative:
            q = Q.AndNot(q, Q.Or(negative))
        with ix.searcher() as s:
            return [h["id"] for h in s.search(q, limit=K)]

    return run


def evaluate(systems: dict, queries: list[dict]) -> dict[str, dict[str, float]]:
    """{system: {"recall_same", "ndcg_same", "recall_cross", "ndcg_cross"}} averaged over queries."""
    figures: dict[str, dict[str, float]] = {}
    for name, (run, expand) in systems.items():
        sums = {"recall_same": [], "ndcg_same": [], "recall_cross": [], "ndcg_cross": []}
        for q in queries:
            ranked = run(q["text"], expand)
            relevant = set(q["relevant"])
            kind = "cross" if q.get("cross") else "same"
            sums[f"recall_{kind}"].append(recall_at(ranked, relevant))
            sums[f"ndcg_{kind}"].append(ndcg_at(ranked, relevant))
        figures[name] = {k: sum(v) / len(v) if v else 0.0 for k, v in sums.items()}
    return figures


def misses(run, queries: list[dict], expand: bool = False) -> list[str]:
    out = []
    for q in queries:
        if q.get("cross"):
            continue
        ranked = run(q["text"], expand)
        lost = [d for d in q["relevant"] if d not in ranked[:K]]
        if lost:
            out.append(f"  {q['text']!r} ({q['lang']}): missed {', '.join(lost)}; top {ranked[:3]}")
    return out


def run_all() -> tuple[dict[str, dict[str, float]], list[str]]:
    docs, queries = load()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ours = our_system(docs, root)
        standard = whoosh_system(docs, root, "standard")
        language = whoosh_system(docs, root, "language")
        systems = {
            "ours": (ours, False),
            "ours+expand": (ours, True),
            "standard": (standard, False),
            "language": (language, False),
        }
        return evaluate(systems, queries), misses(ours, queries)


def main() -> None:
    docs, queries = load()
    same = sum(1 for q in queries if not q.get("cross"))
    figures, missed = run_all()
    print(f"{len(docs)} documents, {same} same-language and {len(queries) - same} cross-language queries, k={K}")
    print(f"{'system':<12} {'recall@10':>10} {'nDCG@10':>9} {'cross recall@10':>16} {'cross nDCG@10':>14}")
    for name, f in figures.items():
        print(
            f"{name:<12} {f['recall_same']:>10.3f} {f['ndcg_same']:>9.3f} {f['recall_cross']:>16.3f} {f['ndcg_cross']:>14.3f}"
        )
    if missed:
        print("ours (no expansion) missed:")
        print("\n".join(missed))


if __name__ == "__main__":
    main()
