"""robots.txt agreement with Google's reference cases: Protego alone vs crawler.robots.

Run: .venv/bin/python tests/eval/eval_robots.py   (prints figures and every differing case)
The test tests/crawler/test_robots.py holds the floor pinned in tests/eval/floors.toml [crawler].
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CASES = REPO.parent / "shared" / "data" / "robots" / "cases.tsv"
sys.path.insert(0, str(REPO))


def unescape(s: str) -> str:
    return re.sub(
        r"\\(n|r|t|\\|x[0-9a-f]{2})",
        lambda m: {"n": "\n", "r": "\r", "t": "\t", "\\": "\\"}.get(m[1]) or chr(int(m[1][1:], 16)),
        s,
    )


def load_cases(path: Path = CASES) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    for r in rows:
        for k in ("robots_txt", "user_agent", "url"):
            r[k] = unescape(r[k])
        r["allowed"] = r["expected"] == "allowed"
    return rows


def protego_decision(body: str, agent: str, url: str) -> bool:
    from protego import Protego

    if not body or not agent:
        return True
    if not url:
        return False
    return Protego.parse(body).can_fetch(url, agent)


def our_decision(body: str, agent: str, url: str) -> bool:
    from crawler.robots import RobotsRules

    if not body:
        return True
    return RobotsRules.parse(body).allowed(url, agent)


def agreement(decide, cases: list[dict]) -> dict:
    out = {"all": [0, 0], "rfc": [0, 0], "google_only": [0, 0], "differs": []}
    for c in cases:
        ok = decide(c["robots_txt"], c["user_agent"], c["url"]) == c["allowed"]
        group = "rfc" if c["test_name"].startswith("ID_") else "google_only"
        for g in ("all", group):
            out[g][0] += ok
            out[g][1] += 1
        if not ok:
            out["differs"].append(c)
    return out


def main() -> dict:
    if not CASES.exists():
        print(f"skipped: {CASES} not found")
        return {}
    cases = load_cases()
    results = {"protego": agreement(protego_decision, cases), "nordsearch": agreement(our_decision, cases)}
    for name, r in results.items():
        print(
            f"{name:<11} all {r['all'][0]}/{r['all'][1]}  RFC 9309 (ID_*) {r['rfc'][0]}/{r['rfc'][1]}  "
            f"GoogleOnly {r['google_only'][0]}/{r['google_only'][1]}"
        )
    for c in results["nordsearch"]["differs"]:
        print(
            f"  differs: #{c['id']} {c['test_name']} agent={c['user_agent']!r} url={c['url'][:60]!r} "
            f"expected {c['expected']}"
        )
    return results


if __name__ == "__main__":
    main()
