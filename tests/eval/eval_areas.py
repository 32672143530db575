"""Area classification quality: the labelled set, the seed documents and regeringen.se categories.

    .venv/bin/python tests/eval/eval_areas.py            # figures for all three
    .venv/bin/python tests/eval/eval_areas.py --errors   # also every wrong document

The labelled set is tests/fixtures/areas/*.toml (short realistic texts in fi, sv, nb, nn, da, en,
including two-area documents, summaries in a second language and off-topic documents). The
larger check maps regeringen.se categories onto areas where they correspond and reports
agreement; the categories are incomplete labels, so precision there is a lower bound.
Floors are in tests/eval/floors.toml [areas], held by tests/index/test_areas_eval.py.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from corpus.model import Section  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "areas"
SHARED = REPO.parent / "shared" / "data"

#: regeringen.se categories → the areas that correspond to them (any one counts as agreement).
#: Integrated care and freedom of choice have no corresponding category, so their predictions
#: are not scored for precision; "Migration och asyl" is left out (asylum and return policy is
#: not integration work).
CATEGORY_AREAS = {
    "Äldreomsorg": {"older-people"},
    "Funktionshinder": {"disability"},
    "Psykiatri och psykisk hälsa": {"substance-abuse-mental-health"},
    "Integration": {"integration-multicultural"},
    "Migration och integration": {"integration-multicultural"},
    "Barnets rättigheter": {"families-children-youth", "child-protection"},
    "Barnkonventionen som svensk lag": {"families-children-youth", "child-protection"},
    "Familjerätt": {"families-children-youth", "child-protection"},
    "Våld i nära relationer och hedersvåld och förtryck": {"families-children-youth"},
    "Civila samhället och idrott": {"civil-society"},
    "Arbete mot utanförskap": {"employment-inclusion", "adult-social-work"},
    "Arbetsmarknad": {"employment-inclusion", "integration-multicultural"},
    "Barn- och ungdomsutbildning": {"early-childhood-education", "families-children-youth"},
    "Ungdomspolitik": {"families-children-youth", "employment-inclusion"},
    "Socialtjänst": {
        "child-protection",
        "adult-social-work",
        "substance-abuse-mental-health",
        "older-people",
        "disability",
        "families-children-youth",
        "social-work-competence",
        "knowledge-management",
    },
}


def load_labelled() -> list[dict]:
    docs = []
    for path in sorted(FIXTURES.glob("*.toml")):
        if path.name == "seeds.toml":
            continue
        docs += tomllib.loads(path.read_text(encoding="utf-8"))["doc"]
    return docs


def sections_of(doc: dict) -> tuple[Section, ...]:
    secs = []
    if doc.get("summary"):
        secs.append(Section(doc["summary"], doc.get("summary_lang", doc["lang"]), kind="summary", position=0))
    secs.append(Section(doc["text"], doc["lang"], position=len(secs)))
    return tuple(secs)


def scores(pairs: list[tuple[set, set]], area_ids) -> dict:
    """Micro/macro F1 and per-area precision/recall over (expected, predicted) pairs."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for expected, predicted in pairs:
        for a in predicted & expected:
            tp[a] += 1
        for a in predicted - expected:
            fp[a] += 1
        for a in expected - predicted:
            fn[a] += 1

    def prf(t, p, n):
        precision = t / (t + p) if t + p else 1.0
        recall = t / (t + n) if t + n else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    per_area = {}
    for a in area_ids:
        p, r, f = prf(tp[a], fp[a], fn[a])
        per_area[a] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "support": tp[a] + fn[a]}
    micro = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    with_support = [v["f1"] for v in per_area.values() if v["support"]]
    return {
        "micro_precision": round(micro[0], 3),
        "micro_recall": round(micro[1], 3),
        "micro_f1": round(micro[2], 3),
        "macro_f1": round(sum(with_support) / len(with_support), 3),
        "per_area": per_area,
    }


def evaluate_labelled(classify, area_ids, *, with_errors: bool = False) -> dict:
    docs = load_labelled()
    pairs, errors, offtopic_fp = [], [], 0
    for doc in docs:
        found = classify(doc["title"], "", sections_of(doc))
        predicted = {m.id for m in found}
        expected = set(doc["areas"])
        pairs.append((expected, predicted))
        if not expected and predicted:
            offtopic_fp += 1
        if predicted != expected:
            errors.append(
                {"id": doc["id"], "expected": sorted(expected), "got": [(m.id, m.score, m.terms) for m in found]}
            )
    result = scores(pairs, area_ids)
    result.update(
        documents=len(docs),
        offtopic=sum(1 for d in docs if not d["areas"]),
        offtopic_false_positives=offtopic_fp,
        langs=dict(Counter(d["lang"] for d in docs)),
    )
    if with_errors:
        result["errors"] = errors
    return result


def evaluate_seeds(classify, area_ids, seeds_dir: Path) -> dict:
    labels = tomllib.loads((FIXTURES / "seeds.toml").read_text(encoding="utf-8"))["doc"]
    pairs, docs = [], []
    for item in labels:
        text = (seeds_dir / item["file"]).read_text(encoding="utf-8")
        title = text.strip().splitlines()[0].strip()
        found = classify(title, "", (Section(text, "fi"),))
        pairs.append((set(item["areas"]), {m.id for m in found}))
        docs.append(
            {
                "file": item["file"],
                "expected": item["areas"],
                "got": [(m.id, m.score, list(m.terms[:4])) for m in found],
            }
        )
    result = scores(pairs, area_ids)
    return {
        "micro_f1": result["micro_f1"],
        "micro_precision": result["micro_precision"],
        "micro_recall": result["micro_recall"],
        "documents": docs,
    }


def evaluate_regeringen(classify, path: Path, *, limit: int | None = None) -> dict:
    """Agreement of areas with regeringen.se categories, on the 'category' records.

    Recall per category: of the documents filed under it, the share given one of its areas.
    Precision per area: of the documents given the area, the share filed under a category that
    maps to it (categories are incomplete, so this is a lower bound).
    """
    cat_total, cat_hit = Counter(), Counter()
    area_total, area_supported = Counter(), Counter()
    n_docs = n_with_area = n_words = 0
    started = time.perf_counter()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("selected_by") != "category":
                continue
            if limit and n_docs >= limit:
                break
            n_docs += 1
            n_words += len(rec["text"].split())
            predicted = {m.id for m in classify(rec["title"], "", (Section(rec["text"], "sv"),))}
            n_with_area += bool(predicted)
            cats = [c for c in rec.get("categories") or [] if c in CATEGORY_AREAS]
            for c in cats:
                cat_total[c] += 1
                cat_hit[c] += bool(CATEGORY_AREAS[c] & predicted)
            supported = set().union(*(CATEGORY_AREAS[c] for c in cats)) if cats else set()
            for area in predicted:
                area_total[area] += 1
                area_supported[area] += area in supported
    seconds = time.perf_counter() - started
    categories = {
        c: {"documents": cat_total[c], "recall": round(cat_hit[c] / cat_total[c], 3)}
        for c in sorted(cat_total, key=lambda c: -cat_total[c])
    }
    areas = {
        a: {"documents": area_total[a], "precision": round(area_supported[a] / area_total[a], 3)}
        for a in sorted(area_total, key=lambda a: -area_total[a])
    }
    mapped_areas = set().union(*CATEGORY_AREAS.values())
    checked = [a for a in areas if a in mapped_areas]
    tp = sum(area_supported[a] for a in checked)
    return {
        "documents": n_docs,
        "with_any_area": n_with_area,
        "precision": round(tp / sum(area_total[a] for a in checked), 3) if checked else None,
        "recall": round(sum(cat_hit.values()) / sum(cat_total.values()), 3) if cat_total else None,
        "categories": categories,
        "areas": areas,
        "seconds": round(seconds, 2),
        "words_per_second": int(n_words / seconds) if seconds else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every misclassified labelled document")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--skip-regeringen", action="store_true", help="only the labelled set and seeds")
    args = parser.parse_args()

    from index.classify import classifier_for

    classify = classifier_for(None)
    area_ids = classify.thesaurus.ids
    out = {"labelled": evaluate_labelled(classify, area_ids, with_errors=args.errors)}
    if (SHARED / "seeds").is_dir():
        out["seeds"] = evaluate_seeds(classify, area_ids, SHARED / "seeds")
    regeringen = SHARED / "text" / "sv_regeringen_welfare.jsonl"
    if regeringen.exists() and not args.skip_regeringen:
        out["regeringen"] = evaluate_regeringen(classify, regeringen)
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return
    lab = out["labelled"]
    print(f"labelled set: {lab['documents']} documents {lab['langs']}, {lab['offtopic']} off-topic")
    print(
        f"  micro P/R/F1 {lab['micro_precision']}/{lab['micro_recall']}/{lab['micro_f1']}  "
        f"macro-F1 {lab['macro_f1']}  off-topic false positives {lab['offtopic_false_positives']}"
    )
    for area, v in lab["per_area"].items():
        print(f"  {area:<32} P {v['precision']:.2f}  R {v['recall']:.2f}  (n={v['support']})")
    for err in lab.get("errors", []):
        print(f"  WRONG {err['id']}: expected {err['expected']} got {err['got']}")
    if "seeds" in out:
        s = out["seeds"]
        print(f"seeds: micro P/R/F1 {s['micro_precision']}/{s['micro_recall']}/{s['micro_f1']}")
        for d in s["documents"]:
            print(f"  {d['file']}: expected {d['expected']}\n      got {d['got']}")
    if "regeringen" in out:
        r = out["regeringen"]
        print(
            f"regeringen.se: {r['documents']} category documents, {r['with_any_area']} got an area; "
            f"precision {r['precision']} recall {r['recall']}; {r['seconds']} s ({r['words_per_second']} words/s)"
        )
        for cat, v in r["categories"].items():
            print(f"  category {cat:<50} n={v['documents']:<4} recall {v['recall']}")
        for area, v in r["areas"].items():
            print(f"  area {area:<32} n={v['documents']:<4} precision {v['precision']}")


if __name__ == "__main__":
    main()
