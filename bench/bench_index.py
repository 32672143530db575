"""Indexing and query speed on a generated corpus of realistic documents, vs plain whoosh.

The corpus: 20% web pages (~3 KB), 60% reports (~60 KB), 20% long reports (~300 KB), text cut
from ../shared/data (Swedish government texts, the Finnish seed documents, UD sentences for
nb, nn, da and en), with countries, publishers and dates for filters. Reported:
- indexing MB/s and docs/s with all cores (the Nordic analysis in worker processes), index size;
- plain whoosh on the first documents of the same corpus: StandardAnalyzer, one field, one
  process, non-compound segments;
- query p50/p95 over 200 queries (1–3 words in the six languages) without and with filters,
  in a warm process;
- the cold start of one `nordsearch search` subprocess: a query never seen, and the same again.

    .venv/bin/python bench/bench_index.py --docs 1000
    .venv/bin/python bench/bench_index.py --docs 10000 --plain-docs 300
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DATA = REPO.parent / "shared" / "data"
KINDS = ((0.2, "web page", 3_000), (0.6, "report", 60_000), (0.2, "report", 300_000))
LANG_MIX = (("sv", 0.35), ("fi", 0.25), ("nb", 0.12), ("nn", 0.05), ("da", 0.15), ("en", 0.08))
COUNTRY = {"sv": "SE", "fi": "FI", "nb": "NO", "nn": "NO", "da": "DK", "en": "NORDIC"}
QUERY_WORDS = {
    "fi": ["lastensuojelu", "sijaishuolto", "kotihoito", "vanhuspalvelut", "toimeentulotuki", "kunta", "sosiaalityö"],
    "sv": ["barnskydd", "äldreomsorg", "familjehem", "socialtjänsten", "kommunerna", "funktionsnedsättning", "LSS"],
    "nb": ["barnevern", "fosterhjem", "eldreomsorg", "sosialhjelp", "kommunene", "NAV", "rus"],
    "nn": ["barnevernet", "fosterheim", "kommunane", "eldreomsorga", "helse"],
    "da": ["anbringelse", "plejefamilie", "ældrepleje", "kommunerne", "kontanthjælp", "borgere"],
    "en": ["foster care", "elderly care", "social assistance", "municipalities", "homelessness"],
}


def source_texts() -> dict[str, str]:
    """A long text per language to cut documents from."""
    texts: dict[str, list[str]] = {lang: [] for lang, _ in LANG_MIX}
    with open(DATA / "text" / "sv_regeringen_welfare.jsonl", encoding="utf-8") as f:
        texts["sv"] = [json.loads(line)["text"] for line in f]
    texts["fi"] = [p.read_text(encoding="utf-8") for p in sorted((DATA / "seeds").glob("*.txt"))]
    with open(DATA / "ud" / "sentences.tsv", encoding="utf-8") as f:
        next(f)
        for line in f:
            lang, _, text = line.rstrip("\n").split("\t", 2)
            if lang in texts and lang not in ("sv", "fi"):
                texts[lang].append(text)
    return {lang: " ".join(parts) for lang, parts in texts.items()}


def generate(n: int, seed: int = 7):
    from corpus.model import Document, Section

    rnd = random.Random(seed)
    texts = source_texts()
    langs, weights = zip(*LANG_MIX, strict=True)
    for i in range(n):
        lang = rnd.choices(langs, weights)[0]
        doc_type, size = rnd.choices([(k, s) for _, k, s in KINDS], [share for share, _, _ in KINDS])[0]
        source = texts[lang]
        size = int(size * rnd.uniform(0.7, 1.3))
        chunks = []
        while sum(len(c) for c in chunks) < size:  # sources shorter than a long report repeat
            start = rnd.randrange(0, max(1, len(source) - 20_000))
            chunks.append(source[start : start + min(size, 20_000)])
        body = " ".join(chunks)[:size]
        paragraphs = [body[j : j + 4000] for j in range(0, len(body), 4000)]
        year = rnd.randint(2010, 2026)
        yield Document(
            id=f"bench{i:06d}",
            url=f"https://bench.example/{lang}/{i}",
            title=body[:80].split(".")[0],
            lang=lang,
            langs=(lang,),
            country=COUNTRY[lang],
            publisher=f"Publisher {rnd.randint(1, 12)}",
            doc_type=doc_type,
            date=f"{year}-{rnd.randint(1, 12):02d}-01",
            content_hash=str(i),
            sections=tuple(Section(text=p, lang=lang, position=k) for k, p in enumerate(paragraphs)),
        )


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def segment_count(index_dir: Path) -> int:
    from whoosh import index

    return len(index.open_dir(str(index_dir))._segments())


def bench_plain(store, root: Path, limit: int) -> dict:
    from whoosh import index
    from whoosh.analysis import StandardAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    path = root / "plain"
    shutil.rmtree(path, ignore_errors=True)  # a kept data dir from an earlier run
    path.mkdir()
    ix = index.create_in(str(path), Schema(id=ID(stored=True, unique=True), body=TEXT(analyzer=StandardAnalyzer())))
    docs = [doc for _, doc in zip(range(limit), (d for _, d in store.changed_since(0)), strict=False)]
    size = sum(len(d.text.encode("utf-8")) for d in docs)
    started = time.perf_counter()
    w = ix.writer(compound=False, limitmb=256)
    for d in docs:
        w.add_document(id=d.id, body=d.text)
    w.commit()
    took = time.perf_counter() - started
    return {
        "docs": len(docs),
        "mb": size / 1e6,
        "seconds": took,
        "mb_s": size / 1e6 / took,
        "size_mb": dir_size(path) / 1e6,
    }


def queries(n: int, seed: int = 3) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        lang = rnd.choice(list(QUERY_WORDS))
        out.append(" ".join(rnd.sample(QUERY_WORDS[lang], rnd.randint(1, 3))))
    return out


def bench_queries(data_dir, n: int, *, cold_terms: bool = False) -> dict:
    from search.model import SearchRequest
    from search.query import _backend, search

    def forget() -> None:  # every query reads and scores its posting lists again
        if cold_terms:
            _backend(data_dir).arrays().forget_terms()

    qs = queries(n)
    for q in qs[:40]:  # warm-up: dictionaries load on first use in a process
        search(data_dir, SearchRequest(query=q))
    out = {}
    rnd = random.Random(5)
    for label in ("no filters", "filters"):
        times = []
        for q in qs:
            kw = {}
            if label == "filters":
                kw = {"langs": (rnd.choice(["sv", "fi", "nb", "da"]),), "year_from": 2015, "year_to": 2022}
            forget()
            t = time.perf_counter()
            search(data_dir, SearchRequest(query=q, **kw))
            times.append(time.perf_counter() - t)
        times.sort()
        out[label] = {"p50_ms": 1000 * statistics.median(times), "p95_ms": 1000 * times[int(0.95 * len(times)) - 1]}
    return out


#: Queries timed one by one, with and without cross-lingual expansion (issue 3's slow example).
SINGLE_QUERIES = ("lastensuojelu sijaishuolto", "barnskydd kommunerna", "LSS")


def query_only(root: Path, n: int, *, cold_terms: bool = False) -> None:
    """Query latency on an existing data directory: the mixed 200 queries, then single queries ±expansion.

    `cold_terms`: no per-searcher cache of term scores and phrases (index.bulk), so every query
    reads and scores its posting lists again (the queries here repeat a small vocabulary).
    """
    from corpus.config import DataDir
    from search.model import SearchRequest
    from search.query import _backend, search

    data_dir = DataDir(root)
    docs = _backend(data_dir).count(include_withdrawn=True)
    print(f"cpu count {os.cpu_count()}, {docs} documents in {root}")
    cold = ", term cache off" if cold_terms else ""
    for label, f in bench_queries(data_dir, n, cold_terms=cold_terms).items():
        print(f"queries ({label}{cold}): p50 {f['p50_ms']:.0f} ms, p95 {f['p95_ms']:.0f} ms over {n}")
    for q in SINGLE_QUERIES:
        for expand in (False, True):
            times = []
            for _ in range(5):
                if cold_terms:
                    _backend(data_dir).arrays().forget_terms()
                t = time.perf_counter()
                search(data_dir, SearchRequest(query=q, expand=expand))
                times.append(time.perf_counter() - t)
            print(f"{q!r} expansion {'on ' if expand else 'off'}: median {1000 * statistics.median(times):.0f} ms of 5")


def cold_start(data_dir, runs: int = 3) -> dict:
    """Wall time of fresh `nordsearch search` processes, median of `runs` (the machine is shared).

    "new query": a query text never searched before (the query cache has no answer for it);
    "same again": that query once more (answered from the query cache)."""
    exe = Path(sys.executable).with_name("nordsearch")

    def timed(*args: str) -> float:
        t = time.perf_counter()
        subprocess.run([str(exe), *args], check=True, capture_output=True)
        return time.perf_counter() - t

    new, again, help_ = [], [], []
    for _ in range(runs):
        query = f"barnskydd kommunerna {time.time_ns() % 10_000_000}"
        new.append(timed("--data-dir", str(data_dir.root), "search", query, "--json"))
        again.append(timed("--data-dir", str(data_dir.root), "search", query, "--json"))
        help_.append(timed("--help"))
    return {
        "new query": statistics.median(new),
        "same again": statistics.median(again),
        "--help": statistics.median(help_),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000, help="documents to generate (1000, 10000)")
    parser.add_argument("--plain-docs", type=int, default=300, help="documents for the plain whoosh comparison")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="keep the data directory here")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="only time queries against this existing data directory (e.g. bench/out/web-10k); nothing is built",
    )
    parser.add_argument(
        "--cold-terms",
        action="store_true",
        help="with --data-dir: no cache of term scores between queries (every query reads its postings)",
    )
    args = parser.parse_args()
    if args.data_dir:
        query_only(args.data_dir, args.queries, cold_terms=args.cold_terms)
        return

    from corpus.config import DataDir, worker_count
    from corpus.store import Store
    from index.update import update_index

    root = args.keep or Path(tempfile.mkdtemp(prefix="nordsearch-bench-"))
    data_dir = DataDir(root / "data").ensure()
    print(f"cpu count {os.cpu_count()}, workers {worker_count(data_dir.settings())}, {args.docs} documents in {root}")
    t = time.perf_counter()
    total = 0
    with Store(data_dir.store_file) as store:
        for doc in generate(args.docs):
            store.save(doc)
            total += len(doc.text.encode("utf-8"))
        print(f"generated and stored {total / 1e6:.0f} MB of text in {time.perf_counter() - t:.0f} s")
        cpu = os.times()
        report = update_index(data_dir, store, rebuild=True)
        mb = total / 1e6
        print(
            f"nordsearch: {report.seconds:.1f} s, {mb / report.seconds:.2f} MB/s, {args.docs / report.seconds:.1f} docs/s, "
            f"index {dir_size(data_dir.index_dir) / 1e6:.0f} MB in {segment_count(data_dir.index_dir)} segments; "
            f"CPU of this process {sum(os.times()[:2]) - sum(cpu[:2]):.0f} s"
        )
        plain = bench_plain(store, root, args.plain_docs)
        print(
            f"plain whoosh (StandardAnalyzer, one field, one process) on {plain['docs']} docs / {plain['mb']:.0f} MB: "
            f"{plain['mb_s']:.2f} MB/s, index {plain['size_mb']:.0f} MB"
        )
    for label, f in bench_queries(data_dir, args.queries).items():
        print(f"queries ({label}): p50 {f['p50_ms']:.0f} ms, p95 {f['p95_ms']:.0f} ms over {args.queries}")
    for label, seconds in cold_start(data_dir).items():
        print(f"cold start ({label}): {seconds:.2f} s (median of 3)")


if __name__ == "__main__":
    main()
