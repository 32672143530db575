"""Cross-lingual retrieval with the thesaurus: recall@10 / nDCG@10 with and without expansion.

Runs the real index and search (tests/eval/eval_retrieval.py's `our_system`) over the retrieval
documents, with the retrieval set's queries plus tests/fixtures/areas/retrieval/cross_queries.toml
(10 more cross-language queries). Reported twice: expansion as search.query calls it today (one
clause at a time), and through `search.expand.expand_clauses` (thesaurus phrases such as
`ekonomiskt bistånd` matched across clauses), patched in for this measurement only.

    .venv/bin/python tests/eval/eval_cross_retrieval.py
"""

from __future__ import annotations

import sys
import tempfile
import tomllib
from pathlib import Path

EVAL = Path(__file__).resolve().parent
REPO = EVAL.parents[1]
for p in (str(REPO), str(EVAL)):
    if p not in sys.path:
        sys.path.insert(0, p)

from eval_retrieval import load, ndcg_at, our_system, recall_at  # noqa: E402

EXTRA = REPO / "tests" / "fixtures" / "areas" / "retrieval" / "cross_queries.toml"


def phrase_aware(clauses, query_lang, data_dir=None):
    """search.query.expand_clauses, but with the thesaurus matched over the whole query."""
    from index.backend import Clause, Expansion
    from search.expand import expand_clauses

    words = [c for c in clauses if not c.exclude]
    found = dict(
        zip(map(id, words), expand_clauses([c.text for c in words], query_lang, data_dir=data_dir), strict=True)
    )
    out, shown = [], {}
    for c in clauses:
        pairs = found.get(id(c), ())
        if pairs:
            shown[c.text] = list(dict.fromkeys(t.text for t in pairs))
        out.append(Clause(c.text, c.phrase, c.exclude, tuple(Expansion(text=t.text, lang=t.lang) for t in pairs)))
    return tuple(out), shown


def measure(run, queries) -> dict:
    out = {}
    for kind in ("same", "cross"):
        chosen = [q for q in queries if bool(q.get("cross")) == (kind == "cross")]
        for expand in (False, True):
            r = [recall_at(run(q["text"], expand), set(q["relevant"])) for q in chosen]
            n = [ndcg_at(run(q["text"], expand), set(q["relevant"])) for q in chosen]
            out[f"{kind}_{'expand' if expand else 'plain'}"] = (len(chosen), sum(r) / len(r), sum(n) / len(n))
    return out


def main() -> None:
    import search.query as query

    docs, queries = load()
    queries += tomllib.loads(EXTRA.read_text(encoding="utf-8"))["query"]
    with tempfile.TemporaryDirectory() as tmp:
        run = our_system(docs, Path(tmp))
        results = {"per clause (search.query today)": measure(run, queries)}
        query.expand_clauses = phrase_aware
        results["phrase-aware (search.expand.expand_clauses)"] = measure(run, queries)
    print(
        f"{len(docs)} documents; {sum(1 for q in queries if q.get('cross'))} cross-language queries, "
        f"{sum(1 for q in queries if not q.get('cross'))} same-language; k=10"
    )
    for label, figures in results.items():
        print(label)
        for key, (n, recall, ndcg) in figures.items():
            print(f"  {key:<14} n={n:<3} recall@10 {recall:.3f}  nDCG@10 {ndcg:.3f}")


if __name__ == "__main__":
    main()
