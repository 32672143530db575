"""Analysis speed: MB of text per second in one process, Nordic analyzers vs whoosh's.

Run: .venv/bin/python bench/bench_analysis.py [--mb 2] [--repeat 3]

Text: Swedish government documents (../shared/data/text/sv_regeringen_welfare.jsonl) and the
Finnish seed documents (../shared/data/seeds/*.txt, repeated to the same size). Each analyzer
runs as the indexer runs it (positions on, index mode), after one warm-up pass over a different
slice: the first pass pays for loading dictionaries and filling the per-word cache, which a
long indexing run pays once. The cold pass (the first slice on a fresh cache) is reported too.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "data"


def swedish_text(limit: int) -> list[str]:
    out, size = [], 0
    with open(DATA / "text" / "sv_regeringen_welfare.jsonl", encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"]
            out.append(text)
            size += len(text.encode())
            if size >= limit:
                break
    return out


def finnish_text(limit: int) -> list[str]:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((DATA / "seeds").glob("*.txt"))]
    out, size = [], 0
    while size < limit:
        for text in seeds:
            out.append(text)
            size += len(text.encode())
    return out


def rate(analyzer, docs: list[str]) -> float:
    size = sum(len(d.encode()) for d in docs)
    started = time.perf_counter()
    for doc in docs:
        for _ in analyzer(doc, positions=True, mode="index"):
            pass
    return size / (time.perf_counter() - started) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=2.0, help="MB of text per measured pass")
    args = parser.parse_args()
    from whoosh.analysis import LanguageAnalyzer, StandardAnalyzer

    from index.analysis import analyzer_for, folded_analyzer_for, voikko_available

    limit = int(args.mb * 1e6)
    sv = swedish_text(2 * limit)
    half = len(sv) // 2
    corpora = {"sv": (sv[:half], sv[half:]), "fi": (finnish_text(limit), finnish_text(limit))}
    print(f"cores: {os.cpu_count()}, Voikko: {voikko_available()}, {args.mb} MB per pass, one process")
    print(f"{'lang':<4} {'analyzer':<28} {'MB/s':>6}")
    for lang, (warm, measured) in corpora.items():
        analyzers = {
            "whoosh StandardAnalyzer": StandardAnalyzer(),
            "whoosh LanguageAnalyzer": LanguageAnalyzer(lang),
            "nordsearch (cold)": analyzer_for(lang),
            "nordsearch (warm)": analyzer_for(lang),
            "nordsearch folded (warm)": folded_analyzer_for(lang),
        }
        for name, analyzer in analyzers.items():
            if name == "nordsearch (cold)":
                figure = rate(analyzer, warm)  # includes loading dictionaries and an empty cache
            else:
                rate(analyzer, warm[: max(1, len(warm) // 4)])
                figure = rate(analyzer, measured)
            print(f"{lang:<4} {name:<28} {figure:>6.2f}", flush=True)


if __name__ == "__main__":
    main()
