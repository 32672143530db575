"""Cold start: a fresh process's first search and first classification, with and without the caches.

Run: .venv/bin/python bench/bench_coldstart.py [--data-dir DIR] [--query lastensuojelu] [--repeat 5]

Every figure is a new Python process, reported as median (min) of --repeat runs: the machine
is shared, so one run says little. "cache off" sets NORDSEARCH_CACHE=off: every process loads
simplemma's dictionaries and analyses the thesaurus itself, as before the caches existed.
"cache on" uses a private cache directory warmed once beforehand (the per-machine state after
the first run). The search's own per-query answer cache (index/query-cache.sqlite) is deleted
before each search run, so the query really is analysed and expanded (issue 3's "query never
seen"); "same again" keeps it, so the second run of one query answers from it. Without
--data-dir, a small data directory is built by ingesting ../shared/data/seeds.
"""

from __future__ import annotations

import argparse
import os
import statistics
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


def run_again(data_dir: Path, query: str, env: dict[str, str]) -> float:
    timed(search_cmd(data_dir, query), env)  # answers now in the query cache
    return timed(search_cmd(data_dir, query), env)


def figure(times: list[float]) -> str:
    return f"{statistics.median(times):.2f} ({min(times):.2f})"


def run_classify(env: dict[str, str]) -> float:
    out = subprocess.run(
        [sys.executable, "-c", CLASSIFY], env=env, cwd=REPO, check=True, capture_output=True, text=True
    ).stdout
    return float(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="a data directory with an index (default: ingest the seeds)")
    parser.add_argument("--query", default="lastensuojelu")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median and best are shown)")
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
    print(f"cores: {os.cpu_count()}, data dir: {data_dir}, query: {args.query!r}, median (min) of {args.repeat}")
    started = time.perf_counter()
    run_search(data_dir, args.query, envs["cache on"])
    run_classify(envs["cache on"])
    print(f"first run with an empty cache (builds lexicons + thesaurus): {time.perf_counter() - started:.2f} s")
    print(f"{'':<10} {'search, never seen (s)':>23} {'search, same again (s)':>23} {'classifier (s)':>15}")
    for name, env in envs.items():
        new = [run_search(data_dir, args.query, env) for _ in range(args.repeat)]
        again = [run_again(data_dir, args.query, env) for _ in range(args.repeat)]
        classify = [run_classify(env) for _ in range(args.repeat)]
        print(f"{name:<10} {figure(new):>23} {figure(again):>23} {figure(classify):>15}", flush=True)
    print("search: wall time of the whole `nordsearch search` process; classifier: in-process, import to answer")


if __name__ == "__main__":
    main()
