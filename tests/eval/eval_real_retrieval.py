"""Relevance on real documents: P@5, nDCG@10, junk in the top 5, zero results, per language and overall.

The judged set is tests/fixtures/relevance (queries.toml, judgements.toml: 67 queries in fi, sv,
nb/nn, da and en, graded 0-3 over the real documents of ../shared/data). The collection is
built through nordsearch's own ingest and index (tests/eval/real_collection.py); nordsearch and
the plain whoosh baseline (StandardAnalyzer, BM25F, words OR'ed with coordination) are run in
the same process over the same documents.

Figures, per query then averaged (per query language and overall):
- P@5: documents graded 2 or 3 among the top 5, over 5;
- nDCG@10: gain = the grade (the original definition; 2^grade - 1 would weigh most the 2-vs-3
  line, the least reliable part of one judge's grades), the ideal ranking from every judged
  document of the query;
- junk@5: documents graded 0 in the top 5 (the issue's goal: at most one per five queries,
  so a mean of 0.2), and `unjudged@5` apart: documents nobody graded yet (pool them with
  tests/eval/pool_real_retrieval.py and grade them before trusting a figure);
- zero: queries with no hit at all, and of those the ones the result offers no suggestion for.
Queries tagged no-answer have no relevant document: they count only for junk and zero.
A hit stands for every judged document it contains (a hit may be a work of several
documents): its grade is the best of theirs.

    .venv/bin/python tests/eval/eval_real_retrieval.py [--data-dir DIR] [--subset] [--show ID]

`--subset` measures the fast floor-test subset (`subset_collection`); `--show ID` prints one
query's top 10 with grades.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

EVAL = Path(__file__).resolve().parent
REPO = EVAL.parents[1]
for p in (str(REPO), str(EVAL)):
    if p not in sys.path:
        sys.path.insert(0, p)

from real_collection import build_collection, key_of, regeringen_records  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "relevance"
K_PRECISION = 5
K_NDCG = 10
RELEVANT = 2  # grades from here up count as relevant for P@5
#: Query languages as reported: Bokmål and Nynorsk together.
LANG_GROUPS = {"fi": "fi", "sv": "sv", "nb": "nb/nn", "nn": "nb/nn", "da": "da", "en": "en"}
#: Every SUBSET_STRIDE-th regeringen record nobody judged joins the subset as a distractor.
SUBSET_STRIDE = 8


@dataclass(frozen=True)
class Ranked:
    """One system's answer to one query: the judged keys of each hit, in rank order."""

    hits: tuple[tuple[str, ...], ...]
    total: int
    suggested: bool = False  # the result offers a suggestion (did you mean, a relaxation)


Run = Callable[[str], Ranked]


@dataclass
class Figures:
    p5: list[float] = field(default_factory=list)
    ndcg: list[float] = field(default_factory=list)
    junk: list[int] = field(default_factory=list)
    unjudged: list[int] = field(default_factory=list)
    zero: int = 0
    zero_unhelped: int = 0
    queries: int = 0

    def summary(self) -> dict[str, float]:
        mean = lambda xs: sum(xs) / len(xs) if xs else 0.0  # noqa: E731
        return {
            "queries": self.queries,
            "p5": mean(self.p5),
            "ndcg10": mean(self.ndcg),
            "junk5": mean(self.junk),
            "unjudged5": mean(self.unjudged),
            "zero": self.zero,
            "zero_unhelped": self.zero_unhelped,
        }


def load_queries() -> list[dict]:
    return tomllib.loads((FIXTURES / "queries.toml").read_text(encoding="utf-8"))["query"]


def load_judgements() -> dict[str, dict[str, int]]:
    return {q: dict(g) for q, g in tomllib.loads((FIXTURES / "judgements.toml").read_text(encoding="utf-8")).items()}


def hit_grade(keys: tuple[str, ...], grades: dict[str, int]) -> int | None:
    """The best grade of the judged documents a hit contains; None when none of them is judged."""
    known = [grades[k] for k in keys if k in grades]
    return max(known) if known else None


def ndcg_at(gains: list[int], ideal_grades: list[int], k: int = K_NDCG) -> float:
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains[:k]))
    ideal = sorted(ideal_grades, reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def score_query(ranked: Ranked, grades: dict[str, int], no_answer: bool, fig: Figures) -> None:
    fig.queries += 1
    found = [hit_grade(keys, grades) for keys in ranked.hits]
    top5 = found[:K_PRECISION]
    fig.junk.append(sum(1 for g in top5 if g == 0))
    fig.unjudged.append(sum(1 for g in top5 if g is None))
    if ranked.total == 0:
        fig.zero += 1
        if not ranked.suggested:
            fig.zero_unhelped += 1
    if no_answer:
        return
    fig.p5.append(sum(1 for g in top5 if g is not None and g >= RELEVANT) / K_PRECISION)
    fig.ndcg.append(ndcg_at([g or 0 for g in found], list(grades.values())))


def evaluate(runs: dict[str, Run], queries: list[dict], judgements: dict[str, dict[str, int]]):
    """{system: {"all": Figures, "no-answer": Figures, <lang group>: Figures}}"""
    out: dict[str, dict[str, Figures]] = {}
    for name, run in runs.items():
        per: dict[str, Figures] = {}
        for q in queries:
            ranked = run(q["text"])
            grades = judgements.get(q["id"], {})
            no_answer = "no-answer" in q.get("tags", ())
            groups = ["all", "no-answer" if no_answer else LANG_GROUPS[q["lang"]]]
            for group in groups:
                score_query(ranked, grades, no_answer, per.setdefault(group, Figures()))
        out[name] = per
    return out


# -- systems ------------------------------------------------------------------------------------


def hit_keys(hit) -> tuple[str, ...]:
    """The judged keys of one search hit: its own URL and the URLs of documents it groups."""
    urls = [hit.url, *(getattr(d, "url", d) for d in getattr(hit, "documents", ()) or ())]
    return tuple(dict.fromkeys(key_of(u) for u in urls if u))


def nordsearch_run(data_dir, *, expand: bool = True) -> Run:
    from search.model import SearchRequest
    from search.query import search

    def run(text: str) -> Ranked:
        result = search(data_dir, SearchRequest(query=text, limit=K_NDCG, expand=expand))
        suggested = bool(getattr(result, "suggestions", ()) or getattr(result, "relaxations", ()))
        return Ranked(tuple(hit_keys(h) for h in result.hits), result.total, suggested)

    return run


def baseline_run(data_dir, root: Path) -> Run:
    from real_systems import whoosh_system

    system = whoosh_system(data_dir, root, "standard")

    def run(text: str) -> Ranked:
        keys = system(text, K_NDCG)
        return Ranked(tuple((k,) for k in keys), len(keys))

    return run


def subset_keys(judgements: dict[str, dict[str, int]]) -> set[str]:
    """The fast subset: every judged file and regeringen record, and every SUBSET_STRIDE-th other record."""
    judged = {k for grades in judgements.values() for k in grades}
    keep = set(judged)
    for i, r in enumerate(regeringen_records()):
        key = key_of(r["url"])
        if key in judged or i % SUBSET_STRIDE == 0:
            keep.add(key)
    return keep


def measure(root: Path, *, data_dir=None, subset: bool = False, systems: tuple[str, ...] = ("nordsearch", "whoosh")):
    """(figures per system, the data directory) over a collection built under `root` (or `data_dir`)."""
    queries, judgements = load_queries(), load_judgements()
    if data_dir is None:
        data_dir = build_collection(root, keep=subset_keys(judgements) if subset else None)
    runs: dict[str, Run] = {}
    if "nordsearch" in systems:
        runs["nordsearch"] = nordsearch_run(data_dir)
    if "nordsearch-noexpand" in systems:
        runs["nordsearch-noexpand"] = nordsearch_run(data_dir, expand=False)
    if "whoosh" in systems:
        runs["whoosh"] = baseline_run(data_dir, root)
    return evaluate(runs, queries, judgements), data_dir


def print_figures(figures: dict[str, dict[str, Figures]]) -> None:
    groups = ["all", "fi", "sv", "nb/nn", "da", "en", "no-answer"]
    print(
        f"{'system':<20} {'group':<10} {'n':>3} {'P@5':>6} {'nDCG@10':>8} {'junk@5':>7} {'unjudged@5':>11} {'zero':>5} {'zero w/o help':>14}"
    )
    for name, per in figures.items():
        for group in groups:
            if group not in per:
                continue
            s = per[group].summary()
            print(
                f"{name:<20} {group:<10} {s['queries']:>3} {s['p5']:>6.3f} {s['ndcg10']:>8.3f} {s['junk5']:>7.3f} "
                f"{s['unjudged5']:>11.3f} {s['zero']:>5} {s['zero_unhelped']:>14}"
            )


def show(data_dir, query_id: str) -> None:
    from search.model import SearchRequest
    from search.query import search

    q = next(q for q in load_queries() if q["id"] == query_id)
    grades = load_judgements().get(query_id, {})
    result = search(data_dir, SearchRequest(query=q["text"], limit=K_NDCG))
    print(f"{q['text']!r} [{q['lang']}] total {result.total}, query language {result.query_lang}; need: {q['need']}")
    for n, h in enumerate(result.hits, 1):
        g = hit_grade(hit_keys(h), grades)
        print(f"{n:>2}. [{'?' if g is None else g}] {h.lang} {h.title[:90]!r}  {hit_keys(h)[0][:80]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="a collection built before (its data directory)")
    parser.add_argument("--subset", action="store_true", help="the fast floor-test subset of the collection")
    parser.add_argument("--show", action="append", default=[], metavar="ID", help="print one query's top 10")
    parser.add_argument("--no-expand", action="store_true", help="also measure nordsearch without expansion")
    args = parser.parse_args()
    from corpus.config import DataDir

    print(f"machine: {os.cpu_count()} cores, load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    systems = ("nordsearch", "nordsearch-noexpand", "whoosh") if args.no_expand else ("nordsearch", "whoosh")
    with tempfile.TemporaryDirectory() as tmp:
        given = DataDir(args.data_dir) if args.data_dir else None
        figures, data_dir = measure(Path(tmp), data_dir=given, subset=args.subset, systems=systems)
        print_figures(figures)
        for query_id in args.show:
            show(data_dir, query_id)


if __name__ == "__main__":
    main()
