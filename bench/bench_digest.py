"""Digest draft time on a 10k-document store, against a naive baseline that loads every document.

Run: .venv/bin/python bench/bench_digest.py [--docs 10000] [--days 31] [--repeat 3] [--store PATH]

The store is generated: titles and text from the Swedish government documents in
../shared/data/text (the Finnish seed documents for Finnish), spread over two years and twenty
publishers, each with three sections and one to three substance areas; one document in six has
a language version (same source, a few days later, the same report number). The window is the
last `--days` days with three areas chosen, as a consultant drafts a monthly digest.

    draft     search.digest.draft_digest: SQL picks the window's rows, sections only for items
    baseline  every document loaded with its sections (Store.documents(with_sections=True)),
              then the same filtering, grouping and summaries in Python
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "data"

AREAS = (
    "child-protection", "older-people", "disability", "adult-social-work", "substance-abuse-mental-health",
    "employment-inclusion", "integration-multicultural", "early-childhood-education",
)  # fmt: skip
CHOSEN = ("child-protection", "older-people", "adult-social-work")
LANGS = ("fi", "sv", "nb", "da", "en")
COUNTRY = {"fi": "FI", "sv": "SE", "nb": "NO", "da": "DK", "en": "NORDIC"}
START = date(2025, 1, 1)
SPAN_DAYS = 730


def texts() -> tuple[list[tuple[str, str]], list[str]]:
    """(title, text) pairs of real Swedish documents, and real Finnish paragraphs."""
    swedish = []
    path = DATA / "text" / "sv_regeringen_welfare.jsonl"
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            swedish = [(r["title"], r["text"]) for r in map(json.loads, fh) if len(r["text"]) > 400]
    finnish = []
    for p in sorted((DATA / "seeds").glob("*.txt")) if (DATA / "seeds").is_dir() else []:
        finnish += [x for x in p.read_text(encoding="utf-8").split("\n\n") if len(x) > 200]
    if not swedish:  # no shared data: synthetic text keeps the benchmark runnable
        swedish = [(f"Rapport {i}", "Barnskyddet behöver fler familjehem. " * 40) for i in range(200)]
    return swedish, finnish or ["Lastensuojelun tarve kasvoi vuonna 2025. " * 30]


def build(path: Path, n: int, seed: int = 7) -> None:
    from corpus.model import AreaMatch, Document, Section
    from corpus.store import Store

    rng = random.Random(seed)
    swedish, finnish = texts()
    store = Store(path)
    made = 0
    while made < n:
        title, text = swedish[made % len(swedish)]
        lang = rng.choice(LANGS)
        body = rng.choice(finnish) * 3 if lang == "fi" else text
        day = START + timedelta(days=rng.randrange(SPAN_DAYS))
        publisher = f"publisher-{rng.randrange(20)}"
        number = f"{rng.randrange(1, 99)}/{day.year}"
        areas = tuple(AreaMatch(a, round(rng.uniform(0.2, 1.0), 3), (a,)) for a in rng.sample(AREAS, rng.randint(1, 3)))
        editions = [(lang, day)]
        if rng.random() < 1 / 6:
            editions.append((rng.choice([x for x in LANGS if x != lang]), day + timedelta(days=rng.randrange(1, 20))))
        for k, (edition_lang, edition_day) in enumerate(editions):
            url = f"https://{publisher}.example/{edition_lang}/rapporter/{made}-{k}"
            chunks = [body[i : i + 1500] for i in range(0, min(len(body), 4500), 1500)] or [body]
            sections = tuple(
                Section(
                    c,
                    edition_lang,
                    "Sammanfattning" if i == 0 and k == 0 else "",
                    "summary" if i == 0 and k == 0 else "body",
                    i,
                )
                for i, c in enumerate(chunks)
            )
            store.save(
                Document(
                    id=f"d{made:05d}-{k}",
                    url=url,
                    title=f"{title[:120]} Rapport {number}",
                    lang=edition_lang,
                    langs=(edition_lang,),
                    country=COUNTRY[edition_lang],
                    publisher=publisher,
                    source=publisher,
                    format="html",
                    date=edition_day.isoformat(),
                    content_hash=f"h{made}-{k}",
                    first_seen=f"{edition_day.isoformat()}T05:00:00+00:00",
                    sections=sections,
                    areas=areas,
                )
            )
            made += 1
    store.close()


def baseline(store, since: date, until: date, areas, lang: str) -> int:
    """The obvious way: load everything with sections, then filter, group and summarise."""
    from search.digest.draft import in_window
    from search.digest.grouping import Edition, group_versions
    from search.digest.summary import summarize

    docs = [
        d
        for d in store.documents(with_sections=True)
        if (in_window(d.date, since, until) or in_window(d.first_seen, since, until))
    ]
    by_id = {d.id: d for d in docs}
    editions = [
        Edition(
            d.id, d.url, d.title, d.lang, d.publisher, d.source, d.date, " ".join(s.text for s in d.sections[:2])[:1500]
        )
        for d in docs
    ]
    items = 0
    for group in group_versions(editions):
        if any(a in areas for e in group for a in by_id[e.id].area_ids):
            summarize(by_id[group[0].id], lang)
            items += 1
    return items


def best_of(repeat: int, fn) -> tuple[float, float, object]:
    """Best wall-clock and best CPU time of `repeat` runs (CPU time is steadier on a shared machine)."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000, help="documents in the generated store")
    parser.add_argument("--days", type=int, default=31, help="length of the digest window (days)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best is reported)")
    parser.add_argument("--store", type=Path, help="reuse (or create) the store at this path")
    args = parser.parse_args()

    from corpus.store import Store
    from search.digest import draft_digest

    path = args.store or Path(tempfile.mkdtemp(prefix="bench-digest-")) / "store.sqlite"
    if not path.exists():
        start = time.perf_counter()
        build(path, args.docs)
        print(f"built {args.docs} documents in {time.perf_counter() - start:.1f} s at {path}")
    store = Store(path)
    until = START + timedelta(days=SPAN_DAYS - 1)
    since = until - timedelta(days=args.days - 1)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"cpu count {os.cpu_count()} · load {load:.1f} · python {platform.python_version()} · {platform.machine()}")
    print(
        f"store: {store.count()} documents, {path.stat().st_size / 1e6:.1f} MB; window {since}–{until}, areas {', '.join(CHOSEN)}"
    )
    wall, cpu, digest = best_of(args.repeat, lambda: draft_digest(store, since=since, until=until, areas=CHOSEN))
    grouped = sum(1 for i in digest.items if len(i.versions) > 1)
    print(
        f"draft               {wall * 1000:7.0f} ms wall {cpu * 1000:7.0f} ms cpu  ({len(digest.items)} items, {grouped} grouped)"
    )
    wall_all, cpu_all, every = best_of(args.repeat, lambda: draft_digest(store, since=since, until=until))
    print(
        f"draft, every area   {wall_all * 1000:7.0f} ms wall {cpu_all * 1000:7.0f} ms cpu  ({len(every.items)} items)"
    )
    base_wall, base_cpu, n = best_of(args.repeat, lambda: baseline(store, since, until, CHOSEN, "fi"))
    print(
        f"baseline            {base_wall * 1000:7.0f} ms wall {base_cpu * 1000:7.0f} ms cpu  ({n} items; all documents loaded)"
    )
    print(f"speed-up            {base_wall / wall:7.1f} x wall {base_cpu / cpu:7.1f} x cpu")
    store.close()


if __name__ == "__main__":
    main()
