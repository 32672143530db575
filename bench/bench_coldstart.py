"""Cold start: a fresh process's first search and first classification, with and without the caches.

Run: .venv/bin/python bench/bench_coldstart.py [--data-dir DIR] [--query lastensuojelu] [--repeat 2]

Every figure is a new Python process. "cache off" sets NORDSEARCH_CACHE=off: every process loads
simplemma's dictionaries and analyses the thesaurus itself, as before the caches existed.
"cache on" uses a private cache directory warmed once beforehand (the per-machine state after
the first run). The search's own per-query answer cache (index/query-cache.sqlite) is deleted
before each search run, so the query really is analysed and expanded. Without --data-dir, a
small data directory is built by ingesting ../shared/data/seeds.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "data" / "seeds"
NORDSEARCH = REPO / ".venv" / "bin" / "nordsearch"

CLASSIFY = """
import time
started = time.perf_counter()
from corpus.model import Section
from index.classify import classifier_for
classify = classifier_for(None)
classify("Barnevernet i Norge", "", (Section(text="Kommunens barnevernstjeneste har ansvar for fosterhjem.", lang="nb"),))
print(f"{time.perf_counter() - started:.3f}")
"""


def timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def search_cmd(data_dir: Path, query: str) -> list[str]:
    return [str(NORDSEARCH), "--data-dir", str(data_dir), "search", query, "--json"]


def run_search(data_dir: Path, query: str, env: dict[str, str]) -> float:
    (data_dir / "index" / "query-cache.sqlite").unlink(missing_ok=True)
    return timed(search_cmd(data_dir, query), env)


def run_classify(env: dict[str, str]) -> float:
    out = subprocess.run(
        [sys.executable, "-c", CLASSIFY], env=env, cwd=REPO, check=True, capture_output=True, text=True
    ).stdout
    return float(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="a data directory with an index (default: ingest the seeds)")
    parser.add_argument("--query", default="lastensuojelu")
    parser.add_argument("--repeat", type=int, default=2, help="runs per figure (the best is shown)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="nordsearch-coldstart-"))
    base = {**os.environ, "PYTHONPATH": str(REPO)}
    data_dir = args.data_dir
    if data_dir is None:
        data_dir = work / "data"
        subprocess.run([str(NORDSEARCH), "--data-dir", str(data_dir), "ingest", str(SEEDS)], env=base, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    envs = {
        "cache off": {**base, "NORDSEARCH_CACHE": "off"},
        "cache on": {**base, "NORDSEARCH_CACHE": str(work / "cache")},
    }
    print(f"cores: {os.cpu_count()}, data dir: {data_dir}, query: {args.query!r}, best of {args.repeat}")
    started = time.perf_counter()
    run_search(data_dir, args.query, envs["cache on"])
    run_classify(envs["cache on"])
    print(f"first run with an empty cache (builds lexicons + thesaurus): {time.perf_counter() - started:.2f} s")
    print(f"{'':<10} {'search (s)':>11} {'classifier (s)':>15}")
    for name, env in envs.items():
        search = min(run_search(data_dir, args.query, env) for _ in range(args.repeat))
        classify = min(run_classify(env) for _ in range(args.repeat))
        print(f"{name:<10} {search:>11.2f} {classify:>15.2f}", flush=True)
    print("search: wall time of the whole `nordsearch search` process; classifier: in-process, import to answer")


if __name__ == "__main__":
    main()
